// SPDX-License-Identifier: MIT
#include "formats/FrequencyReader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

constexpr double kSumTolerance = 1e-6;
constexpr std::string_view kExpectedFrequency = " (expected a number between 0 and 1)";

// One marker being read, with what is needed to name duplicates by line.
struct MarkerBuild {
    MarkerFrequencies data;
    // canonical allele -> (label as written, line); canonical so that `9` and `09`, which
    // the engine treats as one allele, are caught here with both lines named.
    std::unordered_map<std::string, std::pair<std::string, std::size_t>> seen;
};

// The markers of a table in file order, looked up by case-insensitive name.
class MarkerList {
  public:
    // Returns the index of the new marker. Throws on a duplicate name.
    std::size_t add(const std::string& name, const SourcePos& pos, std::string_view what) {
        const std::string key = engine::markerKey(name);
        if (const auto it = index_.find(key); it != index_.end()) {
            const MarkerFrequencies& first = markers_[it->second].data;
            throw InputError(pos.file, pos.line,
                             std::string(what) + " " + quoted(name) + " repeats marker " + quoted(first.marker) +
                                 " of line " + std::to_string(first.pos.line) +
                                 " (marker names compare case-insensitively; expected each marker once)");
        }
        index_.emplace(key, markers_.size());
        markers_.push_back(MarkerBuild{
            .data = MarkerFrequencies{.marker = name, .alleles = {}, .frequencies = {}, .pos = pos}, .seen = {}});
        return markers_.size() - 1;
    }

    void addAllele(std::size_t marker, const std::string& allele, std::string_view cell, const SourcePos& pos) {
        MarkerBuild& m = markers_[marker];
        const double frequency = parseFrequency(cell, allele, m.data.marker, pos);
        const auto [it, inserted] = m.seen.emplace(engine::canonicalAllele(allele), std::pair{allele, pos.line});
        if (!inserted) {
            const auto& [firstLabel, firstLine] = it->second;
            const std::string same =
                firstLabel == allele ? "is listed twice" : "is the same allele as " + quoted(firstLabel);
            throw InputError(pos.file, pos.line,
                             "allele " + quoted(allele) + " at marker " + m.data.marker + " " + same +
                                 " (first at line " + std::to_string(firstLine) +
                                 "; expected each allele once per marker)");
        }
        m.data.alleles.push_back(allele);
        m.data.frequencies.push_back(frequency);
    }

    bool empty() const noexcept { return markers_.empty(); }

    // Checks that every marker has alleles, warns about sums, and hands the table over.
    FrequencyTable finish(const std::string& fileName, Warnings& warnings) && {
        FrequencyTable table{.source = fileName, .markers = {}};
        for (MarkerBuild& m : markers_) {
            const MarkerFrequencies& d = m.data;
            if (d.alleles.empty())
                throw InputError(d.pos.file, d.pos.line,
                                 "marker " + quoted(d.marker) + " has no alleles (expected at least one frequency)");
            double sum = 0.0;
            for (double f : d.frequencies) sum += f;
            if (std::fabs(sum - 1.0) > kSumTolerance) {
                std::ostringstream text;
                text.precision(10);
                text << d.pos.file << ':' << d.pos.line << ": marker " << d.marker << ": frequencies sum to " << sum
                     << " (expected 1 within 1e-6; the engine normalises them)";
                warnings.add(text.str());
            }
            table.markers.push_back(std::move(m.data));
        }
        return table;
    }

  private:
    static double parseFrequency(std::string_view cell, const std::string& allele, const std::string& marker,
                                 const SourcePos& pos) {
        const std::string what = "frequency " + quoted(cell) + " of allele " + allele + " at marker " + marker;
        double value = 0.0;
        const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
        const bool whole = ptr == cell.data() + cell.size();
        if (ec == std::errc::result_out_of_range && whole)
            throw InputError(pos.file, pos.line, what + " is out of range" + std::string(kExpectedFrequency));
        if (ec != std::errc() || !whole || std::isnan(value))
            throw InputError(pos.file, pos.line, what + " is not a number" + std::string(kExpectedFrequency));
        if (value < 0.0) throw InputError(pos.file, pos.line, what + " is negative" + std::string(kExpectedFrequency));
        if (value > 1.0)
            throw InputError(pos.file, pos.line, what + " is greater than 1" + std::string(kExpectedFrequency));
        return value;
    }

    std::vector<MarkerBuild> markers_;
    std::unordered_map<std::string, std::size_t> index_;
};

