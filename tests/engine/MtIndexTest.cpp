// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtIndex.hpp"
#include "tests/support/MtSimulator.hpp"

namespace mt = kinmatch::engine::mt;
using kinmatch::test::MtSimulator;

namespace {

// Every pair within the threshold must be among the candidates; candidates are sorted and unique.
// Returns the number of candidates.
std::size_t checkSuperset(const std::vector<mt::Haplotype>& queries, const std::vector<mt::Haplotype>& refs,
                          std::size_t maxDifferences, const std::vector<mt::Hotspot>& hotspots) {
    mt::CompareOptions options;
    options.hotspots = hotspots;
    const mt::Index index(refs, mt::IndexOptions{.maxDifferences = maxDifferences, .hotspots = hotspots});
    std::size_t within = 0, candidates = 0;
    for (const auto& q : queries) {
        const auto found = index.candidates(q);
        REQUIRE(std::is_sorted(found.begin(), found.end()));
        REQUIRE(std::adjacent_find(found.begin(), found.end()) == found.end());
        candidates += found.size();
        for (std::uint32_t r = 0; r < refs.size(); ++r) {
            const auto c = mt::compare(q, refs[r], options);
            if (c.comparedPositions == 0 || c.differences > maxDifferences) continue;
            ++within;
            if (!std::binary_search(found.begin(), found.end(), r)) {
                INFO("query " << q.sample << " reference " << refs[r].sample << " differences " << c.differences);
                FAIL("index missed a pair within the threshold");
            }
        }
    }
    // The test must exercise the property: many pairs within the threshold.
    CHECK(within > queries.size());
    CHECK(candidates < queries.size() * refs.size());
    return candidates;
}

}  // namespace

TEST_CASE("index candidates include every pair within 0, 1 and 2 differences (brute force)", "[mtdna][index]") {
    MtSimulator sim(20240611, true);
    const auto refs = sim.haplotypes(1500, 40);
    const auto queries = sim.haplotypes(300, 40);
    for (std::size_t d : {0u, 1u, 2u}) {
        INFO("max differences " << d);
        checkSuperset(queries, refs, d, mt::defaultHotspots());
    }
    INFO("no hotspots");
    checkSuperset(queries, refs, 1, {});
}

TEST_CASE("index prunes most pairs on the ranges labs use", "[mtdna][index]") {
    MtSimulator sim(99, false);
    const auto refs = sim.haplotypes(3000, 300);
    const auto queries = sim.haplotypes(200, 300);
    // 300 lineages of ~10 haplotypes each: a query's own lineage is ~1/300 of the references, so
    // an index that hashes properly hands over a few percent of the pairs, not most of them.
    const auto candidates = checkSuperset(queries, refs, 1, mt::defaultHotspots());
    CHECK(candidates < queries.size() * refs.size() / 20);
}

TEST_CASE("index finds pairs that differ only by heteroplasmy, hotspot variants or outside the common range",
          "[mtdna][index]") {
    auto hap = [](std::vector<std::pair<int, int>> range, std::vector<mt::Variant> vs) {
        mt::Haplotype h;
        for (auto [a, b] : range) h.range.add(a, b);
        h.variants = std::move(vs);
        mt::normalise(h);
        return h;
    };
    const std::vector<mt::Haplotype> refs{
        hap({{16024, 576}}, {{16069, 0, 'T'}, {16126, 0, 'C'}, {73, 0, 'G'}}),                    // 0
        hap({{16024, 576}}, {{16069, 0, 'Y'}, {16126, 0, 'C'}, {73, 0, 'G'}, {315, 1, 'C'}}),    // 1
        hap({{1, 16569}}, {{16069, 0, 'T'}, {16126, 0, 'C'}, {73, 0, 'G'}, {4216, 0, 'C'}}),     // 2
        hap({{16024, 576}}, {{16069, 0, 'A'}, {16126, 0, 'C'}, {73, 0, 'G'}, {263, 0, 'G'}}),    // 3: 2+ away
        hap({{16300, 16400}}, {}),                                                                // 4: short overlap
    };
    const mt::Index index(refs, mt::IndexOptions{.maxDifferences = 0});
    const auto q = hap({{16024, 16365}, {1, 340}}, {{16069, 0, 'T'}, {16126, 0, 'C'}, {73, 0, 'G'}});
    const auto found = index.candidates(q);
    for (std::uint32_t r : {0u, 1u, 2u, 4u}) CHECK(std::binary_search(found.begin(), found.end(), r));
    CHECK_FALSE(std::binary_search(found.begin(), found.end(), 3u));
    const auto qHet = hap({{16024, 576}}, {{16069, 0, 'K'}, {16126, 0, 'C'}, {73, 0, 'G'}});  // G/T
    const auto foundHet = index.candidates(qHet);
    for (std::uint32_t r : {0u, 1u, 2u}) CHECK(std::binary_search(foundHet.begin(), foundHet.end(), r));
}

TEST_CASE("index results do not depend on the order queries are asked in", "[mtdna][index]") {
    MtSimulator sim(7, true);
    const auto refs = sim.haplotypes(400, 10);
    const auto queries = sim.haplotypes(60, 10);
    const mt::Index first(refs, mt::IndexOptions{});
    const mt::Index second(refs, mt::IndexOptions{});
    std::vector<std::vector<std::uint32_t>> forward, backward(queries.size());
    for (const auto& q : queries) forward.push_back(first.candidates(q));
    for (std::size_t i = queries.size(); i-- > 0;) backward[i] = second.candidates(queries[i]);
    CHECK(forward == backward);
}
