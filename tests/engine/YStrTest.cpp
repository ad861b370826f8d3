// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/HaplotypeFrequency.hpp"
#include "engine/YStr.hpp"
#include "tests/support/SharedFixtures.hpp"

namespace ystr = kinmatch::engine::ystr;
using ystr::Allele;
using ystr::Haplotype;
using ystr::Outcome;

namespace {

using kinmatch::test::binomialCdf;

ystr::AlleleSet alleles(std::initializer_list<const char*> labels) {
    ystr::AlleleSet set;
    for (const char* label : labels) set.push_back(ystr::tryParseAllele(label).value());
    std::sort(set.begin(), set.end());
    return set;
}

Haplotype haplotype(std::string sample, std::vector<std::pair<std::string, ystr::AlleleSet>> loci) {
    Haplotype h;
    h.sample = std::move(sample);
    for (auto& [locus, set] : loci) h.loci.emplace(ystr::locusKey(locus), std::move(set));
    return h;
}

}  // namespace

TEST_CASE("Y-STR allele designations parse as whole repeats plus partial bases", "[ystr]") {
    CHECK(ystr::tryParseAllele("13") == Allele{13, 0});
    CHECK(ystr::tryParseAllele("13.2") == Allele{13, 2});
    CHECK(ystr::tryParseAllele("9.0") == Allele{9, 0});
    CHECK(ystr::tryParseAllele("100") == Allele{100, 0});
    for (const char* bad : {"", "OL", "13.x", "-1", "0", "1e3", "13.25", "1000", "13.", ".2", " 13", "x13"})
        CHECK_FALSE(ystr::tryParseAllele(bad).has_value());
    CHECK(ystr::toString(Allele{13, 2}) == "13.2");
    CHECK(ystr::toString(Allele{17, 0}) == "17");
    CHECK(Allele{13, 0} < Allele{13, 2});
    CHECK(Allele{13, 2} < Allele{14, 0});
}

TEST_CASE("Y-STR locus names compare by one key across lab spellings", "[ystr]") {
    CHECK(ystr::locusKey("DYS389 II") == "DYS389II");
    CHECK(ystr::locusKey("dys389ii") == "DYS389II");
    CHECK(ystr::locusKey("Y-GATA-H4") == "YGATAH4");
    CHECK(ystr::locusKey("GATA H4") == "YGATAH4");
    CHECK(ystr::locusKey("GATA H4.1") == "YGATAH4");
    CHECK(ystr::locusKey("DYS385a/b") == "DYS385");
    CHECK(ystr::locusKey("DYF387S1a/b") == "DYF387S1");
    CHECK(ystr::locusKey("DYS_19") == "DYS19");
    CHECK(ystr::maxCopies("DYS385") == 2);
    CHECK(ystr::maxCopies("DYS464") == 4);
    CHECK(ystr::maxCopies("DYS19") == 1);
}

TEST_CASE("YHRD release 61 rates are the published per-locus values", "[ystr]") {
    // Genes 2020, 11(5):566, Table 1 (YHRD release 61): a few entries checked against the
    // printed table, the 23 single-copy loci counted, the multi-copy loci left without a rate.
    const auto& rates = ystr::yhrdRelease61Rates();
    CHECK(rates.perLocus.size() == 23);
    CHECK(rates.rateOf("DYS19") == 2.20e-3);
    CHECK(rates.rateOf("DYS392") == 4.96e-4);
    CHECK(rates.rateOf("DYS518") == 1.46e-2);
    CHECK(rates.rateOf("DYS389II") == 4.33e-3);
    CHECK(rates.rateOf(ystr::locusKey("Y-GATA-H4")) == 3.01e-3);
    CHECK_FALSE(rates.rateOf("DYS385").has_value());
    CHECK_FALSE(rates.rateOf("DYF387S1").has_value());
    for (const auto& [locus, mu] : rates.perLocus) {
        CHECK(locus == ystr::locusKey(locus));
        CHECK((mu > 1e-4 && mu < 2e-2));
    }
}

