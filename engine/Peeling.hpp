// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "engine/PedigreeLikelihood.hpp"

namespace kinmatch::engine {

/// True when the pedigree has no loop: persons and matings (a mating = a father, a mother
/// and their children) form a forest as a bipartite graph. Full siblings are no loop; a
/// cousin marriage or a child of two half-siblings is.
///
/// Thread safety: pure function; safe to call concurrently.
/// Throws: nothing.
bool isLoopFree(std::span<const PedigreeMember> members);

/// True when `jointsByPeeling` applies: the pedigree is loop-free once the members that
/// cannot carry information (untyped members with no kept descendants, other than the
/// targets) are left out. Implied by `isLoopFree(members)`.
///
/// Thread safety: pure function; safe to call concurrently.
/// Throws: nothing.
bool isPeelable(std::span<const PedigreeMember> members, std::span<const int> targets);

/// Tuning of `jointsByPeeling`; the defaults suit production use.
struct PeelingOptions {
    /// A mating whose children's messages expand into more separable terms than this is
    /// computed densely over both parents' genotypes (O(n^4)) instead; 0 = n*n. Tests set it
    /// low to exercise the dense path.
    std::size_t maxTermsPerMating = 0;
};

/// For every target t: result[t][a*n + b] = P(D, paternal allele of t = a, maternal allele
/// of t = b), plain probabilities for one marker, equal to `jointWithTarget(members, t,
/// model)` up to rounding (same pruning, same constant factor from parts of the pedigree not
/// connected to t; t's own genotype is ignored, the other targets' genotypes count when
/// typed). One sum-product pass over the tree of persons and matings gives all targets.
///
/// Thread safety: pure function; safe to call concurrently.
/// Throws: std::logic_error when `isPeelable(members, targets)` is false or a target index
/// is out of range (caller bugs: use `jointWithTarget` for pedigrees with loops).
std::vector<std::vector<double>> jointsByPeeling(std::span<const PedigreeMember> members, std::span<const int> targets,
                                                 const MarkerModelView& model, const PeelingOptions& options = {});

}  // namespace kinmatch::engine
