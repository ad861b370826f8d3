// SPDX-License-Identifier: MIT
#pragma once

#include "engine/Matcher.hpp"

namespace kinmatch::engine {

/// The national-scale path of `matchCase` (everything but --all): one streaming pass over
/// families in batches of tiles. A TBB pipeline builds each batch's tables in parallel,
/// quantises them into transposed tiles, and scores every remains against them with the
/// int16 kernel; tables are dropped after their batch, so memory is bounded by the remains,
/// the candidate lists and a few batches, not by the number of families.
///
/// Exactness: every pair the kernel lets through is recomputed in double at once (the same
/// sum the exact path makes). A list's cut is derived from the exact value of its current
/// K-th best, so a pair is only ever dropped when its screening score proves its exact LR
/// below that value (ScreeningKernel.hpp `upperBoundLog10`). The top K of a list therefore
/// equals the first K rows of the exact ranking, ties included, for any batch order,
/// kernel path or thread count.
///
/// Tables are shared between families through a TableCache (TableCache.hpp) of
/// `tableCacheBytes` (0 = none); the output is byte-identical with any size. The three-argument
/// form takes options.tableCacheBytes.
///
/// Thread safety and errors as `matchCase`.
MatchResult screenCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options);
MatchResult screenCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options,
                       std::size_t tableCacheBytes);

}  // namespace kinmatch::engine
