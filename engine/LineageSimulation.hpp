// SPDX-License-Identifier: MIT
#pragma once

// Simulated lineage markers (mtDNA, Y-STR) for simulated cases: the haplotypes of a family's
// persons, what a lab's typing of them returns, and population database samples. Built for
// blind-search benchmarks and tests, so the haplotypes must be about as diverse as real data
// (most haplotypes rare, a few common ones, hot sites that recur); engine/README.md
// ("Lineage simulation") describes the model, its calibration and its limits.
//
// Everything is a pure function of (options, key): each family, remains and database entry
// draws from its own xoshiro256** stream keyed by (seed, kind, index), as engine/Simulation
// does, so slices can be made on any thread in any order with the same result. The
// population (the haplogroup trees) is built once from the seed in the constructor.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"
#include "engine/MtHaplotype.hpp"
#include "engine/YStr.hpp"

namespace kinmatch::engine {

class Simulation;

namespace detail {
struct LineageRng;  // xoshiro256**, defined in LineageSimulation.cpp
}

struct LineageSimulationOptions {
    std::uint64_t seed = 1;
    /// Probability that a mother passes a new point mutation (anywhere in the mitogenome) to a
    /// child. About half of them fall in the control region, which gives the ~0.4-0.5% per
    /// generation that pedigree studies report there (Sigurðardóttir et al. 2000: 3 in 705
    /// transmissions over HVS-I/II). A third of new mutations show as a heteroplasmy.
    double mtGermlineRate = 0.01;
    /// Probability that a typed sample shows a point heteroplasmy of its own (somatic or below
    /// the level the mother's sample showed).
    double mtHeteroplasmyRate = 0.03;
    /// Y-STR: per-locus per-meiosis rates are YHRD's (ystr::yhrdRelease61Rates); this scales
    /// them (1 = as published).
    double yRateScale = 1.0;
};

/// Throws: UsageError naming the option when a rate is outside [0, 1] (yRateScale: [0, 100]).
void validateLineageSimulationOptions(const LineageSimulationOptions& options);

/// A Y-STR locus of the simulated kit (Yfiler Plus: 25 markers, DYS385 and DYF387S1 with two
/// copies), in the kit's usual order.
struct SimulatedYLocus {
    std::string_view name;  // as YHRD spells it: DYS389II, Y-GATA-H4, DYF387S1
    int copies = 1;
    bool inYfiler = false;  // also in the older 17-locus Yfiler kit
};
const std::vector<SimulatedYLocus>& simulatedYLoci();

/// What a person carries, before any typing: the whole mitogenome's differences from rCRS
/// (sorted by (position, insertion), heteroplasmies as IUPAC codes) and, for a male, the Y-STR
/// alleles of every copy in tenths of a repeat (172 = 17.2), in simulatedYLoci order.
struct LineageTruth {
    std::vector<mt::Variant> mt;
    std::optional<std::vector<std::int16_t>> y;
    int mtMutations = 0;  // germline mutations on the transmission into this person (0 for founders)
    int yMutations = 0;   // steps on the transmission into this person
};

/// Lineage results of typed samples, in the order they were made.
struct LineageProfiles {
    std::vector<mt::Haplotype> mtdna;
    std::vector<ystr::Haplotype> ystr;
};

/// What a sample is, which decides the range and kit a lab would report for it.
enum class LineageSampleKind {
    kReference,  // control region (most), whole mitogenome or HVS-I/II only; Yfiler Plus or Yfiler
    kRemains,    // as references, but a third degraded: control-region amplicons lost, Y loci lost
    kDatabase,   // as references
};

/// Thread safety: after construction every member function is const and may be called from
/// several threads at once.
class LineageSimulation {
  public:
    /// Throws: UsageError as validateLineageSimulationOptions.
    explicit LineageSimulation(const LineageSimulationOptions& options);

    const LineageSimulationOptions& options() const noexcept { return options_; }

    /// Every person of `family` (pedigree order): founders draw from the population, children
    /// inherit their mother's mtDNA and a son his father's Y, with germline mutation. Persons of
    /// unknown sex carry no Y. `key` keys the family's random stream (its index in a case).
    /// Throws: InputError as lineage::pedigreeOf for a parent missing from the family.
    std::vector<LineageTruth> familyTruth(const FamilyRecord& family, std::uint64_t key) const;

