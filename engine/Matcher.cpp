// SPDX-License-Identifier: MIT
#include "engine/Matcher.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

#include <tbb/parallel_for.h>

namespace kinmatch::engine {

namespace {

// Reports progress from parallel loops: whichever thread gets the lock reports, others skip.
class ProgressReporter {
public:
    ProgressReporter(const ProgressCallback& callback, const char* stage, std::size_t total)
        : callback_(callback), stage_(stage), total_(total) {}
    void advance(std::size_t amount) {
        const std::size_t done = done_.fetch_add(amount) + amount;
        if (!callback_) return;
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (lock.owns_lock()) callback_(stage_, done, total_);
    }

private:
    const ProgressCallback& callback_;
    const char* stage_;
    std::size_t total_;
    std::atomic<std::size_t> done_{0};
    std::mutex mutex_;
};

// Runs body(i) for i in [0, count) in parallel; if any throw, rethrows the exception of the
// lowest i, so the error a user sees does not depend on scheduling.
template <typename Body>
void parallelForFirstError(std::size_t count, Body&& body) {
    std::vector<std::exception_ptr> errors(count);
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
        try {
            body(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

bool betterCandidate(const PreparedCase& prepared, const Candidate& a, const Candidate& b) {
    if (a.log10Lr != b.log10Lr) return a.log10Lr > b.log10Lr;
    const auto& fa = prepared.families[a.family];
    const auto& fb = prepared.families[b.family];
    if (fa.name != fb.name) return fa.name < fb.name;
    return fa.persons[a.missingPerson].id < fb.persons[b.missingPerson].id;
}

}  // namespace

std::vector<MissingPersonTables> buildAllTables(const PreparedCase& prepared, const MutationModel& model,
                                                std::vector<std::string>& warnings, const ProgressCallback& progress) {
    const std::vector<MarkerMatrices> matrices = buildMarkerMatrices(prepared.markers, model);
    const std::size_t markerCount = prepared.markers.size();
    const std::size_t familyCount = prepared.families.size();

    std::vector<std::size_t> firstTable(familyCount + 1, 0);
    for (std::size_t f = 0; f < familyCount; ++f)
        firstTable[f + 1] = firstTable[f] + prepared.families[f].missingPersons.size();
    std::vector<MissingPersonTables> tables(firstTable.back());
    for (std::size_t f = 0; f < familyCount; ++f)
        for (std::size_t k = 0; k < prepared.families[f].missingPersons.size(); ++k) {
            auto& t = tables[firstTable[f] + k];
            t.family = static_cast<int>(f);
            t.person = prepared.families[f].missingPersons[k];
            t.markers.resize(markerCount);
        }

    std::vector<std::vector<std::string>> notes(familyCount * markerCount);
    ProgressReporter reporter(progress, "tables", familyCount * markerCount);
    parallelForFirstError(familyCount * markerCount, [&](std::size_t task) {
        const std::size_t f = task / markerCount;
        const std::size_t m = task % markerCount;
        auto built = buildMarkerTables(prepared, static_cast<int>(f), static_cast<int>(m), matrices[m], model.isNone(),
                                       notes[task]);
        for (std::size_t k = 0; k < built.size(); ++k) tables[firstTable[f] + k].markers[m] = std::move(built[k]);
        reporter.advance(1);
    });
    for (auto& n : notes)
        for (auto& s : n) warnings.push_back(std::move(s));
    return tables;
}

std::vector<Candidate> scoreCandidates(const PreparedCase& prepared, const std::vector<MissingPersonTables>& tables,
                                       const MatchOptions& options) {
    const std::size_t remainsCount = prepared.remains.size();
    std::vector<std::vector<Candidate>> perRemains(remainsCount);
    ProgressReporter reporter(options.progress, "pairs", remainsCount * tables.size());
    tbb::parallel_for(std::size_t{0}, remainsCount, [&](std::size_t r) {
        const Sample& remains = prepared.remains[r];
        std::vector<Candidate>& candidates = perRemains[r];
        candidates.reserve(tables.size());
        for (const auto& t : tables) {
            Candidate c{static_cast<int>(r), t.family, t.person, 0.0, 0, 0, 0};
            // Fixed marker order: the sum is bit-identical whatever the thread count.
            for (std::size_t m = 0; m < t.markers.size(); ++m) {
                const Genotype g = remains.genotypes[m];
                const MarkerTable& table = t.markers[m];
                if (!g.typed()) continue;
                const std::size_t index = genotypeIndex(g.allele1, g.allele2);
                c.log10Lr += table.log10Lr[index];
                if (!table.relativeTyped) continue;
                ++c.loci;
                c.inconsistentLoci += table.mendelianPossible[index] ? 0 : 1;
            }
            candidates.push_back(c);
        }
        std::sort(candidates.begin(), candidates.end(),
                  [&](const Candidate& a, const Candidate& b) { return betterCandidate(prepared, a, b); });
        for (std::size_t i = 0; i < candidates.size(); ++i)
            candidates[i].rank = i > 0 && candidates[i].log10Lr == candidates[i - 1].log10Lr
                                     ? candidates[i - 1].rank
                                     : static_cast<int>(i) + 1;
        if (!options.all && candidates.size() > options.top) candidates.resize(options.top);
        reporter.advance(tables.size());
    });

    std::vector<std::size_t> order(remainsCount);
    for (std::size_t i = 0; i < remainsCount; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return prepared.remains[a].name < prepared.remains[b].name; });
    std::vector<Candidate> candidates;
    for (std::size_t r : order) candidates.insert(candidates.end(), perRemains[r].begin(), perRemains[r].end());
    return candidates;
}

MatchResult matchCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options) {
    MatchResult result;
    const std::vector<MissingPersonTables> tables = buildAllTables(prepared, model, result.warnings, options.progress);
    result.candidates = scoreCandidates(prepared, tables, options);
    result.pairsScored = prepared.remains.size() * tables.size();
    return result;
}

}  // namespace kinmatch::engine
