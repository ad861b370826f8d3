// SPDX-License-Identifier: MIT
#pragma once

// The weight of an mtDNA match, as SWGDAM's mtDNA guidelines describe it: how often the
// haplotype occurs in a population database, compared by the same rules and over the same
// positions as the pair, with a 95% upper confidence bound (Clopper-Pearson; 1 - 0.05^(1/N)
// when it was never seen) standing in for the frequency. A maternal relative shares the
// haplotype, so LR = 1 / bound for a pair that cannot be excluded.
//
// Scoring the other outcomes (documented in engine/README.md):
//  - exclusion: LR 0, log10 LR -inf;
//  - inconclusive (one difference) and insufficient_overlap: LR 1, log10 LR 0. One difference
//    can be a mutation between mother and child or a sequencing artefact, so SWGDAM reports it
//    as neither support nor exclusion; a neutral LR lets the autosomal evidence decide instead
//    of silently excluding or including.

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtHaplotype.hpp"

namespace kinmatch::engine::mt {

class Index;

struct DatabaseCount {
    /// Database haplotypes that cover all of the compared range and show no difference from
    /// the query there (same rules as `compare`).
    std::size_t matches = 0;
    /// Database haplotypes that cover all of the compared range (N).
    std::size_t total = 0;
    /// Clopper-Pearson upper bound on the frequency; 1 when total is 0 (no information).
    double upperBound = 1.0;
};

/// A lab's population database of haplotypes.
/// Thread safety: `count` may be called from many threads at once.
class Database {
  public:
    Database(std::vector<Haplotype> haplotypes, CompareOptions options, double confidence = 0.95);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Counts matches of `query` over `range` (normally the pair's common range).
    DatabaseCount count(const Haplotype& query, const CoveredRange& range) const;

    std::size_t size() const noexcept { return haplotypes_.size(); }
    double confidence() const noexcept { return confidence_; }
    const CompareOptions& options() const noexcept { return options_; }

  private:
    std::vector<Haplotype> haplotypes_;
    CompareOptions options_;
    double confidence_;
    std::unique_ptr<Index> index_;
    // Distinct ranges with their number of haplotypes, to find N without a scan.
    std::vector<std::pair<CoveredRange, std::size_t>> ranges_;
};

/// One (remains, reference) pair: the comparison and its weight.
struct PairEvidence {
    Comparison comparison;
    /// Filled for cannot_exclude when a database was given.
    DatabaseCount count;
    bool counted = false;
    /// -inf for exclusion, 0 for inconclusive / insufficient_overlap, -log10(upperBound) for
    /// cannot_exclude (0 when no database covers the range: no weight can be given).
    double log10Lr = 0.0;
};

/// Compares `remains` with `reference` and weighs the result with `database` (may be null:
/// then cannot_exclude gets log10 LR 0 and counted == false). The database's options are used
/// for the count; `options` for the comparison (normally the same).
PairEvidence evaluatePair(const Haplotype& remains, const Haplotype& reference, const CompareOptions& options,
                          const Database* database);

/// The log10 LR of a match (cannot_exclude) given its database count: -log10 of the upper
/// bound, or 0 when the bound is 1 (no database haplotype covers the range: no weight, and
/// -log10(1) would print as -0).
double log10LrOfCount(const DatabaseCount& count) noexcept;

/// The weight of an already computed `compare(query, reference, ...)`: the database count
/// is of `query` over the pair's common range.
PairEvidence weigh(const Haplotype& query, const Haplotype& reference, Comparison comparison,
                   const Database* database);

}  // namespace kinmatch::engine::mt
