// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "engine/Case.hpp"

namespace kinmatch::bench {

/// Size and seed of a synthetic case. The same options give the same case on every run
/// (with the same standard library: the distributions are libstdc++'s).
struct SyntheticCaseOptions {
    int families = 64;
    int remains = 0;
    int markers = 21;                 // at most 21 (one per STR of the ESS + CODIS sets)
    int minAlleles = 10;              // alleles per marker, drawn uniformly in [min, max]
    int maxAlleles = 25;
    std::uint64_t seed = 20240601;
};

/// Builds a PreparedCase in memory, as `prepareCase` would return it, without files:
/// - markers with 10-25 integer alleles and random frequencies summing to 1;
/// - families cycling through six shapes (parent-child, full siblings with untyped parents,
///   grandparent with the parent untyped, uncle, first cousin, both parents), one missing
///   person each, with 1-3 typed references (2-3 for "both parents");
/// - the references' genotypes are dropped through the pedigree from Hardy-Weinberg
///   founders without mutation, so they are random but never contradict each other (a
///   contradiction under the `none` model would stop the run with an error);
/// - remains with Hardy-Weinberg random genotypes, typed at every marker (unrelated to the
///   families).
///
/// Thread safety: pure function of its argument.
engine::PreparedCase makeSyntheticCase(const SyntheticCaseOptions& options);

}  // namespace kinmatch::bench
