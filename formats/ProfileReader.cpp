// SPDX-License-Identifier: MIT
#include "formats/ProfileReader.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

// Mixtures may list more alleles; a reference or remains profile is single-source.
constexpr std::size_t kMaxAlleles = 2;
constexpr std::string_view kExpectedHeader =
    "expected SampleName,Marker,Allele1,Allele2 or a GeneMapper table with Sample Name, Marker, Allele 1, ...";

// `Sample Name`, `sample_name` and `SampleName` are the same column.
std::string headerKey(std::string_view name) {
    std::string key;
    for (char c : lowerAscii(name)) {
        if (c != ' ' && c != '_') key += c;
    }
    return key;
}

// The allele number N of an `AlleleN` header key, or nullopt.
std::optional<int> tryAlleleColumn(std::string_view key) {
    constexpr std::string_view kPrefix = "allele";
    if (!key.starts_with(kPrefix) || key.size() == kPrefix.size()) return std::nullopt;
    key.remove_prefix(kPrefix.size());
    int number = 0;
    const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
    if (ec != std::errc() || ptr != key.data() + key.size() || number < 1) return std::nullopt;
    return number;
}

struct Columns {
    std::size_t sample = 0;
    std::size_t marker = 0;
    std::vector<std::size_t> alleles;  // in AlleleN order
    std::size_t width = 0;             // header cells, without trailing empty padding
};

Columns decodeHeader(const std::vector<std::string>& header, const SourcePos& pos) {
    Columns columns;
    std::optional<std::size_t> sample;
    std::optional<std::size_t> marker;
    std::map<int, std::size_t> alleles;
    const auto claim = [&](std::optional<std::size_t>& slot, std::size_t col) {
        if (slot)
            throw InputError(pos.file, pos.line,
                             "header column " + quoted(header[col]) + " repeats column " + quoted(header[*slot]) +
                                 " (" + std::string(kExpectedHeader) + ")");
        slot = col;
    };
    for (std::size_t col = 0; col < header.size(); ++col) {
        const std::string key = headerKey(header[col]);
        if (key == "samplename") {
            claim(sample, col);
        } else if (key == "marker") {
            claim(marker, col);
        } else if (const auto number = tryAlleleColumn(key)) {
            std::optional<std::size_t> slot;
            if (const auto it = alleles.find(*number); it != alleles.end()) slot = it->second;
            claim(slot, col);
            alleles.emplace(*number, col);
        }
    }
    if (!sample)
        throw InputError(pos.file, pos.line, "header has no SampleName column (" + std::string(kExpectedHeader) + ")");
    if (!marker)
        throw InputError(pos.file, pos.line, "header has no Marker column (" + std::string(kExpectedHeader) + ")");
    if (alleles.empty())
        throw InputError(pos.file, pos.line, "header has no Allele1 column (" + std::string(kExpectedHeader) + ")");
    columns.sample = *sample;
    columns.marker = *marker;
    for (const auto& [number, col] : alleles) columns.alleles.push_back(col);
    columns.width = header.size();
    while (columns.width > 0 && header[columns.width - 1].empty()) --columns.width;
    return columns;
}

std::string cell(const std::vector<std::string>& cells, std::size_t col) {
    return col < cells.size() ? cells[col] : std::string();
}

}  // namespace

ProfileSet readProfiles(std::istream& in, const std::string& fileName) {
    TextLines lines(in, fileName);
    do {
        if (!lines.next())
            throw InputError(fileName, 0, "no profiles: empty file (" + std::string(kExpectedHeader) + ")");
    } while (lines.blank());

    const char delimiter = lines.line().find('\t') != std::string_view::npos ? '\t' : ',';
    const std::vector<std::string> header = splitFields(lines.line(), delimiter);
    const Columns columns = decodeHeader(header, lines.pos());

    ProfileSet set{.source = fileName, .profiles = {}};
    std::unordered_map<std::string, std::size_t> profileIndex;
    // (sample, marker key) -> line of its first row, to name both rows of a duplicate.
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    while (lines.next()) {
        if (lines.blank()) continue;
        const std::vector<std::string> cells = splitFields(lines.line(), delimiter);
        const std::size_t line = lines.lineNumber();
        for (std::size_t col = columns.width; col < cells.size(); ++col) {
            if (!cells[col].empty())
                throw InputError(fileName, line,
                                 "row has " + std::to_string(cells.size()) + " cells but the header has " +
                                     std::to_string(columns.width) + " (value " + quoted(cells[col]) + " in column " +
                                     std::to_string(col + 1) + "; expected at most one cell per header column)");
        }
        const std::string sample = cell(cells, columns.sample);
        const std::string marker = cell(cells, columns.marker);
        if (sample.empty())
            throw InputError(
                fileName, line,
                "row has no sample name (expected a SampleName in column " + std::to_string(columns.sample + 1) + ")");
        if (marker.empty())
            throw InputError(fileName, line,
                             "row of sample " + sample + " has no marker name (expected a Marker in column " +
                                 std::to_string(columns.marker + 1) + ")");

        // `AMEL` and `Amelogenin` name the same row.
        const bool amelogenin = engine::isAmelogenin(marker);
        const std::string rowMarker = amelogenin ? std::string("AMELOGENIN") : engine::markerKey(marker);
        const auto [seenIt, firstTime] = seen.emplace(std::pair{sample, rowMarker}, line);
        if (!firstTime)
            throw InputError(fileName, line,
                             "sample " + sample + " has marker " + marker + " twice (first at line " +
                                 std::to_string(seenIt->second) + "; expected one row per sample and marker)");

        std::vector<std::string> alleles;
        for (std::size_t col : columns.alleles) {
            std::string allele = cell(cells, col);
            if (!allele.empty()) alleles.push_back(std::move(allele));
        }
        if (alleles.size() > kMaxAlleles) {
            std::string list;
            for (const auto& a : alleles) list += (list.empty() ? "" : ",") + a;
            throw InputError(fileName, line,
                             "sample " + sample + " has " + std::to_string(alleles.size()) + " alleles (" + list +
                                 ") at marker " + marker +
                                 " (expected at most 2: a single-source profile, not a mixture)");
        }

        auto [indexIt, isNew] = profileIndex.emplace(sample, set.profiles.size());
        if (isNew)
            set.profiles.push_back(Profile{.sampleName = sample, .markers = {}, .amelogenin = {}, .pos = lines.pos()});
        Profile& profile = set.profiles[indexIt->second];
        if (amelogenin) {
            profile.amelogenin = std::move(alleles);
        } else if (!alleles.empty()) {
            profile.markers.push_back(MarkerCall{.marker = marker, .alleles = std::move(alleles), .pos = lines.pos()});
        }
    }
    if (set.profiles.empty())
        throw InputError(fileName, 0,
                         "no profiles: the file has a header but no rows (expected one row per sample and marker)");
    return set;
}

ProfileSet readProfileFile(const std::string& path) {
    std::ifstream in = openTextFile(path);
    return readProfiles(in, path);
}

}  // namespace kinmatch::formats
