// SPDX-License-Identifier: MIT
#include "formats/ReportData.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <unordered_map>

#include <tbb/parallel_for.h>

#include "engine/Errors.hpp"
#include "engine/LrTable.hpp"
#include "formats/Sha256.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

// Column positions found by header name; -1 = the column is absent.
struct ResultColumns {
    int remains = -1, family = -1, missing = -1, log10Lr = -1, rank = -1;
    int loci = -1, inconsistentLoci = -1, posterior = -1, decision = -1;
    // A lineage run's columns: the combined log10_lr's autosomal part and each system's result.
    int autosomalLog10Lr = -1, mtdnaOutcome = -1, mtdnaLog10Lr = -1, ystrOutcome = -1, ystrLog10Lr = -1;
};

ResultColumns decodeHeader(const std::vector<std::string_view>& fields, const std::string& file, std::size_t line) {
    ResultColumns c;
    struct Column {
        const char* name;
        int* slot;
        bool required;
    };
    const Column columns[] = {{"remains", &c.remains, true},   {"family", &c.family, true},
                              {"missing", &c.missing, true},   {"log10_lr", &c.log10Lr, true},
                              {"rank", &c.rank, true},         {"loci", &c.loci, false},
                              {"inconsistent_loci", &c.inconsistentLoci, false},
                              {"posterior", &c.posterior, false}, {"decision", &c.decision, false},
                              {"autosomal_log10_lr", &c.autosomalLog10Lr, false},
                              {"mtdna_outcome", &c.mtdnaOutcome, false}, {"mtdna_log10_lr", &c.mtdnaLog10Lr, false},
                              {"ystr_outcome", &c.ystrOutcome, false}, {"ystr_log10_lr", &c.ystrLog10Lr, false}};
    for (std::size_t i = 0; i < fields.size(); ++i)
        for (const auto& column : columns)
            if (fields[i] == column.name) {
                if (*column.slot >= 0) throw InputError(file, line, std::string("header: column ") + column.name + " appears twice");
                *column.slot = static_cast<int>(i);
            }
    for (const auto& column : columns)
        if (column.required && *column.slot < 0)
            throw InputError(file, line,
                             std::string("header: no column ") + column.name +
                                 " (expected a kinmatch match TSV: remains family missing log10_lr rank ...)");
    return c;
}

double decodeLog10(std::string_view text, const std::string& file, std::size_t line, const char* field = "log10_lr") {
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw InputError(file, line,
                         std::string("field ") + field + ": " + quoted(text) + " is not a number (expected e.g. 3.25 or -inf)");
    return value;
}

// A column a writer may leave empty or "." for a pair it has no value for.
bool given(const std::vector<std::string_view>& fields, int column) {
    return column >= 0 && !fields[column].empty() && fields[column] != ".";
}

int decodeCount(std::string_view text, const char* field, int minimum, const std::string& file, std::size_t line) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < minimum)
        throw InputError(file, line,
                         std::string("field ") + field + ": " + quoted(text) + " is not a whole number of at least " +
                             std::to_string(minimum));
    return value;
}

double decodeProbability(std::string_view text, const std::string& file, std::size_t line) {
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0.0 && value <= 1.0))
        throw InputError(file, line, "field posterior: " + quoted(text) + " is not a probability in [0,1]");
    return value;
}

// The `#` lines `kinmatch match` writes: version first, then `name: value` lines.
void readComment(std::string_view text, ReportData& data) {
    if (text.rfind("kinmatch ", 0) == 0 && data.run.version.empty()) {
        data.run.version = std::string(text);
        return;
    }
    const auto colon = text.find(": ");
    const std::string name(colon == std::string_view::npos ? std::string_view() : text.substr(0, colon));
    const std::string value(colon == std::string_view::npos ? text : text.substr(colon + 2));
    if (name == "command")
        data.run.commandLine = value;
    else if (name == "warning")
        data.runWarnings.push_back(value);
    else if (name != "columns")  // the legend of the columns; the report explains them itself
        data.run.parameters.emplace_back(name, value);
}

