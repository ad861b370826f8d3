// SPDX-License-Identifier: MIT
#include "engine/LineageSimulation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "engine/Errors.hpp"
#include "engine/Lineage.hpp"
#include "engine/LineageSimulationModel.hpp"
#include "engine/MtComparison.hpp"
#include "engine/Simulation.hpp"

namespace kinmatch::engine {

using namespace lineage_model;
using Rng = detail::LineageRng;

namespace {

// Each use of randomness has its own family of streams, so that e.g. family 7 and remains 7
// never share numbers. Typing streams are offset by the sample kind.
enum Stream : std::uint64_t {
    kSiteRates = 101,
    kMtTree,
    kYTree,
    kSubLineage,
    kFamilyTruth,
    kFamilyTyping,
    kPopulation,
    kRemainsTruth,
    kRemainsChoice,
    kQuality,
    kDatabaseMt,
    kDatabaseY,
    kTypeMt = 200,  // + kind
    kTypeY = 210,   // + kind
};

bool inControlRegion(int position) noexcept {
    return position >= 16024 || position <= 576;
}

char transitionOf(char base) noexcept {
    switch (base) {
        case 'A':
            return 'G';
        case 'G':
            return 'A';
        case 'C':
            return 'T';
        case 'T':
            return 'C';
        default:
            return 0;
    }
}

char iupac(char a, char b) noexcept {
    const unsigned m = mt::baseMask(a) | mt::baseMask(b);
    for (char code : {'R', 'Y', 'K', 'M', 'S', 'W'})
        if (mt::baseMask(code) == m) return code;
    return 0;
}

char refBase(int position) noexcept {
    return mt::rcrs()[static_cast<std::size_t>(position - 1)];
}

// The base at a point position: its variant's, else rCRS's.
std::vector<mt::Variant>::iterator findPoint(std::vector<mt::Variant>& variants, int position) {
    return std::lower_bound(variants.begin(), variants.end(), mt::Variant{static_cast<std::uint16_t>(position), 0, 0},
                            [](const mt::Variant& a, const mt::Variant& b) {
                                return std::pair(a.position, a.insertion) < std::pair(b.position, b.insertion);
                            });
}

void setBase(std::vector<mt::Variant>& variants, int position, char base) {
    auto at = findPoint(variants, position);
    const bool present = at != variants.end() && at->position == position && at->insertion == 0;
    if (base == refBase(position)) {
        if (present) variants.erase(at);
    } else if (present) {
        at->base = base;
    } else {
        variants.insert(at, mt::Variant{static_cast<std::uint16_t>(position), 0, base});
    }
}

char baseAt(std::vector<mt::Variant>& variants, int position) {
    auto at = findPoint(variants, position);
    return at != variants.end() && at->position == position && at->insertion == 0 ? at->base : refBase(position);
}

struct YSlots {
    std::vector<int> locusOf;  // slot -> index into yLocusSpecs
    std::vector<int> modal;    // tenths
    int dys389i = -1;
    int dys389ii = -1;
    int dys458 = -1;
};
const YSlots& ySlots() {
    static const YSlots slots = [] {
        YSlots s;
        const auto& specs = yLocusSpecs();
        for (std::size_t l = 0; l < specs.size(); ++l)
            for (int c = 0; c < specs[l].locus.copies; ++c) {
                const std::string_view name = specs[l].locus.name;
                if (name == "DYS389I") s.dys389i = static_cast<int>(s.modal.size());
                if (name == "DYS389II") s.dys389ii = static_cast<int>(s.modal.size());
                if (name == "DYS458") s.dys458 = static_cast<int>(s.modal.size());
                s.locusOf.push_back(static_cast<int>(l));
                s.modal.push_back(10 * specs[l].modal[c]);
            }
        return s;
    }();
    return slots;
}

void requireRate(double value, const char* name, double max) {
    if (!std::isfinite(value) || value < 0.0 || value > max)
        throw UsageError(std::string(name) + ": " + std::to_string(value) + " is outside [0, " + std::to_string(max) +
                         "]");
}

// Zipf weights (rank + offset)^-exponent over a shuffled order, as a cumulative table: a few
// common clades and a long tail whatever shape the random tree took.
std::vector<double> zipfCdf(std::size_t n, double offset, double exponent, Rng& rng) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    std::vector<double> weight(n);
    for (std::size_t r = 0; r < n; ++r) weight[order[r]] = std::pow(static_cast<double>(r) + offset, -exponent);
    std::vector<double> cdf(n);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) cdf[i] = total += weight[i];
    return cdf;
}

