// SPDX-License-Identifier: MIT
#pragma once

// The per-system fields of a match that compared lineage markers: one definition of their
// names, order and values for the TSV, the JSON Lines and the case database.
//
// Columns after `decision`, for the systems the run has (autosomal only when -f/-r/-u were
// given): <system>_outcome and <system>_log10_lr per system, `combined_log10_lr` (= column
// 4, the sum, repeated so that a reader can check the sum), then the details of each lineage
// comparison: which relative, how many meioses, differences, compared positions or loci and
// the differences themselves.

#include <string>
#include <vector>

#include "engine/LineageEvidence.hpp"
#include "engine/Matcher.hpp"

namespace kinmatch::formats {

struct LineageRows {
    bool autosomal = true;  // the run had autosomal STR inputs
    bool mtdna = false;
    bool ystr = false;
    std::vector<engine::lineage::PairLineage> candidates;       // parallel to MatchResult::candidates
    std::vector<engine::lineage::PairLineage> byMissingPerson;  // parallel to MatchResult::byMissingPerson
};

/// One output field beyond the fixed ones.
struct ExtraField {
    enum class Kind { kText, kLog10, kCount, kList };
    std::string name;
    Kind kind = Kind::kText;
    std::string text;  // kText; "" = none (TSV ".", JSON null)
    double log10 = 0.0;  // kLog10; -inf = exclusion (TSV "-inf", JSON null)
    long count = 0;      // kCount
    std::vector<std::string> list;  // kList (TSV space-separated or ".", JSON array)
};

/// `compared`, `exclusion` (LR 0) or `not_compared` (no marker typed in the remains and in a
/// relative): the autosomal STRs' outcome.
std::string autosomalOutcome(const engine::Candidate& candidate);

/// The field names, in output order.
/// Thread safety: pure. Throws: nothing but std::bad_alloc.
std::vector<std::string> lineageFieldNames(const LineageRows& rows);

/// The fields of one row, in lineageFieldNames order.
std::vector<ExtraField> lineageFields(const LineageRows& rows, const engine::Candidate& candidate,
                                      const engine::lineage::PairLineage& lineage);

/// The column legend's part for these fields.
std::string lineageLegend(const LineageRows& rows);

}  // namespace kinmatch::formats
