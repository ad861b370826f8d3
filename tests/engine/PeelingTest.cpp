// SPDX-License-Identifier: MIT
// The peeling pass is checked against jointWithTarget (variable elimination over every
// allele, an independent exact method) on random loop-free pedigrees, and against textbook
// values on hand-derived ones.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "engine/LrTable.hpp"
#include "engine/MutationModel.hpp"
#include "engine/Peeling.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

// Owns the vectors a MarkerModelView points into.
struct OwnedModel {
    std::vector<double> frequencies;
    std::vector<double> male;
    std::vector<double> female;
    std::string description;
    MarkerModelView view() const {
        return {static_cast<int>(frequencies.size()), frequencies, male, female};
    }
};

std::vector<double> identity(int n) {
    std::vector<double> m(static_cast<std::size_t>(n) * n, 0.0);
    for (int a = 0; a < n; ++a) m[a * n + a] = 1.0;
    return m;
}

OwnedModel mendelModel(std::vector<double> frequencies) {
    const int n = static_cast<int>(frequencies.size());
    return {std::move(frequencies), identity(n), identity(n), "none"};
}

OwnedModel randomModel(std::mt19937_64& rng, int n, int kind) {
    std::uniform_real_distribution<double> unit(0.05, 1.0);
    OwnedModel model;
    model.frequencies.resize(n);
    for (double& f : model.frequencies) f = unit(rng);
    const double total = std::accumulate(model.frequencies.begin(), model.frequencies.end(), 0.0);
    for (double& f : model.frequencies) f /= total;
    // Numeric labels with a microvariant now and then, so stepwise has several groups.
    std::vector<std::string> labels;
    for (int a = 0; a < n; ++a) labels.push_back(a % 4 == 3 ? std::to_string(9 + a) + ".3" : std::to_string(10 + a));
    auto matrix = [&](MutationModelKind k, double rate) {
        return buildMutationMatrix(MutationParameters{k, rate, k == MutationModelKind::kStepwise ? 0.001 : 0.0, 0.4},
                                   "M", labels, model.frequencies);
    };
    switch (kind) {
    case 0:
        model.male = model.female = identity(n);
        model.description = "none";
        break;
    case 1:
        model.male = model.female = matrix(MutationModelKind::kEqual, 0.02);
        model.description = "equal";
        break;
    case 2:
        model.male = model.female = matrix(MutationModelKind::kStepwise, 0.01);
        model.description = "stepwise";
        break;
    case 3:
        model.male = matrix(MutationModelKind::kEqual, 0.03);
        model.female = matrix(MutationModelKind::kStepwise, 0.005);
        model.description = "sex-specific equal/stepwise";
        break;
    case 4:
        model.male = matrix(MutationModelKind::kProportional, 0.004);
        model.female = matrix(MutationModelKind::kProportional, 0.001);
        model.description = "sex-specific proportional";
        break;
    default: {
        // Arbitrary row-stochastic matrices, different per sex: no symmetry to hide a
        // transposed index or a swapped sex.
        for (auto* m : {&model.male, &model.female}) {
            m->resize(static_cast<std::size_t>(n) * n);
            for (int a = 0; a < n; ++a) {
                double row = 0.0;
                for (int c = 0; c < n; ++c) row += (*m)[a * n + c] = unit(rng) * unit(rng);
                for (int c = 0; c < n; ++c) (*m)[a * n + c] /= row;
            }
        }
        model.description = "random matrices";
    }
    }
    return model;
}

