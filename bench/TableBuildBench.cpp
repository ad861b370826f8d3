// SPDX-License-Identifier: MIT
// BM_BuildTables: the LR tables of every (family, missing person, marker) of a synthetic case,
// built by engine::buildAllTables (TBB inside). Reported as families per second.
// BM_BuildTablesSerial: the same work on one thread through engine::buildFamilyTables (as
// buildAllTables and the screening path call it), so the cost per family does not depend on
// how busy the machine's other core is. The `*_ratio` variants store the LR itself
// (TableValues::kRatio, the screening path) instead of its log10.
// BM_BuildBlocks: the screening path's table building (engine::buildFamilyBlocks) on one
// thread, through a table cache of 512 MiB (`cached`) or none (`uncached`), a fresh cache per
// iteration as in a run, on the families `kinmatch simulate` makes for scripts/bench-scale
// (17 shapes, first 21 norSTR East Asian markers, equal model at 0.001). Counter `hit_rate` =
// the share of (family, marker) lookups served from the cache; it grows with the number of
// families (more of them share genotypes).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/SyntheticCase.hpp"
#include "engine/LrTable.hpp"
#include "engine/Matcher.hpp"
#include "engine/Simulation.hpp"
#include "formats/FrequencyReader.hpp"
#include "engine/ScreeningKernel.hpp"
#include "engine/TableCache.hpp"

namespace kinmatch::bench {

namespace {

engine::MutationModel modelOf(engine::MutationModelKind kind) {
    // 0.005: the order of a typical STR per-meiosis mutation rate.
    const engine::MutationParameters params{kind, kind == engine::MutationModelKind::kNone ? 0.0 : 0.005, 0.0, 0.5};
    return engine::MutationModel{params, params};
}

void BM_BuildTables(benchmark::State& state, engine::MutationModelKind kind) {
    const int families = static_cast<int>(state.range(0));
    const engine::PreparedCase prepared = makeSyntheticCase({.families = families});
    const engine::MutationModel model = modelOf(kind);
    for (auto _ : state) {
        std::vector<std::string> warnings;
        auto tables = engine::buildAllTables(prepared, model, warnings);
        benchmark::DoNotOptimize(tables.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * families);  // items/s = families/s
    state.counters["markers"] = static_cast<double>(prepared.markers.size());
}

void BM_BuildTablesSerial(benchmark::State& state, engine::MutationModelKind kind,
                          engine::TableValues values = engine::TableValues::kLog10) {
    const int families = static_cast<int>(state.range(0));
    const engine::PreparedCase prepared = makeSyntheticCase({.families = families});
    const engine::MutationModel model = modelOf(kind);
    const auto matrices = engine::buildMarkerMatrices(prepared.markers, model);
    for (auto _ : state) {
        std::vector<std::string> notes;
        for (int f = 0; f < families; ++f) {
            auto tables = engine::buildFamilyTables(prepared, f, matrices, model.isNone(), notes, values);
            benchmark::DoNotOptimize(tables.data());
        }
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * families);  // items/s = families/s
    state.counters["markers"] = static_cast<double>(prepared.markers.size());
}

// The case scripts/bench-scale runs, `families` families of it (no remains).
engine::PreparedCase simulatedCase(std::size_t families, const engine::MutationModel& model) {
    Warnings warnings;
    const FrequencyTable table = formats::readFrequencyFile(KINMATCH_BENCH_FREQUENCIES, warnings);
    engine::SimulationOptions options;
    options.families = families;
    options.remains = 0;
    options.markers = 21;
    options.seed = 1;
    const engine::Simulation simulation(table, model, options);
    return engine::prepareCase(simulation.frequencies(), simulation.references(0, families),
                               simulation.pedigrees(0, families), ProfileSet{}, engine::PrepareOptions{}, warnings);
}

void BM_BuildBlocks(benchmark::State& state, std::size_t cacheBytes) {
    const int families = static_cast<int>(state.range(0));
    const engine::MutationParameters rate{engine::MutationModelKind::kEqual, 0.001, 0.0, 0.5};
    const engine::MutationModel model{rate, rate};
    const engine::PreparedCase prepared = simulatedCase(static_cast<std::size_t>(families), model);
    const auto matrices = engine::buildMarkerMatrices(prepared.markers, model);
    const double scale = engine::screeningScale(prepared.markers);
    engine::TableCacheStats stats;
    for (auto _ : state) {
        engine::TableCache cache(cacheBytes, scale);
        std::vector<std::string> notes;
        std::vector<const engine::TableBlock*> blocks;
        std::vector<engine::TableBlock::Owned> owned;
        for (int f = 0; f < families; ++f) {
            engine::buildFamilyBlocks(prepared, f, matrices, model.isNone(), notes, cache, blocks, owned);
            benchmark::DoNotOptimize(blocks.data());
        }
        stats = cache.stats();
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * families);  // items/s = families/s
    state.counters["hit_rate"] =
        stats.lookups ? static_cast<double>(stats.hits) / static_cast<double>(stats.lookups) : 0.0;
    state.counters["cache_MB"] = static_cast<double>(stats.bytes) / (1 << 20);
}

}  // namespace

BENCHMARK_CAPTURE(BM_BuildBlocks, cached, engine::TableCache::kDefaultMaxBytes)
    ->ArgName("families")
    ->Arg(2000)
    ->Arg(20000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BuildBlocks, uncached, std::size_t{0})
    ->ArgName("families")
    ->Arg(2000)
    ->Arg(20000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BuildTablesSerial, none, engine::MutationModelKind::kNone)
    ->ArgName("families")
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BuildTablesSerial, equal, engine::MutationModelKind::kEqual)
    ->ArgName("families")
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BuildTablesSerial, equal_ratio, engine::MutationModelKind::kEqual, engine::TableValues::kRatio)
    ->ArgName("families")
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BuildTables, none, engine::MutationModelKind::kNone)
    ->ArgName("families")
    ->Arg(64)
    ->Arg(256)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BuildTables, equal, engine::MutationModelKind::kEqual)
    ->ArgName("families")
    ->Arg(64)
    ->Arg(256)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace kinmatch::bench
