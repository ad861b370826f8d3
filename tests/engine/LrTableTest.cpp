// SPDX-License-Identifier: MIT
// Hand-derived textbook LRs. Without mutation a pair of non-inbred relatives has
// LR = k0 + k1 * P(G2 | G1, one allele IBD) / P(G2) + k2 * [G1 == G2] / P(G2)
// with the IBD coefficients (k0, k1, k2) of the relationship (Thompson 1975; Weir et al.
// 2006). The formula is computed here independently of the peeling code and compared with
// the table the engine builds for every genotype the remains could have.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "engine/LrTable.hpp"
#include "engine/Matcher.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

const std::vector<double> kFreqs{0.1, 0.2, 0.3, 0.15, 0.25};

struct PersonSpec {
    std::string id;
    std::string father;
    std::string mother;
    Sex sex;
    bool typed = false;
    bool missing = false;
};

PreparedCase makeCase(const std::vector<PersonSpec>& persons, Genotype relativeGenotype) {
    PreparedCase c;
    Marker m{"M1", {"10", "11", "12", "13", "14"}, kFreqs};
    c.markers.push_back(m);
    c.references.push_back(Sample{"REF", {relativeGenotype}});
    Family f{"F", {}, {}};
    for (const auto& p : persons) f.persons.push_back(Person{p.id, -1, -1, p.sex, p.typed ? 0 : -1, p.missing});
    auto find = [&](const std::string& id) {
        for (std::size_t i = 0; i < persons.size(); ++i)
            if (persons[i].id == id) return static_cast<int>(i);
        return -1;
    };
    for (std::size_t i = 0; i < persons.size(); ++i) {
        f.persons[i].father = find(persons[i].father);
        f.persons[i].mother = find(persons[i].mother);
        if (persons[i].missing) f.missingPersons.push_back(static_cast<int>(i));
    }
    c.families.push_back(f);
    return c;
}

double hardyWeinberg(int a, int b) { return a == b ? kFreqs[a] * kFreqs[a] : 2 * kFreqs[a] * kFreqs[b]; }

double oneIbdProbability(int a, int b, int c, int d) {
    // The shared allele is either allele of G1 (1/2 each); the other allele of G2 is random.
    auto given = [&](int x) {
        if (c == d) return x == c ? kFreqs[c] : 0.0;
        return (x == c ? kFreqs[d] : 0.0) + (x == d ? kFreqs[c] : 0.0);
    };
    return 0.5 * given(a) + 0.5 * given(b);
}

double kappaLr(double k0, double k1, double k2, int a, int b, int c, int d) {
    const double p2 = hardyWeinberg(c, d);
    const bool same = (a == c && b == d) || (a == d && b == c);
    return k0 + k1 * oneIbdProbability(a, b, c, d) / p2 + k2 * (same ? 1.0 : 0.0) / p2;
}

std::vector<MarkerTable> tablesFor(const PreparedCase& c, const MutationModel& model = {}) {
    const auto matrices = buildMarkerMatrices(c.markers, model);
    std::vector<std::string> notes;
    return buildMarkerTables(c, 0, 0, matrices[0], model.isNone(), notes);
}

void requireKappaTable(const std::vector<PersonSpec>& persons, double k0, double k1, double k2) {
    for (const Genotype g1 : {Genotype{0, 1}, Genotype{2, 2}, Genotype{1, 4}}) {
        const auto tables = tablesFor(makeCase(persons, g1));
        REQUIRE(tables.size() == 1);
        for (int d = 0; d < 5; ++d)
            for (int c = 0; c <= d; ++c) {
                INFO("relative " << g1.allele1 << "/" << g1.allele2 << ", remains " << c << "/" << d);
                const double expected = kappaLr(k0, k1, k2, g1.allele1, g1.allele2, c, d);
                const double actual = tables[0].log10Lr[genotypeIndex(c, d)];
                if (expected == 0.0)
                    REQUIRE(std::isinf(actual));
                else
                    REQUIRE(std::pow(10.0, actual) == Approx(expected).epsilon(1e-12));
            }
    }
}

}  // namespace

