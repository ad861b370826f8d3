// SPDX-License-Identifier: MIT
#pragma once

#include "engine/FamilySource.hpp"
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
/// options.tableCacheBytes (0 = none); the output is byte-identical with any size.
///
/// Thread safety and errors as `matchCase`.
MatchResult screenCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options);

/// What screenFamilies returns: the rows, and of the families only what writing them takes.
struct ScreenedFamilies {
    /// As screenCase's, but Candidate::family indexes `families`.
    MatchResult result;
    /// The families the rows name, in case order. Only each family's name and its missing
    /// persons (id, `missing`, `missingPersons`) are kept; other persons are left as placeholders
    /// with an empty id, so that Candidate::missingPerson keeps indexing Family::persons.
    std::vector<Family> families;
    std::vector<std::size_t> caseIndex;  // families[i] is family caseIndex[i] of the source
    std::size_t familyCount = 0;         // families the source gave
    std::size_t missingPersonCount = 0;
    /// The source's warnings (FamilyPiece::warnings), in family order. The table notes are in
    /// result.warnings, as screenCase gives them.
    std::vector<std::string> sourceWarnings;
};

/// screenCase over families that a source gives piece by piece, with `markersAndRemains`
/// holding the case's markers and remains (its families and references are not used). Only
/// the families in flight, the candidate lists and each family's name and missing persons'
/// ids (for the order of ties, ~50 bytes a family) are held, so memory does not follow the
/// size of the families and references read. The rows equal screenCase's on the same case.
/// Throws: the source's errors and screenCase's, the first in family order.
ScreenedFamilies screenFamilies(const PreparedCase& markersAndRemains, FamilySource& source, const MutationModel& model,
                                const MatchOptions& options);

}  // namespace kinmatch::engine
