// SPDX-License-Identifier: MIT
#pragma once

// Line-level reading shared by the text adapters, so that every reader accepts the same
// files: CRLF line ends, a UTF-8 byte-order mark, trailing whitespace (formats.md, "All
// text files").

#include <cstddef>
#include <fstream>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"

namespace kinmatch::formats {

/// Reads a text stream line by line and counts 1-based line numbers for error messages.
/// Thread safety: one reader per stream; not shared between threads.
class TextLines {
  public:
    /// @param fileName used in error messages and `pos()`; the stream is not owned.
    TextLines(std::istream& in, std::string fileName);

    /// Advances to the next line. Returns false at the end of the input.
    /// Throws: InputError on a stream read failure or a UTF-16 byte-order mark.
    bool next();

    /// The current line without line end and trailing whitespace (and without a BOM on line 1).
    std::string_view line() const noexcept { return line_; }
    bool blank() const noexcept { return line_.empty(); }
    std::size_t lineNumber() const noexcept { return lineNumber_; }
    const std::string& fileName() const noexcept { return fileName_; }
    SourcePos pos() const { return SourcePos{fileName_, lineNumber_}; }

  private:
    std::istream& in_;
    std::string fileName_;
    std::string line_;
    std::size_t lineNumber_ = 0;
};

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