TEST_CASE("Kinship LRs without mutation equal the IBD-coefficient formula", "[engine][lr]") {
    SECTION("parent-child (k = 0, 1, 0): a shared allele a gives 1/(4 p_a) for a heterozygous parent") {
        requireKappaTable({{"fa", "0", "0", Sex::kMale, true, false},
                           {"mo", "0", "0", Sex::kFemale, false, false},
                           {"mp", "fa", "mo", Sex::kMale, false, true}},
                          0, 1, 0);
        const auto tables = tablesFor(makeCase({{"fa", "0", "0", Sex::kMale, true, false},
                                                {"mo", "0", "0", Sex::kFemale, false, false},
                                                {"mp", "fa", "mo", Sex::kMale, false, true}},
                                               Genotype{0, 1}));
        REQUIRE(std::pow(10.0, tables[0].log10Lr[genotypeIndex(0, 2)]) == Approx(1.0 / (4 * kFreqs[0])).epsilon(1e-12));
    }
    SECTION("missing parent of a typed child (k = 0, 1, 0)") {
        requireKappaTable({{"mp", "0", "0", Sex::kMale, false, true},
                           {"mo", "0", "0", Sex::kFemale, false, false},
                           {"child", "mp", "mo", Sex::kFemale, true, false}},
                          0, 1, 0);
    }
    SECTION("full siblings with untyped parents (k = 1/4, 1/2, 1/4)") {
        requireKappaTable({{"fa", "0", "0", Sex::kMale, false, false},
                           {"mo", "0", "0", Sex::kFemale, false, false},
                           {"sib", "fa", "mo", Sex::kFemale, true, false},
                           {"mp", "fa", "mo", Sex::kMale, false, true}},
                          0.25, 0.5, 0.25);
    }
    SECTION("paternal half siblings (k = 1/2, 1/2, 0)") {
        requireKappaTable({{"fa", "0", "0", Sex::kMale, false, false},
                           {"mo1", "0", "0", Sex::kFemale, false, false},
                           {"mo2", "0", "0", Sex::kFemale, false, false},
                           {"sib", "fa", "mo1", Sex::kFemale, true, false},
                           {"mp", "fa", "mo2", Sex::kMale, false, true}},
                          0.5, 0.5, 0);
    }
    SECTION("grandparent with the parent untyped (k = 1/2, 1/2, 0)") {
        requireKappaTable({{"gf", "0", "0", Sex::kMale, true, false},
                           {"gm", "0", "0", Sex::kFemale, false, false},
                           {"fa", "gf", "gm", Sex::kMale, false, false},
                           {"mo", "0", "0", Sex::kFemale, false, false},
                           {"mp", "fa", "mo", Sex::kMale, false, true}},
                          0.5, 0.5, 0);
    }
    SECTION("uncle, avuncular (k = 1/2, 1/2, 0)") {
        requireKappaTable({{"gf", "0", "0", Sex::kMale, false, false},
                           {"gm", "0", "0", Sex::kFemale, false, false},
                           {"fa", "gf", "gm", Sex::kMale, false, false},
                           {"uncle", "gf", "gm", Sex::kMale, true, false},
                           {"mo", "0", "0", Sex::kFemale, false, false},
                           {"mp", "fa", "mo", Sex::kMale, false, true}},
                          0.5, 0.5, 0);
    }
    SECTION("first cousins (k = 3/4, 1/4, 0)") {
        requireKappaTable({{"gf", "0", "0", Sex::kMale, false, false},
                           {"gm", "0", "0", Sex::kFemale, false, false},
                           {"fa", "gf", "gm", Sex::kMale, false, false},
                           {"aunt", "gf", "gm", Sex::kFemale, false, false},
                           {"mo", "0", "0", Sex::kFemale, false, false},
                           {"uncleInLaw", "0", "0", Sex::kMale, false, false},
                           {"cousin", "uncleInLaw", "aunt", Sex::kMale, true, false},
                           {"mp", "fa", "mo", Sex::kMale, false, true}},
                          0.75, 0.25, 0);
    }
}

TEST_CASE("Parent-child LR with mutation follows the transmitted-allele formula", "[engine][lr][mutation]") {
    // P(child c/d | parent a/b) = T(c) U(d) + T(d) U(c) (c != d), T(c) U(c) (c == d), with
    // T(x) = (M[a,x] + M[b,x]) / 2 from the typed parent and U(x) = sum_y p_y M[y,x] from the
    // untyped one (the equal model is not stationary, so U != p), M written out by hand.
    const double r = 0.01;
    auto equalM = [&](int from, int to) { return from == to ? 1 - r : r / 4.0; };
    MutationModel model;
    model.male = model.female = MutationParameters{MutationModelKind::kEqual, r, 0.0, 0.5};
    const Genotype parent{0, 1};
    const auto tables = tablesFor(makeCase({{"fa", "0", "0", Sex::kMale, true, false},
                                            {"mo", "0", "0", Sex::kFemale, false, false},
                                            {"mp", "fa", "mo", Sex::kMale, false, true}},
                                           parent),
                                  model);
    for (int d = 0; d < 5; ++d)
        for (int c = 0; c <= d; ++c) {
            auto transmitted = [&](int x) { return 0.5 * (equalM(0, x) + equalM(1, x)); };
            auto untyped = [&](int x) {
                double u = 0.0;
                for (int y = 0; y < 5; ++y) u += kFreqs[y] * equalM(y, x);
                return u;
            };
            const double conditional = c == d ? transmitted(c) * untyped(c)
                                              : transmitted(c) * untyped(d) + transmitted(d) * untyped(c);
            INFO("remains " << c << "/" << d);
            REQUIRE(std::pow(10.0, tables[0].log10Lr[genotypeIndex(c, d)]) ==
                    Approx(conditional / hardyWeinberg(c, d)).epsilon(1e-12));
            const bool mendelian = c <= 1 || d <= 1;
            REQUIRE(static_cast<bool>(tables[0].mendelianPossible[genotypeIndex(c, d)]) == mendelian);
        }
}

TEST_CASE("A family whose references contradict each other without mutation is an error naming it", "[engine][lr]") {
    // Father 10/10, child 12/13: impossible without mutation.
    PreparedCase c = makeCase({{"fa", "0", "0", Sex::kMale, true, false},
                               {"mo", "0", "0", Sex::kFemale, false, false},
                               {"child", "fa", "mo", Sex::kMale, false, false},
                               {"mp", "fa", "mo", Sex::kMale, false, true}},
                              Genotype{0, 0});
    c.references.push_back(Sample{"REF2", {Genotype{2, 3}}});
    c.families[0].persons[2].reference = 1;
    REQUIRE_THROWS_WITH(tablesFor(c), Catch::Contains("family F") && Catch::Contains("M1"));
}
