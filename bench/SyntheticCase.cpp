// SPDX-License-Identifier: MIT
#include "bench/SyntheticCase.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kinmatch::bench {

namespace {

using engine::Family;
using engine::Genotype;
using engine::Marker;
using engine::Person;
using engine::PreparedCase;
using engine::Sample;

constexpr std::array<const char*, 21> kMarkerNames{
    "D3S1358", "vWA",     "D16S539",  "CSF1PO",  "TPOX",    "D8S1179", "D21S11",
    "D18S51",  "D2S441",  "D19S433",  "TH01",    "FGA",     "D22S1045", "D5S818",
    "D13S317", "D7S820",  "D10S1248", "D1S1656", "D12S391", "D2S1338", "SE33"};

std::vector<Marker> makeMarkers(const SyntheticCaseOptions& options, std::mt19937_64& rng) {
    std::vector<Marker> markers;
    std::uniform_int_distribution<int> alleleCount(options.minAlleles, options.maxAlleles);
    std::uniform_int_distribution<int> smallest(5, 15);
    std::exponential_distribution<double> weight(1.0);
    for (int m = 0; m < options.markers; ++m) {
        Marker marker;
        marker.name = kMarkerNames[static_cast<std::size_t>(m)];
        const int n = alleleCount(rng);
        const int first = smallest(rng);
        double total = 0.0;
        for (int a = 0; a < n; ++a) {
            marker.alleles.push_back(std::to_string(first + a));  // integer ladder: already in sorted order
            // Exponential weights are a flat Dirichlet draw; the floor keeps every allele possible.
            marker.frequencies.push_back(0.02 + weight(rng));
            total += marker.frequencies.back();
        }
        for (double& p : marker.frequencies) p /= total;
        markers.push_back(std::move(marker));
    }
    return markers;
}

// One allele drawn from a marker's frequencies.
class AlleleSampler {
public:
    explicit AlleleSampler(const std::vector<Marker>& markers) {
        for (const auto& m : markers) perMarker_.emplace_back(m.frequencies.begin(), m.frequencies.end());
    }
    int draw(std::size_t marker, std::mt19937_64& rng) { return perMarker_[marker](rng); }

private:
    std::vector<std::discrete_distribution<int>> perMarker_;
};

Genotype unordered(int a, int b) {
    if (a > b) std::swap(a, b);
    return Genotype{static_cast<std::int16_t>(a), static_cast<std::int16_t>(b)};
}

enum class Shape { kParentChild, kFullSiblings, kGrandparent, kUncle, kFirstCousin, kBothParents };
constexpr int kShapeCount = 6;

// A family under construction: persons in an order where parents come before children.
struct FamilyBuilder {
    Family family;
    std::vector<int> required;  // always typed
    std::vector<int> extras;    // typed when the drawn reference count asks for more

    int add(const std::string& id, int father, int mother, Sex sex, bool missing = false) {
        family.persons.push_back(Person{id, father, mother, sex, -1, missing});
        const int index = static_cast<int>(family.persons.size()) - 1;
        if (missing) family.missingPersons.push_back(index);
        return index;
    }
};

FamilyBuilder makeFamily(Shape shape, const std::string& name) {
    FamilyBuilder b;
    b.family.name = name;
    const Sex male = Sex::kMale;
    const Sex female = Sex::kFemale;
    switch (shape) {
        case Shape::kParentChild: {
            const int fa = b.add("fa", -1, -1, male);
            const int mo = b.add("mo", -1, -1, female);
            const int mp = b.add("mp", fa, mo, male, true);
            const int wife = b.add("wife", -1, -1, female);
            const int child = b.add("child", mp, wife, female);
            b.required = {fa};
            b.extras = {child, wife};
            break;
        }
        case Shape::kFullSiblings: {
            const int fa = b.add("fa", -1, -1, male);
            const int mo = b.add("mo", -1, -1, female);
            b.add("mp", fa, mo, male, true);
            const int s1 = b.add("sib1", fa, mo, female);
            const int s2 = b.add("sib2", fa, mo, male);
            const int s3 = b.add("sib3", fa, mo, female);
            b.required = {s1};
            b.extras = {s2, s3};
            break;
        }
        case Shape::kGrandparent: {
            const int gf = b.add("gf", -1, -1, male);
            const int gm = b.add("gm", -1, -1, female);
            const int fa = b.add("fa", gf, gm, male);
            const int mo = b.add("mo", -1, -1, female);
            b.add("mp", fa, mo, female, true);
            b.required = {gf};
            b.extras = {gm, mo};
            break;
        }
        case Shape::kUncle: {
            const int gf = b.add("gf", -1, -1, male);
            const int gm = b.add("gm", -1, -1, female);
            const int fa = b.add("fa", gf, gm, male);
            const int uncle = b.add("uncle", gf, gm, male);
            const int uncle2 = b.add("uncle2", gf, gm, male);
            const int mo = b.add("mo", -1, -1, female);
            b.add("mp", fa, mo, male, true);
            b.required = {uncle};
            b.extras = {uncle2, mo};
            break;
        }
        case Shape::kFirstCousin: {
            const int gf = b.add("gf", -1, -1, male);
            const int gm = b.add("gm", -1, -1, female);
            const int fa = b.add("fa", gf, gm, male);
            const int aunt = b.add("aunt", gf, gm, female);
            const int mo = b.add("mo", -1, -1, female);
            const int inLaw = b.add("uncleInLaw", -1, -1, male);
            b.add("mp", fa, mo, male, true);
            const int cousin = b.add("cousin", inLaw, aunt, female);
            const int cousin2 = b.add("cousin2", inLaw, aunt, male);
            b.required = {cousin};
            b.extras = {cousin2, mo};
            break;
        }
        case Shape::kBothParents: {
            const int fa = b.add("fa", -1, -1, male);
            const int mo = b.add("mo", -1, -1, female);
            b.add("mp", fa, mo, female, true);
            const int sib = b.add("sib", fa, mo, male);
            b.required = {fa, mo};
            b.extras = {sib};
            break;
        }
    }
    return b;
}

std::string numbered(const char* prefix, int i) {
    std::string digits = std::to_string(i);
    return prefix + std::string(digits.size() < 6 ? 6 - digits.size() : 0, '0') + digits;
}

}  // namespace