std::vector<ReportedPair> readResults(const std::string& path, ReportData& data) {
    auto in = openTextFile(path);
    TextLines lines(in, path);
    FieldSplitter splitter;
    std::optional<ResultColumns> columns;
    std::size_t fieldCount = 0;
    std::vector<ReportedPair> rows;
    while (lines.next()) {
        const std::string_view line = lines.line();
        if (line.empty()) continue;
        if (line.front() == '#') {
            if (!columns) readComment(trim(line.substr(1)), data);
            continue;
        }
        const auto& fields = splitter.split(line, '\t');
        if (!columns) {
            columns = decodeHeader(fields, path, lines.lineNumber());
            fieldCount = fields.size();
            continue;
        }
        if (fields.size() != fieldCount)
            throw InputError(path, lines.lineNumber(),
                             std::to_string(fields.size()) + " fields (expected " + std::to_string(fieldCount) +
                                 " as in the header)");
        const std::size_t n = lines.lineNumber();
        ReportedPair row;
        row.where = lines.pos();
        row.remains = std::string(fields[columns->remains]);
        row.family = std::string(fields[columns->family]);
        row.missing = std::string(fields[columns->missing]);
        auto& c = row.candidate;
        c.log10Lr = decodeLog10(fields[columns->log10Lr], path, n);
        c.rank = decodeCount(fields[columns->rank], "rank", 1, path, n);
        if (columns->loci >= 0) c.loci = decodeCount(fields[columns->loci], "loci", 0, path, n);
        if (columns->inconsistentLoci >= 0)
            c.inconsistentLoci = decodeCount(fields[columns->inconsistentLoci], "inconsistent_loci", 0, path, n);
        // A later writer may leave the posterior empty (".") where it has none for a pair.
        if (given(fields, columns->posterior)) c.posterior = decodeProbability(fields[columns->posterior], path, n);
        if (columns->decision >= 0 && fields[columns->decision] != ".")
            c.decision = std::string(fields[columns->decision]);
        if (given(fields, columns->autosomalLog10Lr))
            c.autosomalLog10Lr = decodeLog10(fields[columns->autosomalLog10Lr], path, n, "autosomal_log10_lr");
        if (given(fields, columns->mtdnaOutcome)) c.mtdna.outcome = std::string(fields[columns->mtdnaOutcome]);
        if (given(fields, columns->mtdnaLog10Lr))
            c.mtdna.log10Lr = decodeLog10(fields[columns->mtdnaLog10Lr], path, n, "mtdna_log10_lr");
        if (given(fields, columns->ystrOutcome)) c.ystr.outcome = std::string(fields[columns->ystrOutcome]);
        if (given(fields, columns->ystrLog10Lr))
            c.ystr.log10Lr = decodeLog10(fields[columns->ystrLog10Lr], path, n, "ystr_log10_lr");
        rows.push_back(std::move(row));
    }
    if (!columns)
        throw InputError(path, 0, "no header line (expected a kinmatch match TSV: remains family missing log10_lr rank ...)");
    return rows;
}

bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

ReportPedigree reportPedigree(const engine::PreparedCase& prepared, const engine::Family& family) {
    ReportPedigree pedigree{family.name, {}};
    for (const auto& p : family.persons) {
        ReportPerson person;
        person.id = p.id;
        person.sex = p.sex;
        if (p.father >= 0) person.father = family.persons[p.father].id;
        if (p.mother >= 0) person.mother = family.persons[p.mother].id;
        if (p.reference >= 0) person.sample = prepared.references[p.reference].name;
        person.missing = p.missing;
        // The pedigree reader rejects these suffixes in lab ids, so they mark its placeholders.
        person.placeholder = endsWith(p.id, "~father") || endsWith(p.id, "~mother");
        pedigree.persons.push_back(std::move(person));
    }
    return pedigree;
}

// The marker rows of every candidate of one family, from the engine's own tables.
void fillFamilyMarkers(const engine::PreparedCase& prepared, int familyIndex,
                       const std::vector<engine::MarkerMatrices>& matrices, bool modelIsNone,
                       const std::vector<std::pair<const engine::Sample*, ReportCandidate*>>& candidates) {
    const auto& family = prepared.families[familyIndex];
    // The run already reported the notes of table building (they are in its header).
    std::vector<std::string> notes;
    const auto tables = engine::buildFamilyTables(prepared, familyIndex, matrices, modelIsNone, notes,
                                                  engine::TableValues::kLog10);
    std::vector<int> relatives;
    for (std::size_t i = 0; i < family.persons.size(); ++i)
        if (family.persons[i].reference >= 0) relatives.push_back(static_cast<int>(i));
    for (const auto& [remains, candidate] : candidates) {
        const auto slot = std::find_if(family.missingPersons.begin(), family.missingPersons.end(),
                                       [&](int p) { return family.persons[p].id == candidate->missing; });
        const std::size_t k = static_cast<std::size_t>(slot - family.missingPersons.begin());
        for (int r : relatives) candidate->relatives.push_back(family.persons[r].id);
        double sum = 0.0;
        for (std::size_t m = 0; m < prepared.markers.size(); ++m) {
            const auto& marker = prepared.markers[m];
            const engine::MarkerTable& table = tables[m][k];
            ReportMarkerRow row;
            row.marker = marker.name;
            const engine::Genotype g = remains->genotypes[m];
            row.remainsGenotype = genotypeText(marker, g);
            bool anyTyped = g.typed();
            for (int r : relatives) {
                const auto& genotype = prepared.references[family.persons[r].reference].genotypes[m];
                anyTyped = anyTyped || genotype.typed();
                row.relativeGenotypes.push_back(genotypeText(marker, genotype));
            }
            if (!anyTyped) continue;
            row.relativeTyped = table.relativeTyped;
            if (g.typed()) {
                const std::size_t index = engine::genotypeIndex(g.allele1, g.allele2);
                row.log10Lr = table.log10Lr[index];
                row.needsMutation = table.relativeTyped && !table.mendelianPossible[index];
                sum += table.log10Lr[index];  // marker order, as the matcher sums
            }
            candidate->markers.push_back(std::move(row));
        }
        candidate->markerSum = sum;
    }
}

