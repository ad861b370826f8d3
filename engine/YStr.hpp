// SPDX-License-Identifier: MIT
#pragma once

// Y-STR haplotypes and their comparison between remains and a paternal-line reference.
//
// A Y chromosome passes from father to son whole, so a haplotype is compared as one unit:
// the evidence is how probable the observed allele differences are after the number of
// meioses that separate the two men on the paternal line (each locus a single-step
// symmetric mutation process), divided by how common the remains' haplotype is in a
// population database (95% Clopper-Pearson upper bound of its count, as YHRD reports).
//
//   LR = prod_l P(D_l | n, mu_l) / f_upper(remains' haplotype over the LR loci)
//
// where D_l is the signed step difference at locus l. Conditioning on the reference's
// haplotype, H1 (paternal relatives n meioses apart) gives the remains' haplotype the
// probability prod_l P(D_l | n, mu_l) and H2 (unrelated) its population frequency.

#include <compare>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"

namespace kinmatch::engine::ystr {

/// One Y-STR allele as labs designate it: whole repeats plus the extra bases of an incomplete
/// repeat (13.2 = 13 repeats and 2 bases). Kept as two integers so that 13.2 vs 14.2 is one
/// whole step and 13 vs 13.2 is recognisably no whole number of steps.
struct Allele {
    int repeats = 0;
    int partial = 0;  // 0..9
    friend auto operator<=>(const Allele&, const Allele&) = default;
};

/// `13`, `13.2`.
/// Thread safety: pure function. Throws: nothing but std::bad_alloc.
std::string toString(const Allele& allele);

/// Parses a designation: 1-3 digits, optionally `.` and one digit (`13`, `13.2`, `9.0`);
/// at least one whole repeat. nullopt for anything else (`OL`, `13.x`, `-1`, `0`, `1e3`).
/// Thread safety: pure function. Throws: nothing.
std::optional<Allele> tryParseAllele(std::string_view label);

/// The key a locus name is compared by: upper case without spaces, `-` and `_`, so that
/// `DYS389 II` == `DYS389II` and `Y-GATA-H4` == `YGATAH4`; the aliases `GATA H4`,
/// `GATA H4.1`, `Y-GATA-H4.1` give `YGATAH4`, and a trailing `a/b` of a multi-copy locus is
/// dropped (`DYS385a/b` -> `DYS385`).
/// Thread safety: pure function. Throws: nothing but std::bad_alloc.
std::string locusKey(std::string_view name);

/// How many alleles a locus may show: the copy number of the known multi-copy loci
/// (DYS385, DYF387S1, DYS459, DYS527, DYF395S1, DYF404S1: 2; DYF399S1: 3; DYS464: 4),
/// 1 for every other locus. @param key as given by locusKey.
/// Thread safety: pure function. Throws: nothing.
std::size_t maxCopies(std::string_view key);

/// The alleles seen at one locus: sorted, distinct. One element for a single-copy locus.
/// A multi-copy locus shows one peak per distinct length, so `14,14` and `14,` are the same
/// set {14}: copies of equal length cannot be counted.
using AlleleSet = std::vector<Allele>;

/// One man's Y-STR haplotype.
struct Haplotype {
    std::string sample;
    std::map<std::string, AlleleSet> loci;  // locusKey -> alleles; untyped loci absent
    SourcePos source;                        // first row of the sample
};

struct HaplotypeSet {
    std::string source;                  // file name
    std::vector<Haplotype> haplotypes;   // file order of first appearance
};

/// Per-meiosis mutation probabilities, keyed by locusKey. For a multi-copy locus the rate
/// is per copy (each copy mutates on its own).
struct MutationRates {
    std::map<std::string, double> perLocus;
    /// The rate of `key`, or nullopt when the table has none.
    std::optional<double> rateOf(std::string_view key) const;
};

/// YHRD per-locus rates (release 61, June 2019; see YstrMutationRates.cpp for the source).
/// The multi-copy loci have no entry: pass their rates explicitly to use them in the LR.
/// Thread safety: returns one immutable table. Throws: nothing.
const MutationRates& yhrdRelease61Rates();

/// P(D = d) for the signed step difference D after `meioses` meioses, each meiosis adding
/// 0 (probability 1 - mu), +1 or -1 (mu/2 each); computed exactly by convolution. A plain
/// probability (not a log). 0 when |d| > meioses.
/// Throws: std::invalid_argument for meioses < 0 or mu outside [0, 1].
double stepDifferenceProbability(int steps, int meioses, double mu);

/// How one locus typed in both haplotypes compares.
struct LocusComparison {
    std::string locus;         // locusKey
    int steps = 0;             // total whole steps between paired copies (0 = same)
    std::vector<int> copySteps;  // signed step difference per paired copy (b - a), if stepwise
    /// False when no sequence of whole steps can explain the difference: a partial-repeat
    /// change (13 vs 13.2). Such a locus counts as a difference and leaves the LR.
    bool stepwise = true;
    bool differs() const noexcept { return !stepwise || steps != 0; }
};

/// Compares two haplotypes over the loci typed in both, in locusKey order.
///
/// Single-copy locus: D = b - a in whole repeats when both have the same partial bases,
/// else not stepwise. Multi-copy locus, sets of equal size: sorted alleles are paired in
/// order (the YHRD a/b convention). Sets of different sizes: equal-length copies show one
/// peak, so the smaller set's alleles may each stand for several copies; every allele of the
/// larger set is paired with one of the smaller set in sorted order, each allele of the
/// smaller set used at least once, and the pairing with the fewest total steps is taken
/// (the first in sorted order among equals). A pairing with a non-stepwise copy is used only
/// when no pairing is stepwise.
/// Thread safety: pure function. Throws: nothing but std::bad_alloc.
std::vector<LocusComparison> compare(const Haplotype& a, const Haplotype& b);

/// A population sample of haplotypes to count matches in. Immutable once built.
/// Thread safety: the const members may run on any number of threads at once.
/// Counting scans every haplotype (O(size x loci)); fine for the 10^4-10^5 haplotypes of a
/// national database per comparison, an index would be the next step for more.
class Database {
  public:
    Database() = default;
    explicit Database(std::vector<Haplotype> haplotypes);