// A haplogroup tree grown level by level: each node gets between(min, max) children, each
// child the parent changed by `mutate(child, level)`; the leaves (the clades) are appended to
// `leaves` depth first. mtDNA and Y trees differ only in what a node is and how it mutates.
template <typename Node, typename Mutate>
void growTree(const Node& root, std::span<const TreeLevel> levels, Rng& rng, Mutate&& mutate,
              std::vector<Node>& leaves) {
    auto grow = [&](auto&& self, const Node& parent, std::size_t level) -> void {
        if (level == levels.size()) {
            leaves.push_back(parent);
            return;
        }
        const TreeLevel& l = levels[level];
        for (int c = rng.between(l.minChildren, l.maxChildren); c > 0; --c) {
            Node child = parent;
            mutate(child, level);
            self(self, child, level + 1);
        }
    };
    grow(grow, root, 0);
}

std::size_t familyIndexOf(const std::string& name) {
    std::size_t index = 0;
    const auto [end, error] =
        std::from_chars(name.data() + std::min<std::size_t>(1, name.size()), name.data() + name.size(), index);
    if (error != std::errc() || end != name.data() + name.size() || index == 0 ||
        Simulation::familyName(index - 1) != name)
        throw std::logic_error("LineageSimulation: \"" + name + "\" is not a simulated family name");
    return index - 1;
}

}  // namespace

void validateLineageSimulationOptions(const LineageSimulationOptions& options) {
    requireRate(options.mtGermlineRate, "mtDNA germline rate", 1.0);
    requireRate(options.mtHeteroplasmyRate, "mtDNA heteroplasmy rate", 1.0);
    requireRate(options.yRateScale, "Y-STR rate scale", 100.0);
}

const std::vector<SimulatedYLocus>& simulatedYLoci() {
    static const std::vector<SimulatedYLocus> loci = [] {
        std::vector<SimulatedYLocus> out;
        for (const auto& spec : yLocusSpecs()) out.push_back(spec.locus);
        return out;
    }();
    return loci;
}

