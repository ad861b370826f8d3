// SPDX-License-Identifier: MIT
#pragma once

#include <fstream>
#include <iosfwd>
#include <string>

namespace kinmatch::formats {

/// An output that appears only when complete: data goes to a temporary file beside the
/// target and is renamed over it by `commit()`. A run that fails, throws or is killed
/// leaves no partial file (the destructor and the CLI's signal handler remove it).
/// The path "-" writes to stdout directly, and so does a path naming an existing device or
/// pipe (/dev/null, a FIFO), which a rename would replace.
class OutputFile {
public:
    /// Opens the temporary file now, so an unwritable output fails before any work.
    /// Throws: Error naming the path and the system's reason.
    explicit OutputFile(std::string path);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream();
    /// Flushes, checks that every byte was written (a full disk is an error) and renames.
    /// Throws: Error naming the path.
    void commit();

    const std::string& path() const noexcept { return path_; }
    /// The most recently opened temporary file still pending, or "".
    static const char* pendingTemporaryPath() noexcept;
    /// Unlinks every pending temporary file; async-signal-safe (for the CLI's signal handler).
    static void removePendingTemporaries() noexcept;

private:
    std::string path_;
    std::string temporary_;
    std::ofstream file_;
    bool committed_ = false;
    bool direct_ = false;  // writing straight into a device or pipe
    int slot_ = -1;  // index in the table of pending temporaries the signal handler sees
};

}  // namespace kinmatch::formats