TEST_CASE("Step-difference probabilities after n meioses match the hand-expanded single-step model",
          "[ystr]") {
    const double mu = 0.01;
    SECTION("one meiosis: 1 - mu, mu/2 each way, nothing further") {
        CHECK(ystr::stepDifferenceProbability(0, 1, mu) == Approx(1.0 - mu).epsilon(1e-15));
        CHECK(ystr::stepDifferenceProbability(1, 1, mu) == Approx(mu / 2).epsilon(1e-15));
        CHECK(ystr::stepDifferenceProbability(-1, 1, mu) == Approx(mu / 2).epsilon(1e-15));
        CHECK(ystr::stepDifferenceProbability(2, 1, mu) == 0.0);
    }
    SECTION("two meioses (brothers, grandfather)") {
        // Two steps s1 + s2 = d: d = 0 from (0,0) or (+1,-1),(-1,+1): (1-mu)^2 + 2 (mu/2)^2;
        // d = 1 from (0,+1),(+1,0): 2 (1-mu) mu/2; d = 2 from (+1,+1): (mu/2)^2.
        CHECK(ystr::stepDifferenceProbability(0, 2, mu) == Approx((1 - mu) * (1 - mu) + mu * mu / 2).epsilon(1e-14));
        CHECK(ystr::stepDifferenceProbability(1, 2, mu) == Approx(mu * (1 - mu)).epsilon(1e-14));
        CHECK(ystr::stepDifferenceProbability(-2, 2, mu) == Approx(mu * mu / 4).epsilon(1e-14));
        CHECK(ystr::stepDifferenceProbability(3, 2, mu) == 0.0);
    }
    SECTION("three meioses (uncle)") {
        // d = 0: all zero, or one zero and a +1/-1 pair (3 places for the zero x 2 orders);
        // d = 1: one +1 and two zeros (3), or +1,+1,-1 (3 orders); d = 2: +1,+1,0 (3);
        // d = 3: +1,+1,+1.
        const double q = 1 - mu;
        const double h = mu / 2;
        CHECK(ystr::stepDifferenceProbability(0, 3, mu) == Approx(q * q * q + 6 * q * h * h).epsilon(1e-14));
        CHECK(ystr::stepDifferenceProbability(1, 3, mu) == Approx(3 * q * q * h + 3 * h * h * h).epsilon(1e-14));
        CHECK(ystr::stepDifferenceProbability(2, 3, mu) == Approx(3 * q * h * h).epsilon(1e-14));
        CHECK(ystr::stepDifferenceProbability(-3, 3, mu) == Approx(h * h * h).epsilon(1e-14));
    }
    SECTION("a distribution: sums to one, symmetric; no mutation means no change") {
        for (int n : {1, 4, 7, 12}) {
            double total = 0.0;
            for (int d = -n; d <= n; ++d) {
                total += ystr::stepDifferenceProbability(d, n, 0.3);
                CHECK(ystr::stepDifferenceProbability(d, n, 0.3) == ystr::stepDifferenceProbability(-d, n, 0.3));
            }
            CHECK(total == Approx(1.0).epsilon(1e-13));
        }
        CHECK(ystr::stepDifferenceProbability(0, 5, 0.0) == 1.0);
        CHECK(ystr::stepDifferenceProbability(1, 5, 0.0) == 0.0);
    }
    SECTION("bad arguments are rejected") {
        CHECK_THROWS_AS(ystr::stepDifferenceProbability(0, -1, mu), std::invalid_argument);
        CHECK_THROWS_AS(ystr::stepDifferenceProbability(0, 2, 1.5), std::invalid_argument);
        CHECK_THROWS_AS(ystr::stepDifferenceProbability(0, 2, std::nan("")), std::invalid_argument);
    }
}

TEST_CASE("Y-STR loci compare by whole steps; partial-repeat changes are not stepwise", "[ystr]") {
    const Haplotype a = haplotype("A", {{"DYS19", alleles({"14"})},
                                        {"DYS390", alleles({"24"})},
                                        {"DYS391", alleles({"10"})},
                                        {"DYS458", alleles({"17.2"})},
                                        {"DYS456", alleles({"15"})}});
    const Haplotype b = haplotype("B", {{"DYS19", alleles({"14"})},
                                        {"DYS390", alleles({"22"})},
                                        {"DYS391", alleles({"10.2"})},
                                        {"DYS458", alleles({"18.2"})},
                                        {"DYS393", alleles({"13"})}});
    const auto loci = ystr::compare(a, b);
    // Typed in both: DYS19, DYS390, DYS391, DYS458 (key order); DYS456/DYS393 in one only.
    REQUIRE(loci.size() == 4);
    CHECK(loci[0].locus == "DYS19");
    CHECK_FALSE(loci[0].differs());
    CHECK(loci[1].locus == "DYS390");
    CHECK(loci[1].steps == 2);
    CHECK(loci[1].copySteps == std::vector<int>{-2});
    CHECK(loci[2].locus == "DYS391");
    CHECK_FALSE(loci[2].stepwise);
    CHECK(loci[2].differs());
    CHECK(loci[3].locus == "DYS458");
    CHECK(loci[3].stepwise);
    CHECK(loci[3].copySteps == std::vector<int>{1});
}