LineageSimulation::LineageSimulation(const LineageSimulationOptions& options) : options_(options) {
    validateLineageSimulationOptions(options);

    Rng sites(kSiteRateSeed, kSiteRates, 0);
    std::vector<double> rate(mt::kGenomeLength);
    for (int p = 1; p <= mt::kGenomeLength; ++p) {
        double u = sites.uniform();
        const std::span<const RateClass> classes = inControlRegion(p)
                                                       ? std::span<const RateClass>(kControlRegionClasses)
                                                       : std::span<const RateClass>(kCodingClasses);
        for (const RateClass& c : classes)
            if ((u -= c.share) < 0.0 || &c == &classes.back()) {
                rate[static_cast<std::size_t>(p - 1)] = c.rate;
                break;
            }
        if (refBase(p) == 'N') rate[static_cast<std::size_t>(p - 1)] = 0.0;  // rCRS 3107 is a placeholder
    }
    for (const auto& [p, multiple] : kHotSites) rate[static_cast<std::size_t>(p - 1)] = multiple;
    siteCdf_.resize(rate.size());
    double total = 0.0;
    for (std::size_t i = 0; i < rate.size(); ++i) siteCdf_[i] = total += rate[i];

    // mtDNA haplogroup tree: every branch adds Poisson(mean) mutations; leaves are the clades.
    Rng mtTree(options.seed, kMtTree, 0);
    std::vector<mt::Variant> root(std::begin(kRootVariants), std::end(kRootVariants));
    std::sort(root.begin(), root.end());
    growTree(
        root, kMtLevels, mtTree,
        [&](std::vector<mt::Variant>& child, std::size_t level) {
            for (int k = mtTree.poisson(kMtLevels[level].branch); k > 0; --k) mutateMt(child, mtTree, false);
            if (mtTree.chance(kBranch249del)) setBase(child, 249, '-');
        },
        mtLeaves_);
    mtLeafCdf_ = zipfCdf(mtLeaves_.size(), kCladeZipfOffset, kCladeZipfExponent, mtTree);
    subLineageCdf_.resize(kSubLineages);
    total = 0.0;
    for (std::size_t s = 0; s < kSubLineages; ++s)
        subLineageCdf_[s] = total += std::pow(double(s + 1), -kSubLineageExponent);

    // Y: rates per copy slot, then the tree of modal haplotypes.
    const YSlots& slots = ySlots();
    const auto& yhrd = ystr::yhrdRelease61Rates();
    for (std::size_t s = 0; s < slots.modal.size(); ++s) {
        const std::string key = ystr::locusKey(yLocusSpecs()[static_cast<std::size_t>(slots.locusOf[s])].locus.name);
        double r = key == "DYS385" ? kDys385CopyRate : key == "DYF387S1" ? kDyf387s1CopyRate : *yhrd.rateOf(key);
        // DYS389II is reported including DYS389I, whose mutations move both (mutateY); its own
        // part mutates at the difference of the published rates.
        if (key == "DYS389II") r = std::max(0.0, r - *yhrd.rateOf("DYS389I"));
        yCopyRates_.push_back(r * options.yRateScale);
    }
    Rng yTree(options.seed, kYTree, 0);
    const std::vector<std::int16_t> yRoot(slots.modal.begin(), slots.modal.end());
    growTree(
        yRoot, kYLevels, yTree,
        [&](std::vector<std::int16_t>& child, std::size_t level) {
            mutateY(child, kYLevels[level].branch, yTree);
            if (level == 0 && yTree.chance(kBranchDys458Partial)) child[static_cast<std::size_t>(slots.dys458)] += 2;
        },
        yLeaves_);
    yLeafCdf_ = zipfCdf(yLeaves_.size(), kCladeZipfOffset, kCladeZipfExponent, yTree);
}

void LineageSimulation::mutateMt(std::vector<mt::Variant>& variants, Rng& rng, bool heteroplasmic) const {
    const int p = static_cast<int>(rng.pick(siteCdf_)) + 1;
    const char current = baseAt(variants, p);
    if (!transitionOf(current)) return;  // deleted or heteroplasmic: leave it
    char next = transitionOf(current);
    if (!rng.chance(inControlRegion(p) ? kTransitionShareControl : kTransitionShareCoding)) {
        const char* transversions = (current == 'A' || current == 'G') ? "CT" : "AG";
        next = transversions[rng.below(2)];
    }
    setBase(variants, p, heteroplasmic ? iupac(current, next) : next);
}

int LineageSimulation::mutateY(std::vector<std::int16_t>& alleles, double generations, Rng& rng) const {
    const YSlots& slots = ySlots();
    int events = 0;
    auto step = [&](std::size_t s, int steps) {
        const int modal = slots.modal[s];
        const int partial = alleles[s] % 10;
        int v = alleles[s] - partial + 10 * steps;
        const int lo = modal - 10 * kYSpread;
        const int hi = modal + 10 * kYSpread;
        if (v < lo) v = 2 * lo - v;
        if (v > hi) v = 2 * hi - v;
        alleles[s] = static_cast<std::int16_t>(v + partial);
    };
    for (std::size_t s = 0; s < alleles.size(); ++s) {
        for (int k = rng.poisson(yCopyRates_[s] * generations); k > 0; --k) {
            const int size = rng.chance(kTwoStepShare) ? 2 : 1;
            const int steps = rng.below(2) ? size : -size;
            step(s, steps);
            if (static_cast<int>(s) == slots.dys389i) step(static_cast<std::size_t>(slots.dys389ii), steps);
            ++events;
        }
    }
    return events;
}

