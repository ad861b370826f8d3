// SPDX-License-Identifier: MIT
#pragma once

// Internal to LineageSimulation.cpp: the numbers of the lineage model in one place, each with
// where it comes from (or that it is a calibration choice; engine/README.md, "Lineage
// simulation", gives the figures they produce), and the random number generator.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/LineageSimulation.hpp"
#include "engine/MtHaplotype.hpp"

namespace kinmatch::engine {

namespace detail {

// splitmix64's output function: a bijective 64-bit mixer.
constexpr std::uint64_t mixBits(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// xoshiro256** seeded through splitmix64, as in Simulation.cpp (whose copy is private to that
// file): the std:: distributions differ between standard libraries, and a seed must give the
// same case everywhere.
struct LineageRng {
    LineageRng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) noexcept {
        std::uint64_t x = mixBits(mixBits(mixBits(seed) ^ stream) ^ index);
        for (auto& word : state) {
            x += 0x9e3779b97f4a7c15ULL;
            word = mixBits(x);
        }
    }
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(state[1] * 5, 7) * 9;
        const std::uint64_t t = state[1] << 17;
        state[2] ^= state[0];
        state[3] ^= state[1];
        state[1] ^= state[2];
        state[0] ^= state[3];
        state[2] ^= t;
        state[3] = rotl(state[3], 45);
        return result;
    }
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) noexcept { return uniform() < p; }
    std::size_t below(std::size_t n) noexcept {
        return std::min(static_cast<std::size_t>(uniform() * static_cast<double>(n)), n - 1);
    }
    int between(int lo, int hi) noexcept { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
    // Knuth's product method: fine for the small means used here (below ~30).
    int poisson(double mean) noexcept {
        const double limit = std::exp(-mean);
        int k = 0;
        for (double p = uniform(); p > limit; p *= uniform()) ++k;
        return k;
    }
    double exponential(double mean) noexcept { return -mean * std::log1p(-uniform()); }
    // An index drawn with the weights whose running sums `cdf` holds.
    std::size_t pick(const std::vector<double>& cdf) noexcept {
        const double u = uniform() * cdf.back();
        const auto at = std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
        return std::min(static_cast<std::size_t>(at), cdf.size() - 1);
    }
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state[4];
};

}  // namespace detail

