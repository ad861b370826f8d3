// SPDX-License-Identifier: MIT
// Pair scoring of R remains against the missing persons of F families (one each here).
//   BM_ScorePairs                  engine::matchCase end to end: tables + scoring + top 10.
//   BM_ScorePairsPrebuiltTables    scoring only: the tables are built once before the loop and
//                                  the loop runs engine::scoreCandidates, matchCase's own stage.
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

void BM_ScorePairsPrebuiltTables(benchmark::State& state) {
    const int remains = static_cast<int>(state.range(0));
    const int families = static_cast<int>(state.range(1));
    const PreparedCase prepared = makeSyntheticCase({.families = families, .remains = remains});
    std::vector<std::string> warnings;
    const std::vector<MissingPersonTables> tables = engine::buildAllTables(prepared, engine::MutationModel{}, warnings);

    engine::MatchOptions options;
    options.top = 10;

    for (auto _ : state) {
        auto candidates = engine::scoreCandidates(prepared, tables, options);
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