PreparedCase makeSyntheticCase(const SyntheticCaseOptions& options) {
    if (options.markers < 1 || options.markers > static_cast<int>(kMarkerNames.size()))
        throw std::invalid_argument("makeSyntheticCase: markers must be in [1, 21]");
    if (options.minAlleles < 2 || options.maxAlleles < options.minAlleles)
        throw std::invalid_argument("makeSyntheticCase: need 2 <= minAlleles <= maxAlleles");

    std::mt19937_64 rng(options.seed);
    PreparedCase c;
    c.markers = makeMarkers(options, rng);
    AlleleSampler sampler(c.markers);
    const std::size_t markerCount = c.markers.size();

    std::uniform_int_distribution<int> referenceCount(1, 3);
    std::bernoulli_distribution coin(0.5);
    for (int f = 0; f < options.families; ++f) {
        FamilyBuilder b = makeFamily(static_cast<Shape>(f % kShapeCount), numbered("F", f));

        // Gene drop without mutation: founders from the frequencies, children one allele of each parent.
        const std::size_t personCount = b.family.persons.size();
        std::vector<std::vector<std::array<int, 2>>> alleles(personCount, std::vector<std::array<int, 2>>(markerCount));
        for (std::size_t i = 0; i < personCount; ++i) {
            const Person& p = b.family.persons[i];
            for (std::size_t m = 0; m < markerCount; ++m) {
                if (p.father < 0) {
                    alleles[i][m] = {sampler.draw(m, rng), sampler.draw(m, rng)};
                } else {
                    const int paternal = alleles[static_cast<std::size_t>(p.father)][m][coin(rng) ? 1 : 0];
                    const int maternal = alleles[static_cast<std::size_t>(p.mother)][m][coin(rng) ? 1 : 0];
                    alleles[i][m] = {paternal, maternal};
                }
            }
        }

        std::vector<int> typed = b.required;
        std::shuffle(b.extras.begin(), b.extras.end(), rng);
        const std::size_t wanted = static_cast<std::size_t>(referenceCount(rng));
        for (std::size_t k = 0; typed.size() < wanted && k < b.extras.size(); ++k) typed.push_back(b.extras[k]);
        for (int i : typed) {
            Person& p = b.family.persons[static_cast<std::size_t>(i)];
            Sample s{b.family.name + "_" + p.id, {}};
            for (std::size_t m = 0; m < markerCount; ++m) {
                const auto& pair = alleles[static_cast<std::size_t>(i)][m];
                s.genotypes.push_back(unordered(pair[0], pair[1]));
            }
            p.reference = static_cast<int>(c.references.size());
            c.references.push_back(std::move(s));
        }
        c.families.push_back(std::move(b.family));
    }

    for (int r = 0; r < options.remains; ++r) {
        Sample s{numbered("R", r), {}};
        for (std::size_t m = 0; m < markerCount; ++m) s.genotypes.push_back(unordered(sampler.draw(m, rng), sampler.draw(m, rng)));
        c.remains.push_back(std::move(s));
    }
    return c;
}

}  // namespace kinmatch::bench
