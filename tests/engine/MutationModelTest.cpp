// SPDX-License-Identifier: MIT
// Mutation matrices against values worked out by hand from the binding formulas of
// ../shared/spec/mutation-models.md (the pedmut 0.9.1 definitions). Every expected entry is
// written as a literal with the arithmetic that gives it, so a reader can check it without
// running the engine.

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/MutationModel.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

// The frequencies only matter to `proportional`; the other models ignore them.
std::vector<double> uniformFrequencies(std::size_t n) { return std::vector<double>(n, 1.0 / static_cast<double>(n)); }

std::vector<double> matrixFor(const MutationParameters& params, const std::vector<std::string>& labels,
                              const std::vector<double>& frequencies = {}) {
    return buildMutationMatrix(params, "D8S1179", labels,
                               frequencies.empty() ? uniformFrequencies(labels.size()) : frequencies);
}

MutationParameters model(MutationModelKind kind, double rate, double rate2 = 0.0, double range = 0.5) {
    return MutationParameters{kind, rate, rate2, range};
}

// M[from, to] by allele label, so the expectations read like the formulas.
class Matrix {
public:
    Matrix(std::vector<std::string> labels, std::vector<double> m) : labels_(std::move(labels)), m_(std::move(m)) {}
    double operator()(const std::string& from, const std::string& to) const {
        return m_[index(from) * labels_.size() + index(to)];
    }
    std::size_t size() const { return labels_.size(); }
    const std::vector<double>& values() const { return m_; }

private:
    std::size_t index(const std::string& label) const {
        for (std::size_t i = 0; i < labels_.size(); ++i)
            if (labels_[i] == label) return i;
        FAIL("no allele " << label << " in the test matrix");
        return 0;
    }
    std::vector<std::string> labels_;
    std::vector<double> m_;
};

Matrix build(const MutationParameters& params, const std::vector<std::string>& labels,
             const std::vector<double>& frequencies = {}) {
    return Matrix(labels, matrixFor(params, labels, frequencies));
}

void requireEntry(const Matrix& m, const std::string& from, const std::string& to, double expected) {
    INFO("M[" << from << ", " << to << "]");
    REQUIRE(m(from, to) == Approx(expected).epsilon(1e-12).margin(1e-15));
}

void requireRowsSumToOne(const std::vector<double>& m, std::size_t n) {
    REQUIRE(m.size() == n * n);
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            REQUIRE(m[i * n + j] >= 0.0);
            sum += m[i * n + j];
        }
        INFO("row " << i);
        REQUIRE(sum == Approx(1.0).epsilon(0).margin(1e-12));
    }
}

}  // namespace

TEST_CASE("The none model is the identity whatever the rate", "[engine][mutation]") {
    const std::vector<std::string> labels{"9", "10", "11", "12"};
    const auto m = build(model(MutationModelKind::kNone, 0.3), labels);
    for (const auto& from : labels)
        for (const auto& to : labels) requireEntry(m, from, to, from == to ? 1.0 : 0.0);
}

TEST_CASE("A marker with one allele has the matrix [1] for every model", "[engine][mutation]") {
    const auto kind = GENERATE(MutationModelKind::kNone, MutationModelKind::kEqual, MutationModelKind::kProportional,
                               MutationModelKind::kStepwise, MutationModelKind::kOnestep);
    INFO("model " << mutationModelName(kind));
    const auto m = matrixFor(model(kind, 0.01, 0.001), {"10"}, {1.0});
    REQUIRE(m == std::vector<double>{1.0});
}