TEST_CASE("Multi-copy Y-STR loci compare as allele sets", "[ystr]") {
    const auto one = [](const char* locus, ystr::AlleleSet a, ystr::AlleleSet b) {
        const auto loci = ystr::compare(haplotype("A", {{locus, std::move(a)}}), haplotype("B", {{locus, std::move(b)}}));
        REQUIRE(loci.size() == 1);
        return loci[0];
    };
    SECTION("equal sizes pair sorted alleles in order") {
        const auto locus = one("DYS385", alleles({"13", "16"}), alleles({"14", "16"}));
        CHECK(locus.copySteps == std::vector<int>{1, 0});
        CHECK(locus.steps == 1);
        CHECK_FALSE(one("DYS385", alleles({"16", "13"}), alleles({"13", "16"})).differs());
    }
    SECTION("a smaller set stands for copies of equal length") {
        // {13,14} vs {14}: the copies are 13 and 14 against 14 and 14: one step.
        const auto locus = one("DYS385", alleles({"13", "14"}), alleles({"14"}));
        CHECK(locus.copySteps == std::vector<int>{1, 0});
        CHECK(locus.steps == 1);
        // {13,15} vs {14}: both copies differ by one step.
        CHECK(one("DYS385", alleles({"14"}), alleles({"13", "15"})).copySteps == std::vector<int>{-1, 1});
    }
    SECTION("DYS464 with four against two alleles takes the pairing with the fewest steps") {
        // Ordered pairings of 12,13,15,16 onto 13,15: (13,13,13,15) = 1+0+2+1 = 4,
        // (13,13,15,15) = 1+0+0+1 = 2, (13,15,15,15) = 1+2+0+1 = 4: the second.
        const auto locus = one("DYS464", alleles({"12", "13", "15", "16"}), alleles({"13", "15"}));
        CHECK(locus.steps == 2);
        CHECK(locus.copySteps == std::vector<int>{1, 0, 0, -1});
    }
    SECTION("a copy that cannot be reached in whole steps makes the locus non-stepwise") {
        CHECK_FALSE(one("DYF387S1", alleles({"35", "37"}), alleles({"35", "37.2"})).stepwise);
    }
}

TEST_CASE("A Y-STR database counts matches among haplotypes typed at the compared loci", "[ystr]") {
    const Haplotype query = haplotype("Q", {{"DYS19", alleles({"14"})}, {"DYS385", alleles({"11", "14"})}});
    std::vector<Haplotype> entries{
        haplotype("D1", {{"DYS19", alleles({"14"})}, {"DYS385", alleles({"11", "14"})}}),
        haplotype("D2", {{"DYS19", alleles({"14"})}, {"DYS385", alleles({"12", "14"})}}),
        haplotype("D3", {{"DYS19", alleles({"15"})}, {"DYS385", alleles({"11", "14"})}}),
        haplotype("D4", {{"DYS19", alleles({"14"})}}),
    };
    const ystr::Database database(entries);
    CHECK(database.size() == 4);
    const auto both = database.count(query, {"DYS19", "DYS385"});
    CHECK(both.matches == 1);     // D1
    CHECK(both.comparable == 3);  // D4 is not typed at DYS385
    const auto dys19 = database.count(query, {"DYS19"});
    CHECK(dys19.matches == 3);
    CHECK(dys19.comparable == 4);
    CHECK(database.frequencyUpperBound(query) == kinmatch::engine::clopperPearsonUpper(1, 3));
    CHECK(ystr::Database().frequencyUpperBound(query) == 1.0);
    CHECK_THROWS_AS(database.count(query, {"DYS390"}), std::invalid_argument);
}

