// SPDX-License-Identifier: MIT
// Compiled with -mavx2 (engine/CMakeLists.txt) and called only after a CPU check. Uses raw
// pointers and intrinsics only: an inline library function instantiated here would be
// compiled for AVX2 and could be the copy the linker keeps for the whole program.
#include <immintrin.h>

#include "engine/ScreeningKernel.hpp"

namespace kinmatch::engine::detail {

namespace {

// W lanes = W/16 ymm accumulators. The row for a marker is W contiguous int16 (W*2 bytes,
// one or more whole cache lines for W >= 32).
template <int W>
std::size_t screen(const std::int16_t* rows, const std::uint32_t* remainsRows, std::size_t markerCount,
                   std::size_t remainsCount, const std::int16_t* cutRemains, const std::int16_t* cutLanes,
                   TileHit* hits) {
    constexpr int kVectors = W / 16;
    __m256i laneCut[kVectors];
    for (int v = 0; v < kVectors; ++v)
        laneCut[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cutLanes + 16 * v));
    std::size_t hitCount = 0;
    for (std::size_t r = 0; r < remainsCount; ++r) {
        __m256i sum[kVectors];
        for (int v = 0; v < kVectors; ++v) sum[v] = _mm256_setzero_si256();
        const std::uint32_t* rowIndex = remainsRows + r * markerCount;
        for (std::size_t m = 0; m < markerCount; ++m) {
            const auto* row = reinterpret_cast<const __m256i*>(rows + static_cast<std::size_t>(rowIndex[m]) * W);
            for (int v = 0; v < kVectors; ++v) sum[v] = _mm256_adds_epi16(sum[v], _mm256_load_si256(row + v));
        }
        // sum >= min(cutRemains, cutLane)  <=>  !(min > sum)
        const __m256i remainsCut = _mm256_set1_epi16(cutRemains[r]);
        unsigned below[kVectors];  // two bits per lane: movemask works on bytes
        bool anyHit = false;
        for (int v = 0; v < kVectors; ++v) {
            const __m256i cut = _mm256_min_epi16(remainsCut, laneCut[v]);
            below[v] = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpgt_epi16(cut, sum[v])));
            anyHit |= below[v] != 0xFFFFFFFFu;
        }
        if (!anyHit) continue;
        alignas(32) std::int16_t lanes[W];
        for (int v = 0; v < kVectors; ++v) _mm256_store_si256(reinterpret_cast<__m256i*>(lanes + 16 * v), sum[v]);
        for (int lane = 0; lane < W; ++lane)
            if (((below[lane / 16] >> (2 * (lane % 16))) & 1u) == 0)
                hits[hitCount++] = TileHit{static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(lane), lanes[lane]};
    }
    return hitCount;
}

}  // namespace

std::size_t screenTileAvx2(int width, const std::int16_t* rows, const std::uint32_t* remainsRows,
                           std::size_t markerCount, std::size_t remainsCount, const std::int16_t* cutRemains,
                           const std::int16_t* cutLanes, TileHit* hits) {
    if (width == 16) return screen<16>(rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
    if (width == 32) return screen<32>(rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
    return screen<64>(rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
}

}  // namespace kinmatch::engine::detail
