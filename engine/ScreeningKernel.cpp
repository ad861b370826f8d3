// SPDX-License-Identifier: MIT
#include "engine/ScreeningKernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/Errors.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kinmatch::engine {

bool avx2Available() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

KernelPath resolveKernelPath(KernelPath requested) {
    if (requested == KernelPath::kAuto) return avx2Available() ? KernelPath::kAvx2 : KernelPath::kPortable;
    if (requested == KernelPath::kAvx2 && !avx2Available())
        throw Error("the AVX2 kernel was requested but this CPU has no AVX2 (use --kernel portable or auto)");
    return requested;
}

const char* kernelPathName(KernelPath path) noexcept {
    switch (path) {
        case KernelPath::kAvx2: return "avx2";
        case KernelPath::kPortable: return "portable";
        case KernelPath::kAuto: break;
    }
    return "auto";
}

TileLayout makeTileLayout(const std::vector<Marker>& markers) {
    TileLayout layout;
    std::uint32_t row = 0;
    for (const auto& m : markers) {
        layout.markerRowStart.push_back(row);
        row += static_cast<std::uint32_t>(genotypeCount(m.alleleCount()));
    }
    layout.zeroRow = row;
    layout.rowCount = row + 1;
    return layout;
}

double screeningScale(const std::vector<Marker>& markers) {
    constexpr double kPreferred = 256.0;
    // Leaves room for the half-unit roundings of up to ~1500 markers below INT16_MAX.
    constexpr double kCeiling = 32000.0;
    double bound = 0.0;
    for (const auto& m : markers) {
        double smallest = 1.0;
        for (double p : m.frequencies)
            if (p > 0.0) smallest = std::min(smallest, p);
        bound += -2.0 * std::log10(smallest);
    }
    if (bound * kPreferred <= kCeiling) return kPreferred;
    return kCeiling / bound;
}

std::int16_t quantiseLog10(double log10Lr, double scale) noexcept {
    if (std::isnan(log10Lr)) return std::numeric_limits<std::int16_t>::max();  // never hides a pair
    if (log10Lr == -std::numeric_limits<double>::infinity()) return std::numeric_limits<std::int16_t>::min();
    const double units = std::nearbyint(log10Lr * scale);
    return static_cast<std::int16_t>(std::clamp(units, -32767.0, 32767.0));
}

namespace {

// log10 of a positive normal double from its exponent and an atanh series on the mantissa
// folded into [sqrt(1/2), sqrt(2)): |t| <= 0.172, so the series' first omitted term is below
// 1e-11 and the result is within ~1e-14 of log10.
double seriesLog10(double x) noexcept {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    auto exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    double mantissa;
    std::memcpy(&mantissa, &bits, sizeof mantissa);
    if (mantissa > 1.4142135623730951) {
        mantissa *= 0.5;
        ++exponent;
    }
    const double t = (mantissa - 1.0) / (mantissa + 1.0);
    const double t2 = t * t;
    const double atanh =
        t * (1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 * (1.0 / 11))))));
    constexpr double kLn2 = 0.6931471805599453;
    constexpr double kLog10E = 0.4342944819032518;
    return (2.0 * atanh + exponent * kLn2) * kLog10E;
}

// nearbyint for |x| < 2^51 under the default rounding mode (ties to even), without the libm
// call x86-64 needs below SSE4.1; the AVX2 quantiser rounds the same way.
double roundToNearest(double x) noexcept {
    constexpr double kMagic = 6755399441055744.0;  // 1.5 * 2^52
    return (x + kMagic) - kMagic;  // IEEE arithmetic: the compiler may not fold this to x
}

}  // namespace

std::int16_t quantiseRatio(double lr, double scale) noexcept {
    if (std::isnan(lr)) return std::numeric_limits<std::int16_t>::max();
    if (!(lr > 0.0)) return std::numeric_limits<std::int16_t>::min();
    if (!std::isnormal(lr) || std::isinf(lr)) return quantiseLog10(std::log10(lr), scale);
    const double units = roundToNearest(seriesLog10(lr) * scale);
    return static_cast<std::int16_t>(std::clamp(units, -32767.0, 32767.0));
}

void quantiseRatios(const double* ratios, std::size_t count, double scale, std::int16_t* out,
                    std::size_t outStride) noexcept {
    static const bool avx2 = avx2Available();
    if (avx2) {
        detail::quantiseRatiosAvx2(ratios, count, scale, out, outStride);
        return;
    }
    for (std::size_t i = 0; i < count; ++i) {
        const double lr = ratios[i];
        std::uint64_t bits;
        std::memcpy(&bits, &lr, sizeof bits);
        const auto exponentField = static_cast<unsigned>(bits >> 52);  // sign bit included
        // Positive, normal and finite: exponent field in [1, 0x7fe] with the sign bit clear.
        if (exponentField - 1u < 0x7feu) {
            const double units = roundToNearest(seriesLog10(lr) * scale);
            out[i * outStride] = static_cast<std::int16_t>(std::clamp(units, -32767.0, 32767.0));
        } else {
            out[i * outStride] = quantiseRatio(lr, scale);
        }
    }
}

