// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtStatistic.hpp"
#include "tests/support/SharedFixtures.hpp"

namespace mt = kinmatch::engine::mt;

namespace {

using kinmatch::test::binomialCdf;

mt::Variant v(int position, char base, int insertion = 0) {
    return {static_cast<std::uint16_t>(position), static_cast<std::uint8_t>(insertion), base};
}

mt::Haplotype hap(const std::string& name, std::vector<std::pair<int, int>> range, std::vector<mt::Variant> variants) {
    mt::Haplotype h;
    h.sample = name;
    for (auto [a, b] : range) h.range.add(a, b);
    h.variants = std::move(variants);
    mt::normalise(h);
    return h;
}

const std::vector<std::pair<int, int>> kCr{{16024, 576}};
const std::vector<std::pair<int, int>> kHvs1{{16024, 16365}};

}  // namespace

TEST_CASE("a haplotype never seen in N database haplotypes gets LR 1/(1 - 0.05^(1/N))", "[mtdna]") {
    std::vector<mt::Haplotype> db;
    for (int i = 0; i < 20; ++i) db.push_back(hap("D" + std::to_string(i), kCr, {v(16024 + 3 * i, 'G')}));
    const mt::Database database(db, mt::CompareOptions{});
    const auto remains = hap("UR", kCr, {v(16069, 'T'), v(16126, 'C'), v(73, 'G')});
    const auto reference = hap("REF", kCr, {v(16069, 'T'), v(16126, 'C'), v(73, 'G'), v(315, 'C', 1)});
    const auto e = mt::evaluatePair(remains, reference, mt::CompareOptions{}, &database);
    REQUIRE(e.comparison.outcome == mt::Outcome::kCannotExclude);
    REQUIRE(e.counted);
    CHECK(e.count.matches == 0);
    CHECK(e.count.total == 20);
    // By hand: 0.05^(1/20) = exp(ln 0.05 / 20) = exp(-0.1497866) = 0.8608916; bound 0.1391084.
    CHECK(e.count.upperBound == Approx(0.1391084).epsilon(1e-6));
    CHECK(e.log10Lr == Approx(-std::log10(0.1391084)).epsilon(1e-6));  // 0.856643
    CHECK(e.log10Lr == Approx(0.856643).epsilon(1e-5));
}

TEST_CASE("database count uses the pair's compared range and the comparison rules", "[mtdna]") {
    const auto query = hap("UR", kHvs1, {v(16069, 'T'), v(16126, 'C')});
    const auto reference = hap("REF", kCr, {v(16069, 'T'), v(16126, 'C'), v(263, 'G')});
    std::vector<mt::Haplotype> db{
        // matches: identical in HVS-I, whatever they carry outside it
        hap("D1", kCr, {v(16069, 'T'), v(16126, 'C'), v(73, 'G')}),
        hap("D2", kHvs1, {v(16069, 'T'), v(16126, 'C')}),
        hap("D3", kCr, {v(16069, 'Y'), v(16126, 'C')}),                  // heteroplasmy matches T
        hap("D4", kCr, {v(16069, 'T'), v(16126, 'C'), v(16193, 'C', 1)}),  // hotspot length variant
        // not matches: one difference within HVS-I
        hap("D5", kCr, {v(16069, 'T')}),
        hap("D6", kCr, {v(16069, 'T'), v(16126, 'C'), v(16311, 'C')}),
        // not counted at all: does not cover the whole compared range (16024-16365)
        hap("D7", {{16100, 576}}, {v(16126, 'C')}),
        hap("D8", {{1, 576}}, {}),
    };
    const mt::Database database(db, mt::CompareOptions{});
    const auto count = database.count(query, query.range.intersect(reference.range));
    CHECK(count.matches == 4);
    CHECK(count.total == 6);
    // The bound solves P(X <= 4 | 6, p) = 0.05.
    CHECK(binomialCdf(4, 6, count.upperBound) == Approx(0.05).epsilon(1e-9));
    const auto e = mt::evaluatePair(query, reference, mt::CompareOptions{}, &database);
    CHECK(e.log10Lr == Approx(-std::log10(count.upperBound)));
    CHECK(e.log10Lr > 0.0);
}

TEST_CASE("exclusion scores -inf and inconclusive 0, with or without a database", "[mtdna]") {
    const mt::Database database({hap("D1", kCr, {})}, mt::CompareOptions{});
    const auto a = hap("A", kCr, {v(16069, 'T')});
    const auto b = hap("B", kCr, {v(16069, 'T'), v(73, 'G')});
    const auto c = hap("C", kCr, {v(16069, 'T'), v(73, 'G'), v(263, 'G')});
    auto e = mt::evaluatePair(a, b, mt::CompareOptions{}, &database);
    CHECK(e.comparison.outcome == mt::Outcome::kInconclusive);
    CHECK(e.log10Lr == 0.0);
    CHECK_FALSE(e.counted);
    e = mt::evaluatePair(a, c, mt::CompareOptions{}, nullptr);
    CHECK(e.comparison.outcome == mt::Outcome::kExclusion);
    CHECK(std::isinf(e.log10Lr));
    CHECK(e.log10Lr < 0.0);
    e = mt::evaluatePair(a, a, mt::CompareOptions{}, nullptr);
    CHECK(e.comparison.outcome == mt::Outcome::kCannotExclude);
    CHECK_FALSE(e.counted);
    CHECK(e.log10Lr == 0.0);
    // A database with no haplotype covering the range gives no weight (bound 1), not -0.
    const mt::Database narrow({hap("D1", {{1, 100}}, {})}, mt::CompareOptions{});
    e = mt::evaluatePair(a, a, mt::CompareOptions{}, &narrow);
    CHECK(e.counted);
    CHECK(e.count.total == 0);
    CHECK(e.log10Lr == 0.0);
    CHECK_FALSE(std::signbit(e.log10Lr));
}