// EuroForMix / STRidER: `Allele,<marker>,...` then one row per allele.
FrequencyTable readCsv(TextLines& lines, const std::string& fileName, Warnings& warnings) {
    const std::vector<std::string> header = splitFields(lines.line(), ',');
    const std::size_t headerLine = lines.lineNumber();
    if (!equalsIgnoreCase(header[0], "allele"))
        throw InputError(fileName, headerLine,
                         "first header cell " + quoted(header[0]) +
                             " is not \"Allele\" (expected the EuroForMix layout Allele,<marker>,<marker>,...)");

    // Spreadsheets often end every line with a delimiter; empty cells after the last marker
    // are padding, not a nameless column.
    std::size_t width = header.size();
    while (width > 1 && header[width - 1].empty()) --width;

    if (width == 1)
        throw InputError(fileName, headerLine, "header has no marker columns (expected Allele,<marker>,...)");
    MarkerList markers;
    std::vector<std::optional<std::size_t>> columnMarker(width);  // nullopt: amelogenin, ignored
    for (std::size_t col = 1; col < width; ++col) {
        if (header[col].empty())
            throw InputError(
                fileName, headerLine,
                "header column " + std::to_string(col + 1) + " has no marker name (expected a marker name)");
        if (engine::isAmelogenin(header[col])) continue;
        columnMarker[col] = markers.add(header[col], lines.pos(), "marker column");
    }

    while (lines.next()) {
        if (lines.blank()) continue;
        const std::vector<std::string> cells = splitFields(lines.line(), ',');
        for (std::size_t col = width; col < cells.size(); ++col) {
            if (!cells[col].empty())
                throw InputError(fileName, lines.lineNumber(),
                                 "row has " + std::to_string(cells.size()) + " cells but the header has " +
                                     std::to_string(width) + " (value " + quoted(cells[col]) + " in column " +
                                     std::to_string(col + 1) + "; expected at most one cell per header column)");
        }
        const std::string& allele = cells[0];
        for (std::size_t col = 1; col < std::min(width, cells.size()); ++col) {
            if (cells[col].empty() || !columnMarker[col]) continue;
            if (allele.empty())
                throw InputError(fileName, lines.lineNumber(),
                                 "frequency " + quoted(cells[col]) + " at marker " + header[col] +
                                     " has no allele label (expected the allele in the first cell)");
            markers.addAllele(*columnMarker[col], allele, cells[col], lines.pos());
        }
    }
    return std::move(markers).finish(fileName, warnings);
}

// Familias / FamLink "list" layout: marker name, `allele<TAB>frequency` lines, blank line.
FrequencyTable readList(TextLines& lines, const std::string& fileName, Warnings& warnings) {
    MarkerList markers;
    // The marker whose frequency lines are being read; `skipping` for an amelogenin block.
    std::optional<std::size_t> current;
    std::string currentName;
    bool inBlock = false;
    bool blockHasLines = false;
    bool skipping = false;
    do {
        if (lines.blank()) {
            inBlock = false;
            continue;
        }
        const std::string_view line = lines.line();
        if (line.find('\t') == std::string_view::npos) {
            if (inBlock && blockHasLines)
                throw InputError(fileName, lines.lineNumber(),
                                 "line " + quoted(line) + " has no tab but follows the frequencies of marker " +
                                     currentName +
                                     " (expected allele<TAB>frequency, or a blank line before the next marker name)");
            currentName = std::string(trim(line));
            skipping = engine::isAmelogenin(currentName);
            if (!skipping) current = markers.add(currentName, lines.pos(), "marker");
            inBlock = true;
            blockHasLines = false;
            continue;
        }
        if (!inBlock)
            throw InputError(
                fileName, lines.lineNumber(),
                "frequency line " + quoted(line) +
                    " comes before any marker name (expected a marker name line, then allele<TAB>frequency "
                    "lines)");
        const std::vector<std::string> fields = splitFields(line, '\t');
        if (fields.size() != 2)
            throw InputError(fileName, lines.lineNumber(),
                             "line " + quoted(line) + " of marker " + currentName + " has " +
                                 std::to_string(fields.size()) +
                                 " tab-separated fields (expected allele<TAB>frequency)");
        blockHasLines = true;
        if (skipping) continue;
        if (fields[0].empty())
            throw InputError(fileName, lines.lineNumber(),
                             "frequency " + quoted(fields[1]) + " at marker " + currentName +
                                 " has no allele label (expected allele<TAB>frequency)");
        markers.addAllele(*current, fields[0], fields[1], lines.pos());
    } while (lines.next());
    if (markers.empty())
        throw InputError(fileName, 0, "no markers (expected a marker name line, then allele<TAB>frequency lines)");
    return std::move(markers).finish(fileName, warnings);
}

}  // namespace

FrequencyTable readFrequencies(std::istream& in, const std::string& fileName, Warnings& warnings) {
    TextLines lines(in, fileName);
    do {
        if (!lines.next()) throw InputError(fileName, 0, "empty file (expected an allele frequency table)");
    } while (lines.blank());

    const std::string_view first = lines.line();
    const std::vector<std::string> commaCells = splitFields(first, ',');
    if (equalsIgnoreCase(commaCells[0], "allele") || first.find(',') != std::string_view::npos)
        return readCsv(lines, fileName, warnings);
    // A spreadsheet saved with a European locale; without this it would be read as one
    // marker called "Allele;D3S1358;..." and fail with a baffling message.
    if (equalsIgnoreCase(splitFields(first, ';')[0], "allele"))
        throw InputError(fileName, lines.lineNumber(),
                         "header is separated by semicolons (expected commas: Allele,<marker>,<marker>,...)");
    return readList(lines, fileName, warnings);
}

FrequencyTable readFrequencyFile(const std::string& path, Warnings& warnings) {
    std::ifstream in = openTextFile(path);
    return readFrequencies(in, path, warnings);
}

}  // namespace kinmatch::formats