std::vector<mt::Variant> LineageSimulation::drawMt(Rng& rng) const {
    const std::size_t clade = rng.pick(mtLeafCdf_);
    std::vector<mt::Variant> variants = mtLeaves_[clade];
    if (rng.uniform() >= kCladeRootShare) {
        // The sub-lineage's mutations come from its own stream, so every founder drawing it
        // gets the same haplotype.
        const std::size_t sub = rng.pick(subLineageCdf_);
        Rng subRng(options_.seed, kSubLineage, (static_cast<std::uint64_t>(clade) << 20) | sub);
        for (int k = 1 + subRng.poisson(kSubLineageMutations); k > 0; --k) mutateMt(variants, subRng, false);
    }
    for (int k = rng.poisson(kPrivateMutations); k > 0; --k) mutateMt(variants, rng, false);
    return variants;
}

std::vector<std::int16_t> LineageSimulation::drawY(Rng& rng) const {
    std::vector<std::int16_t> alleles = yLeaves_[rng.pick(yLeafCdf_)];
    mutateY(alleles, kYPrivateMinimum + rng.exponential(kYPrivateGenerations), rng);
    return alleles;
}

LineageTruth LineageSimulation::populationDraw(std::uint64_t key, bool male) const {
    Rng rng(options_.seed, kPopulation, key);
    LineageTruth t;
    t.mt = drawMt(rng);
    if (male) t.y = drawY(rng);
    return t;
}

std::vector<LineageTruth> LineageSimulation::familyTruth(const FamilyRecord& family, std::uint64_t key) const {
    const lineage::Pedigree pedigree = lineage::pedigreeOf(family);
    const auto& members = pedigree.members;
    std::vector<LineageTruth> truth(members.size());
    std::vector<bool> done(members.size(), false);
    Rng rng(options_.seed, kFamilyTruth, key);
    // Parents before children whatever the file order; a pass that makes no progress means a
    // person is their own ancestor.
    for (std::size_t left = members.size(); left > 0;) {
        const std::size_t before = left;
        for (std::size_t i = 0; i < members.size(); ++i) {
            const auto& m = members[i];
            if (done[i] || (m.mother >= 0 && !done[static_cast<std::size_t>(m.mother)]) ||
                (m.father >= 0 && !done[static_cast<std::size_t>(m.father)]))
                continue;
            LineageTruth& t = truth[i];
            const bool male = m.sex == Sex::kMale;
            if (m.mother < 0) {
                t.mt = drawMt(rng);
            } else {
                t.mt = truth[static_cast<std::size_t>(m.mother)].mt;
                for (auto& v : t.mt)
                    if (mt::isHeteroplasmy(v.base) && !rng.chance(kHeteroplasmyKept)) {
                        const unsigned mask = mt::baseMask(v.base);
                        const unsigned low = mask & (~mask + 1);
                        const unsigned bit = rng.below(2) ? low : mask & ~low;
                        v.base = "ACGT"[bit == 1 ? 0 : bit == 2 ? 1 : bit == 4 ? 2 : 3];
                    }
                std::erase_if(t.mt,
                              [](const mt::Variant& v) { return v.insertion == 0 && v.base == refBase(v.position); });
                if (rng.chance(options_.mtGermlineRate)) {
                    mutateMt(t.mt, rng, rng.chance(kGermlineAsHeteroplasmy));
                    t.mtMutations = 1;
                }
            }
            if (male) {
                const auto* father = m.father >= 0 ? &truth[static_cast<std::size_t>(m.father)] : nullptr;
                if (father && father->y) {
                    t.y = father->y;
                    t.yMutations = mutateY(*t.y, 1.0, rng);
                } else {
                    t.y = drawY(rng);
                }
            }
            done[i] = true;
            --left;
        }
        if (left == before) throw InputError("family " + family.name + ": a person is their own ancestor");
    }
    return truth;
}

