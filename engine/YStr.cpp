// SPDX-License-Identifier: MIT
#include "engine/YStr.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <utility>

#include "engine/HaplotypeFrequency.hpp"

namespace kinmatch::engine::ystr {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

void assertRate(double mu) {
    if (!(mu >= 0.0 && mu <= 1.0))
        throw std::invalid_argument("Y-STR mutation rate " + std::to_string(mu) + " is outside [0, 1]");
}

// The signed whole-step difference b - a, or nullopt when the partial bases differ.
std::optional<int> stepsBetween(const Allele& a, const Allele& b) {
    if (a.partial != b.partial) return std::nullopt;
    return b.repeats - a.repeats;
}

// Pairs each allele of `larger` with one of `smaller` in sorted order (a non-decreasing map
// onto `smaller`), calling `visit` with the index of the partner of every allele of `larger`.
void forEachOrderedPairing(std::size_t largerSize, std::size_t smallerSize,
                           const std::function<void(const std::vector<std::size_t>&)>& visit) {
    std::vector<std::size_t> partner(largerSize, 0);
    // Position i may take partner p when the rest can still reach every later partner.
    const std::function<void(std::size_t, std::size_t)> extend = [&](std::size_t i, std::size_t p) {
        partner[i] = p;
        if (i + 1 == largerSize) {
            if (p + 1 == smallerSize) visit(partner);
            return;
        }
        const std::size_t remaining = largerSize - i - 1;
        // Stay on p or move to p + 1; never skip a partner (each is used at least once).
        extend(i + 1, p);
        if (p + 1 < smallerSize && remaining >= smallerSize - p - 1) extend(i + 1, p + 1);
    };
    if (largerSize > 0 && smallerSize > 0) extend(0, 0);
}

LocusComparison compareLocus(const std::string& locus, const AlleleSet& a, const AlleleSet& b) {
    LocusComparison result{.locus = locus, .steps = 0, .copySteps = {}, .stepwise = false};
    const bool aLarger = a.size() >= b.size();
    const AlleleSet& larger = aLarger ? a : b;
    const AlleleSet& smaller = aLarger ? b : a;
    bool found = false;
    forEachOrderedPairing(larger.size(), smaller.size(), [&](const std::vector<std::size_t>& partner) {
        std::vector<int> copySteps;
        int steps = 0;
        for (std::size_t i = 0; i < larger.size(); ++i) {
            const Allele& fromA = aLarger ? larger[i] : smaller[partner[i]];
            const Allele& fromB = aLarger ? smaller[partner[i]] : larger[i];
            const auto d = stepsBetween(fromA, fromB);
            if (!d) return;
            copySteps.push_back(*d);
            steps += std::abs(*d);
        }
        if (!found || steps < result.steps) {
            result.steps = steps;
            result.copySteps = std::move(copySteps);
            result.stepwise = true;
            found = true;
        }
    });
    return result;
}

}  // namespace

std::string toString(const Allele& allele) {
    std::string out = std::to_string(allele.repeats);
    if (allele.partial != 0) {
        // Two appends, not "." + to_string(...): g++ 12 raises a false -Wrestrict on the latter.
        out += '.';
        out += std::to_string(allele.partial);
    }
    return out;
}

std::optional<Allele> tryParseAllele(std::string_view label) {
    const std::size_t dot = label.find('.');
    const std::string_view whole = label.substr(0, dot);
    if (whole.empty() || whole.size() > 3 || !std::all_of(whole.begin(), whole.end(), isDigit)) return std::nullopt;
    Allele allele;
    for (char c : whole) allele.repeats = allele.repeats * 10 + (c - '0');
    if (dot != std::string_view::npos) {
        const std::string_view partial = label.substr(dot + 1);
        if (partial.size() != 1 || !isDigit(partial[0])) return std::nullopt;
        allele.partial = partial[0] - '0';
    }
    if (allele.repeats < 1) return std::nullopt;
    return allele;
}