void checkCandidate(const std::string& remains, const ReportCandidate& c, std::vector<std::string>& problems) {
    const std::string pair = "remains " + remains + ", " + c.family + "/" + c.missing;
    if (!markerSumAgrees(c)) {
        char buffer[200];
        std::snprintf(buffer, sizeof buffer, ": per-marker log10 LRs sum to %.10g but the results say %.10g%s",
                      c.markerSum, c.autosomalOrReported(), c.autosomalLog10Lr ? " (autosomal part)" : "");
        problems.push_back(pair + buffer);
    }
    int loci = 0;
    int inconsistent = 0;
    for (const auto& row : c.markers) {
        if (!row.log10Lr || !row.relativeTyped) continue;
        ++loci;
        inconsistent += row.needsMutation ? 1 : 0;
    }
    if ((c.loci && *c.loci != loci) || (c.inconsistentLoci && *c.inconsistentLoci != inconsistent))
        problems.push_back(pair + ": loci / inconsistent_loci recomputed as " + std::to_string(loci) + " / " +
                           std::to_string(inconsistent) + ", the results say " +
                           (c.loci ? std::to_string(*c.loci) : "?") + " / " +
                           (c.inconsistentLoci ? std::to_string(*c.inconsistentLoci) : "?"));
}

}  // namespace

bool markerSumAgrees(const ReportCandidate& c) {
    // In a lineage run log10Lr also holds the mtDNA and Y-STR parts, which no marker row shows.
    const double reported = c.autosomalOrReported();
    if (std::isinf(reported) || std::isinf(c.markerSum)) return reported == c.markerSum;
    return std::fabs(reported - c.markerSum) <= 1e-6;
}

std::string genotypeText(const engine::Marker& marker, const engine::Genotype& genotype) {
    if (!genotype.typed()) return {};
    return marker.alleles[genotype.allele1] + "/" + marker.alleles[genotype.allele2];
}

ReportData reportFromResultsTsv(const ResultsTsvSources& sources, const engine::PreparedCase& prepared,
                                const engine::MutationModel& model, const std::vector<std::string>& loadWarnings) {
    ReportData data;
    data.run.reportVersion = sources.reportVersion;
    data.run.reportCommandLine = sources.reportCommandLine;
    data.run.inputs.push_back({"results", sources.results, sha256File(sources.results)});
    for (auto input : sources.inputs) {
        input.sha256 = sha256File(input.path);
        data.run.inputs.push_back(std::move(input));
    }
    std::vector<ReportedPair> rows = readResults(sources.results, data);
    // Reading the inputs warns again about what the run already recorded; only new ones are the report's.
    for (const auto& w : loadWarnings)
        if (std::find(data.runWarnings.begin(), data.runWarnings.end(), w) == data.runWarnings.end())
            data.reportWarnings.push_back(w);
    addCandidates(data, std::move(rows), prepared, model,
                  "the per-marker values were recomputed with the inputs and model flags given to kinmatch report: "
                  "give the same files and model flags as the match run");
    return data;
}

