// SPDX-License-Identifier: MIT
#pragma once

// The lineage markers' evidence for every (remains, missing person) pair of a match.
//
// A missing person's mtDNA is that of every typed relative on their maternal line, their
// Y chromosome that of every typed man on their paternal line (engine/Lineage.hpp). The
// remains are compared with one of those relatives per system: the nearest on the line
// (fewest meioses; ties by sample name, so the choice does not depend on file order) among
// those whose comparison with the remains is possible (mtDNA: common positions; Y-STR: a
// common locus). Mutation makes a nearer relative the better witness, and relatives on one
// line who disagree with each other are reported as warnings rather than silently averaged.
//
// Per system:
//  - mtDNA: mt::evaluatePair (exclusion -inf; inconclusive and insufficient_overlap 0;
//    cannot_exclude -log10 of the database frequency bound);
//  - Y-STR: ystr::scorePair with the meioses between the remains' candidate and the relative;
//  - `not_typed` (remains without a profile of the system) and `no_relative` (no typed
//    relative on the line, always the case for the Y-STRs of a missing person not recorded
//    as male): log10 LR 0, the system says nothing.
// The systems are taken as independent of each other and of the autosomal STRs: the
// combined log10 LR is the sum.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"
#include "engine/MtComparison.hpp"
#include "engine/MtHaplotype.hpp"
#include "engine/MtStatistic.hpp"
#include "engine/YStr.hpp"

namespace kinmatch::engine::lineage {

/// Outcome names beyond the systems' own (cannot_exclude, inconclusive, exclusion,
/// insufficient_overlap).
inline constexpr std::string_view kNotTyped = "not_typed";
inline constexpr std::string_view kNoRelative = "no_relative";

struct MtInputs {
    std::vector<mt::Haplotype> references;  // keyed by the pedigree's sample names
    std::vector<mt::Haplotype> remains;     // keyed by remains names
    /// Population database (may be null: cannot_exclude then weighs log10 0).
    std::shared_ptr<const mt::Database> database;
    mt::CompareOptions options;
};

struct YstrInputs {
    std::vector<ystr::Haplotype> references;
    std::vector<ystr::Haplotype> remains;
    ystr::Database database;  // empty: every frequency bound is 1
    ystr::MutationRates rates = ystr::yhrdRelease61Rates();
    ystr::OutcomeThresholds thresholds;
    double confidence = 0.95;
};

/// One system's evidence for one pair.
struct SystemEvidence {
    std::string_view outcome = kNotTyped;
    double log10Lr = 0.0;
    std::string reference;  // the relative's sample name; "" when none was compared
    int meioses = 0;        // between the missing person and that relative
    std::size_t differences = 0;  // mtDNA: differences; Y-STR: differing loci
    std::size_t compared = 0;     // mtDNA: common positions; Y-STR: common loci
    /// mtDNA: "16069T/C" (remains' base, relative's); Y-STR: "DYS19:+1" (steps from the
    /// remains to the relative per copy; `DYS19:non-stepwise` for a partial-repeat change).
    std::vector<std::string> differing;
};

struct PairLineage {
    std::optional<SystemEvidence> mtdna;  // absent when the run has no mtDNA
    std::optional<SystemEvidence> ystr;   // absent when the run has no Y-STRs
    double log10Lr() const noexcept {
        return (mtdna ? mtdna->log10Lr : 0.0) + (ystr ? ystr->log10Lr : 0.0);
    }
};

/// Immutable once built. Thread safety: const members may run on any number of threads.
class LineageEvidence final : public PairEvidence {
  public:
    /// `prepared` must outlive this object; its remains and references must include every
    /// lineage-only sample (as untyped profiles) so that names resolve to indices.
    /// Throws: InputError naming the file and line of a sample name given twice in one file;
    /// InputError (linesOf) for a person their own ancestor.
    LineageEvidence(const PreparedCase& prepared, std::optional<MtInputs> mtdna, std::optional<YstrInputs> ystr);
    ~LineageEvidence() override;

    bool hasMtdna() const noexcept { return mt_.has_value(); }
    bool hasYstr() const noexcept { return y_.has_value(); }

    /// References on one line whose haplotypes exclude each other, one message each, in
    /// family order; and counts of lineage samples no pedigree or remains uses.
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }

    void log10Lrs(int remains, std::span<double> out) const override;

    /// The full evidence of one pair; its log10Lr() equals what log10Lrs gives the pair, bit
    /// for bit. @param missingPerson index in Family::persons.
    /// Throws: std::out_of_range for a person who is not a missing person of the family.
    PairLineage evaluate(int remains, int family, int missingPerson) const;

  private:
    struct Relative {
        int haplotype = -1;  // index in the system's references
        int meioses = 0;
        std::string sample;
    };
    struct MissingLines {
        std::vector<Relative> maternal;  // typed for mtDNA, nearest first
        std::vector<Relative> paternal;  // typed for Y-STRs, nearest first
    };
    class YstrCountCache;
    class MtWeightCache;

    // `weights` (ranking): only log10Lr is needed, and it is settled without listing
    // differences, with the weights of one remains' matches kept per compared range.
    // Null: the full evidence (evaluate).
    SystemEvidence mtdnaEvidence(int remains, const MissingLines& lines, MtWeightCache* weights) const;
    SystemEvidence ystrEvidence(int remains, const MissingLines& lines, YstrCountCache* cache) const;
    int missingIndex(int family, int missingPerson) const;

    const PreparedCase& prepared_;
    std::optional<MtInputs> mt_;
    std::optional<YstrInputs> y_;
    std::vector<MissingLines> missing_;     // in PairEvidence order
    std::vector<int> firstMissingOfFamily_;  // index into missing_ of each family's first
    std::vector<int> remainsMt_;             // per PreparedCase remains: haplotype index or -1
    std::vector<int> remainsY_;
    std::vector<std::string> warnings_;
};

}  // namespace kinmatch::engine::lineage