namespace lineage_model {

// --- mtDNA sites ------------------------------------------------------------------------

// The site rates are "nature", the same for every seed, so hot sites stay where they are.
inline constexpr std::uint64_t kSiteRateSeed = 0x6d74646e61ULL;

// Control-region sites fall into four rate classes (most nearly invariant: gamma-like rate
// heterogeneity), coding sites into two whose mean is about a ninth of the control region's
// per site, so that the coding region (14x longer) collects ~1.5x the control region's
// mutations, as whole-mitogenome phylogenies show (Soares et al. 2009, Am J Hum Genet 84:740).
struct RateClass {
    double share;  // of the region's sites
    double rate;
};
inline constexpr RateClass kControlRegionClasses[] = {{0.6, 0.05}, {0.3, 1.0}, {0.09, 4.0}, {0.01, 20.0}};
inline constexpr RateClass kCodingClasses[] = {{0.5, 0.02}, {0.5, 0.2}};

// Fast control-region sites with a rate multiple of an ordinary variable site. The ranking
// follows the site rates of Soares et al. 2009 and the hypervariable sites Stoneking 2000
// (Am J Hum Genet 67:1029) lists; the multiples are set by hand.
inline constexpr std::pair<int, double> kHotSites[] = {
    {16519, 60}, {152, 40},   {16189, 30}, {146, 25},  {195, 25},  {16311, 25}, {16093, 20}, {150, 20},
    {16129, 18}, {16362, 18}, {16172, 12}, {198, 12},  {199, 10},  {16086, 10}, {16209, 10}, {16274, 8},
    {215, 8},    {16291, 8},  {16092, 8},  {16304, 8}, {16261, 8}, {16278, 8},  {16294, 8},  {189, 8},
    {200, 6},    {204, 6},    {207, 6},    {16163, 6}, {16266, 6}, {16188, 6},
};

// Transitions dominate: about 35:1 in the control region, 12:1 in coding genes (Soares 2009).
inline constexpr double kTransitionShareControl = 0.97;
inline constexpr double kTransitionShareCoding = 0.92;

// Alleles nearly everyone carries against rCRS (whose bases there are rare): every simulated
// lineage starts from them.
inline constexpr mt::Variant kRootVariants[] = {{263, 0, 'G'},  {315, 1, 'C'},  {750, 0, 'G'},  {1438, 0, 'G'},
                                                {4769, 0, 'G'}, {8860, 0, 'G'}, {15326, 0, 'G'}};

// --- genealogy --------------------------------------------------------------------------

// Children per node and mean branch length per level of the haplogroup trees: mtDNA in
// mutations anywhere in the genome, Y in generations.
struct TreeLevel {
    int minChildren, maxChildren;
    double branch;
};
inline constexpr TreeLevel kMtLevels[] = {{8, 14, 5.0}, {3, 8, 4.0}, {2, 6, 3.0}, {2, 5, 2.0}};
// The Y tree is shallow in generations: pedigree rates over the real tree's depth would
// spread alleles far wider than populations show (the "evolutionary" Y-STR rate is about a
// third of the pedigree rate), so depths are scaled to give allele ranges like real ones.
inline constexpr TreeLevel kYLevels[] = {{6, 10, 130.0}, {3, 6, 100.0}, {2, 5, 70.0}, {2, 4, 40.0}};
// Share of tree branches that carry 249del (a marker of East Asian haplogroup F): an indel
// outside the C-stretches, which compare counts.
inline constexpr double kBranch249del = 0.02;
// Share of major Y branches whose DYS458 alleles carry 2 extra bases (17.2, as in J2).
inline constexpr double kBranchDys458Partial = 0.15;

// Clade frequencies: Zipf (rank + offset)^-exponent over the leaves in random order, a few
// common clades and a long tail whatever shape the random tree took.
inline constexpr double kCladeZipfOffset = 3.0;
inline constexpr double kCladeZipfExponent = 1.5;

// Calibration: an mtDNA founder carries its clade's own haplotype with kCladeRootShare, else
// one of kSubLineages sub-lineages (Zipf kSubLineageExponent) with 1 + Poisson(0.5) more
// mutations; then Poisson(2.5) private mutations (about 1.2 in the control region). With the
// tree above this gives what forensic surveys report for European control regions: a
// random-match probability of 0.5-1% over HVS-I/II (Lutz et al. 1998, Budowle et al. 1999),
// most haplotypes seen once (982 of 1175 types in ~1650 US Caucasians, Parsons and Coble
// 2001), and the commonest (263G 315.1C) at a few per cent.
inline constexpr double kCladeRootShare = 0.45;
inline constexpr std::size_t kSubLineages = 5000;
inline constexpr double kSubLineageExponent = 1.1;
inline constexpr double kSubLineageMutations = 0.5;
inline constexpr double kPrivateMutations = 2.5;
// A Y founder's own line since its clade's modal: a star-like expansion with no line younger
// than a few hundred years (else unrelated men would share whole haplotypes far too often).
inline constexpr double kYPrivateMinimum = 30.0;
inline constexpr double kYPrivateGenerations = 80.0;

// A mother's point heteroplasmy segregates: a child keeps both bases with this probability,
// else one of them. A third of new germline mutations first show as a heteroplasmy.
inline constexpr double kHeteroplasmyKept = 0.5;
inline constexpr double kGermlineAsHeteroplasmy = 1.0 / 3.0;

// --- Y-STR kit --------------------------------------------------------------------------

// The Yfiler Plus loci in kit order. Modal alleles are common values; `size` ranks amplicon
// length roughly (2 = long, lost first in degraded bones).
struct YLocusSpec {
    SimulatedYLocus locus;
    int modal[2];
    int size;
};
inline const std::vector<YLocusSpec>& yLocusSpecs() {
    static const std::vector<YLocusSpec> specs{
        {{"DYS576", 1, false}, {18, 0}, 0},  {{"DYS389I", 1, true}, {13, 0}, 0}, {{"DYS635", 1, true}, {23, 0}, 2},
        {{"DYS389II", 1, true}, {29, 0}, 2}, {{"DYS627", 1, false}, {21, 0}, 2}, {{"DYS460", 1, false}, {11, 0}, 0},
        {{"DYS458", 1, true}, {17, 0}, 1},   {{"DYS19", 1, true}, {14, 0}, 0},   {{"Y-GATA-H4", 1, true}, {12, 0}, 1},
        {{"DYS448", 1, true}, {19, 0}, 2},   {{"DYS391", 1, true}, {10, 0}, 0},  {{"DYS456", 1, true}, {16, 0}, 1},
        {{"DYS390", 1, true}, {24, 0}, 1},   {{"DYS438", 1, true}, {12, 0}, 1},  {{"DYS392", 1, true}, {13, 0}, 0},
        {{"DYS518", 1, false}, {38, 0}, 2},  {{"DYS570", 1, false}, {17, 0}, 1}, {{"DYS437", 1, true}, {15, 0}, 0},
        {{"DYS385", 2, true}, {11, 14}, 1},  {{"DYS449", 1, false}, {30, 0}, 2}, {{"DYS393", 1, true}, {13, 0}, 0},
        {{"DYS439", 1, true}, {12, 0}, 1},   {{"DYS481", 1, false}, {22, 0}, 0}, {{"DYF387S1", 2, false}, {35, 37}, 2},
        {{"DYS533", 1, false}, {12, 0}, 0},
    };
    return specs;
}

// Per-copy rates of the multi-copy loci: YHRD gives none per copy (see YstrMutationRates.cpp),
// so these are this simulator's assumptions, about half of commonly quoted per-marker rates.
inline constexpr double kDys385CopyRate = 1.5e-3;
inline constexpr double kDyf387s1CopyRate = 6.0e-3;
// About 3% of observed Y-STR mutations are two-step.
inline constexpr double kTwoStepShare = 0.03;
// Alleles stay within this many repeats of the modal value (reflected at the bounds).
inline constexpr int kYSpread = 6;

// --- typing -----------------------------------------------------------------------------

// mtDNA ranges: references and database entries are control regions, some whole mitogenomes,
// some older HVS-I/II-only results; remains control regions, a few whole genomes, and a third
// degraded (mini-amplicons of the control region lost).
inline constexpr double kWholeGenomeShare = 0.07;
inline constexpr double kHvsOnlyShare = 0.10;
inline constexpr double kRemainsWholeGenomeShare = 0.05;
inline constexpr double kRemainsDegraded = 1.0 / 3.0;
inline constexpr std::pair<int, int> kAmplicons[] = {{16024, 16150}, {16151, 16270}, {16271, 16365}, {16366, 16480},
                                                     {16481, 16569}, {1, 120},       {121, 240},     {241, 340},
                                                     {341, 470},     {471, 576}};
// C-stretch length variants: frequent, unstable between generations, ignored by compare.
inline constexpr double k309Insertion = 0.35;         // 309.1C
inline constexpr double k309SecondInsertion = 0.3;    // 309.2C, given 309.1C
inline constexpr double k16193WithLongStretch = 0.7;  // 16193.1C when 16189C joins the stretch
inline constexpr double k16193Second = 0.2;           // 16193.2C, given 16193.1C
inline constexpr double k16193Otherwise = 0.01;

// Y kits: older references and database entries come from the 17-locus Yfiler kit. Degraded
// remains lose loci by amplicon size.
inline constexpr double kYfilerReferences = 0.1;
inline constexpr double kYfilerDatabase = 0.25;
inline constexpr double kYLossBySize[] = {0.05, 0.2, 0.6};

// Who is typed: relatives on a missing person's maternal line for mtDNA, men on a male missing
// person's paternal line for Y; a few others, as labs sometimes type whole families. Bones
// mostly give mtDNA, Y-STRs of a man less often (nuclear DNA degrades first).
inline constexpr double kMtOnLine = 0.9;
inline constexpr double kMtOffLine = 0.15;
inline constexpr double kYOnLine = 0.9;
inline constexpr double kYOffLine = 0.1;
inline constexpr double kRemainsMt = 0.92;
inline constexpr double kRemainsY = 0.7;
inline constexpr double kUnrelatedRemainsMale = 0.5;

}  // namespace lineage_model

}  // namespace kinmatch::engine