std::int16_t screeningCut(double log10Lr, int typedMarkers, double scale) noexcept {
    // A pair is rejected when score <= cut - 1; it must then be certainly below log10Lr:
    // upperBoundLog10(cut - 1) < log10Lr  <=>  cut - 1 < (log10Lr - 1e-9) * scale - typed/2.
    if (!(log10Lr > -std::numeric_limits<double>::infinity())) return std::numeric_limits<std::int16_t>::min();
    const double limit = (log10Lr - 2e-9) * scale - kQuantisationError * typedMarkers;
    const double cut = std::floor(limit);  // cut - 1 <= limit - 1 < limit
    return static_cast<std::int16_t>(std::clamp(cut, -32768.0, 32767.0));
}

namespace {

#if defined(__SSE2__)
// x86-64 always has SSE2: the same saturating adds as the AVX2 path, 8 lanes at a time.
template <int W>
std::size_t screenTilePortable(const std::int16_t* rows, const std::uint32_t* remainsRows, std::size_t markerCount,
                               std::size_t remainsCount, const std::int16_t* cutRemains, const std::int16_t* cutLanes,
                               TileHit* hits) {
    constexpr int kVectors = W / 8;
    std::size_t hitCount = 0;
    for (std::size_t r = 0; r < remainsCount; ++r) {
        __m128i sum[kVectors];
        for (int v = 0; v < kVectors; ++v) sum[v] = _mm_setzero_si128();
        const std::uint32_t* rowIndex = remainsRows + r * markerCount;
        for (std::size_t m = 0; m < markerCount; ++m) {
            const auto* row = reinterpret_cast<const __m128i*>(rows + static_cast<std::size_t>(rowIndex[m]) * W);
            for (int v = 0; v < kVectors; ++v) sum[v] = _mm_adds_epi16(sum[v], _mm_load_si128(row + v));
        }
        alignas(16) std::int16_t sums[W];
        for (int v = 0; v < kVectors; ++v) _mm_store_si128(reinterpret_cast<__m128i*>(sums + 8 * v), sum[v]);
        for (int lane = 0; lane < W; ++lane)
            if (sums[lane] >= std::min(cutRemains[r], cutLanes[lane]))
                hits[hitCount++] = TileHit{static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(lane), sums[lane]};
    }
    return hitCount;
}
#else
inline std::int16_t saturatingAdd(std::int16_t a, std::int16_t b) noexcept {
    const int sum = static_cast<int>(a) + static_cast<int>(b);
    return static_cast<std::int16_t>(std::clamp(sum, -32768, 32767));
}

template <int W>
std::size_t screenTilePortable(const std::int16_t* rows, const std::uint32_t* remainsRows, std::size_t markerCount,
                               std::size_t remainsCount, const std::int16_t* cutRemains, const std::int16_t* cutLanes,
                               TileHit* hits) {
    std::size_t hitCount = 0;
    for (std::size_t r = 0; r < remainsCount; ++r) {
        std::int16_t sums[W] = {};
        const std::uint32_t* rowIndex = remainsRows + r * markerCount;
        for (std::size_t m = 0; m < markerCount; ++m) {
            const std::int16_t* row = rows + static_cast<std::size_t>(rowIndex[m]) * W;
            for (int lane = 0; lane < W; ++lane) sums[lane] = saturatingAdd(sums[lane], row[lane]);
        }
        for (int lane = 0; lane < W; ++lane)
            if (sums[lane] >= std::min(cutRemains[r], cutLanes[lane]))
                hits[hitCount++] = TileHit{static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(lane), sums[lane]};
    }
    return hitCount;
}
#endif

}  // namespace

std::size_t screenTile(KernelPath path, int width, const std::int16_t* rows, const std::uint32_t* remainsRows,
                       std::size_t markerCount, std::size_t remainsCount, const std::int16_t* cutRemains,
                       const std::int16_t* cutLanes, TileHit* hits) {
    if (path == KernelPath::kAvx2)
        return detail::screenTileAvx2(width, rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
    switch (width) {
        case 16: return screenTilePortable<16>(rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
        case 32: return screenTilePortable<32>(rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
        case 64: return screenTilePortable<64>(rows, remainsRows, markerCount, remainsCount, cutRemains, cutLanes, hits);
        default: throw Error("unsupported tile width " + std::to_string(width));
    }
}

}  // namespace kinmatch::engine
