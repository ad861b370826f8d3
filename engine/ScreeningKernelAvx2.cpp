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

void quantiseRatiosAvx2(const double* ratios, std::size_t count, double scale, std::int16_t* out,
                        std::size_t outStride) noexcept {
    // The operations of seriesLog10 and quantiseRatio (ScreeningKernel.cpp) in the same order,
    // four lanes at a time, without FMA: every lane gives the bits the scalar code gives.
    const __m256i mantissaMask = _mm256_set1_epi64x(0x000fffffffffffffLL);
    const __m256i oneBits = _mm256_set1_epi64x(0x3ff0000000000000LL);
    const __m256i twoPow52Bits = _mm256_set1_epi64x(0x4330000000000000LL);
    const __m256i zero = _mm256_setzero_si256();
    const __m256i largestField = _mm256_set1_epi64x(0x7fe);
    const __m256d twoPow52 = _mm256_set1_pd(4503599627370496.0);
    const __m256d bias = _mm256_set1_pd(1023.0);
    const __m256d one = _mm256_set1_pd(1.0);
    const __m256d half = _mm256_set1_pd(0.5);
    const __m256d two = _mm256_set1_pd(2.0);
    const __m256d sqrt2 = _mm256_set1_pd(1.4142135623730951);
    const __m256d c3 = _mm256_set1_pd(1.0 / 3), c5 = _mm256_set1_pd(1.0 / 5), c7 = _mm256_set1_pd(1.0 / 7),
                  c9 = _mm256_set1_pd(1.0 / 9), c11 = _mm256_set1_pd(1.0 / 11);
    const __m256d ln2 = _mm256_set1_pd(0.6931471805599453);
    const __m256d log10e = _mm256_set1_pd(0.4342944819032518);
    const __m256d vscale = _mm256_set1_pd(scale);
    const __m256d roundMagic = _mm256_set1_pd(6755399441055744.0);  // 1.5 * 2^52
    const __m256d upper = _mm256_set1_pd(32767.0), lower = _mm256_set1_pd(-32767.0);
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        const __m256d x = _mm256_loadu_pd(ratios + i);
        const __m256i bits = _mm256_castpd_si256(x);
        const __m256i field = _mm256_srli_epi64(bits, 52);  // sign bit included
        // Positive, normal and finite in every lane: 0 < field <= 0x7fe.
        const __m256i bad = _mm256_or_si256(_mm256_cmpeq_epi64(field, zero), _mm256_cmpgt_epi64(field, largestField));
        if (!_mm256_testz_si256(bad, bad)) {
            for (std::size_t k = i; k < i + 4; ++k) out[k * outStride] = quantiseRatio(ratios[k], scale);
            continue;
        }
        __m256d mantissa = _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, mantissaMask), oneBits));
        const __m256d big = _mm256_cmp_pd(mantissa, sqrt2, _CMP_GT_OQ);
        mantissa = _mm256_blendv_pd(mantissa, _mm256_mul_pd(mantissa, half), big);
        const __m256d fieldAsDouble = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(field, twoPow52Bits)), twoPow52);
        const __m256d exponent = _mm256_add_pd(_mm256_sub_pd(fieldAsDouble, bias), _mm256_and_pd(big, one));
        const __m256d t = _mm256_div_pd(_mm256_sub_pd(mantissa, one), _mm256_add_pd(mantissa, one));
        const __m256d t2 = _mm256_mul_pd(t, t);
        __m256d poly = _mm256_add_pd(c9, _mm256_mul_pd(t2, c11));
        poly = _mm256_add_pd(c7, _mm256_mul_pd(t2, poly));
        poly = _mm256_add_pd(c5, _mm256_mul_pd(t2, poly));
        poly = _mm256_add_pd(c3, _mm256_mul_pd(t2, poly));
        poly = _mm256_add_pd(one, _mm256_mul_pd(t2, poly));
        const __m256d atanh = _mm256_mul_pd(t, poly);
        const __m256d log10 = _mm256_mul_pd(_mm256_add_pd(_mm256_mul_pd(two, atanh), _mm256_mul_pd(exponent, ln2)), log10e);
        const __m256d units = _mm256_mul_pd(log10, vscale);
        const __m256d rounded = _mm256_sub_pd(_mm256_add_pd(units, roundMagic), roundMagic);
        const __m256d clamped = _mm256_max_pd(_mm256_min_pd(rounded, upper), lower);
        alignas(16) std::int32_t values[4];
        _mm_store_si128(reinterpret_cast<__m128i*>(values), _mm256_cvttpd_epi32(clamped));
        for (std::size_t k = 0; k < 4; ++k) out[(i + k) * outStride] = static_cast<std::int16_t>(values[k]);
    }
    for (; i < count; ++i) out[i * outStride] = quantiseRatio(ratios[i], scale);
}

}  // namespace kinmatch::engine::detail
