// SPDX-License-Identifier: MIT
// BM_BuildTables: the LR tables of every (family, missing person, marker) of a synthetic case,
// built by engine::buildAllTables (TBB inside). Reported as families per second.
// BM_BuildTablesSerial: the same work on one thread through engine::buildFamilyTables (as
// buildAllTables and the screening path call it), so the cost per family does not depend on
// how busy the machine's other core is. The `*_ratio` variants store the LR itself
// (TableValues::kRatio, the screening path) instead of its log10.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/SyntheticCase.hpp"
#include "engine/LrTable.hpp"
#include "engine/Matcher.hpp"

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

}  // namespace

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