// A random pedigree whose persons-and-matings graph is a forest by construction: a new
// mating joins a person either to a new founder or to a person of another connected part.
std::vector<PedigreeMember> randomLoopFreePedigree(std::mt19937_64& rng, int size, const std::vector<double>& freqs,
                                                   double typedFraction) {
    std::vector<PedigreeMember> members;
    std::vector<bool> male;
    std::vector<int> part;  // connected part of each person (merged by relabelling)
    std::vector<std::pair<int, int>> matings;
    std::vector<std::pair<int, int>> alleles;  // dropped without mutation, for consistent data
    std::discrete_distribution<int> allele(freqs.begin(), freqs.end());
    auto pick = [&](int count) { return std::uniform_int_distribution<int>(0, count - 1)(rng); };
    auto addFounder = [&](bool isMale) {
        members.push_back({});
        male.push_back(isMale);
        part.push_back(static_cast<int>(members.size()) - 1);
        alleles.emplace_back(allele(rng), allele(rng));
        return static_cast<int>(members.size()) - 1;
    };
    auto addChild = [&](int father, int mother) {
        const int c = addFounder(pick(2) == 0);
        members[c].father = father;
        members[c].mother = mother;
        alleles[c] = {pick(2) ? alleles[father].first : alleles[father].second,
                      pick(2) ? alleles[mother].first : alleles[mother].second};
        const int childPart = part[c];
        const int motherPart = part[mother];
        const int fatherPart = part[father];
        for (int& p : part)
            if (p == childPart || p == motherPart) p = fatherPart;
        return c;
    };
    addFounder(true);
    while (static_cast<int>(members.size()) < size) {
        const int action = pick(10);
        if (action == 0) {
            addFounder(pick(2) == 0);
        } else if (action <= 4 && !matings.empty()) {
            const auto [f, m] = matings[pick(static_cast<int>(matings.size()))];
            addChild(f, m);
        } else {
            const int x = pick(static_cast<int>(members.size()));
            std::vector<int> spouses;
            for (int y = 0; y < static_cast<int>(members.size()); ++y)
                if (male[y] != male[x] && part[y] != part[x]) spouses.push_back(y);
            const int y = spouses.empty() || pick(3) == 0 ? addFounder(!male[x]) : spouses[pick(static_cast<int>(spouses.size()))];
            const int f = male[x] ? x : y;
            const int m = male[x] ? y : x;
            matings.emplace_back(f, m);
            addChild(f, m);
        }
    }
    std::bernoulli_distribution typed(typedFraction);
    std::bernoulli_distribution arbitrary(0.1);  // sometimes data that contradict each other
    const int n = static_cast<int>(freqs.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!typed(rng)) continue;
        auto [a, b] = arbitrary(rng) ? std::pair<int, int>{pick(n), pick(n)} : alleles[i];
        members[i].allele1 = std::min(a, b);
        members[i].allele2 = std::max(a, b);
    }
    // Shuffle the indices: the caller's order (by id) need not put parents first.
    std::vector<int> perm(members.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<PedigreeMember> shuffled(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
        PedigreeMember m = members[i];
        if (m.father >= 0) {
            m.father = perm[m.father];
            m.mother = perm[m.mother];
        }
        shuffled[perm[i]] = m;
    }
    return shuffled;
}

// Every entry within relative 1e-12 of VE; VE's exact zeros must be exact zeros.
void requireSameAsVariableElimination(std::span<const PedigreeMember> members, std::span<const int> targets,
                                      const MarkerModelView& model, const PeelingOptions& options = {}) {
    const auto peeled = jointsByPeeling(members, targets, model, options);
    REQUIRE(peeled.size() == targets.size());
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto reference = jointWithTarget(members, targets[k], model);
        REQUIRE(peeled[k].size() == reference.size());
        for (std::size_t g = 0; g < reference.size(); ++g) {
            INFO("target " << targets[k] << ", entry " << g << ": VE " << reference[g] << ", peeling " << peeled[k][g]);
            if (reference[g] == 0.0)
                REQUIRE(peeled[k][g] == 0.0);
            else
                REQUIRE(std::abs(peeled[k][g] - reference[g]) <= 1e-12 * std::abs(reference[g]));
        }
    }
}

PedigreeMember child(int father, int mother, int a1 = -1, int a2 = -1) { return {father, mother, a1, a2}; }
PedigreeMember founder(int a1 = -1, int a2 = -1) { return {-1, -1, a1, a2}; }

