// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/HaplotypeFrequency.hpp"
#include "tests/support/SharedFixtures.hpp"

using kinmatch::engine::clopperPearsonUpper;
using kinmatch::engine::regularisedIncompleteBeta;

namespace {

using kinmatch::test::binomialCdf;

}  // namespace

TEST_CASE("Clopper-Pearson upper bound with a zero count is 1 - 0.05^(1/N)", "[lineage][frequency]") {
    for (std::size_t n : {1u, 10u, 100u, 2000u, 1000000u})
        CHECK(clopperPearsonUpper(0, n) == Approx(1.0 - std::pow(0.05, 1.0 / static_cast<double>(n))).epsilon(1e-12));
    // 3/N, the "rule of three", is the familiar approximation for large N.
    CHECK(clopperPearsonUpper(0, 1000) == Approx(3.0 / 1000).epsilon(0.01));
}

TEST_CASE("Clopper-Pearson upper bound solves P(X <= x | N, p) = 0.05", "[lineage][frequency]") {
    // Published value: one match in ten gives a one-sided 95% upper bound of 0.3942.
    CHECK(clopperPearsonUpper(1, 10) == Approx(0.3942).margin(5e-5));
    for (auto [x, n] : {std::pair<std::size_t, std::size_t>{1, 10}, {2, 50}, {5, 1000}, {17, 20}, {40, 40000}}) {
        const double upper = clopperPearsonUpper(x, n);
        CHECK(binomialCdf(x, n, upper) == Approx(0.05).epsilon(1e-9));
        CHECK(upper > static_cast<double>(x) / static_cast<double>(n));
    }
    CHECK(clopperPearsonUpper(7, 7) == 1.0);
    CHECK(clopperPearsonUpper(3, 100, 0.99) > clopperPearsonUpper(3, 100, 0.95));
}

TEST_CASE("Regularised incomplete beta matches closed forms", "[lineage][frequency]") {
    // I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a.
    CHECK(regularisedIncompleteBeta(1.0, 5.0, 0.2) == Approx(1.0 - std::pow(0.8, 5.0)).epsilon(1e-13));
    CHECK(regularisedIncompleteBeta(3.0, 1.0, 0.7) == Approx(std::pow(0.7, 3.0)).epsilon(1e-13));
    CHECK(regularisedIncompleteBeta(2.5, 2.5, 0.5) == Approx(0.5).epsilon(1e-13));
    CHECK(regularisedIncompleteBeta(2.0, 3.0, 0.0) == 0.0);
    CHECK(regularisedIncompleteBeta(2.0, 3.0, 1.0) == 1.0);
}
