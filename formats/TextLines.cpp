// SPDX-License-Identifier: MIT
#include "formats/TextLines.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "engine/Errors.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kinmatch::formats {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

// std::isspace of the "C" locale (kinmatch never sets another), inline: it runs on both ends
// of every field of millions of rows.
bool isSpace(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// Bytes read from the stream at a time; a longer line makes the buffer grow.
constexpr std::size_t kBlockSize = std::size_t{1} << 18;

// A field's value: trimmed, without the double quotes a spreadsheet may put around it, `""`
// inside quotes read as `"`. Returns a view into `field` unless quotes had to be rewritten;
// those go to the end of `storage`, which the caller has reserved so that it never reallocates.
std::string_view unquote(std::string_view field, std::string& storage) {
    field = trim(field);
    if (field.size() < 2 || field.front() != '"' || field.back() != '"') return field;
    field = field.substr(1, field.size() - 2);
    if (field.find('"') == std::string_view::npos) return trim(field);
    const std::size_t start = storage.size();
    for (std::size_t i = 0; i < field.size(); ++i) {
        storage += field[i];
        if (field[i] == '"' && i + 1 < field.size() && field[i + 1] == '"') ++i;
    }
    return trim(std::string_view(storage).substr(start));
}

}  // namespace

TextLines::TextLines(std::istream& in, std::string fileName) : in_(in), fileName_(fileName) {}

void TextLines::refill() {
    buffer_.erase(0, begin_);
    end_ -= begin_;
    begin_ = 0;
    if (buffer_.size() < end_ + kBlockSize) buffer_.resize(std::max(end_ + kBlockSize, 2 * buffer_.size()));
    in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
    end_ += static_cast<std::size_t>(in_.gcount());
    // read() sets failbit at a clean end of input too; only badbit is a real read error.
    if (in_.bad()) throw InputError(fileName_, lineNumber_ + 1, "read error");
    if (!in_) atEnd_ = true;
}

bool TextLines::next() {
    std::size_t lineEnd = 0;
    std::size_t resume = 0;
    while (true) {
        const char* from = buffer_.data() + begin_ + scanned_;
        const auto* newline = static_cast<const char*>(std::memchr(from, '\n', end_ - begin_ - scanned_));
        if (newline != nullptr) {
            lineEnd = static_cast<std::size_t>(newline - buffer_.data());
            resume = lineEnd + 1;
            break;
        }
        if (atEnd_) {
            if (begin_ == end_) {
                line_ = {};
                return false;
            }
            lineEnd = resume = end_;  // a last line without line end
            break;
        }
        scanned_ = end_ - begin_;
        refill();
    }
    std::string_view view(buffer_.data() + begin_, lineEnd - begin_);
    begin_ = resume;
    scanned_ = 0;
    ++lineNumber_;
    if (lineNumber_ == 1) {
        if (view.starts_with(kUtf16LeBom) || view.starts_with(kUtf16BeBom))
            throw InputError(fileName_, 1, "file is UTF-16 encoded (expected UTF-8; save it as UTF-8 or CSV UTF-8)");
        if (view.starts_with(kUtf8Bom)) view.remove_prefix(kUtf8Bom.size());
    }
    // Trailing whitespace includes the CR of CRLF files.
    while (!view.empty() && isSpace(view.back())) view.remove_suffix(1);
    line_ = view;
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

const std::vector<std::string_view>& FieldSplitter::split(std::string_view line, char delimiter) {
    fields_.clear();
    // Nearly every row has no quote: one pass over its characters splits it, 16 at a time
    // where SSE2 is there (every x86-64), and a quote anywhere sends the row to the slow path.
    const char* start = line.data();
    const char* p = start;
    const char* const end = start + line.size();
    bool quoted = false;
#if defined(__SSE2__)
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    const __m128i quotes = _mm_set1_epi8('"');
    for (; end - p >= 16 && !quoted; p += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        quoted = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quotes)) != 0;
        auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, delimiters)));
        for (; hits != 0 && !quoted; hits &= hits - 1) {
            const char* at = p + std::countr_zero(hits);
            fields_.push_back(trim(std::string_view(start, static_cast<std::size_t>(at - start))));
            start = at + 1;
        }
    }
    if (p != end && !quoted && line.size() >= 16) {
        // The rest in one load that ends at the line's end, its already scanned bytes shifted out.
        const char* base = end - 16;
        const auto skip = static_cast<unsigned>(p - base);
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base));
        quoted = (static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quotes))) >> skip) != 0;
        auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, delimiters))) >> skip;
        for (; hits != 0 && !quoted; hits &= hits - 1) {
            const char* at = p + std::countr_zero(hits);
            fields_.push_back(trim(std::string_view(start, static_cast<std::size_t>(at - start))));
            start = at + 1;
        }
        p = end;
    }
#endif
    for (; p != end && !quoted; ++p) {
        quoted = *p == '"';
        if (*p == delimiter) {
            fields_.push_back(trim(std::string_view(start, static_cast<std::size_t>(p - start))));
            start = p + 1;
        }
    }
    if (!quoted) {
        fields_.push_back(trim(std::string_view(start, static_cast<std::size_t>(end - start))));
        return fields_;
    }
    fields_.clear();
    unquoted_.clear();
    unquoted_.reserve(line.size());  // unquoting only shortens, so views into it stay valid
    std::size_t from = 0;
    while (true) {
        const std::size_t to = line.find(delimiter, from);
        fields_.push_back(unquote(line.substr(from, to == std::string_view::npos ? line.npos : to - from), unquoted_));
        if (to == std::string_view::npos) break;
        from = to + 1;
    }
    return fields_;
}

std::vector<std::string> splitFields(std::string_view line, char delimiter) {
    FieldSplitter splitter;
    const auto& views = splitter.split(line, delimiter);
    return {views.begin(), views.end()};
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