mt::Haplotype LineageSimulation::typeMt(const LineageTruth& truth, std::string sample, LineageSampleKind kind,
                                        std::uint64_t key) const {
    Rng rng(options_.seed, kTypeMt + static_cast<std::uint64_t>(kind), key);
    mt::Haplotype h;
    h.sample = std::move(sample);
    const double u = rng.uniform();
    const bool remains = kind == LineageSampleKind::kRemains;
    if (remains && Rng(options_.seed, kQuality, key).chance(kRemainsDegraded)) {
        // Each mini-amplicon is lost with a probability set by how degraded the bone is; at
        // least two survive (else the sample would be a failure, not a result).
        const double loss = 0.15 + 0.45 * rng.uniform();
        std::vector<std::pair<int, int>> kept;
        for (const auto& a : kAmplicons)
            if (rng.uniform() >= loss) kept.push_back(a);
        while (kept.size() < 2) {
            const auto& a = kAmplicons[rng.below(std::size(kAmplicons))];
            if (std::find(kept.begin(), kept.end(), a) == kept.end()) kept.push_back(a);
        }
        for (const auto& [first, last] : kept) h.range.add(first, last);
    } else if (u < (remains ? kRemainsWholeGenomeShare : kWholeGenomeShare)) {
        h.range = mt::CoveredRange::whole();
    } else if (!remains && u < kWholeGenomeShare + kHvsOnlyShare) {
        h.range = hvs1hvs2Range();
    } else {
        h.range.add(16024, 576);
    }
    for (const auto& v : truth.mt)
        if (h.range.contains(v.position)) h.variants.push_back(v);

    if (h.range.contains(309) && rng.chance(k309Insertion)) {
        h.variants.push_back({309, 1, 'C'});
        if (rng.chance(k309SecondInsertion)) h.variants.push_back({309, 2, 'C'});
    }
    const bool longStretch = baseAt(h.variants, 16189) == 'C';
    if (h.range.contains(16193) && rng.chance(longStretch ? k16193WithLongStretch : k16193Otherwise)) {
        h.variants.push_back({16193, 1, 'C'});
        if (longStretch && rng.chance(k16193Second)) h.variants.push_back({16193, 2, 'C'});
    }
    std::sort(h.variants.begin(), h.variants.end());
    if (rng.chance(options_.mtHeteroplasmyRate)) {
        for (int attempt = 0; attempt < 32; ++attempt) {
            const int p = static_cast<int>(rng.pick(siteCdf_)) + 1;
            if (!h.range.contains(p)) continue;
            const char current = baseAt(h.variants, p);
            if (transitionOf(current)) setBase(h.variants, p, iupac(current, transitionOf(current)));
            break;
        }
    }
    mt::normalise(h);
    return h;
}

