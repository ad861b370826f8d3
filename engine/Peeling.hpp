// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <memory>
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
    /// The caller guarantees that both mutation matrices are the identity (the Mendelian
    /// pass), which spares checking them. Without it the matrices are checked.
    bool identityMatrices = false;
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

namespace detail {
struct PeelingPlanState;
}

/// `jointsByPeeling` split in two: the plan (pruning, forest of persons and matings, rooted
/// traversal) depends only on the pedigree's structure, the targets and which members are
/// typed, so one plan serves every marker with the same typed pattern; `run` then does the
/// numbers for one marker, reusing per-thread buffers (no allocation once they have grown).
/// Results are those of `jointsByPeeling` for the same arguments.
///
/// Thread safety: `run` may be called concurrently on different plans (its buffers belong to
/// the calling thread), and a plan is not modified by `run`.
class PeelingPlan {
public:
    /// Throws: std::logic_error when a target index is out of range.
    PeelingPlan(std::span<const PedigreeMember> members, std::span<const int> targets);
    ~PeelingPlan();
    PeelingPlan(PeelingPlan&&) noexcept;
    PeelingPlan& operator=(PeelingPlan&&) noexcept;

    /// `isPeelable(members, targets)` for the members the plan was made from.
    bool peelable() const noexcept;

    /// informativeMembers(members, targets) for the members the plan was made from: the
    /// members the pass reads at all.
    const std::vector<bool>& keptMembers() const noexcept;

    /// True when `members` has the parents and the typed pattern the plan was made from
    /// (genotypes may differ), so that `run` applies to it.
    bool fits(std::span<const PedigreeMember> members) const noexcept;

    /// joints[t] = jointsByPeeling(members, targets, model, options)[t] (resized as needed).
    /// Throws: std::logic_error when the plan is not peelable or `members` does not fit it.
    void run(std::span<const PedigreeMember> members, const MarkerModelView& model,
             std::vector<std::vector<double>>& joints, const PeelingOptions& options = {}) const;

private:
    std::unique_ptr<detail::PeelingPlanState> state_;
};

}  // namespace kinmatch::engine