// Posterior of the unordered genotype a/b from an ordered joint, divided by Hardy-Weinberg.
double lrOf(const std::vector<double>& joint, const std::vector<double>& f, int a, int b) {
    const int n = static_cast<int>(f.size());
    const double total = std::accumulate(joint.begin(), joint.end(), 0.0);
    const double posterior = a == b ? joint[a * n + a] : joint[a * n + b] + joint[b * n + a];
    return posterior / total / (a == b ? f[a] * f[a] : 2 * f[a] * f[b]);
}

}  // namespace

TEST_CASE("Peeling equals variable elimination on random loop-free pedigrees", "[engine][peeling]") {
    std::mt19937_64 rng(20240611);
    int checked = 0;
    int nonZero = 0;
    for (int round = 0; round < 360; ++round) {
        const int n = 2 + round % 11;  // 2..12 alleles
        const OwnedModel model = randomModel(rng, n, round % 6);
        const int size = 2 + static_cast<int>(rng() % 14);  // up to 15 members
        const auto members = randomLoopFreePedigree(rng, size, model.frequencies, round % 3 == 0 ? 0.2 : 0.5);
        REQUIRE(isLoopFree(members));
        std::vector<int> all(members.size());
        std::iota(all.begin(), all.end(), 0);
        std::shuffle(all.begin(), all.end(), rng);
        const std::size_t targetCount = 1 + rng() % std::min<std::size_t>(3, members.size());
        std::vector<int> targets(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(targetCount));
        INFO("round " << round << ", " << members.size() << " members, n = " << n << ", model " << model.description);
        requireSameAsVariableElimination(members, targets, model.view());
        // The same with every mating forced onto the dense O(n^4) path.
        if (round % 4 == 0) requireSameAsVariableElimination(members, targets, model.view(), PeelingOptions{1});
        ++checked;
        const auto joint = jointWithTarget(members, targets[0], model.view());
        if (std::accumulate(joint.begin(), joint.end(), 0.0) > 0.0) ++nonZero;
    }
    // Most random data sets must be consistent, or the comparison would be mostly zeros.
    CHECK(checked == 360);
    CHECK(nonZero > 300);
}

TEST_CASE("Peeling handles hand-built shapes exactly like variable elimination", "[engine][peeling]") {
    std::mt19937_64 rng(7);
    for (int kind = 0; kind < 6; ++kind) {
        const OwnedModel model = randomModel(rng, 6, kind);
        INFO("model " << model.description);
        SECTION("several untyped children with descendants in one mating (" + model.description + ")") {
            // 0 x 1 have untyped children 2, 3, 4, each with a typed child by its own spouse.
            const std::vector<PedigreeMember> m{founder(),       founder(),      child(0, 1),     child(0, 1),
                                                child(0, 1),     founder(),      founder(1, 3),   founder(0, 0),
                                                child(2, 5, 0, 2), child(3, 6, 1, 3), child(4, 7, 0, 4), child(0, 1, 2, 4)};
            requireSameAsVariableElimination(m, std::vector<int>{0, 2, 11}, model.view());
            requireSameAsVariableElimination(m, std::vector<int>{9}, model.view(), PeelingOptions{1});
        }
        SECTION("person with several matings and half-siblings (" + model.description + ")") {
            // 0 has children by 1 and by 2; his son 5 has a child by 6.
            const std::vector<PedigreeMember> m{founder(1, 2),     founder(),         founder(0, 3), child(0, 1, 1, 4),
                                                child(0, 2, 3, 3), child(0, 2),       founder(),     child(5, 6, 2, 5)};
            requireSameAsVariableElimination(m, std::vector<int>{5, 1, 7}, model.view());
        }
        SECTION("disconnected parts and typed targets (" + model.description + ")") {
            const std::vector<PedigreeMember> m{founder(0, 1), founder(), child(0, 1, 1, 2),
                                                founder(3, 4), founder(),  child(3, 4, 4, 5), founder(2, 2)};
            requireSameAsVariableElimination(m, std::vector<int>{2, 6}, model.view());
            requireSameAsVariableElimination(m, std::vector<int>{5, 1}, model.view());
        }
    }
}

