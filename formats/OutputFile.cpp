// SPDX-License-Identifier: MIT
#include "formats/OutputFile.hpp"

#include <sys/stat.h>
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
// The temporaries a signal handler must remove, in fixed buffers so that it needs no
// allocation; a run has a handful of outputs at most (match: 2, simulate: 6).
constexpr int kSlots = 16;
constexpr std::size_t kPathCapacity = 4096;
char gPending[kSlots][kPathCapacity] = {};

int claimSlot(const std::string& path) {
    if (path.size() >= kPathCapacity) return -1;
    for (int i = 0; i < kSlots; ++i)
        if (gPending[i][0] == '\0') {
            std::strcpy(gPending[i], path.c_str());
            return i;
        }
    return -1;  // still removed by the destructor, only not on a signal
}

void releaseSlot(int slot) {
    if (slot >= 0) gPending[slot][0] = '\0';
}

// Output files are for people to share: the permissions a plain open would give (0666 minus
// the umask), not mkstemp's 0600.
void useDefaultPermissions(int fd) {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
}
}  // namespace

const char* OutputFile::pendingTemporaryPath() noexcept {
    for (int i = kSlots; i-- > 0;)
        if (gPending[i][0] != '\0') return gPending[i];
    return "";
}

void OutputFile::removePendingTemporaries() noexcept {
    for (auto& path : gPending)
        if (path[0] != '\0') ::unlink(path);
}

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
    if (path_ == "-") return;
    std::error_code ignored;
    if (std::filesystem::is_directory(path_, ignored))
        throw Error(path_ + ": is a directory (expected a file name for the output)");
    // A device or pipe (/dev/null, a FIFO, /dev/stdout) is written in place, like stdout:
    // renaming a temporary over it would replace the device with a plain file.
    struct stat existing {};
    if (::stat(path_.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
        direct_ = true;
        file_.open(path_, std::ios::binary);
        if (!file_) throw Error(path_ + ": cannot write the output: " + std::strerror(errno));
        return;
    }
    std::string pattern = path_ + ".tmp.XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd < 0)
        throw Error(path_ + ": cannot write the output file: " + std::strerror(errno));
    useDefaultPermissions(fd);
    ::close(fd);
    temporary_ = pattern;
    slot_ = claimSlot(temporary_);
    file_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!file_) {
        std::remove(temporary_.c_str());
        releaseSlot(slot_);
        throw Error(path_ + ": cannot write the output file: " + std::strerror(errno));
    }
}

OutputFile::~OutputFile() {
    if (!committed_ && !temporary_.empty()) {
        file_.close();
        std::remove(temporary_.c_str());
        releaseSlot(slot_);
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
    if (direct_) {
        committed_ = true;
        return;
    }
    if (std::rename(temporary_.c_str(), path_.c_str()) != 0)
        throw Error(path_ + ": cannot move the finished output into place: " + std::strerror(errno));
    committed_ = true;
    releaseSlot(slot_);
}

}  // namespace kinmatch::formats