std::optional<ystr::Haplotype> LineageSimulation::typeY(const LineageTruth& truth, std::string sample,
                                                        LineageSampleKind kind, std::uint64_t key) const {
    if (!truth.y) return std::nullopt;
    Rng rng(options_.seed, kTypeY + static_cast<std::uint64_t>(kind), key);
    const bool yfilerOnly = rng.chance(kind == LineageSampleKind::kDatabase    ? kYfilerDatabase
                                       : kind == LineageSampleKind::kReference ? kYfilerReferences
                                                                               : 0.0);
    // The same quality draw as typeMt's: a degraded bone is degraded for both.
    Rng quality(options_.seed, kQuality, key);
    const bool degraded = kind == LineageSampleKind::kRemains && quality.chance(kRemainsDegraded);
    const double severity = quality.uniform();
    ystr::Haplotype h;
    h.sample = std::move(sample);
    const auto& specs = yLocusSpecs();
    for (std::size_t l = 0, s = 0; l < specs.size(); s += static_cast<std::size_t>(specs[l].locus.copies), ++l) {
        const bool lost = degraded && rng.chance(kYLossBySize[specs[l].size] * (0.5 + severity));
        if ((yfilerOnly && !specs[l].locus.inYfiler) || lost) continue;
        ystr::AlleleSet alleles;
        for (int c = 0; c < specs[l].locus.copies; ++c) {
            const int v = (*truth.y)[s + static_cast<std::size_t>(c)];
            alleles.push_back(ystr::Allele{v / 10, v % 10});
        }
        std::sort(alleles.begin(), alleles.end());
        alleles.erase(std::unique(alleles.begin(), alleles.end()), alleles.end());
        h.loci.emplace(ystr::locusKey(specs[l].locus.name), std::move(alleles));
    }
    if (h.loci.empty()) {  // keep the sample typed at its shortest locus
        const auto& first = specs.front();
        const int v = (*truth.y)[0];
        h.loci.emplace(ystr::locusKey(first.locus.name), ystr::AlleleSet{ystr::Allele{v / 10, v % 10}});
    }
    return h;
}

LineageProfiles LineageSimulation::familyReferences(const FamilyRecord& family, std::uint64_t key) const {
    const std::vector<LineageTruth> truth = familyTruth(family, key);
    const auto lines = lineage::linesOf(family);
    std::vector<bool> maternal(family.persons.size(), false);
    std::vector<bool> paternal(family.persons.size(), false);
    for (const auto& mp : lines) {
        for (const auto& r : mp.maternal) maternal[static_cast<std::size_t>(r.person)] = true;
        for (const auto& r : mp.paternal) paternal[static_cast<std::size_t>(r.person)] = true;
    }
    Rng rng(options_.seed, kFamilyTyping, key);
    LineageProfiles out;
    for (std::size_t p = 0; p < family.persons.size(); ++p) {
        const PersonRecord& person = family.persons[p];
        if (person.sample == ".") continue;
        // Both draws are always made, so one person's choice never shifts another's.
        const bool mt = rng.chance(maternal[p] ? kMtOnLine : kMtOffLine);
        const bool y = rng.chance(paternal[p] ? kYOnLine : kYOffLine);
        const std::uint64_t sampleKey = (key << 12) ^ p;
        if (mt) out.mtdna.push_back(typeMt(truth[p], person.sample, LineageSampleKind::kReference, sampleKey));
        if (y)
            if (auto h = typeY(truth[p], person.sample, LineageSampleKind::kReference, sampleKey))
                out.ystr.push_back(std::move(*h));
    }
    return out;
}

std::vector<mt::Haplotype> LineageSimulation::mtDatabase(std::uint64_t first, std::size_t count) const {
    std::vector<mt::Haplotype> out;
    out.reserve(count);
    for (std::uint64_t i = first; i < first + count; ++i) {
        Rng rng(options_.seed, kDatabaseMt, i);
        const LineageTruth t{drawMt(rng), std::nullopt, 0, 0};
        std::string name = Simulation::familyName(i);  // F0000001: reuse the zero padding
        out.push_back(typeMt(t, "MT-DB-" + name.substr(1), LineageSampleKind::kDatabase, i));
    }
    return out;
}

