// SPDX-License-Identifier: MIT
#pragma once

// The lineage part of a report: each reported candidate's mtDNA and Y-STR comparisons,
// recomputed from the run's lineage files with the engine (which relative, meioses,
// differences), and checked against the per-system log10 LRs the source reported.

#include "engine/Case.hpp"
#include "engine/LineageEvidence.hpp"
#include "formats/ReportData.hpp"

namespace kinmatch::formats {

/// Fills ReportCandidate::lineageComparisons of every candidate in `data` (whose remains,
/// families and missing persons must be those of `prepared`, as addCandidates left them).
/// A reported mtDNA or Y-STR log10 LR that differs from the recomputed one by more than 1e-6
/// (or one -inf and not the other) is named in `data.reportWarnings` (the first 20, then a
/// count), as the per-marker check does.
/// Thread safety: evaluates candidates in parallel on the calling thread's TBB arena.
/// Throws: std::out_of_range for a candidate whose names `prepared` lacks (addCandidates has
/// already rejected those with a message).
void addLineageComparisons(ReportData& data, const engine::PreparedCase& prepared,
                           const engine::lineage::LineageEvidence& evidence);

}  // namespace kinmatch::formats
