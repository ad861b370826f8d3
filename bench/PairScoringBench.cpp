// SPDX-License-Identifier: MIT
// Pair scoring of R remains against the missing persons of F families (one each here).
//   BM_ScorePairs                  engine::matchCase end to end: tables + scoring + top 10.
//   BM_ScorePairsPrebuiltTables    scoring only: the tables are built once before the loop and
//                                  the loop runs a local copy of matchCase's scoring stage.
// Both report items/s = (remains x missing persons) pairs per second.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <tbb/parallel_for.h>

#include "bench/SyntheticCase.hpp"
#include "engine/Matcher.hpp"

namespace kinmatch::bench {

namespace {

using engine::Candidate;
using engine::MissingPersonTables;
using engine::PreparedCase;

std::size_t missingPersonCount(const PreparedCase& prepared) {
    std::size_t count = 0;
    for (const auto& f : prepared.families) count += f.missingPersons.size();
    return count;
}

void BM_ScorePairs(benchmark::State& state) {
    const int remains = static_cast<int>(state.range(0));
    const int families = static_cast<int>(state.range(1));
    const PreparedCase prepared = makeSyntheticCase({.families = families, .remains = remains});
    const engine::MutationModel model{};  // none
    engine::MatchOptions options;
    options.top = 10;
    for (auto _ : state) {
        auto result = engine::matchCase(prepared, model, options);
        benchmark::DoNotOptimize(result.candidates.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(remains) *
                            static_cast<std::int64_t>(missingPersonCount(prepared)));  // pairs/s
}

// --- A copy of the scoring stage of engine/Matcher.cpp (matchCase after buildAllTables). ---
// Keep it identical in logic to Matcher.cpp, so that BM_ScorePairsPrebuiltTables times what
// matchCase spends on pairs: a sequential sum over markers per pair, a full sort of each
// remains' candidates, ranks with ties, the top-K cut and the ordering by remains name.
// (Progress reporting is left out; with an empty callback it is one atomic add per remains.)

bool betterCandidate(const PreparedCase& prepared, const Candidate& a, const Candidate& b) {
    if (a.log10Lr != b.log10Lr) return a.log10Lr > b.log10Lr;
    const auto& fa = prepared.families[a.family];
    const auto& fb = prepared.families[b.family];
    if (fa.name != fb.name) return fa.name < fb.name;
    return fa.persons[a.missingPerson].id < fb.persons[b.missingPerson].id;
}

std::vector<Candidate> scoreLikeMatchCase(const PreparedCase& prepared, const std::vector<MissingPersonTables>& tables,
                                          std::size_t top) {
    const std::size_t remainsCount = prepared.remains.size();
    std::vector<std::vector<Candidate>> perRemains(remainsCount);
    tbb::parallel_for(std::size_t{0}, remainsCount, [&](std::size_t r) {
        const engine::Sample& remains = prepared.remains[r];
        std::vector<Candidate>& candidates = perRemains[r];
        candidates.reserve(tables.size());
        for (const auto& t : tables) {
            Candidate c{static_cast<int>(r), t.family, t.person, 0.0, 0, 0, 0};
            for (std::size_t m = 0; m < t.markers.size(); ++m) {
                const engine::Genotype g = remains.genotypes[m];
                const engine::MarkerTable& table = t.markers[m];
                if (!g.typed()) continue;
                const std::size_t index = engine::genotypeIndex(g.allele1, g.allele2);
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
        if (candidates.size() > top) candidates.resize(top);
    });

    std::vector<std::size_t> order(remainsCount);
    for (std::size_t i = 0; i < remainsCount; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return prepared.remains[a].name < prepared.remains[b].name; });
    std::vector<Candidate> out;
    for (std::size_t r : order) out.insert(out.end(), perRemains[r].begin(), perRemains[r].end());
    return out;
}

void BM_ScorePairsPrebuiltTables(benchmark::State& state) {
    const int remains = static_cast<int>(state.range(0));
    const int families = static_cast<int>(state.range(1));
    const PreparedCase prepared = makeSyntheticCase({.families = families, .remains = remains});
    std::vector<std::string> warnings;
    const std::vector<MissingPersonTables> tables = engine::buildAllTables(prepared, engine::MutationModel{}, warnings);

    // The copy must agree with the engine, or the figure would time something else.
    engine::MatchOptions options;
    options.top = 10;
    const auto expected = engine::matchCase(prepared, engine::MutationModel{}, options).candidates;
    const auto actual = scoreLikeMatchCase(prepared, tables, options.top);
    const bool same = std::equal(expected.begin(), expected.end(), actual.begin(), actual.end(),
                                 [](const Candidate& a, const Candidate& b) {
                                     return a.remains == b.remains && a.family == b.family &&
                                            a.missingPerson == b.missingPerson && a.log10Lr == b.log10Lr &&
                                            a.rank == b.rank && a.loci == b.loci &&
                                            a.inconsistentLoci == b.inconsistentLoci;
                                 });
    if (!same) {
        state.SkipWithError("local scoring loop disagrees with engine::matchCase");
        return;
    }

    for (auto _ : state) {
        auto candidates = scoreLikeMatchCase(prepared, tables, options.top);
        benchmark::DoNotOptimize(candidates.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(remains) *
                            static_cast<std::int64_t>(tables.size()));  // pairs/s
}

}  // namespace

BENCHMARK(BM_ScorePairs)
    ->ArgNames({"remains", "families"})
    ->Args({1024, 64})
    ->Args({1024, 256})
    ->Args({4096, 256})
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScorePairsPrebuiltTables)
    ->ArgNames({"remains", "families"})
    ->Args({1024, 64})
    ->Args({1024, 256})
    ->Args({4096, 256})
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace kinmatch::bench
