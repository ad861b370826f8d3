// SPDX-License-Identifier: MIT
#include "formats/ReportLineage.hpp"

#include <tbb/parallel_for.h>

#include <cmath>
#include <string>
#include <unordered_map>

#include "formats/MatchTsvWriter.hpp"

namespace kinmatch::formats {

namespace {

ReportLineageComparison comparisonOf(const char* system, const engine::lineage::SystemEvidence& evidence,
                                     const engine::Family& family, const engine::PreparedCase& prepared) {
    ReportLineageComparison c;
    c.system = system;
    c.outcome = std::string(evidence.outcome);
    c.log10Lr = evidence.log10Lr;
    c.relative = evidence.reference;
    for (const auto& person : family.persons)
        if (person.reference >= 0 && prepared.references[static_cast<std::size_t>(person.reference)].name == c.relative)
            c.relativeId = person.id;
    c.meioses = evidence.meioses;
    c.differences = evidence.differences;
    c.compared = evidence.compared;
    c.differing = evidence.differing;
    return c;
}

bool sameLog10(double a, double b) { return std::isinf(a) || std::isinf(b) ? a == b : std::fabs(a - b) <= 1e-6; }

}  // namespace

void addLineageComparisons(ReportData& data, const engine::PreparedCase& prepared,
                           const engine::lineage::LineageEvidence& evidence) {
    std::unordered_map<std::string, int> remainsIndex, familyIndex;
    for (std::size_t r = 0; r < prepared.remains.size(); ++r) remainsIndex.emplace(prepared.remains[r].name, static_cast<int>(r));
    for (std::size_t f = 0; f < prepared.families.size(); ++f) familyIndex.emplace(prepared.families[f].name, static_cast<int>(f));
    std::vector<std::vector<std::string>> notes(data.remains.size());
    tbb::parallel_for(std::size_t{0}, data.remains.size(), [&](std::size_t i) {
        ReportRemains& remains = data.remains[i];
        const int r = remainsIndex.at(remains.id);
        for (ReportCandidate& c : remains.candidates) {
            const int f = familyIndex.at(c.family);
            const engine::Family& family = prepared.families[static_cast<std::size_t>(f)];
            int person = -1;
            for (std::size_t p = 0; p < family.persons.size(); ++p)
                if (family.persons[p].id == c.missing) person = static_cast<int>(p);
            const engine::lineage::PairLineage pair = evidence.evaluate(r, f, person);
            c.lineageComparisons.clear();
            const auto add = [&](const char* system, const engine::lineage::SystemEvidence& e,
                                 const ReportSystemResult& reported) {
                c.lineageComparisons.push_back(comparisonOf(system, e, family, prepared));
                if (reported.log10Lr && !sameLog10(*reported.log10Lr, e.log10Lr))
                    notes[i].push_back(remains.id + " / " + c.family + " / " + c.missing + ": the reported " + system +
                                       " log10 LR " + MatchTsvWriter::formatLog10(*reported.log10Lr) +
                                       " differs from the recomputed " + MatchTsvWriter::formatLog10(e.log10Lr));
            };
            if (pair.mtdna) add("mtDNA", *pair.mtdna, c.mtdna);
            if (pair.ystr) add("Y-STR", *pair.ystr, c.ystr);
        }
    });
    std::size_t total = 0;
    constexpr std::size_t kListed = 20;
    for (const auto& list : notes)
        for (const auto& note : list)
            if (total++ < kListed) data.reportWarnings.push_back(note);
    if (total > kListed)
        data.reportWarnings.push_back("... and " + std::to_string(total - kListed) +
                                      " more pairs whose lineage log10 LRs differ from the recomputed ones");
    if (total > 0)
        data.reportWarnings.push_back("lineage LRs that differ from the run's mean the report was made with other "
                                      "lineage files or options than the run");
}

}  // namespace kinmatch::formats