TEST_CASE("Y-STR LR of a father with one single-step difference, derived by hand", "[ystr]") {
    // Remains and the father (1 meiosis) differ by one step at DYS391; DYS385 has no default
    // rate, so it is compared (identical) but leaves the LR and the frequency.
    //   numerator = (1 - mu_DYS19)(1 - mu_DYS390)(mu_DYS391 / 2)
    //             = (1 - 0.00220)(1 - 0.00208)(0.00253 / 2)       [YHRD r61]
    //   database over {DYS19, DYS390, DYS391}: 20 haplotypes, one untyped at DYS391 (not
    //   comparable), two equal to the remains there (one with another DYS385): 2 of 19;
    //   f = one-sided 95% Clopper-Pearson bound of 2/19, the p with P(X <= 2 | 19, p) = 0.05.
    const Haplotype remains = haplotype("UR-1", {{"DYS19", alleles({"14"})},
                                                 {"DYS390", alleles({"24"})},
                                                 {"DYS391", alleles({"10"})},
                                                 {"DYS385", alleles({"11", "14"})}});
    const Haplotype father = haplotype("REF-1", {{"DYS19", alleles({"14"})},
                                                 {"DYS390", alleles({"24"})},
                                                 {"DYS391", alleles({"11"})},
                                                 {"DYS385", alleles({"11", "14"})}});
    std::vector<Haplotype> entries;
    entries.push_back(remains);
    entries.back().sample = "D1";
    entries.push_back(haplotype("D2", {{"DYS19", alleles({"14"})},
                                       {"DYS390", alleles({"24"})},
                                       {"DYS391", alleles({"10"})},
                                       {"DYS385", alleles({"12", "15"})}}));
    entries.push_back(haplotype("D3", {{"DYS19", alleles({"14"})}, {"DYS390", alleles({"24"})}}));
    for (int i = 0; i < 17; ++i)
        entries.push_back(haplotype("U" + std::to_string(i), {{"DYS19", alleles({"15"})},
                                                              {"DYS390", alleles({"24"})},
                                                              {"DYS391", alleles({"10"})}}));
    const ystr::Database database(std::move(entries));

    const auto evidence = ystr::scorePair(remains, father, 1, ystr::yhrdRelease61Rates(), database);
    const double numerator = (1 - 0.00220) * (1 - 0.00208) * (0.00253 / 2);
    CHECK(evidence.differingLoci == 1);
    CHECK(evidence.outcome == Outcome::kInconclusive);
    CHECK(evidence.lrLoci == std::vector<std::string>{"DYS19", "DYS390", "DYS391"});
    CHECK(evidence.lociWithoutRate == std::vector<std::string>{"DYS385"});
    CHECK(evidence.nonStepwiseLoci.empty());
    CHECK(evidence.databaseCount.matches == 2);
    CHECK(evidence.databaseCount.comparable == 19);
    CHECK(binomialCdf(2, 19, evidence.frequencyUpperBound) == Approx(0.05).epsilon(1e-9));
    CHECK(evidence.log10DifferenceProbability == Approx(std::log10(numerator)).epsilon(1e-12));
    CHECK(evidence.log10Lr ==
          Approx(std::log10(numerator) - std::log10(evidence.frequencyUpperBound)).epsilon(1e-12));
    // f = 0.2958020 (bisection of sum_{i<=2} C(19,i) p^i (1-p)^(19-i) = 0.05 in Python), so
    // LR = 0.001259 / 0.2958 < 1: a one-step difference from a father is weak evidence here.
    CHECK(evidence.frequencyUpperBound == Approx(0.2958020).margin(1e-7));
    CHECK(evidence.log10Lr < 0.0);
}

TEST_CASE("Y-STR LR of identical brothers against an unseen haplotype, derived by hand", "[ystr]") {
    // Brothers: 2 meioses. Identical at DYS19 and DYS456, so each locus contributes
    // P(0 | 2, mu) = (1 - mu)^2 + mu^2 / 2. The haplotype is absent from 100 comparable
    // database haplotypes: f = 1 - 0.05^(1/100).
    const Haplotype remains = haplotype("UR-2", {{"DYS19", alleles({"13"})}, {"DYS456", alleles({"16"})}});
    const Haplotype brother = remains;
    std::vector<Haplotype> entries(100, haplotype("D", {{"DYS19", alleles({"13"})}, {"DYS456", alleles({"15"})}}));
    const ystr::Database database(std::move(entries));
    const auto evidence = ystr::scorePair(remains, brother, 2, ystr::yhrdRelease61Rates(), database);
    const double p19 = (1 - 2.20e-3) * (1 - 2.20e-3) + 2.20e-3 * 2.20e-3 / 2;
    const double p456 = (1 - 4.41e-3) * (1 - 4.41e-3) + 4.41e-3 * 4.41e-3 / 2;
    const double f = 1 - std::pow(0.05, 1.0 / 100);
    CHECK(evidence.outcome == Outcome::kCannotExclude);
    CHECK(evidence.databaseCount.matches == 0);
    CHECK(evidence.databaseCount.comparable == 100);
    CHECK(evidence.log10Lr == Approx(std::log10(p19 * p456 / f)).epsilon(1e-12));
    // About 1/0.0295: the rule of three, 3/N, is the familiar approximation of f.
    CHECK(evidence.log10Lr == Approx(std::log10(1.0 / 0.0295)).margin(0.01));
}

