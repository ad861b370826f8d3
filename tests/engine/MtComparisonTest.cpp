// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/MtComparison.hpp"
#include "engine/MtHaplotype.hpp"

namespace mt = kinmatch::engine::mt;

namespace {

mt::Variant v(int position, char base, int insertion = 0) {
    return {static_cast<std::uint16_t>(position), static_cast<std::uint8_t>(insertion), base};
}

// A haplotype over `range` items {first,last} with `variants`, normalised.
mt::Haplotype hap(std::vector<std::pair<int, int>> range, std::vector<mt::Variant> variants) {
    mt::Haplotype h;
    h.sample = "S";
    for (auto [a, b] : range) h.range.add(a, b);
    h.variants = std::move(variants);
    mt::normalise(h);
    return h;
}

const std::vector<std::pair<int, int>> kControlRegion{{16024, 576}};

std::vector<mt::Variant> variantsOf(std::vector<mt::Variant> vs, std::vector<std::pair<int, int>> range = kControlRegion) {
    return hap(std::move(range), std::move(vs)).variants;
}

}  // namespace

TEST_CASE("normalise places C-stretch insertions at the 3' end, as EMPOP writes them", "[mtdna]") {
    // rCRS 303-309 CCCCCCC, 310 T, 311-315 CCCCC, 316 G.
    CHECK(variantsOf({v(303, 'C', 1)}) == std::vector{v(309, 'C', 1)});  // aligner's left-aligned 309.1C
    CHECK(variantsOf({v(302, 'C', 1)}) == std::vector{v(309, 'C', 1)});
    CHECK(variantsOf({v(310, 'C', 1)}) == std::vector{v(315, 'C', 1)});  // aligner's left-aligned 315.1C
    CHECK(variantsOf({v(303, 'C', 1), v(303, 'C', 2), v(310, 'C', 1)}) ==
          std::vector{v(309, 'C', 1), v(309, 'C', 2), v(315, 'C', 1)});
    // An A inserted into the C-stretch cannot move: it is a different sequence.
    CHECK(variantsOf({v(305, 'A', 1)}) == std::vector{v(305, 'A', 1)});
    // 16184-16188 C, 16189 T, 16190-16193 C: with 16189C the sample has one stretch, so its
    // 16188.1C is 16193.1C; without it the insertion stays before the T.
    CHECK(variantsOf({v(16189, 'C'), v(16188, 'C', 1)}) == std::vector{v(16189, 'C'), v(16193, 'C', 1)});
    CHECK(variantsOf({v(16185, 'C', 1)}) == std::vector{v(16188, 'C', 1)});
    // A moving insertion absorbs one it meets: 303.1C + 309.1C is 309.1C 309.2C.
    CHECK(variantsOf({v(303, 'C', 1), v(309, 'C', 1)}) == std::vector{v(309, 'C', 1), v(309, 'C', 2)});
    // Nothing moves past the end of the covered interval (bases beyond are unknown).
    CHECK(variantsOf({v(303, 'C', 1)}, {{1, 306}}) == std::vector{v(306, 'C', 1)});
}

TEST_CASE("normalise places deletions at the 3' end of their repeat", "[mtdna]") {
    // rCRS 248 A 249 A 250 T: 248del and 249del are one sequence; EMPOP writes 249del.
    CHECK(variantsOf({v(248, '-')}) == std::vector{v(249, '-')});
    // The 9-bp deletion: 8272-8280 and 8281-8289 are both CCCCCTCTA; written 8281-8289.
    std::vector<mt::Variant> left, right;
    for (int p = 8272; p <= 8280; ++p) left.push_back(v(p, '-'));
    for (int p = 8281; p <= 8289; ++p) right.push_back(v(p, '-'));
    CHECK(variantsOf(left, {{1, 16569}}) == right);
    CHECK(variantsOf(right, {{1, 16569}}) == right);
    // rCRS 16068 T 16069 C 16070 A: no repeat, so 16069del stays.
    CHECK(variantsOf({v(16069, '-')}) == std::vector{v(16069, '-')});
}

TEST_CASE("normalise drops rCRS bases, merges duplicates and rejects contradictions", "[mtdna]") {
    CHECK(variantsOf({v(16069, 'C')}).empty());  // C16069C is no difference
    CHECK(variantsOf({v(16126, 'C'), v(16069, 'T'), v(16126, 'C')}) == std::vector{v(16069, 'T'), v(16126, 'C')});
    CHECK_THROWS_WITH(hap(kControlRegion, {v(16069, 'T'), v(16069, 'A')}),
                      Catch::Contains("16069T") && Catch::Contains("16069A") && Catch::Contains("sample \"S\""));
    CHECK_THROWS_WITH(hap(kControlRegion, {v(315, 'C', 2)}), Catch::Contains("without 315.1"));
    CHECK_THROWS_AS(hap(kControlRegion, {v(315, '-', 1)}), kinmatch::Error);
    CHECK_THROWS_AS(hap(kControlRegion, {v(100, 'N')}), kinmatch::Error);
}