TEST_CASE("Peeling gives the textbook LRs of a parent and of a full sibling", "[engine][peeling]") {
    const std::vector<double> f{0.1, 0.2, 0.3, 0.15, 0.25};
    const OwnedModel model = mendelModel(f);
    SECTION("typed father a/b: LR(a/c) = 1/(4 p_a), the paternity index") {
        const std::vector<PedigreeMember> m{founder(0, 1), founder(), child(0, 1)};
        const auto joints = jointsByPeeling(m, std::vector<int>{2}, model.view());
        CHECK(lrOf(joints[0], f, 0, 2) == Approx(1.0 / (4 * f[0])).epsilon(1e-12));
        CHECK(lrOf(joints[0], f, 1, 3) == Approx(1.0 / (4 * f[1])).epsilon(1e-12));
        CHECK(lrOf(joints[0], f, 2, 3) == 0.0);
    }
    SECTION("full sibling a/b with untyped parents: LR(a/b) = (1 + p_a + p_b + 2 p_a p_b) / (8 p_a p_b)") {
        const std::vector<PedigreeMember> m{founder(), founder(), child(0, 1, 1, 3), child(0, 1)};
        const auto joints = jointsByPeeling(m, std::vector<int>{3}, model.view());
        CHECK(lrOf(joints[0], f, 1, 3) == Approx((1 + f[1] + f[3] + 2 * f[1] * f[3]) / (8 * f[1] * f[3])).epsilon(1e-12));
        // Sharing no allele: only IBD 0 (probability 1/4) remains.
        CHECK(lrOf(joints[0], f, 0, 2) == Approx(0.25).epsilon(1e-12));
    }
    SECTION("a disconnected typed person multiplies the joint by its genotype probability") {
        const std::vector<PedigreeMember> alone{founder(0, 1), founder(), child(0, 1)};
        std::vector<PedigreeMember> withStranger = alone;
        withStranger.push_back(founder(2, 4));
        const auto a = jointsByPeeling(alone, std::vector<int>{2}, model.view());
        const auto b = jointsByPeeling(withStranger, std::vector<int>{2}, model.view());
        for (std::size_t g = 0; g < a[0].size(); ++g) CHECK(b[0][g] == Approx(a[0][g] * 2 * f[2] * f[4]).epsilon(1e-12));
    }
}