TEST_CASE("Y-STR outcomes and LRs for exclusions and unmodelled differences", "[ystr]") {
    const ystr::Database database(
        std::vector<Haplotype>(10, haplotype("D", {{"DYS19", alleles({"12"})}, {"DYS390", alleles({"20"})}})));
    const Haplotype remains = haplotype("UR", {{"DYS19", alleles({"14"})},
                                               {"DYS390", alleles({"24"})},
                                               {"DYS391", alleles({"10"})}});
    SECTION("differences at two loci exclude by default; the LR stays computed") {
        const Haplotype ref = haplotype("R", {{"DYS19", alleles({"15"})},
                                              {"DYS390", alleles({"23"})},
                                              {"DYS391", alleles({"10"})}});
        const auto evidence = ystr::scorePair(remains, ref, 2, ystr::yhrdRelease61Rates(), database);
        CHECK(evidence.differingLoci == 2);
        CHECK(evidence.outcome == Outcome::kExclusion);
        CHECK(ystr::toString(evidence.outcome) == "exclusion");
        // P = mu19 (1 - mu19) * mu390 (1 - mu390) * P(0 | 2, mu391); nothing in the database
        // is typed at DYS391, so f = 1.
        const double expected = 2.20e-3 * (1 - 2.20e-3) * 2.08e-3 * (1 - 2.08e-3) *
                                ((1 - 2.53e-3) * (1 - 2.53e-3) + 2.53e-3 * 2.53e-3 / 2);
        CHECK(evidence.databaseCount.comparable == 0);
        CHECK(evidence.frequencyUpperBound == 1.0);
        CHECK(evidence.log10Lr == Approx(std::log10(expected)).epsilon(1e-12));
        const auto lenient = ystr::scorePair(remains, ref, 2, ystr::yhrdRelease61Rates(), database,
                                             ystr::OutcomeThresholds{.inconclusiveFrom = 1, .exclusionFrom = 3});
        CHECK(lenient.outcome == Outcome::kInconclusive);
    }
    SECTION("more steps than meioses is impossible under single steps: LR 0") {
        const Haplotype ref = haplotype("R", {{"DYS19", alleles({"17"})}});
        const auto evidence = ystr::scorePair(remains, ref, 2, ystr::yhrdRelease61Rates(), database);
        CHECK(evidence.log10Lr == -std::numeric_limits<double>::infinity());
        CHECK(evidence.outcome == Outcome::kInconclusive);
    }
    SECTION("a partial-repeat difference counts as a difference but leaves the LR") {
        const Haplotype ref = haplotype("R", {{"DYS19", alleles({"14.2"})}, {"DYS390", alleles({"24"})}});
        const auto evidence = ystr::scorePair(remains, ref, 1, ystr::yhrdRelease61Rates(), database);
        CHECK(evidence.differingLoci == 1);
        CHECK(evidence.nonStepwiseLoci == std::vector<std::string>{"DYS19"});
        CHECK(evidence.lrLoci == std::vector<std::string>{"DYS390"});
        // Frequency over DYS390 only: none of the 10 has 24.
        CHECK(evidence.databaseCount.matches == 0);
        CHECK(evidence.databaseCount.comparable == 10);
        CHECK(evidence.log10Lr ==
              Approx(std::log10((1 - 2.08e-3) / (1 - std::pow(0.05, 0.1)))).epsilon(1e-12));
    }
    SECTION("per-copy rates bring a multi-copy locus into the LR") {
        ystr::MutationRates rates = ystr::yhrdRelease61Rates();
        rates.perLocus["DYS385"] = 0.004;
        const Haplotype a = haplotype("A", {{"DYS385", alleles({"13", "16"})}});
        const Haplotype b = haplotype("B", {{"DYS385", alleles({"14", "16"})}});
        const auto evidence = ystr::scorePair(a, b, 1, rates, ystr::Database());
        // One copy changed one step, the other did not: (0.004 / 2) (1 - 0.004); f = 1.
        CHECK(evidence.log10Lr == Approx(std::log10(0.002 * 0.996)).epsilon(1e-12));
    }
    SECTION("bad arguments are rejected") {
        CHECK_THROWS_AS(ystr::scorePair(remains, remains, 0, ystr::yhrdRelease61Rates(), database),
                        std::invalid_argument);
        CHECK_THROWS_AS(ystr::scorePair(remains, remains, 1, ystr::yhrdRelease61Rates(), database,
                                        ystr::OutcomeThresholds{.inconclusiveFrom = 2, .exclusionFrom = 1}),
                        std::invalid_argument);
    }
}