TEST_CASE("compare counts differences only over positions both samples cover", "[mtdna]") {
    const mt::CompareOptions options;
    // a: HVS-I only; b: whole control region. b's 263G and 73G lie outside a's range.
    const auto a = hap({{16024, 16365}}, {v(16069, 'T'), v(16126, 'C')});
    const auto b = hap(kControlRegion, {v(16069, 'T'), v(16126, 'C'), v(73, 'G'), v(263, 'G')});
    auto c = mt::compare(a, b, options);
    CHECK(c.differences == 0);
    CHECK(c.comparedPositions == 16365 - 16024 + 1);
    CHECK(c.outcome == mt::Outcome::kCannotExclude);
    // Same pair on the whole control region: 2 differences -> exclusion.
    const auto a2 = hap(kControlRegion, {v(16069, 'T'), v(16126, 'C')});
    c = mt::compare(a2, b, options);
    CHECK(c.differences == 2);
    CHECK(c.outcome == mt::Outcome::kExclusion);
    CHECK(c.differing == std::vector<mt::Difference>{{73, 0, 'A', 'G'}, {263, 0, 'A', 'G'}});
    CHECK(mt::differenceText(c.differing[0]) == "73:A/G");
    // Disjoint ranges: nothing compared.
    c = mt::compare(hap({{1, 100}}, {}), hap({{200, 300}}, {}), options);
    CHECK(c.comparedPositions == 0);
    CHECK(c.outcome == mt::Outcome::kInsufficientOverlap);
}

TEST_CASE("compare over a range that runs across the origin", "[mtdna]") {
    const mt::CompareOptions options;
    const auto a = hap({{16500, 100}}, {v(16519, 'C'), v(73, 'G')});  // 16500-16569 and 1-100
    const auto b = hap({{16510, 16569}, {1, 80}}, {v(16519, 'C')});
    const auto c = mt::compare(a, b, options);
    CHECK(c.comparedPositions == (16569 - 16510 + 1) + 80);
    CHECK(c.differences == 1);  // 73G against b's rCRS A
    CHECK(c.outcome == mt::Outcome::kInconclusive);
    CHECK(mt::compare(b, a, options).differing == std::vector<mt::Difference>{{73, 0, 'A', 'G'}});
}

TEST_CASE("compare ignores length variants in every default hotspot and counts them when told to", "[mtdna]") {
    mt::CompareOptions none;
    none.hotspots.clear();
    const mt::CompareOptions standard;
    const std::vector<std::pair<int, int>> whole{{1, 16569}};
    // EMPOP's nominal length-variant positions, each with the base of its stretch.
    const std::vector<mt::Variant> lengthVariants{v(16193, 'C', 1), v(309, 'C', 1), v(310, 'C', 1), v(315, 'C', 1),
                                                  v(455, 'T', 1),   v(463, 'C', 1), v(573, 'C', 1), v(960, 'C', 1),
                                                  v(5899, 'C', 1),  v(8276, 'C', 1), v(8285, 'C', 1), v(16193, '-'),
                                                  v(573, '-'),      v(310, '-')};
    const auto reference = hap(whole, {});
    for (const auto& lv : lengthVariants) {
        INFO("length variant at " << lv.position << "." << int(lv.insertion) << lv.base);
        const auto sample = hap(whole, {lv});
        CHECK(mt::compare(sample, reference, standard).differences == 0);
        CHECK(mt::compare(sample, reference, none).differences == 1);
    }
    // A substitution inside a hotspot still counts (16189C is a real polymorphism).
    CHECK(mt::compare(hap(whole, {v(16189, 'C')}), reference, standard).differences == 1);
    // A length variant just outside a hotspot counts.
    CHECK(mt::compare(hap(whole, {v(16197, '-')}), reference, standard).differences == 1);
    // 309.1C 309.2C against 309.1C, 315.1C against none: all length variation, ignored.
    CHECK(mt::compare(hap(whole, {v(309, 'C', 1), v(309, 'C', 2), v(315, 'C', 1)}), hap(whole, {v(309, 'C', 1)}),
                      standard)
              .differences == 0);
    // A 2-base insertion counts two differences when not ignored.
    CHECK(mt::compare(hap(whole, {v(309, 'C', 1), v(309, 'C', 2)}), reference, none).differences == 2);
}

