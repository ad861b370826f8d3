// SPDX-License-Identifier: MIT
// Posterior probabilities and decisions (engine/Posterior.hpp), against values computed by
// hand from posterior = prior·LR / (prior·LR + 1 − prior).

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "engine/Posterior.hpp"

using namespace kinmatch::engine;

TEST_CASE("The per-pair posterior is prior*LR / (prior*LR + 1 - prior)", "[engine][posterior]") {
    SECTION("LR 1 leaves the prior unchanged") {
        CHECK(posteriorProbability(0.0, 0.5) == Approx(0.5).epsilon(1e-14));
        CHECK(posteriorProbability(0.0, 1.0 / 22.0) == Approx(1.0 / 22.0).epsilon(1e-14));
    }
    SECTION("prior 0.1 and LR 9: 0.9 / (0.9 + 0.9) = 0.5") {
        CHECK(posteriorProbability(std::log10(9.0), 0.1) == Approx(0.5).epsilon(1e-14));
    }
    SECTION("prior 1/22 and LR 10^4: (10^4/22) / (10^4/22 + 21/22) = 10000/10021") {
        CHECK(posteriorProbability(4.0, 1.0 / 22.0) == Approx(10000.0 / 10021.0).epsilon(1e-14));
    }
    SECTION("prior 0.001 and LR 10^5: 100 / (100 + 0.999)") {
        CHECK(posteriorProbability(5.0, 0.001) == Approx(100.0 / 100.999).epsilon(1e-14));
    }
    SECTION("a tiny LR: prior 0.5, LR 10^-300 gives 10^-300 / (1 + 10^-300) = 10^-300, not 0 or NaN") {
        CHECK(posteriorProbability(-300.0, 0.5) == Approx(1e-300).epsilon(1e-12));
    }
    SECTION("a huge LR (10^30) does not overflow: 1 - 999/(10^27 + 999) rounds to 1") {
        CHECK(posteriorProbability(30.0, 0.001) == 1.0);
        CHECK(posteriorProbability(400.0, 1e-6) == 1.0);  // 10^400 would overflow a double
    }
    SECTION("LR 10^-400 (beyond double range) gives 0, not NaN") {
        CHECK(posteriorProbability(-400.0, 0.5) == 0.0);
    }
    SECTION("an exclusion (log10 LR = -inf) gives 0, even with prior 1") {
        CHECK(posteriorProbability(-INFINITY, 0.3) == 0.0);
        CHECK(posteriorProbability(-INFINITY, 1.0) == 0.0);
    }
    SECTION("prior 1 gives 1 for every LR > 0") {
        CHECK(posteriorProbability(-5.0, 1.0) == 1.0);
    }
    SECTION("a prior outside (0, 1] or a NaN LR is refused") {
        CHECK_THROWS_AS(posteriorProbability(1.0, 0.0), std::invalid_argument);
        CHECK_THROWS_AS(posteriorProbability(1.0, 1.5), std::invalid_argument);
        CHECK_THROWS_AS(posteriorProbability(NAN, 0.5), std::invalid_argument);
    }
    SECTION("the default prior is 1 / number of missing persons") {
        CHECK(defaultPrior(22) == 1.0 / 22.0);
        CHECK_THROWS_AS(defaultPrior(0), std::invalid_argument);
    }
}

namespace {
Candidate row(int remains, int family, double log10Lr, int rank) {
    Candidate c;
    c.remains = remains;
    c.family = family;
    c.missingPerson = 2;
    c.log10Lr = log10Lr;
    c.rank = rank;
    return c;
}
}  // namespace

TEST_CASE("Decisions: identification needs LR, posterior and a unique rank 1; LR 0 is excluded", "[engine][posterior]") {
    const DecisionThresholds thresholds;  // LR 10^4, posterior 0.999
    const std::vector<Candidate> rows = {
        row(0, 0, 6.0, 1), row(0, 1, 1.0, 2), row(0, 2, -INFINITY, 3),  // clear identification
        row(1, 0, 8.0, 1), row(1, 1, 8.0, 1),                           // tie at rank 1
        row(2, 0, 3.9, 1), row(2, 1, 0.0, 2),                           // LR below 10^4
        row(3, 0, 4.0, 1), row(3, 1, 0.0, 2),                           // LR exactly 10^4
    };
    SECTION("with prior 0.5") {
        const auto a = assessCandidates(rows, 0.5, thresholds);
        REQUIRE(a.size() == rows.size());
        CHECK(a[0].decision == Decision::kIdentification);
        CHECK(a[0].posterior == Approx(1e6 / (1e6 + 1)).epsilon(1e-14));
        CHECK(a[1].decision == Decision::kCandidate);
        CHECK(a[2].decision == Decision::kExcluded);
        CHECK(a[2].posterior == 0.0);
        CHECK(a[3].decision == Decision::kCandidate);  // tied: cannot tell F0 from F1
        CHECK(a[4].decision == Decision::kCandidate);
        CHECK(a[5].decision == Decision::kCandidate);
        // LR 10^4 meets ">= identify-lr"; posterior 10^4/(10^4 + 1) = 0.99990 meets 0.999.
        CHECK(a[7].decision == Decision::kIdentification);
    }
    SECTION("the posterior threshold can block an identification the LR allows") {
        // prior 0.001, LR 10^6: posterior 1000/(1000 + 0.999) = 0.999002 >= 0.999, but
        // LR 10^4 gives 10/(10 + 0.999) = 0.909 < 0.999.
        const auto a = assessCandidates(rows, 0.001, thresholds);
        CHECK(a[0].decision == Decision::kIdentification);
        CHECK(a[7].decision == Decision::kCandidate);
        CHECK(a[7].posterior == Approx(10.0 / 10.999).epsilon(1e-14));
    }
    SECTION("thresholds are honoured as given") {
        DecisionThresholds strict;
        strict.identifyLog10Lr = 7.0;
        const auto a = assessCandidates(rows, 0.5, strict);
        CHECK(a[0].decision == Decision::kCandidate);
    }
    SECTION("a pair of the per-missing-person list takes its per-remains decision") {
        const auto a = assessCandidates(rows, 0.5, thresholds);
        const std::vector<Candidate> byPerson = {row(0, 0, 6.0, 1), row(2, 0, 3.9, 1), row(9, 0, -INFINITY, 2)};
        const auto b = assessByMissingPerson(byPerson, rows, a, 0.5);
        REQUIRE(b.size() == 3);
        CHECK(b[0].decision == Decision::kIdentification);
        CHECK(b[1].decision == Decision::kCandidate);
        CHECK(b[2].decision == Decision::kExcluded);
        CHECK(b[1].posterior == Approx(std::pow(10.0, 3.9) / (std::pow(10.0, 3.9) + 1)).epsilon(1e-14));
    }
    CHECK(std::string(decisionName(Decision::kIdentification)) == "identification");
    CHECK(std::string(decisionName(Decision::kCandidate)) == "candidate");
    CHECK(std::string(decisionName(Decision::kExcluded)) == "excluded");
}
