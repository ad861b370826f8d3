// SPDX-License-Identifier: MIT
#include "formats/CaseWriter.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>
#include <unordered_map>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"

namespace kinmatch::formats {

namespace {

// A value that would split a cell or a row cannot be written; the readers trim fields, so
// surrounding spaces would be lost too, but those only change spelling, not meaning.
void appendField(std::string& out, std::string_view field, char delimiter, std::string_view what) {
    // A plain loop: find_first_of over a character set calls memchr once per field character,
    // and this check runs on every cell of files of a gigabyte.
    bool clean = true;
    for (const char c : field) clean = clean && c != delimiter && c != '\n' && c != '\r';
    if (!clean)
        throw Error("cannot write " + std::string(what) + " \"" + std::string(field) + "\": it contains " +
                    (delimiter == ',' ? "a comma" : "a tab") + " or a line break");
    out += field;
}

void appendNonEmpty(std::string& out, std::string_view field, std::string_view what) {
    if (field.empty()) throw Error("cannot write an empty " + std::string(what) + " in a pedigree row");
    appendField(out, field, '\t', what);
}

// Shortest text that std::from_chars (and strtod) reads back to exactly `value`.
void appendNumber(std::string& out, double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

}  // namespace

void writeFrequencies(std::ostream& out, const FrequencyTable& table) {
    // Rows are the union of every marker's alleles, keyed by canonical label so that `9` at
    // one marker and `09` at another share a row, as they are the same allele to the engine.
    struct Row {
        std::optional<double> number;
        std::string label;
    };
    std::vector<Row> rows;
    std::unordered_map<std::string, std::size_t> rowOf;
    std::vector<std::vector<std::pair<std::size_t, double>>> cells(table.markers.size());
    for (std::size_t m = 0; m < table.markers.size(); ++m) {
        const MarkerFrequencies& marker = table.markers[m];
        for (std::size_t a = 0; a < marker.alleles.size(); ++a) {
            const std::string label = engine::canonicalAllele(marker.alleles[a]);
            const auto [it, added] = rowOf.emplace(label, rows.size());
            if (added) rows.push_back(Row{engine::tryAlleleNumber(label), label});
            cells[m].emplace_back(it->second, marker.frequencies[a]);
        }
    }
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const Row& a = rows[x];
        const Row& b = rows[y];
        if (a.number.has_value() != b.number.has_value()) return a.number.has_value();
        if (a.number && *a.number != *b.number) return *a.number < *b.number;
        return a.label < b.label;
    });
    std::vector<std::size_t> position(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;

    // grid[row * markers + marker]; nullopt = empty cell
    std::vector<std::optional<double>> grid(rows.size() * table.markers.size());
    for (std::size_t m = 0; m < table.markers.size(); ++m)
        for (const auto& [row, frequency] : cells[m]) {
            auto& cell = grid[position[row] * table.markers.size() + m];
            if (cell)
                throw Error("cannot write the frequencies of marker " + table.markers[m].marker + ": allele " +
                            rows[row].label + " is listed twice");
            cell = frequency;
        }

    std::string text = "Allele";
    for (const auto& marker : table.markers) {
        text += ',';
        appendField(text, marker.marker, ',', "marker name");
    }
    text += '\n';
    for (std::size_t i = 0; i < order.size(); ++i) {
        appendField(text, rows[order[i]].label, ',', "allele");
        for (std::size_t m = 0; m < table.markers.size(); ++m) {
            text += ',';
            if (const auto& cell = grid[i * table.markers.size() + m]) appendNumber(text, *cell);
        }
        text += '\n';
    }
    out << text;
}

void appendPedigreeRows(std::string& out, const PedigreeSet& pedigrees) {
    for (const FamilyRecord& family : pedigrees.families) {
        for (const PersonRecord& p : family.persons) {
            appendNonEmpty(out, family.name, "family name");
            out += '\t';
            appendNonEmpty(out, p.id, "person id");
            out += '\t';
            appendNonEmpty(out, p.father, "father");
            out += '\t';
            appendNonEmpty(out, p.mother, "mother");
            out += '\t';
            out += static_cast<char>('0' + static_cast<int>(p.sex));
            out += '\t';
            appendNonEmpty(out, p.sample, "sample name");
            out += p.missing ? "\t1\n" : "\t0\n";
        }
    }
}

void appendProfileRows(std::string& out, const ProfileSet& profiles) {
    auto row = [&](const std::string& sample, std::string_view marker, const AlleleLabels& alleles) {
        if (alleles.empty()) return;
        appendField(out, sample, ',', "sample name");
        out += ',';
        appendField(out, marker, ',', "marker name");
        out += ',';
        appendField(out, alleles.front().view(), ',', "allele");
        out += ',';
        appendField(out, alleles.back().view(), ',', "allele");
        out += '\n';
    };
    for (const Profile& profile : profiles.profiles) {
        for (const MarkerCall& call : profile.markers) row(profile.sampleName, call.marker.view(), call.alleles);
        row(profile.sampleName, "AMEL", profile.amelogenin);
    }
}

void appendTruthRows(std::string& out, const std::vector<engine::TruthRow>& rows) {
    for (const auto& r : rows) {
        appendField(out, r.remains, '\t', "remains name");
        out += '\t';
        appendField(out, r.family, '\t', "family name");
        out += '\t';
        appendField(out, r.missing, '\t', "missing person");
        out += '\n';
    }
}

}  // namespace kinmatch::formats