TEST_CASE("a point heteroplasmy in either sample matches either of its bases", "[mtdna]") {
    const mt::CompareOptions options;
    const auto y = hap(kControlRegion, {v(16093, 'Y')});  // rCRS 16093 T; Y = C/T
    const auto c = hap(kControlRegion, {v(16093, 'C')});
    const auto t = hap(kControlRegion, {});
    const auto a = hap(kControlRegion, {v(16093, 'A')});
    const auto r = hap(kControlRegion, {v(16093, 'R')});  // A/G: shares no base with Y
    const auto s = hap(kControlRegion, {v(16093, 'S')});  // C/G: shares C
    CHECK(mt::compare(y, c, options).differences == 0);
    CHECK(mt::compare(c, y, options).differences == 0);
    CHECK(mt::compare(y, t, options).differences == 0);
    CHECK(mt::compare(t, y, options).differences == 0);
    CHECK(mt::compare(y, y, options).differences == 0);
    CHECK(mt::compare(y, s, options).differences == 0);
    CHECK(mt::compare(y, a, options).differences == 1);
    CHECK(mt::compare(a, y, options).differences == 1);
    CHECK(mt::compare(y, r, options).differences == 1);
    CHECK(mt::compare(y, a, options).differing == std::vector<mt::Difference>{{16093, 0, 'Y', 'A'}});
}

TEST_CASE("outcome thresholds follow SWGDAM by default and are configurable", "[mtdna]") {
    mt::CompareOptions options;
    CHECK(mt::classify(0, 100, options) == mt::Outcome::kCannotExclude);
    CHECK(mt::classify(1, 100, options) == mt::Outcome::kInconclusive);
    CHECK(mt::classify(2, 100, options) == mt::Outcome::kExclusion);
    CHECK(mt::classify(7, 100, options) == mt::Outcome::kExclusion);
    options.exclusionDifferences = 3;
    options.inconclusiveDifferences = 1;
    CHECK(mt::classify(2, 100, options) == mt::Outcome::kInconclusive);
    CHECK(mt::classify(3, 100, options) == mt::Outcome::kExclusion);
    options.minComparedPositions = 200;
    CHECK(mt::classify(0, 199, options) == mt::Outcome::kInsufficientOverlap);
    options.inconclusiveDifferences = 4;
    CHECK_THROWS_AS(options.validate(), kinmatch::UsageError);
    CHECK(std::string(mt::outcomeName(mt::Outcome::kCannotExclude)) == "cannot_exclude");
}

TEST_CASE("quickOutcome gives compare's outcome on random pairs", "[mtdna]") {
    // Few sites, so that pairs at 0, 1 and 2+ differences all occur; partial and origin-crossing
    // ranges, heteroplasmies, deletions and hotspot insertions included.
    // (16093C and 16093Y are neighbours: at most one of them is chosen.)
    const std::vector<mt::Variant> sites = {v(16093, 'C'), v(16093, 'Y'), v(16129, 'A'), v(16189, 'C'),
                                            v(16193, 'C', 1), v(16311, 'C'), v(16519, 'C'), v(73, 'G'),
                                            v(152, 'C'),   v(249, '-'),    v(309, 'C', 1), v(315, 'C', 1)};
    const std::vector<std::vector<std::pair<int, int>>> ranges = {
        kControlRegion, {{16024, 16365}}, {{1, 576}}, {{16300, 100}}, {{100, 200}}, {{16024, 16569}, {1, 16023}}};
    std::uint64_t state = 12345;
    const auto next = [&](std::uint64_t n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % n;
    };
    const auto randomHaplotype = [&] {
        std::vector<mt::Variant> chosen;
        for (const auto& site : sites)
            if (next(3) == 0 && (chosen.empty() || chosen.back().position != site.position)) chosen.push_back(site);
        return hap(ranges[next(ranges.size())], chosen);
    };
    mt::CompareOptions strict;
    strict.exclusionDifferences = 3;
    strict.inconclusiveDifferences = 2;
    strict.minComparedPositions = 200;
    int seen[4] = {0, 0, 0, 0};
    for (int i = 0; i < 3000; ++i) {
        const mt::Haplotype a = randomHaplotype();
        const mt::Haplotype b = randomHaplotype();
        for (const auto& options : {mt::CompareOptions{}, strict}) {
            const auto expected = mt::compare(a, b, options).outcome;
            CHECK(mt::quickOutcome(a, b, options) == expected);
            ++seen[static_cast<int>(expected)];
        }
    }
    for (int count : seen) CHECK(count > 100);  // every outcome exercised
}
