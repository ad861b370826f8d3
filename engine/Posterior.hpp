// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/Matcher.hpp"

namespace kinmatch::engine {

/// What a candidate row means for the case file: an identification to report, a candidate
/// to look at, or a pair the DNA excludes (LR = 0).
enum class Decision { kIdentification, kCandidate, kExcluded };

/// "identification", "candidate" or "excluded": the spelling of every output.
const char* decisionName(Decision decision) noexcept;

struct DecisionThresholds {
    /// An identification needs LR >= 10^identifyLog10Lr (log10 scale; default LR 10^4) ...
    double identifyLog10Lr = 4.0;
    /// ... and a posterior of at least this ...
    double identifyPosterior = 0.999;
    // ... and the pair must be the unique rank 1 of its remains (see `assessCandidates`).
};

/// The per-pair two-hypothesis posterior P(remains is this missing person | DNA) against
/// "remains is not this missing person", from the prior of that hypothesis and the LR:
///     posterior = prior·LR / (prior·LR + 1 − prior).
/// Computed from log10 posterior odds x = log10 LR + log10 prior − log10(1 − prior) as
/// 1 / (1 + 10^−x) (or 10^x / (1 + 10^x) for x < 0), so LR 10^30 or 10^−400 neither
/// overflows nor turns into NaN. `log10Lr` = −inf (exclusion) gives 0; prior 1 gives 1 for
/// every LR > 0.
/// Thread safety: pure. Throws: std::invalid_argument for a prior outside (0, 1] or a NaN LR.
double posteriorProbability(double log10Lr, double prior);

/// The default prior of a job: 1 / (number of missing persons), i.e. "the remains is one of
/// the missing persons, each equally likely". Throws: std::invalid_argument for 0.
double defaultPrior(std::size_t missingPersons);

struct Assessment {
    double posterior = 0.0;
    Decision decision = Decision::kCandidate;
};

/// Posterior and decision of every row of `candidates` (MatchResult::candidates: grouped by
/// remains, each remains' rows ranked best first). A row is
/// - `excluded` when its LR is 0 (log10 −inf);
/// - an `identification` when LR >= 10^identifyLog10Lr, posterior >= identifyPosterior and it
///   is the only rank-1 row of its remains (a tie at rank 1 cannot identify: the DNA does not
///   tell the tied missing persons apart);
/// - a `candidate` otherwise.
/// Uniqueness is read from the rows: keep at least two rows per remains (when the job has
/// two missing persons or more), or a tie at rank 1 would be invisible.
/// Thread safety: pure. Throws: as posteriorProbability.
std::vector<Assessment> assessCandidates(const std::vector<Candidate>& candidates, double prior,
                                         const DecisionThresholds& thresholds);

/// The same for the per-missing-person list (MatchResult::byMissingPerson): the decision of
/// a pair is the one it has in `assessedCandidates` (the per-remains rows and their
/// assessment); a pair absent from those rows is not the rank 1 of its remains, so it is at
/// most a `candidate`.
std::vector<Assessment> assessByMissingPerson(const std::vector<Candidate>& byMissingPerson,
                                              const std::vector<Candidate>& candidates,
                                              const std::vector<Assessment>& assessedCandidates, double prior);

}  // namespace kinmatch::engine