std::vector<ystr::Haplotype> LineageSimulation::yDatabase(std::uint64_t first, std::size_t count) const {
    std::vector<ystr::Haplotype> out;
    out.reserve(count);
    for (std::uint64_t i = first; i < first + count; ++i) {
        Rng rng(options_.seed, kDatabaseY, i);
        const LineageTruth t{{}, drawY(rng), 0, 0};
        std::string name = Simulation::familyName(i);
        out.push_back(*typeY(t, "Y-DB-" + name.substr(1), LineageSampleKind::kDatabase, i));
    }
    return out;
}

LineageProfiles LineageSimulation::caseReferences(const Simulation& simulation, std::size_t first,
                                                  std::size_t count) const {
    const PedigreeSet pedigrees = simulation.pedigrees(first, count);
    LineageProfiles out;
    for (std::size_t i = 0; i < pedigrees.families.size(); ++i) {
        LineageProfiles family = familyReferences(pedigrees.families[i], first + i);
        std::move(family.mtdna.begin(), family.mtdna.end(), std::back_inserter(out.mtdna));
        std::move(family.ystr.begin(), family.ystr.end(), std::back_inserter(out.ystr));
    }
    return out;
}

LineageProfiles LineageSimulation::caseRemains(const Simulation& simulation, std::size_t first,
                                               std::size_t count) const {
    const SimulatedRemains remains = simulation.remains(first, count);
    LineageProfiles out;
    for (std::size_t i = 0; i < remains.truth.size(); ++i) {
        const TruthRow& row = remains.truth[i];
        const std::uint64_t index = first + i;
        Rng choice(options_.seed, kRemainsChoice, index);
        const double mtTyped = choice.uniform();
        const double yTyped = choice.uniform();
        const double maleDraw = choice.uniform();
        LineageTruth truth;
        if (row.family == ".") {
            Rng rng(options_.seed, kRemainsTruth, index);
            truth.mt = drawMt(rng);
            if (maleDraw < kUnrelatedRemainsMale) truth.y = drawY(rng);
        } else {
            const std::size_t family = familyIndexOf(row.family);
            const PedigreeSet pedigree = simulation.pedigrees(family, 1);
            const auto& persons = pedigree.families.front().persons;
            const auto person = std::find_if(persons.begin(), persons.end(),
                                             [&](const PersonRecord& p) { return p.id == row.missing; });
            if (person == persons.end())
                throw std::logic_error("LineageSimulation: " + row.missing + " is not in " + row.family);
            truth = familyTruth(pedigree.families.front(), family)[static_cast<std::size_t>(person - persons.begin())];
        }
        if (mtTyped < kRemainsMt) out.mtdna.push_back(typeMt(truth, row.remains, LineageSampleKind::kRemains, index));
        if (yTyped < kRemainsY)
            if (auto h = typeY(truth, row.remains, LineageSampleKind::kRemains, index))
                out.ystr.push_back(std::move(*h));
    }
    return out;
}

mt::CoveredRange hvs1hvs2Range() {
    mt::CoveredRange range;
    range.add(16024, 16365);
    range.add(73, 340);
    return range;
}

MtDiversity mtDiversity(std::span<const mt::Haplotype> haplotypes, const mt::CoveredRange& range) {
    const auto hotspots = mt::defaultHotspots();
    std::map<std::vector<mt::Variant>, std::size_t> counts;
    MtDiversity d;
    for (const auto& h : haplotypes) {
        if (h.range.intersect(range) != range) continue;
        ++counts[mt::withoutHotspotLengthVariants(mt::restrictTo(h, range), hotspots).variants];
        ++d.haplotypes;
    }
    double pairs = 0.0;
    for (const auto& [variants, n] : counts) {
        d.singletons += n == 1;
        d.mostCommon = std::max(d.mostCommon, n);
        pairs += static_cast<double>(n) * static_cast<double>(n - 1);
    }
    d.distinct = counts.size();
    const double n = static_cast<double>(d.haplotypes);
    d.randomMatchFraction = d.haplotypes > 1 ? pairs / (n * (n - 1.0)) : 0.0;
    return d;
}

}  // namespace kinmatch::engine
