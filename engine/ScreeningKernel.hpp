// SPDX-License-Identifier: MIT
#pragma once

// The screening kernel: int16 log10-LR sums of many (remains, missing person) pairs at once.
//
// A tile holds the tables of up to `width` missing persons transposed: for every
// (marker, genotype) one row of `width` int16 values side by side, so a remains scores every
// missing person of the tile with one row load and one saturating add per marker (design.md
// §3). Rows are addressed by index; row `TileLayout::zeroRow` is all zeros and stands for an
// untyped marker, so the loop has no branch on typing.
//
// The values are fixed point (`screeningScale` units per log10). Screening scores only choose
// which pairs to recompute exactly in double; they are never reported.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/Case.hpp"

namespace kinmatch::engine {

enum class KernelPath { kAuto, kAvx2, kPortable };

/// Whether this CPU runs the AVX2 path.
bool avx2Available() noexcept;
/// kAuto becomes kAvx2 when the CPU has it, else kPortable.
/// Throws: Error when kAvx2 is asked for on a CPU without AVX2.
KernelPath resolveKernelPath(KernelPath requested);
const char* kernelPathName(KernelPath path) noexcept;

/// Tile widths the kernel is built for (lanes = missing persons per tile).
inline bool supportedTileWidth(int width) noexcept { return width == 16 || width == 32 || width == 64; }

/// Where each marker's genotype rows start; shared by every tile of a run.
struct TileLayout {
    std::vector<std::uint32_t> markerRowStart;
    std::uint32_t zeroRow = 0;
    std::uint32_t rowCount = 0;  // including the zero row
};
TileLayout makeTileLayout(const std::vector<Marker>& markers);

/// Fixed-point units per log10 unit. 256 unless the markers allow single-marker LRs so large
/// that a sum over every marker could reach the int16 ceiling; then smaller, so that no
/// positive sum ever saturates (a genotype's LR is at most 1 / P_HW(g) <= 1 / p_min^2).
double screeningScale(const std::vector<Marker>& markers);

/// A log10 LR in fixed point: rounded to nearest, -inf (exclusion) as INT16_MIN, finite values
/// clamped to [-32767, 32767]. Every clamp moves the value up, never down, which keeps
/// `upperBoundLog10` a true bound.
std::int16_t quantiseLog10(double log10Lr, double scale) noexcept;

/// The same from a likelihood ratio (not its log), without calling log10: table building
/// quantises thousands of entries per missing person, and only the few entries of reported
/// pairs ever need an exact log10. Differs from quantiseLog10(log10(lr)) by at most one unit,
/// and only where the exact value lies within 1e-6 units of a rounding boundary.
std::int16_t quantiseRatio(double lr, double scale) noexcept;

/// quantiseRatio over `count` ratios, writing out[i * outStride]: the tile builder's loop,
/// kept free of calls and branches on the common path. Same values as quantiseRatio.
void quantiseRatios(const double* ratios, std::size_t count, double scale, std::int16_t* out,
                    std::size_t outStride) noexcept;

/// How far one quantised entry may lie from scale * log10 LR: half a unit of rounding plus a
/// margin for quantiseRatio's logarithm.
inline constexpr double kQuantisationError = 0.5 + 1e-3;

/// The largest exact log10 LR a pair can have given its screening score, when `typedMarkers`
/// markers were summed: each rounding is at most kQuantisationError units, and saturation and
/// clamping only raise the screening score.
inline double upperBoundLog10(int score, int typedMarkers, double scale) noexcept {
    return (score + kQuantisationError * typedMarkers) / scale + 1e-9;
}
/// The smallest screening score that still lets a pair's exact log10 LR reach `log10Lr`: a
/// pair scoring below it is certainly worse than `log10Lr`.
std::int16_t screeningCut(double log10Lr, int typedMarkers, double scale) noexcept;

/// A pair that reached its cut: `remains` is relative to the block passed to `screenTile`.
struct TileHit {
    std::uint32_t remains;
    std::uint32_t lane;
    std::int32_t score;
};

/// Scores `remainsCount` remains against one tile. `rows` holds layout.rowCount rows of
/// `width` int16 values (32-byte aligned); `remainsRows` holds `markerCount` row indices per
/// remains. Writes every (remains, lane) whose saturating sum is >= min(cutRemains[r],
/// cutLanes[lane]) to `hits` (room for remainsCount * width) and returns their number.
/// Both paths return identical hits.
std::size_t screenTile(KernelPath path, int width, const std::int16_t* rows, const std::uint32_t* remainsRows,
                       std::size_t markerCount, std::size_t remainsCount, const std::int16_t* cutRemains,
                       const std::int16_t* cutLanes, TileHit* hits);

namespace detail {
// The AVX2 translation unit is compiled with -mavx2 and uses no inline library code, so no
// AVX2 instruction can leak into code that runs on other CPUs.
std::size_t screenTileAvx2(int width, const std::int16_t* rows, const std::uint32_t* remainsRows,
                           std::size_t markerCount, std::size_t remainsCount, const std::int16_t* cutRemains,
                           const std::int16_t* cutLanes, TileHit* hits);
// quantiseRatios four at a time; the same values bit for bit.
void quantiseRatiosAvx2(const double* ratios, std::size_t count, double scale, std::int16_t* out,
                        std::size_t outStride) noexcept;
}  // namespace detail

}  // namespace kinmatch::engine