    /// An unrelated person of the population, keyed by `key` (`male`: also draw a Y). Remains
    /// and database entries use streams of their own, so they never repeat these.
    LineageTruth populationDraw(std::uint64_t key, bool male) const;

    /// The typed relatives' results of one family: mtDNA for those on a missing person's
    /// maternal line (and some others, as labs type whole families), Y-STR for men on a male
    /// missing person's paternal line (and a few other men). Sample names are the pedigree's.
    LineageProfiles familyReferences(const FamilyRecord& family, std::uint64_t key) const;

    /// What a lab reports for one sample carrying `truth`: range or kit by `kind`, C-stretch
    /// length variants, an occasional point heteroplasmy; normalised. `key` keys the typing's
    /// random stream, separately per kind.
    mt::Haplotype typeMt(const LineageTruth& truth, std::string sample, LineageSampleKind kind,
                         std::uint64_t key) const;
    /// The Y-STR result, or nullopt when `truth` has no Y.
    std::optional<ystr::Haplotype> typeY(const LineageTruth& truth, std::string sample, LineageSampleKind kind,
                                         std::uint64_t key) const;

    /// Population database entries [first, first + count), named `MT-DB-0000001`... and
    /// `Y-DB-0000001`..., all male for Y.
    std::vector<mt::Haplotype> mtDatabase(std::uint64_t first, std::size_t count) const;
    std::vector<ystr::Haplotype> yDatabase(std::uint64_t first, std::size_t count) const;

    /// Lineage results of a case made by `simulation`: the typed relatives of families
    /// [first, first + count), and remains [first, first + count) (a true remains carries its
    /// missing person's haplotypes; most remains have mtDNA, male ones often Y-STR).
    /// Throws: std::out_of_range as Simulation's slices.
    LineageProfiles caseReferences(const Simulation& simulation, std::size_t first, std::size_t count) const;
    LineageProfiles caseRemains(const Simulation& simulation, std::size_t first, std::size_t count) const;

    /// Number of distinct haplogroup-tree leaves of each population (for documentation).
    std::size_t mtClades() const noexcept { return mtLeaves_.size(); }
    std::size_t yClades() const noexcept { return yLeaves_.size(); }

  private:
    using Rng = detail::LineageRng;
    std::vector<mt::Variant> drawMt(Rng& rng) const;
    std::vector<std::int16_t> drawY(Rng& rng) const;
    // One new point mutation at a site drawn by rate; as a heteroplasmy when asked.
    void mutateMt(std::vector<mt::Variant>& variants, Rng& rng, bool heteroplasmic) const;
    // Stepwise mutations over `generations` on every copy; returns how many happened.
    int mutateY(std::vector<std::int16_t>& alleles, double generations, Rng& rng) const;

    LineageSimulationOptions options_;
    std::vector<double> siteCdf_;                     // position p at index p - 1, cumulative rates
    std::vector<std::vector<mt::Variant>> mtLeaves_;  // the clades' haplotypes
    std::vector<double> mtLeafCdf_;
    std::vector<double> subLineageCdf_;
    std::vector<std::vector<std::int16_t>> yLeaves_;
    std::vector<double> yLeafCdf_;
    std::vector<double> yCopyRates_;  // per copy slot, scaled
};

/// Diversity of a set of mtDNA haplotypes over `range` as compare sees it (hotspot length
/// variants left out), among those that cover all of it.
struct MtDiversity {
    std::size_t haplotypes = 0;  // covering the range
    std::size_t distinct = 0;
    std::size_t singletons = 0;  // haplotypes seen once
    std::size_t mostCommon = 0;  // copies of the commonest haplotype
    /// Share of pairs of different haplotypes that are identical over the range: the
    /// random-match probability the set implies. Point heteroplasmies count as their IUPAC
    /// code (they match either base in compare), which makes this a slight underestimate.
    double randomMatchFraction = 0.0;
};
MtDiversity mtDiversity(std::span<const mt::Haplotype> haplotypes, const mt::CoveredRange& range);

/// HVS-I + HVS-II as most forensic mtDNA statistics quote them: 16024-16365 and 73-340.
mt::CoveredRange hvs1hvs2Range();

}  // namespace kinmatch::engine
