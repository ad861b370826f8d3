// SPDX-License-Identifier: MIT
#pragma once

// Line-level reading shared by the text adapters, so that every reader accepts the same
// files: CRLF line ends, a UTF-8 byte-order mark, trailing whitespace (formats.md, "All
// text files").

#include <cstddef>
#include <fstream>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/CaseInput.hpp"

namespace kinmatch::formats {

/// Reads a text stream line by line and counts 1-based line numbers for error messages.
/// The stream is read in large blocks and each line is a view into the block, so reading a
/// file of millions of rows costs no allocation per line.
/// Thread safety: one reader per stream; not shared between threads.
class TextLines {
  public:
    /// @param fileName used in error messages and `pos()`; the stream is not owned.
    TextLines(std::istream& in, std::string fileName);

    /// Advances to the next line. Returns false at the end of the input.
    /// Throws: InputError on a stream read failure or a UTF-16 byte-order mark.
    bool next();

    /// The current line without line end and trailing whitespace (and without a BOM on line 1).
    /// Valid until the next call of `next()`.
    std::string_view line() const noexcept { return line_; }
    bool blank() const noexcept { return line_.empty(); }
    std::size_t lineNumber() const noexcept { return lineNumber_; }
    const std::string& fileName() const noexcept { return fileName_.str(); }
    /// The current line's position; the file name is shared, not copied.
    SourcePos pos() const noexcept { return SourcePos{fileName_, lineNumber_}; }
    const InternedString& internedFileName() const noexcept { return fileName_; }

    /// The bytes read from the stream but not yet returned as lines, for a reader that takes
    /// over the rest of the stream itself (the chunked profile reader). Valid until the next
    /// call of `next()`.
    std::string_view buffered() const noexcept { return std::string_view(buffer_.data() + begin_, end_ - begin_); }
    /// True when the stream has nothing more to read beyond `buffered()`.
    bool streamEnded() const noexcept { return atEnd_; }

  private:
    // Moves the unread rest to the front of the buffer and appends the next block.
    void refill();

    std::istream& in_;
    InternedString fileName_;
    std::string buffer_;
    std::size_t begin_ = 0;    // first unread byte of buffer_
    std::size_t end_ = 0;      // end of the bytes read into buffer_
    std::size_t scanned_ = 0;  // bytes after begin_ already known to hold no line end
    bool atEnd_ = false;       // the stream has nothing more
    std::string_view line_;
    std::size_t lineNumber_ = 0;
};

/// Splits lines into fields like `splitFields`, but as views, reusing its storage from line
/// to line: the per-row path of the readers allocates nothing.
/// Thread safety: one splitter per reader.
class FieldSplitter {
  public:
    /// The fields of `line`, valid until the next call and while `line` is unchanged.
    const std::vector<std::string_view>& split(std::string_view line, char delimiter);

  private:
    std::vector<std::string_view> fields_;
    std::string unquoted_;  // quoted fields with `""` inside, rewritten
};

/// Hash for maps keyed by std::string that are looked up with string_views (no temporary string per lookup).
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

/// A map from text to `Value` that finds string_view keys without allocating.
template <typename Value>
using TextMap = std::unordered_map<std::string, Value, TextHash, std::equal_to<>>;

/// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s) noexcept;

/// `s` in ASCII lower case.
std::string lowerAscii(std::string_view s);

/// True when `a` and `b` are equal ignoring ASCII case.
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept;

/// Splits `line` at every `delimiter` and trims each field. A field written in double
/// quotes (as spreadsheets and R's write.csv export it) loses the quotes, and `""` inside
/// becomes `"`; a delimiter inside quotes still splits, because no marker name, allele or
/// sample name of these formats contains one. An empty line gives one empty field.
std::vector<std::string> splitFields(std::string_view line, char delimiter);

/// Opens `path` for reading.
/// Throws: InputError naming the path and the system's reason (strerror) when it cannot.
std::ifstream openTextFile(const std::string& path);

/// `"text"` with the quotes, for naming user values in error messages.
std::string quoted(std::string_view text);

}  // namespace kinmatch::formats
