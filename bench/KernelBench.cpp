// SPDX-License-Identifier: MIT
// The int16 screening kernel alone: one tile of W missing persons (21 markers, 10-25 alleles
// each, as in casework kits) against 8192 remains, with cuts that no pair reaches, so the
// time is the sums and the threshold tests only.
//   BM_ScreenTile/<width>/<path>   path 0 = portable, 1 = AVX2
// items/s = (remains x missing persons) pairs per second; ->Threads(2) gives both cores
// (each thread its own tile and remains, as the pipeline's remains blocks do).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "engine/ScreeningKernel.hpp"

namespace kinmatch::bench {

namespace {

struct KernelInput {
    std::vector<std::int16_t> storage;
    std::int16_t* rows = nullptr;
    std::vector<std::uint32_t> remainsRows;
    std::vector<std::int16_t> cutRemains;
    std::vector<std::int16_t> cutLanes;
    std::size_t markers = 21;
    std::size_t remains = 8192;
};

KernelInput makeInput(int width, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    KernelInput in;
    std::vector<std::uint32_t> start;
    std::uint32_t rowCount = 0;
    std::vector<std::uint32_t> genotypes;
    for (std::size_t m = 0; m < in.markers; ++m) {
        const auto alleles = std::uniform_int_distribution<std::uint32_t>(10, 25)(rng);
        start.push_back(rowCount);
        genotypes.push_back(alleles * (alleles + 1) / 2);
        rowCount += genotypes.back();
    }
    in.storage.resize(static_cast<std::size_t>(rowCount + 1) * width + 32);
    in.rows = reinterpret_cast<std::int16_t*>((reinterpret_cast<std::uintptr_t>(in.storage.data()) + 63) / 64 * 64);
    std::uniform_int_distribution<int> value(-1500, 900);
    for (std::size_t i = 0; i < static_cast<std::size_t>(rowCount) * width; ++i)
        in.rows[i] = static_cast<std::int16_t>(value(rng));
    in.remainsRows.resize(in.remains * in.markers);
    for (std::size_t r = 0; r < in.remains; ++r)
        for (std::size_t m = 0; m < in.markers; ++m)
            in.remainsRows[r * in.markers + m] =
                start[m] + std::uniform_int_distribution<std::uint32_t>(0, genotypes[m] - 1)(rng);
    in.cutRemains.assign(in.remains, 32000);
    in.cutLanes.assign(static_cast<std::size_t>(width), 32000);
    return in;
}

void BM_ScreenTile(benchmark::State& state) {
    const int width = static_cast<int>(state.range(0));
    const auto path = state.range(1) == 1 ? engine::KernelPath::kAvx2 : engine::KernelPath::kPortable;
    if (path == engine::KernelPath::kAvx2 && !engine::avx2Available()) {
        state.SkipWithError("no AVX2 on this CPU");
        return;
    }
    const KernelInput in = makeInput(width, 1234 + static_cast<std::uint64_t>(state.thread_index()));
    std::vector<engine::TileHit> hits(in.remains * static_cast<std::size_t>(width));
    std::size_t found = 0;
    for (auto _ : state) {
        found += engine::screenTile(path, width, in.rows, in.remainsRows.data(), in.markers, in.remains,
                                    in.cutRemains.data(), in.cutLanes.data(), hits.data());
        benchmark::ClobberMemory();
    }
    if (found != 0) state.SkipWithError("a pair reached an unreachable cut");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(in.remains) * width);
}

BENCHMARK(BM_ScreenTile)
    ->ArgNames({"width", "avx2"})
    ->ArgsProduct({{16, 32, 64}, {0, 1}})
    ->UseRealTime();
BENCHMARK(BM_ScreenTile)->ArgNames({"width", "avx2"})->Args({32, 1})->Threads(2)->UseRealTime();

}  // namespace

}  // namespace kinmatch::bench
