// SPDX-License-Identifier: MIT
#pragma once

// Lineage markers (mtDNA, Y-STR) are inherited whole, so their evidential value comes from
// how often the haplotype occurs in a population database, not from allele frequencies.
// Counts in such databases are small (often zero), and forensic practice (SWGDAM mtDNA
// guidelines, YHRD) reports an upper confidence bound instead of the raw proportion.

#include <cstddef>

namespace kinmatch::engine {

/// One-sided Clopper–Pearson upper bound on a proportion after `matches` of `total`
/// observations: the p at which P(X <= matches | total, p) = 1 - confidence. For a zero
/// count this is 1 - (1 - confidence)^(1/total) (0.95: 1 - 0.05^(1/N)); for matches == total
/// it is 1. Requires matches <= total and total > 0.
double clopperPearsonUpper(std::size_t matches, std::size_t total, double confidence = 0.95);

/// Regularised incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1.
double regularisedIncompleteBeta(double a, double b, double x);

}  // namespace kinmatch::engine
