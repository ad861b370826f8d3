// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kinmatch {

/// Collects warnings of a run so the CLI can print them to stderr and the run log, and
/// the output header can count them. Not thread-safe: fill it from serial code only.
class Warnings {
public:
    void add(std::string message) { messages_.push_back(std::move(message)); }
    const std::vector<std::string>& messages() const noexcept { return messages_; }
    bool empty() const noexcept { return messages_.empty(); }

private:
    std::vector<std::string> messages_;
};

}  // namespace kinmatch