TEST_CASE("Loops are detected, and a looped family still gets the VE tables", "[engine][peeling]") {
    // 0 x 1 -> 2, 3; 2 x 4 -> 6; 3 x 5 -> 7; 6 x 7 (first cousins) -> 8.
    std::vector<PedigreeMember> cousins{founder(), founder(), child(0, 1), child(0, 1), founder(),
                                        founder(), child(2, 4, 0, 1), child(5, 3, 1, 2), child(6, 7)};
    SECTION("cousin marriage") {
        CHECK_FALSE(isLoopFree(cousins));
        CHECK_FALSE(isPeelable(cousins, std::vector<int>{8}));
        // Its untyped, non-target child carries nothing: once it is pruned the loop is gone.
        CHECK(isPeelable(cousins, std::vector<int>{2}));
        const OwnedModel model = mendelModel({0.2, 0.3, 0.5});
        requireSameAsVariableElimination(cousins, std::vector<int>{2}, model.view());
        CHECK_THROWS_AS(jointsByPeeling(cousins, std::vector<int>{8}, model.view()), std::logic_error);
    }
    SECTION("child of two half-siblings") {
        // 0 x 1 -> 3; 0 x 2 -> 4; 3 x 4 -> 5.
        const std::vector<PedigreeMember> halfSibs{founder(), founder(), founder(), child(0, 1), child(0, 2),
                                                   child(3, 4)};
        CHECK_FALSE(isLoopFree(halfSibs));
        CHECK(isLoopFree(std::span<const PedigreeMember>(halfSibs).first(5)));
    }
    SECTION("full siblings, half-siblings and remarriage are no loops") {
        const std::vector<PedigreeMember> m{founder(), founder(), founder(), child(0, 1), child(0, 1),
                                            child(0, 2), founder(), child(3, 6)};
        CHECK(isLoopFree(m));
    }
    SECTION("through buildMarkerTables, the looped family's tables come from variable elimination") {
        PreparedCase c;
        c.markers.push_back(Marker{"M1", {"10", "11", "12"}, {0.2, 0.3, 0.5}});
        c.references.push_back(Sample{"A", {Genotype{0, 1}}});
        c.references.push_back(Sample{"B", {Genotype{1, 2}}});
        Family family{"F", {}, {8}};
        for (std::size_t i = 0; i < cousins.size(); ++i)
            family.persons.push_back(Person{std::to_string(i), cousins[i].father, cousins[i].mother, Sex::kUnknown,
                                            i == 6 ? 0 : (i == 7 ? 1 : -1), i == 8});
        c.families.push_back(family);
        const MutationModel mutation{{MutationModelKind::kEqual, 0.01, 0.0, 0.5},
                                     {MutationModelKind::kEqual, 0.01, 0.0, 0.5}};
        const auto matrices = buildMarkerMatrices(c.markers, mutation);
        std::vector<std::string> notes;
        const auto tables = buildMarkerTables(c, 0, 0, matrices[0], false, notes);
        std::vector<PedigreeMember> members = cousins;
        for (auto& m : members) m.allele1 = m.allele2 = -1;
        members[6] = child(2, 4, 0, 1);
        members[7] = child(5, 3, 1, 2);
        const auto joint = jointWithTarget(members, 8, {3, c.markers[0].frequencies, matrices[0].male, matrices[0].female});
        const std::vector<double>& f = c.markers[0].frequencies;
        for (int b = 0; b < 3; ++b)
            for (int a = 0; a <= b; ++a)
                CHECK(tables[0].log10Lr[genotypeIndex(a, b)] == Approx(std::log10(lrOf(joint, f, a, b))).epsilon(1e-12));
    }
}

TEST_CASE("buildMarkerTables on a loop-free family matches tables built from variable elimination", "[engine][peeling]") {
    // Grandfather typed, his son untyped, two grandchildren missing; the uncle typed.
    PreparedCase c;
    c.markers.push_back(Marker{"M1", {"10", "11", "12", "13"}, {0.1, 0.2, 0.3, 0.4}});
    c.references.push_back(Sample{"GF", {Genotype{0, 1}}});
    c.references.push_back(Sample{"UNCLE", {Genotype{1, 3}}});
    Family family{"F", {}, {5, 6}};
    const std::vector<std::pair<int, int>> parents{{-1, -1}, {-1, -1}, {0, 1}, {0, 1}, {-1, -1}, {2, 4}, {2, 4}};
    for (int i = 0; i < 7; ++i)
        family.persons.push_back(Person{std::to_string(i), parents[i].first, parents[i].second, Sex::kUnknown,
                                        i == 0 ? 0 : (i == 3 ? 1 : -1), i >= 5});
    c.families.push_back(family);
    const MutationModel mutation{{MutationModelKind::kEqual, 0.02, 0.0, 0.5}, {MutationModelKind::kEqual, 0.005, 0.0, 0.5}};
    const auto matrices = buildMarkerMatrices(c.markers, mutation);
    std::vector<std::string> notes;
    const auto tables = buildMarkerTables(c, 0, 0, matrices[0], false, notes);
    REQUIRE(tables.size() == 2);
    std::vector<PedigreeMember> members;
    for (int i = 0; i < 7; ++i) members.push_back({parents[i].first, parents[i].second});
    members[0].allele1 = 0, members[0].allele2 = 1;
    members[3].allele1 = 1, members[3].allele2 = 3;
    const auto& f = c.markers[0].frequencies;
    for (std::size_t k = 0; k < 2; ++k) {
        const auto joint = jointWithTarget(members, family.missingPersons[k], {4, f, matrices[0].male, matrices[0].female});
        const auto mendel = jointWithTarget(members, family.missingPersons[k], {4, f, matrices[0].identity, matrices[0].identity});
        for (int b = 0; b < 4; ++b)
            for (int a = 0; a <= b; ++a) {
                const std::size_t g = genotypeIndex(a, b);
                CHECK(tables[k].log10Lr[g] == Approx(std::log10(lrOf(joint, f, a, b))).epsilon(1e-12));
                const double possible = a == b ? mendel[a * 4 + a] : mendel[a * 4 + b] + mendel[b * 4 + a];
                CHECK(tables[k].mendelianPossible[g] == (possible > 0.0 ? 1 : 0));
            }
    }
}