void addCandidates(ReportData& data, std::vector<ReportedPair> rows, const engine::PreparedCase& prepared,
                   const engine::MutationModel& model, const std::string& advice) {

    std::unordered_map<std::string, int> remainsIndex;
    for (std::size_t i = 0; i < prepared.remains.size(); ++i) remainsIndex.emplace(prepared.remains[i].name, static_cast<int>(i));
    std::unordered_map<std::string, int> familyIndex;
    for (std::size_t i = 0; i < prepared.families.size(); ++i) familyIndex.emplace(prepared.families[i].name, static_cast<int>(i));

    // Resolve every row first, so a bad row fails before any table is built.
    std::vector<int> rowFamily(rows.size());
    std::vector<int> rowRemains(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        const auto r = remainsIndex.find(row.remains);
        if (r == remainsIndex.end())
            throw InputError(row.where.file, row.where.line,
                             "field remains: " + quoted(row.remains) + " is not in the remains file given");
        const auto f = familyIndex.find(row.family);
        if (f == familyIndex.end())
            throw InputError(row.where.file, row.where.line,
                             "field family: " + quoted(row.family) + " is not in the pedigree file given");
        const auto& family = prepared.families[f->second];
        const bool isMissing = std::any_of(family.missingPersons.begin(), family.missingPersons.end(),
                                           [&](int p) { return family.persons[p].id == row.missing; });
        if (!isMissing)
            throw InputError(row.where.file, row.where.line,
                             "field missing: " + quoted(row.missing) + " is not a missing person of family " +
                                 quoted(row.family));
        rowRemains[i] = r->second;
        rowFamily[i] = f->second;
    }

    // Every remains gets a page, with or without candidates; names sort as in the results.
    std::vector<int> remainsOrder(prepared.remains.size());
    for (std::size_t i = 0; i < remainsOrder.size(); ++i) remainsOrder[i] = static_cast<int>(i);
    std::sort(remainsOrder.begin(), remainsOrder.end(),
              [&](int a, int b) { return prepared.remains[a].name < prepared.remains[b].name; });
    std::vector<int> slotOfRemains(prepared.remains.size());
    for (std::size_t i = 0; i < remainsOrder.size(); ++i) {
        slotOfRemains[remainsOrder[i]] = static_cast<int>(i);
        data.remains.push_back({prepared.remains[remainsOrder[i]].name, {}});
    }
    std::map<int, std::size_t> pedigreeOfFamily;  // ordered: pedigrees in family order
    for (int f : rowFamily) pedigreeOfFamily.emplace(f, 0);
    for (auto& [family, slot] : pedigreeOfFamily) {
        slot = data.pedigrees.size();
        data.pedigrees.push_back(reportPedigree(prepared, prepared.families[family]));
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ReportCandidate c = std::move(rows[i].candidate);
        c.family = std::move(rows[i].family);
        c.missing = std::move(rows[i].missing);
        c.pedigree = pedigreeOfFamily[rowFamily[i]];
        data.remains[slotOfRemains[rowRemains[i]]].candidates.push_back(std::move(c));
    }
    // Rank order whatever the file order; equal ranks keep the file's order.
    for (auto& r : data.remains)
        std::stable_sort(r.candidates.begin(), r.candidates.end(),
                         [](const ReportCandidate& a, const ReportCandidate& b) { return a.rank < b.rank; });

    // Candidates are now in place (no more reallocation), so they can be filled by family.
    std::map<int, std::vector<std::pair<const engine::Sample*, ReportCandidate*>>> byFamily;
    for (std::size_t s = 0; s < data.remains.size(); ++s)
        for (auto& c : data.remains[s].candidates)
            byFamily[familyIndex.at(c.family)].emplace_back(&prepared.remains[remainsOrder[s]], &c);
    const auto matrices = engine::buildMarkerMatrices(prepared.markers, model);
    std::vector<std::pair<int, std::vector<std::pair<const engine::Sample*, ReportCandidate*>>*>> work;
    for (auto& [family, list] : byFamily) work.emplace_back(family, &list);
    std::vector<std::exception_ptr> errors(work.size());
    tbb::parallel_for(std::size_t{0}, work.size(), [&](std::size_t i) {
        try {
            fillFamilyMarkers(prepared, work[i].first, matrices, model.isNone(), *work[i].second);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    // The first failing family in family order, whatever the scheduling.
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);

    std::vector<std::string> problems;
    for (const auto& r : data.remains)
        for (const auto& c : r.candidates) checkCandidate(r.id, c, problems);
    // A wrong model flag breaks every pair; the first few name the pattern, the count the extent.
    constexpr std::size_t kListed = 20;
    for (std::size_t i = 0; i < problems.size() && i < kListed; ++i) data.reportWarnings.push_back(problems[i]);
    if (problems.size() > kListed)
        data.reportWarnings.push_back("... and " + std::to_string(problems.size() - kListed) +
                                      " more pairs whose recomputed per-marker values disagree with the results");
    if (!problems.empty())
        data.reportWarnings.push_back("the recomputed per-marker values disagree with the results for " +
                                      std::to_string(problems.size()) + " pairs; " + advice);
}

}  // namespace kinmatch::formats