    std::size_t size() const noexcept { return haplotypes_.size(); }

    struct Count {
        std::size_t matches = 0;     // haplotypes with the same allele set at every locus
        std::size_t comparable = 0;  // haplotypes typed at every locus asked for
    };
    /// Counts the database haplotypes equal to `query` at `loci` (locus keys typed in
    /// `query`). Haplotypes not typed at one of the loci are neither matches nor part of the
    /// total: the frequency is estimated among haplotypes that could have matched.
    /// Throws: std::invalid_argument when `query` is not typed at one of `loci`.
    Count count(const Haplotype& query, const std::vector<std::string>& loci) const;

    /// One-sided upper confidence bound of the frequency of `query` at `loci`: Clopper-Pearson
    /// of count(); 1 when no database haplotype is comparable (no information).
    double frequencyUpperBound(const Haplotype& query, const std::vector<std::string>& loci,
                               double confidence = 0.95) const;
    /// The same over every locus typed in `query`.
    double frequencyUpperBound(const Haplotype& query, double confidence = 0.95) const;

  private:
    std::vector<Haplotype> haplotypes_;
};

enum class Outcome { kCannotExclude, kInconclusive, kExclusion };

/// `cannot_exclude`, `inconclusive`, `exclusion`.
std::string_view toString(Outcome outcome);

/// Differing loci at which the outcome changes. The defaults follow the reading of the SWGDAM
/// Y-STR Interpretation Guidelines (2009, revised 2014) for paternal relatives: a difference
/// at one locus may be a single mutation and is inconclusive; differences at two or more
/// loci exclude. Laboratories set their own thresholds from their validation (the guidelines
/// ask for that), hence the options. Requires 1 <= inconclusiveFrom <= exclusionFrom.
struct OutcomeThresholds {
    int inconclusiveFrom = 1;
    int exclusionFrom = 2;
};

/// Everything one (remains, reference) Y-STR comparison yields.
struct Evidence {
    std::vector<LocusComparison> loci;  // every locus typed in both, locusKey order
    int differingLoci = 0;
    Outcome outcome = Outcome::kCannotExclude;
    int meioses = 0;
    /// Loci in the LR: typed in both, with a mutation rate, and stepwise.
    std::vector<std::string> lrLoci;
    /// Typed in both but left out of the LR: no rate in the table / not stepwise.
    std::vector<std::string> lociWithoutRate;
    std::vector<std::string> nonStepwiseLoci;
    double log10DifferenceProbability = 0.0;  // log10 prod_l P(D_l | n, mu_l) over lrLoci
    Database::Count databaseCount;            // remains' haplotype over lrLoci
    double frequencyUpperBound = 1.0;
    double log10Lr = 0.0;  // log10DifferenceProbability - log10 frequencyUpperBound; -inf if P = 0
};

/// The comparison half of scorePair: everything but the database count; log10Lr holds the
/// difference probability alone until weighByCount divides by the frequency. Split out so a
/// caller scoring one remains against many references can count each set of LR loci once.
/// Throws: as scorePair.
Evidence compareForLr(const Haplotype& remains, const Haplotype& reference, int meioses, const MutationRates& rates,
                      const OutcomeThresholds& thresholds = {});

/// Completes `evidence` with the remains' database count over its lrLoci.
void weighByCount(Evidence& evidence, const Database::Count& count, double confidence = 0.95);

/// Scores remains against one reference on the same paternal line `meioses` meioses apart.
/// Thread safety: pure function of its arguments (the database is read only).
/// Throws: std::invalid_argument for meioses < 1, a rate outside [0, 1] or bad thresholds.
Evidence scorePair(const Haplotype& remains, const Haplotype& reference, int meioses, const MutationRates& rates,
                   const Database& database, const OutcomeThresholds& thresholds = {}, double confidence = 0.95);

}  // namespace kinmatch::engine::ystr