TEST_CASE("Peeling handles many children of untyped founders and untyped uncles exactly", "[engine][peeling]") {
    std::mt19937_64 rng(11);
    for (int kind = 0; kind < 6; ++kind) {
        const OwnedModel model = randomModel(rng, 7, kind);
        INFO("model " << model.description);
        // 0 x 1 untyped founders; children 2..6: up to five typed siblings and a target.
        for (int typedSiblings = 1; typedSiblings <= 5; ++typedSiblings) {
            std::vector<PedigreeMember> m{founder(), founder()};
            for (int s = 0; s < typedSiblings; ++s) m.push_back(child(0, 1, s % 3, (s + 2) % 4));
            m.push_back(child(0, 1));
            const int target = static_cast<int>(m.size()) - 1;
            INFO(typedSiblings << " typed siblings");
            requireSameAsVariableElimination(m, std::vector<int>{target}, model.view());
            requireSameAsVariableElimination(m, std::vector<int>{target, 0}, model.view());
        }
        // First cousin: 0 x 1 -> 2, 3 (untyped); 2 x 4 -> 6 (typed); 3 x 5 -> 7 (target),
        // and a second typed cousin 8 so that the uncle's message has several terms.
        const std::vector<PedigreeMember> cousins{founder(),       founder(), child(0, 1),     child(0, 1), founder(),
                                                  founder(),       child(2, 4, 1, 3), child(3, 5), child(2, 4, 0, 3)};
        requireSameAsVariableElimination(cousins, std::vector<int>{7}, model.view());
        requireSameAsVariableElimination(cousins, std::vector<int>{7, 2}, model.view());
        // With one typed cousin the uncle's message is additive (two terms instead of n).
        const std::vector<PedigreeMember> oneCousin(cousins.begin(), cousins.begin() + 8);
        requireSameAsVariableElimination(oneCousin, std::vector<int>{7}, model.view());
        requireSameAsVariableElimination(oneCousin, std::vector<int>{7, 1}, model.view());
        // An uncle with a typed child by each of two wives (no additive shortcut there).
        std::vector<PedigreeMember> twoWives = cousins;
        twoWives.push_back(founder());
        twoWives.push_back(child(2, 9, 4, 4));
        requireSameAsVariableElimination(twoWives, std::vector<int>{7}, model.view());
    }
}

