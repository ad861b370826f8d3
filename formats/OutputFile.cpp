// SPDX-License-Identifier: MIT
#include "formats/OutputFile.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "engine/Errors.hpp"

namespace kinmatch::formats {

namespace {
// One pending temporary per process is all the CLI needs; a fixed buffer keeps the signal
// handler free of allocation.
char gPendingPath[4096] = {0};
}  // namespace

const char* OutputFile::pendingTemporaryPath() noexcept { return gPendingPath; }

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
    if (path_ == "-") return;
    std::error_code ignored;
    if (std::filesystem::is_directory(path_, ignored))
        throw Error(path_ + ": is a directory (expected a file name for the output)");
    std::string pattern = path_ + ".tmp.XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd < 0)
        throw Error(path_ + ": cannot write the output file: " + std::strerror(errno));
    ::close(fd);
    temporary_ = pattern;
    if (temporary_.size() < sizeof(gPendingPath)) std::strcpy(gPendingPath, temporary_.c_str());
    file_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!file_) {
        std::remove(temporary_.c_str());
        gPendingPath[0] = '\0';
        throw Error(path_ + ": cannot write the output file: " + std::strerror(errno));
    }
}

OutputFile::~OutputFile() {
    if (!committed_ && !temporary_.empty()) {
        file_.close();
        std::remove(temporary_.c_str());
        gPendingPath[0] = '\0';
    }
}

std::ostream& OutputFile::stream() { return path_ == "-" ? std::cout : static_cast<std::ostream&>(file_); }

void OutputFile::commit() {
    std::ostream& out = stream();
    out.flush();
    if (!out) throw Error(path_ + ": writing the output failed (disk full?)");
    if (path_ == "-") {
        committed_ = true;
        return;
    }
    file_.close();
    if (!file_) throw Error(path_ + ": closing the output failed: " + std::strerror(errno));
    if (std::rename(temporary_.c_str(), path_.c_str()) != 0)
        throw Error(path_ + ": cannot move the finished output into place: " + std::strerror(errno));
    committed_ = true;
    gPendingPath[0] = '\0';
}

}  // namespace kinmatch::formats
