// SPDX-License-Identifier: MIT
#include "formats/YstrReader.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"
#include "formats/ProfileColumns.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

namespace ystr = engine::ystr;

constexpr std::string_view kExpectedHeader =
    "expected SampleName,Marker,Allele1,Allele2,... or a GeneMapper table with Sample Name, Marker, Allele 1, ...";

std::string listed(const ystr::AlleleSet& alleles) {
    std::string list;
    for (const ystr::Allele& a : alleles) (list += (list.empty() ? "" : ",")) += ystr::toString(a);
    return list;
}

}  // namespace

ystr::HaplotypeSet readYstrHaplotypes(std::istream& in, const std::string& fileName) {
    TextLines lines(in, fileName);
    do {
        if (!lines.next())
            throw InputError(fileName, 0, "no Y-STR haplotypes: empty file (" + std::string(kExpectedHeader) + ")");
    } while (lines.blank());

    const char delimiter = lines.line().find('\t') != std::string_view::npos ? '\t' : ',';
    const std::vector<std::string> header = splitFields(lines.line(), delimiter);
    const ProfileColumns columns = decodeProfileHeader(header, lines.pos(), kExpectedHeader);

    ystr::HaplotypeSet set{.source = fileName, .haplotypes = {}};
    TextMap<std::size_t> haplotypeIndex;
    // spelling -> (key, dense key id): a file repeats a few dozen spellings.
    TextMap<std::pair<std::string, std::uint32_t>> locusKeys;
    TextMap<std::uint32_t> keyIds;
    // (key id, line) of each row of a haplotype, to reject and locate a repeated locus; rows
    // without alleles count too, since a second row would still contradict the first. A
    // haplotype has a few dozen loci, so a scan beats a map and keeps a database small.
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> rowLines;
    FieldSplitter splitter;

    while (lines.next()) {
        if (lines.blank()) continue;
        const std::vector<std::string_view>& cells = splitter.split(lines.line(), delimiter);
        const std::size_t line = lines.lineNumber();
        const auto fail = [&](std::size_t col, const std::string& what) {
            const std::string field = col < header.size() && !header[col].empty() ? header[col]
                                                                                  : "column " + std::to_string(col + 1);
            throw InputError(fileName, line, "field " + field + ": " + what);
        };
        for (std::size_t col = columns.width; col < cells.size(); ++col) {
            if (!cells[col].empty())
                fail(col, "value " + quoted(cells[col]) + " beyond the " + std::to_string(columns.width) +
                              " header columns (expected at most one cell per header column)");
        }
        const std::string_view sample = cellAt(cells, columns.sample);
        const std::string_view marker = cellAt(cells, columns.marker);
        if (sample.empty()) fail(columns.sample, "row has no sample name (expected the sample the row belongs to)");
        if (marker.empty())
            fail(columns.marker, "row of sample " + std::string(sample) + " has no locus name (expected e.g. DYS19)");
        if (engine::isAmelogenin(marker)) continue;

        auto keyIt = locusKeys.find(marker);
        if (keyIt == locusKeys.end()) {
            std::string key = ystr::locusKey(marker);
            const std::uint32_t id = keyIds.emplace(key, static_cast<std::uint32_t>(keyIds.size())).first->second;
            keyIt = locusKeys.emplace(std::string(marker), std::pair{std::move(key), id}).first;
        }
        const auto& [key, keyId] = keyIt->second;

        std::size_t index = set.haplotypes.size();
        if (!set.haplotypes.empty() && set.haplotypes.back().sample == sample) {
            index = set.haplotypes.size() - 1;
        } else if (const auto it = haplotypeIndex.find(sample); it != haplotypeIndex.end()) {
            index = it->second;
        } else {
            haplotypeIndex.emplace(std::string(sample), index);
            set.haplotypes.push_back(ystr::Haplotype{.sample = std::string(sample), .loci = {}, .source = lines.pos()});
            rowLines.emplace_back();
        }
        auto& rows = rowLines[index];
        for (const auto& [seenKey, seenLine] : rows) {
            if (seenKey == keyId)
                fail(columns.marker, "sample " + std::string(sample) + " has locus " + std::string(marker) +
                                         " twice (first at line " + std::to_string(seenLine) +
                                         "; expected one row per sample and locus)");
        }
        rows.emplace_back(keyId, static_cast<std::uint32_t>(line));

        // Alleles are a set: `14,14` is one peak. The first cell that makes the set larger than
        // the locus has copies is the one the error names.
        ystr::AlleleSet alleles;
        const std::size_t copies = ystr::maxCopies(key);
        for (std::size_t col : columns.alleles) {
            const std::string_view label = cellAt(cells, col);
            if (label.empty()) continue;
            const auto allele = ystr::tryParseAllele(label);
            if (!allele)
                fail(col, "allele " + quoted(label) + " of sample " + std::string(sample) + " at " +
                              std::string(marker) + " is not a repeat number (expected e.g. 13 or 13.2)");
            const auto at = std::lower_bound(alleles.begin(), alleles.end(), *allele);
            if (at != alleles.end() && *at == *allele) continue;
            alleles.insert(at, *allele);
            if (alleles.size() <= copies) continue;
            fail(col, copies == 1 ? "sample " + std::string(sample) + " has two different alleles (" + listed(alleles) +
                                        ") at single-copy locus " + std::string(marker) +
                                        " (expected one; the multi-copy loci are DYS385, DYF387S1, DYS459, DYS464, "
                                        "DYS527, DYF395S1, DYF399S1, DYF404S1)"
                                  : "sample " + std::string(sample) + " has more than " + std::to_string(copies) +
                                        " different alleles (" + listed(alleles) + ") at " + std::string(marker) +
                                        " (expected at most " + std::to_string(copies) + ", one per copy)");
        }
        if (!alleles.empty()) set.haplotypes[index].loci.emplace(key, std::move(alleles));
    }
    if (set.haplotypes.empty())
        throw InputError(fileName, 0,
                         "no Y-STR haplotypes: the file has a header but no rows (expected one row per sample and locus)");
    return set;
}

ystr::HaplotypeSet readYstrFile(const std::string& path) {
    std::ifstream in = openTextFile(path);
    return readYstrHaplotypes(in, path);
}

}  // namespace kinmatch::formats