TEST_CASE("A peeling plan serves every marker with the same typed pattern", "[engine][peeling]") {
    std::mt19937_64 rng(99);
    for (int round = 0; round < 60; ++round) {
        const OwnedModel first = randomModel(rng, 3 + round % 9, round % 6);
        auto members = randomLoopFreePedigree(rng, 2 + static_cast<int>(rng() % 12), first.frequencies, 0.5);
        const std::vector<int> targets{static_cast<int>(rng() % members.size())};
        const PeelingPlan plan(members, targets);
        REQUIRE(plan.peelable() == isPeelable(members, targets));
        if (!plan.peelable()) continue;
        std::vector<std::vector<double>> joints;
        // Markers of other allele counts, models and genotypes, in one plan, one buffer set.
        for (int marker = 0; marker < 4; ++marker) {
            const int n = 2 + static_cast<int>(rng() % 12);
            const OwnedModel model = randomModel(rng, n, static_cast<int>(rng() % 6));
            for (auto& p : members)
                if (p.typed()) {
                    p.allele1 = static_cast<int>(rng() % n);
                    p.allele2 = std::max(p.allele1, static_cast<int>(rng() % n));
                }
            REQUIRE(plan.fits(members));
            plan.run(members, model.view(), joints);
            const auto expected = jointsByPeeling(members, targets, model.view());
            REQUIRE(joints == expected);  // the same arithmetic: bit for bit
            INFO("round " << round << ", marker " << marker << ", model " << model.description);
            requireSameAsVariableElimination(members, targets, model.view());
        }
        // Another typed pattern does not fit.
        auto other = members;
        other[0].allele1 = other[0].typed() ? -1 : 0;
        other[0].allele2 = other[0].typed() ? -1 : 0;
        CHECK_FALSE(plan.fits(other));
        CHECK_THROWS_AS(plan.run(other, first.view(), joints), std::logic_error);
    }
}

TEST_CASE("buildFamilyTables equals buildMarkerTables marker by marker", "[engine][peeling]") {
    // Grandfather typed at some markers only (the typed pattern changes), his son untyped,
    // two grandchildren missing; the uncle typed everywhere.
    PreparedCase c;
    c.markers.push_back(Marker{"M1", {"10", "11", "12", "13"}, {0.1, 0.2, 0.3, 0.4}});
    c.markers.push_back(Marker{"M2", {"7", "8", "9"}, {0.5, 0.3, 0.2}});
    c.markers.push_back(Marker{"M3", {"14", "15", "16", "17", "18"}, {0.3, 0.1, 0.2, 0.25, 0.15}});
    c.markers.push_back(Marker{"M4", {"20", "21"}, {0.6, 0.4}});
    c.references.push_back(Sample{"GF", {Genotype{0, 1}, Genotype{}, Genotype{2, 4}, Genotype{}}});
    c.references.push_back(Sample{"UNCLE", {Genotype{1, 3}, Genotype{0, 2}, Genotype{2, 2}, Genotype{0, 1}}});
    Family family{"F", {}, {5, 6}};
    const std::vector<std::pair<int, int>> parents{{-1, -1}, {-1, -1}, {0, 1}, {0, 1}, {-1, -1}, {2, 4}, {2, 4}};
    for (int i = 0; i < 7; ++i)
        family.persons.push_back(Person{std::to_string(i), parents[i].first, parents[i].second, Sex::kUnknown,
                                        i == 0 ? 0 : (i == 3 ? 1 : -1), i >= 5});
    c.families.push_back(family);
    for (const auto kind : {MutationModelKind::kNone, MutationModelKind::kEqual, MutationModelKind::kProportional}) {
        const MutationParameters params{kind, kind == MutationModelKind::kNone ? 0.0 : 0.01, 0.0, 0.5};
        const MutationModel mutation{params, params};
        const auto matrices = buildMarkerMatrices(c.markers, mutation);
        for (const auto values : {TableValues::kLog10, TableValues::kRatio}) {
            std::vector<std::string> notesFamily, notesMarker;
            const auto all = buildFamilyTables(c, 0, matrices, mutation.isNone(), notesFamily, values);
            REQUIRE(all.size() == c.markers.size());
            for (std::size_t m = 0; m < c.markers.size(); ++m) {
                const auto one =
                    buildMarkerTables(c, 0, static_cast<int>(m), matrices[m], mutation.isNone(), notesMarker, values);
                REQUIRE(all[m].size() == one.size());
                for (std::size_t k = 0; k < one.size(); ++k) {
                    CHECK(all[m][k].log10Lr == one[k].log10Lr);
                    CHECK(all[m][k].ratio == one[k].ratio);
                    CHECK(all[m][k].mendelianPossible == one[k].mendelianPossible);
                    CHECK(all[m][k].relativeTyped == one[k].relativeTyped);
                }
            }
            CHECK(notesFamily == notesMarker);
        }
    }
}