TEST_CASE("Equal model spreads the rate uniformly over the other database alleles", "[engine][mutation]") {
    SECTION("r = 0.01 over four alleles: stay 1 - r, move r / (n - 1)") {
        const std::vector<std::string> labels{"9", "10", "11", "12"};
        const auto m = build(model(MutationModelKind::kEqual, 0.01), labels);
        for (const auto& from : labels)
            for (const auto& to : labels)
                requireEntry(m, from, to,
                             from == to ? 0.99                    // 1 - 0.01
                                        : 0.0033333333333333335);  // 0.01 / 3
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("two alleles: the whole rate goes to the other allele") {
        const auto m = build(model(MutationModelKind::kEqual, 0.002), {"14", "15"});
        requireEntry(m, "14", "14", 0.998);  // 1 - 0.002
        requireEntry(m, "14", "15", 0.002);  // 0.002 / 1
        requireEntry(m, "15", "14", 0.002);
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("n counts database alleles, so one more allele lowers each off-diagonal entry") {
        const auto m = build(model(MutationModelKind::kEqual, 0.01), {"9", "10", "11", "12", "13"});
        requireEntry(m, "9", "13", 0.0025);  // 0.01 / 4
        requireEntry(m, "13", "13", 0.99);   // 1 - 0.01
        requireRowsSumToOne(m.values(), m.size());
    }
}

TEST_CASE("Proportional model moves to allele j in proportion to p_j with expected rate r", "[engine][mutation]") {
    const std::vector<std::string> labels{"10", "11", "12", "13"};
    const std::vector<double> p{0.1, 0.2, 0.3, 0.4};
    // sum p_k (1 - p_k) = 0.09 + 0.16 + 0.21 + 0.24 = 0.7, so a = r / 0.7.

    SECTION("r = 0.005: a = 0.005 / 0.7 = 1/140") {
        const auto m = build(model(MutationModelKind::kProportional, 0.005), labels, p);
        // Off-diagonal a * p_j, whatever the row.
        for (const auto& from : labels) {
            if (from != "10") requireEntry(m, from, "10", 0.0007142857142857143);  // 0.1 / 140
            if (from != "11") requireEntry(m, from, "11", 0.0014285714285714286);  // 0.2 / 140
            if (from != "12") requireEntry(m, from, "12", 0.0021428571428571429);  // 0.3 / 140
            if (from != "13") requireEntry(m, from, "13", 0.0028571428571428571);  // 0.4 / 140
        }
        // Diagonal 1 - a (1 - p_i).
        requireEntry(m, "10", "10", 0.9935714285714286);  // 1 - 0.9 / 140
        requireEntry(m, "11", "11", 0.9942857142857143);  // 1 - 0.8 / 140
        requireEntry(m, "12", "12", 0.995);               // 1 - 0.7 / 140
        requireEntry(m, "13", "13", 0.9957142857142857);  // 1 - 0.6 / 140
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("the expected mutation rate sum_i p_i (1 - M[i,i]) is exactly r, and p M = p") {
        const double r = GENERATE(0.001, 0.005, 0.1, 0.5);
        INFO("r = " << r);
        const auto m = matrixFor(model(MutationModelKind::kProportional, r), labels, p);
        const std::size_t n = labels.size();
        double expectedRate = 0.0;
        for (std::size_t i = 0; i < n; ++i) expectedRate += p[i] * (1.0 - m[i * n + i]);
        REQUIRE(expectedRate == Approx(r).epsilon(1e-12));
        for (std::size_t j = 0; j < n; ++j) {
            double pm = 0.0;
            for (std::size_t i = 0; i < n; ++i) pm += p[i] * m[i * n + j];
            INFO("column " << j);
            REQUIRE(pm == Approx(p[j]).epsilon(1e-12));
        }
        requireRowsSumToOne(m, n);
    }
    SECTION("a rate above (1 - sum p^2) / (1 - min p) is an error naming the marker") {
        // Bound = (1 - (0.01 + 0.04 + 0.09 + 0.16)) / (1 - 0.1) = 0.7 / 0.9 = 0.777...
        REQUIRE_NOTHROW(matrixFor(model(MutationModelKind::kProportional, 0.77), labels, p));
        REQUIRE_THROWS_AS(matrixFor(model(MutationModelKind::kProportional, 0.78), labels, p), kinmatch::Error);
        REQUIRE_THROWS_WITH(matrixFor(model(MutationModelKind::kProportional, 0.78), labels, p),
                            Catch::Contains("D8S1179"));
    }
}

TEST_CASE("Stepwise model keeps mutations within a microvariant group and weights them by R^steps",
          "[engine][mutation]") {
    const double r = 0.01;
    const double r2 = 0.001;

    SECTION("ladder 9, 9.3, 10, 11, 11.3, 12 with R = 0.5") {
        const std::vector<std::string> labels{"9", "9.3", "10", "11", "11.3", "12"};
        const auto m = build(model(MutationModelKind::kStepwise, r, r2, 0.5), labels);
        // Integers form group 0 {9, 10, 11, 12}; 9.3 and 11.3 form group 3. Every row has both
        // compatible and incompatible others, so every diagonal is 1 - r - r2 = 0.989.
        for (const auto& a : labels) requireEntry(m, a, a, 0.989);

        // Row 9 (edge of the ladder): weights 0.5^1, 0.5^2, 0.5^3 = 0.5 + 0.25 + 0.125 = 0.875.
        requireEntry(m, "9", "10", 0.005714285714285714);    // 0.01 * 0.5 / 0.875 = 0.04 / 7
        requireEntry(m, "9", "11", 0.002857142857142857);    // 0.01 * 0.25 / 0.875 = 0.02 / 7
        requireEntry(m, "9", "12", 0.0014285714285714286);   // 0.01 * 0.125 / 0.875 = 0.01 / 7
        requireEntry(m, "9", "9.3", 0.0005);                 // r2 / |{9.3, 11.3}| = 0.001 / 2
        requireEntry(m, "9", "11.3", 0.0005);
        // Row 10 (inside): weights 0.5 (to 9), 0.5 (to 11), 0.25 (to 12), sum 1.25.
        requireEntry(m, "10", "9", 0.004);   // 0.01 * 0.5 / 1.25
        requireEntry(m, "10", "11", 0.004);  // 0.01 * 0.5 / 1.25
        requireEntry(m, "10", "12", 0.002);  // 0.01 * 0.25 / 1.25
        requireEntry(m, "10", "9.3", 0.0005);
        // Row 11 mirrors row 10.
        requireEntry(m, "11", "9", 0.002);
        requireEntry(m, "11", "10", 0.004);
        requireEntry(m, "11", "12", 0.004);
        // Row 12 (other edge) mirrors row 9.
        requireEntry(m, "12", "11", 0.005714285714285714);   // 0.04 / 7
        requireEntry(m, "12", "10", 0.002857142857142857);   // 0.02 / 7
        requireEntry(m, "12", "9", 0.0014285714285714286);   // 0.01 / 7
        requireEntry(m, "12", "11.3", 0.0005);
        // Row 9.3: its only compatible allele 11.3 (2 steps) takes all of r; the four integers share r2.
        requireEntry(m, "9.3", "11.3", 0.01);   // 0.01 * 0.25 / 0.25
        requireEntry(m, "9.3", "9", 0.00025);   // 0.001 / 4
        requireEntry(m, "9.3", "10", 0.00025);
        requireEntry(m, "9.3", "12", 0.00025);
        requireEntry(m, "11.3", "9.3", 0.01);
        requireEntry(m, "11.3", "11", 0.00025);
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("steps between microvariants are numeric distances (9.3 -> 12.3 is 3 steps)") {
        // Only group 3, so nothing is incompatible: stay 1 - r. Row 9.3: 0.5^1 + 0.5^3 = 0.625.
        const auto m = build(model(MutationModelKind::kStepwise, r, r2, 0.5), {"9.3", "10.3", "12.3"});
        requireEntry(m, "9.3", "9.3", 0.99);    // 1 - 0.01
        requireEntry(m, "9.3", "10.3", 0.008);  // 0.01 * 0.5 / 0.625
        requireEntry(m, "9.3", "12.3", 0.002);  // 0.01 * 0.125 / 0.625
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("a lonely microvariant stays with probability 1 - r2, not 1 - r - r2") {
        const auto m = build(model(MutationModelKind::kStepwise, r, r2, 0.5), {"9", "9.3", "10", "11"});
        requireEntry(m, "9.3", "9.3", 0.999);                  // 1 - 0.001
        requireEntry(m, "9.3", "9", 0.0003333333333333333);    // 0.001 / 3
        requireEntry(m, "9.3", "11", 0.0003333333333333333);
        // Row 9: weights 0.5 + 0.25 = 0.75 over {10, 11}; 9.3 alone takes r2.
        requireEntry(m, "9", "9", 0.989);                      // 1 - 0.01 - 0.001
        requireEntry(m, "9", "10", 0.006666666666666667);      // 0.01 * 0.5 / 0.75
        requireEntry(m, "9", "11", 0.0033333333333333335);     // 0.01 * 0.25 / 0.75
        requireEntry(m, "9", "9.3", 0.001);                    // 0.001 / 1
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("without microvariants the stay probability is 1 - r and r2 is unused") {
        const auto m = build(model(MutationModelKind::kStepwise, r, r2, 0.5), {"9", "10", "11"});
        requireEntry(m, "9", "9", 0.99);                       // 1 - 0.01
        requireEntry(m, "9", "10", 0.006666666666666667);      // 0.01 * 0.5 / 0.75
        requireEntry(m, "9", "11", 0.0033333333333333335);     // 0.01 * 0.25 / 0.75
        requireEntry(m, "10", "10", 0.99);
        requireEntry(m, "10", "9", 0.005);                     // 0.01 * 0.5 / (0.5 + 0.5)
        requireEntry(m, "10", "11", 0.005);
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("R above 1 favours long steps") {
        // Row 9: weights 2^1 + 2^2 = 6.
        const auto m = build(model(MutationModelKind::kStepwise, r, r2, 2.0), {"9", "10", "11"});
        requireEntry(m, "9", "10", 0.0033333333333333335);     // 0.01 * 2 / 6
        requireEntry(m, "9", "11", 0.006666666666666667);      // 0.01 * 4 / 6
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("x.7 alleles form group -3, apart from the x.3 alleles") {
        // round(9.7) = 10, so g(9.7) = round(10 * (9.7 - 10)) = -3; g(10.7) = -3; g(10.3) = 3.
        const auto m = build(model(MutationModelKind::kStepwise, r, r2, 0.5), {"9.7", "10", "10.3", "10.7", "11"});
        requireEntry(m, "9.7", "10.7", 0.01);                  // its only compatible allele takes all of r
        requireEntry(m, "9.7", "10.3", 0.0003333333333333333); // 0.001 / |{10, 10.3, 11}|
        requireEntry(m, "9.7", "10", 0.0003333333333333333);
        requireEntry(m, "9.7", "9.7", 0.989);                  // 1 - 0.01 - 0.001
        requireEntry(m, "10.3", "10.3", 0.999);                // lonely in group 3: 1 - 0.001
        requireEntry(m, "10.3", "9.7", 0.00025);               // 0.001 / 4
        requireEntry(m, "10", "11", 0.01);
        requireEntry(m, "10", "10.7", 0.0003333333333333333);  // 0.001 / |{9.7, 10.3, 10.7}|
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("a non-numeric allele is an error naming the marker") {
        const std::vector<std::string> labels{"9", "10", "X"};
        REQUIRE_THROWS_AS(matrixFor(model(MutationModelKind::kStepwise, r, r2, 0.5), labels), kinmatch::Error);
        REQUIRE_THROWS_WITH(matrixFor(model(MutationModelKind::kStepwise, r, r2, 0.5), labels),
                            Catch::Contains("D8S1179") && Catch::Contains("\"X\""));
    }
}

TEST_CASE("Onestep model moves only to alleles one repeat away", "[engine][mutation]") {
    SECTION("ladder 8, 9, 10, 12 with r = 0.01") {
        const auto m = build(model(MutationModelKind::kOnestep, 0.01), {"8", "9", "10", "12"});
        requireEntry(m, "8", "8", 0.99);    // 1 - 0.01
        requireEntry(m, "8", "9", 0.01);    // one neighbour: 0.01 / 1
        requireEntry(m, "8", "10", 0.0);    // two steps: never
        requireEntry(m, "9", "9", 0.99);
        requireEntry(m, "9", "8", 0.005);   // two neighbours: 0.01 / 2
        requireEntry(m, "9", "10", 0.005);
        requireEntry(m, "10", "9", 0.01);   // 11 is not in the database: 9 is the only neighbour
        requireEntry(m, "10", "12", 0.0);
        requireEntry(m, "12", "12", 1.0);   // no neighbour: stays with probability 1
        requireEntry(m, "12", "10", 0.0);
        requireRowsSumToOne(m.values(), m.size());
    }
    SECTION("a microvariant is an error naming the marker") {
        REQUIRE_THROWS_AS(matrixFor(model(MutationModelKind::kOnestep, 0.01), {"9", "9.3", "10"}), kinmatch::Error);
        REQUIRE_THROWS_WITH(matrixFor(model(MutationModelKind::kOnestep, 0.01), {"9", "9.3", "10"}),
                            Catch::Contains("D8S1179") && Catch::Contains("9.3"));
    }
}

TEST_CASE("Every model's rows sum to 1 on a realistic ladder", "[engine][mutation]") {
    const std::vector<std::string> integers{"8", "9", "10", "11", "12", "13", "14", "15", "16", "17"};
    const std::vector<std::string> withMicrovariants{"8", "9", "9.3", "10", "10.2", "11", "12", "12.3", "13", "14.7"};
    const std::vector<double> p{0.02, 0.05, 0.08, 0.2, 0.03, 0.25, 0.15, 0.07, 0.1, 0.05};  // sums to 1
    const auto kind = GENERATE(MutationModelKind::kNone, MutationModelKind::kEqual, MutationModelKind::kProportional,
                               MutationModelKind::kStepwise, MutationModelKind::kOnestep);
    const double rate = GENERATE(0.0, 0.002, 0.05);
    INFO("model " << mutationModelName(kind) << ", rate " << rate);
    const auto params = model(kind, rate, 0.0007, 0.6);
    requireRowsSumToOne(matrixFor(params, integers, p), integers.size());
    if (kind != MutationModelKind::kOnestep)
        requireRowsSumToOne(matrixFor(params, withMicrovariants, p), withMicrovariants.size());
}
