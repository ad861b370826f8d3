// SPDX-License-Identifier: MIT
#include "formats/TextLines.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "engine/Errors.hpp"

namespace kinmatch::formats {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

bool isSpace(char c) noexcept {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string unquote(std::string_view field) {
    if (field.size() < 2 || field.front() != '"' || field.back() != '"') return std::string(field);
    std::string out;
    field = field.substr(1, field.size() - 2);
    for (std::size_t i = 0; i < field.size(); ++i) {
        out += field[i];
        if (field[i] == '"' && i + 1 < field.size() && field[i + 1] == '"') ++i;
    }
    return std::string(trim(out));
}

}  // namespace

TextLines::TextLines(std::istream& in, std::string fileName) : in_(in), fileName_(std::move(fileName)) {}

bool TextLines::next() {
    if (!std::getline(in_, line_)) {
        // getline sets failbit at a clean end of input too; only badbit is a real read error.
        if (in_.bad()) throw InputError(fileName_, lineNumber_ + 1, "read error");
        line_.clear();
        return false;
    }
    ++lineNumber_;
    if (lineNumber_ == 1) {
        const std::string_view view(line_);
        if (view.starts_with(kUtf16LeBom) || view.starts_with(kUtf16BeBom))
            throw InputError(fileName_, 1, "file is UTF-16 encoded (expected UTF-8; save it as UTF-8 or CSV UTF-8)");
        if (view.starts_with(kUtf8Bom)) line_.erase(0, kUtf8Bom.size());
    }
    // Trailing whitespace includes the CR of CRLF files.
    while (!line_.empty() && isSpace(line_.back())) line_.pop_back();
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

std::vector<std::string> splitFields(std::string_view line, char delimiter) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = line.find(delimiter, start);
        const std::string_view field = line.substr(start, end == std::string_view::npos ? line.npos : end - start);
        fields.push_back(unquote(trim(field)));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return fields;
}

std::ifstream openTextFile(const std::string& path) {
    // An ifstream opens a directory without complaint and then reads nothing, which would
    // surface as a misleading "empty file".
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(path, 0, "cannot open: is a directory (expected a file)");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw InputError(path, 0, std::string("cannot open: ") + (err != 0 ? std::strerror(err) : "unknown error"));
    }
    return in;
}

std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    out += text;
    out += '"';
    return out;
}

}  // namespace kinmatch::formats
