// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace kinmatch {

/// Base of every error kinmatch reports to a user (exit code 1 in the CLI).
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad user data. Carries where it was found so the message can name file and line.
/// `line` is 1-based; 0 means "the file as a whole" (e.g. an empty file).
class InputError : public Error {
public:
    InputError(std::string file, std::size_t line, const std::string& what)
        : Error(format(file, line, what)), file_(std::move(file)), line_(line) {}
    /// An error in data that no longer has a file position (e.g. a family's references
    /// contradicting each other at a marker).
    explicit InputError(const std::string& what) : Error(what) {}

    const std::string& file() const noexcept { return file_; }
    std::size_t line() const noexcept { return line_; }

private:
    static std::string format(const std::string& file, std::size_t line, const std::string& what) {
        if (file.empty()) return what;
        if (line == 0) return file + ": " + what;
        return file + ":" + std::to_string(line) + ": " + what;
    }
    std::string file_;
    std::size_t line_ = 0;
};

/// Bad options (exit code 2 in the CLI).
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

}  // namespace kinmatch