std::string locusKey(std::string_view name) {
    std::string key;
    for (char c : name) {
        if (c == ' ' || c == '-' || c == '_' || c == '\t') continue;
        key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (key == "GATAH4" || key == "GATAH4.1" || key == "YGATAH4.1") return "YGATAH4";
    if (key.size() > 3 && key.ends_with("A/B") && (key.starts_with("DYS") || key.starts_with("DYF")))
        key.resize(key.size() - 3);
    return key;
}

std::size_t maxCopies(std::string_view key) {
    static const std::map<std::string, std::size_t, std::less<>> kMultiCopy = {
        {"DYF387S1", 2}, {"DYF395S1", 2}, {"DYF399S1", 3}, {"DYF404S1", 2},
        {"DYS385", 2},   {"DYS459", 2},   {"DYS464", 4},   {"DYS527", 2},
    };
    const auto it = kMultiCopy.find(key);
    return it == kMultiCopy.end() ? 1 : it->second;
}

std::optional<double> MutationRates::rateOf(std::string_view key) const {
    const auto it = perLocus.find(std::string(key));
    if (it == perLocus.end()) return std::nullopt;
    return it->second;
}

double stepDifferenceProbability(int steps, int meioses, double mu) {
    if (meioses < 0) throw std::invalid_argument("number of meioses must not be negative");
    assertRate(mu);
    const int d = std::abs(steps);
    if (d > meioses) return 0.0;
    // dist[k + n] = P(net change k) after the meioses so far; every term is a sum of
    // non-negative products, so the convolution is exact up to rounding.
    const int n = meioses;
    std::vector<double> dist(2 * static_cast<std::size_t>(n) + 1, 0.0);
    std::vector<double> next(dist.size(), 0.0);
    dist[static_cast<std::size_t>(n)] = 1.0;
    for (int m = 0; m < n; ++m) {
        std::fill(next.begin(), next.end(), 0.0);
        for (std::size_t k = 0; k < dist.size(); ++k) {
            if (dist[k] == 0.0) continue;
            next[k] += dist[k] * (1.0 - mu);
            if (k > 0) next[k - 1] += dist[k] * (mu / 2.0);
            if (k + 1 < next.size()) next[k + 1] += dist[k] * (mu / 2.0);
        }
        std::swap(dist, next);
    }
    return dist[static_cast<std::size_t>(n + d)];
}

std::vector<LocusComparison> compare(const Haplotype& a, const Haplotype& b) {
    std::vector<LocusComparison> result;
    auto itA = a.loci.begin();
    auto itB = b.loci.begin();
    while (itA != a.loci.end() && itB != b.loci.end()) {
        if (itA->first < itB->first) {
            ++itA;
        } else if (itB->first < itA->first) {
            ++itB;
        } else {
            if (!itA->second.empty() && !itB->second.empty())
                result.push_back(compareLocus(itA->first, itA->second, itB->second));
            ++itA;
            ++itB;
        }
    }
    return result;
}

Database::Database(std::vector<Haplotype> haplotypes) : haplotypes_(std::move(haplotypes)) {}

Database::Count Database::count(const Haplotype& query, const std::vector<std::string>& loci) const {
    std::vector<const AlleleSet*> wanted;
    wanted.reserve(loci.size());
    for (const std::string& locus : loci) {
        const auto it = query.loci.find(locus);
        if (it == query.loci.end())
            throw std::invalid_argument("haplotype " + query.sample + " is not typed at " + locus);
        wanted.push_back(&it->second);
    }
    Count count;
    for (const Haplotype& entry : haplotypes_) {
        bool comparable = true;
        bool matches = true;
        for (std::size_t i = 0; i < loci.size() && comparable; ++i) {
            const auto it = entry.loci.find(loci[i]);
            if (it == entry.loci.end()) {
                comparable = false;
            } else if (it->second != *wanted[i]) {
                matches = false;
            }
        }
        if (!comparable) continue;
        ++count.comparable;
        if (matches) ++count.matches;
    }
    return count;
}

double Database::frequencyUpperBound(const Haplotype& query, const std::vector<std::string>& loci,
                                     double confidence) const {
    const Count c = count(query, loci);
    if (c.comparable == 0) return 1.0;
    return clopperPearsonUpper(c.matches, c.comparable, confidence);
}

double Database::frequencyUpperBound(const Haplotype& query, double confidence) const {
    std::vector<std::string> loci;
    for (const auto& [locus, alleles] : query.loci) loci.push_back(locus);
    return frequencyUpperBound(query, loci, confidence);
}

std::string_view toString(Outcome outcome) {
    switch (outcome) {
        case Outcome::kCannotExclude: return "cannot_exclude";
        case Outcome::kInconclusive: return "inconclusive";
        case Outcome::kExclusion: return "exclusion";
    }
    return "unknown";
}

Evidence compareForLr(const Haplotype& remains, const Haplotype& reference, int meioses, const MutationRates& rates,
                       const OutcomeThresholds& thresholds) {
    if (meioses < 1) throw std::invalid_argument("a Y-STR comparison needs at least one meiosis between the two men");
    if (thresholds.inconclusiveFrom < 1 || thresholds.exclusionFrom < thresholds.inconclusiveFrom)
        throw std::invalid_argument("Y-STR outcome thresholds need 1 <= inconclusive <= exclusion");
    Evidence evidence;
    evidence.meioses = meioses;
    evidence.loci = compare(remains, reference);
    double log10P = 0.0;
    for (const LocusComparison& locus : evidence.loci) {
        if (locus.differs()) ++evidence.differingLoci;
        if (!locus.stepwise) {
            evidence.nonStepwiseLoci.push_back(locus.locus);
            continue;
        }
        const auto mu = rates.rateOf(locus.locus);
        if (!mu) {
            evidence.lociWithoutRate.push_back(locus.locus);
            continue;
        }
        evidence.lrLoci.push_back(locus.locus);
        for (int d : locus.copySteps) log10P += std::log10(stepDifferenceProbability(d, meioses, *mu));
    }
    evidence.outcome = evidence.differingLoci >= thresholds.exclusionFrom      ? Outcome::kExclusion
                       : evidence.differingLoci >= thresholds.inconclusiveFrom ? Outcome::kInconclusive
                                                                              : Outcome::kCannotExclude;
    evidence.log10DifferenceProbability = log10P;
    evidence.log10Lr = log10P;
    return evidence;
}

void weighByCount(Evidence& evidence, const Database::Count& count, double confidence) {
    evidence.databaseCount = count;
    evidence.frequencyUpperBound =
        count.comparable == 0 ? 1.0 : clopperPearsonUpper(count.matches, count.comparable, confidence);
    evidence.log10Lr = evidence.log10DifferenceProbability - std::log10(evidence.frequencyUpperBound);
}

Evidence scorePair(const Haplotype& remains, const Haplotype& reference, int meioses, const MutationRates& rates,
                   const Database& database, const OutcomeThresholds& thresholds, double confidence) {
    Evidence evidence = compareForLr(remains, reference, meioses, rates, thresholds);
    weighByCount(evidence, database.count(remains, evidence.lrLoci), confidence);
    return evidence;
}

}  // namespace kinmatch::engine::ystr
