// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace kinmatch::formats {

/// SHA-256 of a file's bytes, as 64 lower-case hex digits (what `sha256sum` prints), through
/// OpenSSL's libcrypto. Throws: Error naming the file and the system's reason.
std::string sha256File(const std::string& path);

/// SHA-256 of a byte string, as 64 lower-case hex digits.
std::string sha256Hex(std::string_view bytes);

}  // namespace kinmatch::formats
