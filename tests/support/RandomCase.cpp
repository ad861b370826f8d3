// SPDX-License-Identifier: MIT
#include "tests/support/RandomCase.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace kinmatch::test {

namespace {

// Near-equal pairs: 1/(4p) differs by ~0.0004 log10 between them, well below 1/256.
const std::vector<double> kFrequencies{0.2, 0.2001, 0.1, 0.1001, 0.3998};

struct Builder {
    std::mt19937_64 rng;
    int markers;
    int draw(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
    int founderAllele() {
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
        double sum = 0.0;
        for (std::size_t a = 0; a < kFrequencies.size(); ++a) {
            sum += kFrequencies[a];
            if (u < sum) return static_cast<int>(a);
        }
        return static_cast<int>(kFrequencies.size()) - 1;
    }
    std::vector<std::pair<int, int>> founder() {
        std::vector<std::pair<int, int>> g(markers);
        for (auto& x : g) x = {founderAllele(), founderAllele()};
        return g;
    }
    std::vector<std::pair<int, int>> child(const std::vector<std::pair<int, int>>& f,
                                           const std::vector<std::pair<int, int>>& m) {
        std::vector<std::pair<int, int>> g(markers);
        for (int k = 0; k < markers; ++k)
            g[k] = {draw(2) ? f[k].first : f[k].second, draw(2) ? m[k].first : m[k].second};
        return g;
    }
};

std::string label(int allele) { return std::to_string(10 + allele); }

// Appending instead of `"M" + std::to_string(k)` avoids a GCC 12 -Wrestrict false positive.
std::string markerName(std::size_t k) {
    std::string name = "M";
    name += std::to_string(k);
    return name;
}

Profile profile(const std::string& name, const std::vector<std::pair<int, int>>& g, const std::vector<bool>& typed) {
    Profile p;
    p.sampleName = name;
    for (std::size_t k = 0; k < g.size(); ++k) {
        if (!typed[k]) continue;
        p.markers.push_back(MarkerCall{markerName(k), {label(g[k].first), label(g[k].second)}, {}});
    }
    return p;
}

}  // namespace

engine::PreparedCase makeRandomCase(const RandomCaseOptions& options) {
    Builder b{std::mt19937_64(options.seed), options.markers};
    FrequencyTable frequencies{"random", {}};
    for (int k = 0; k < options.markers; ++k) {
        MarkerFrequencies m{markerName(static_cast<std::size_t>(k)), {}, kFrequencies, {}};
        for (std::size_t a = 0; a < kFrequencies.size(); ++a) m.alleles.push_back(label(static_cast<int>(a)));
        frequencies.markers.push_back(m);
    }
    const std::vector<bool> allTyped(options.markers, true);
    ProfileSet references{"refs", {}};
    ProfileSet remains{"remains", {}};
    PedigreeSet pedigrees{"peds", {}};
    std::vector<std::vector<std::pair<int, int>>> missingGenotypes;

    for (int f = 0; f < options.families; ++f) {
        const std::string name = "F" + std::to_string(1000 + f);
        auto person = [&](const std::string& id, const std::string& father, const std::string& mother, Sex sex,
                          const std::string& sample, bool missing) {
            return PersonRecord{id, father, mother, sex, sample, missing, {}};
        };
        FamilyRecord family{name, {}};
        const auto father = b.founder();
        const auto mother = b.founder();
        const int shape = b.draw(4);
        const std::string ref = name + "-";
        if (shape == 0 && f > 0 && b.draw(2) == 0) {
            // A copy of the previous family under a new name: every pair ties exactly.
            family = pedigrees.families.back();
            family.name = name;
            const std::string oldPrefix = pedigrees.families.back().name + "-";
            for (auto& p : family.persons) {
                if (p.sample == ".") continue;
                const std::string old = p.sample;
                p.sample = ref + old.substr(oldPrefix.size());
                for (const auto& r : references.profiles)
                    if (r.sampleName == old) {
                        Profile copy = r;
                        copy.sampleName = p.sample;
                        references.profiles.push_back(copy);
                        break;
                    }
            }
            missingGenotypes.push_back(missingGenotypes.back());
            pedigrees.families.push_back(family);
            continue;
        }
        family.persons.push_back(person("father", "0", "0", Sex::kMale, shape == 0 ? ref + "father" : ".", false));
        family.persons.push_back(person("mother", "0", "0", Sex::kFemale, ".", false));
        const auto mp = b.child(father, mother);
        family.persons.push_back(person("mp", "father", "mother", Sex::kMale, ".", true));
        if (shape == 0) references.profiles.push_back(profile(ref + "father", father, allTyped));
        if (shape == 1) {
            family.persons.push_back(person("sib", "father", "mother", Sex::kFemale, ref + "sib", false));
            references.profiles.push_back(profile(ref + "sib", b.child(father, mother), allTyped));
        }
        if (shape == 2) {
            const auto grandfather = b.founder();
            family.persons[0].father = "gf";
            family.persons[0].mother = "gm";
            family.persons.push_back(person("gf", "0", "0", Sex::kMale, ref + "gf", false));
            family.persons.push_back(person("gm", "0", "0", Sex::kFemale, ".", false));
            references.profiles.push_back(profile(ref + "gf", grandfather, allTyped));
        }
        if (shape == 3) {
            // Two missing siblings and a typed mother.
            family.persons[1].sample = ref + "mother";
            references.profiles.push_back(profile(ref + "mother", mother, allTyped));
            family.persons.push_back(person("mp2", "father", "mother", Sex::kFemale, ".", true));
        }
        missingGenotypes.push_back(mp);
        pedigrees.families.push_back(family);
    }
    for (int r = 0; r < options.remains; ++r) {
        std::vector<bool> typed(options.markers, true);
        for (int k = 0; k < options.markers; ++k) typed[k] = b.draw(5) != 0;
        const bool related = b.draw(2) == 0;
        const auto g = related ? missingGenotypes[b.draw(static_cast<int>(missingGenotypes.size()))] : b.founder();
        remains.profiles.push_back(profile("R" + std::to_string(1000 + r), g, typed));
    }
    if (options.reverseFamilies) std::reverse(pedigrees.families.begin(), pedigrees.families.end());
    Warnings warnings;
    return engine::prepareCase(frequencies, references, pedigrees, remains, engine::PrepareOptions{}, warnings);
}

}  // namespace kinmatch::test
