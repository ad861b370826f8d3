// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <oneapi/tbb/parallel_for.h>

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtSearch.hpp"
#include "tests/support/MtSimulator.hpp"

namespace mt = kinmatch::engine::mt;
using kinmatch::test::MtSimulator;

namespace {

// What the search must give: mt::compare against every reference, counted as `kinmatch mtdna
// compare` counts (outcome cannot_exclude or inconclusive, at most maxDifferences apart).
mt::SearchResult bruteForce(const mt::Haplotype& q, const std::vector<mt::Haplotype>& refs,
                            const mt::SearchOptions& options) {
    mt::SearchResult expected;
    for (std::uint32_t r = 0; r < refs.size(); ++r) {
        const auto c = mt::compare(q, refs[r], options.compare);
        if (c.differences > options.maxDifferences) continue;
        if (c.outcome == mt::Outcome::kCannotExclude)
            ++expected.cannotExclude;
        else if (c.outcome == mt::Outcome::kInconclusive)
            ++expected.inconclusive;
        else
            continue;
        expected.found.push_back(r);
    }
    return expected;
}

// Returns how many pairs were found, so callers can insist the data exercised the search.
std::size_t checkAgainstBruteForce(const std::vector<mt::Haplotype>& queries, const std::vector<mt::Haplotype>& refs,
                                   const mt::SearchOptions& options) {
    const mt::Search search(refs, options);
    std::size_t found = 0;
    for (const auto& q : queries) {
        const auto expected = bruteForce(q, refs, options);
        const auto got = search.find(q, true);
        INFO("query " << q.sample);
        REQUIRE(got.found == expected.found);
        CHECK(got.cannotExclude == expected.cannotExclude);
        CHECK(got.inconclusive == expected.inconclusive);
        CHECK(got.candidates >= got.found.size());
        CHECK(got.candidates <= refs.size());
        const auto counted = search.find(q, false);
        CHECK(counted.found.empty());
        CHECK(counted.cannotExclude == expected.cannotExclude);
        CHECK(counted.candidates == got.candidates);
        found += expected.found.size();
    }
    return found;
}

// References with many copies of each haplotype, some differing only in hotspot length variants
// or sample name (they must be stored once and counted for every copy), and some differing only
// in range (they must not be merged).
std::vector<mt::Haplotype> withCopies(std::vector<mt::Haplotype> refs) {
    const std::size_t n = refs.size();
    for (std::size_t i = 0; i < n; i += 3) {
        mt::Haplotype copy = refs[i];
        copy.sample += "-copy";
        refs.push_back(copy);
        mt::Haplotype withHotspot = refs[i];
        withHotspot.sample += "-309.1C";
        if (withHotspot.range.contains(309)) {
            withHotspot.variants.push_back({309, 1, 'C'});
            mt::normalise(withHotspot);
        }
        refs.push_back(withHotspot);
        mt::Haplotype shorter = refs[i];
        shorter.sample += "-shorter";
        shorter.range = shorter.range.intersect([] {
            mt::CoveredRange r;
            r.add(16024, 16365);
            return r;
        }());
        std::erase_if(shorter.variants, [&](const mt::Variant& v) { return !shorter.range.contains(v.position); });
        if (!shorter.range.empty()) refs.push_back(shorter);
    }
    return refs;
}

}  // namespace

TEST_CASE("search finds exactly the pairs comparing every reference finds (brute force)", "[mtdna][search]") {
    MtSimulator sim(20261124, true);
    const auto refs = withCopies(sim.haplotypes(1200, 40));
    const auto queries = sim.haplotypes(250, 40);
    mt::SearchOptions options;
    SECTION("SWGDAM thresholds, non-exclusions") { CHECK(checkAgainstBruteForce(queries, refs, options) > 1000); }
    SECTION("only identical haplotypes") {
        options.maxDifferences = 0;
        CHECK(checkAgainstBruteForce(queries, refs, options) > 250);
    }
    SECTION("exclusion at 3, up to 2 differences") {
        options.compare.exclusionDifferences = 3;
        options.maxDifferences = 2;
        CHECK(checkAgainstBruteForce(queries, refs, options) > 1000);
    }
    SECTION("no hotspots: length variants count") {
        options.compare.hotspots = {};
        CHECK(checkAgainstBruteForce(queries, refs, options) > 1000);
    }
    SECTION("exclusion at 1 difference: only identical haplotypes count") {
        options.compare.exclusionDifferences = 1;
        options.compare.inconclusiveDifferences = 1;
        options.maxDifferences = 0;
        CHECK(checkAgainstBruteForce(queries, refs, options) > 250);
    }
    SECTION("a minimum overlap of 500 positions") {
        options.compare.minComparedPositions = 500;
        CHECK(checkAgainstBruteForce(queries, refs, options) > 500);
    }
}

TEST_CASE("search stores references that compare alike once and counts every copy", "[mtdna][search]") {
    MtSimulator sim(5, false);
    const auto base = sim.haplotypes(300, 30);
    const auto refs = withCopies(base);
    const mt::Search search(refs, mt::SearchOptions{});
    CHECK(search.size() == refs.size());
    // Counted independently: plain copies and copies with an extra hotspot length variant are
    // not new; shorter ranges are.
    std::set<std::pair<std::vector<std::pair<int, int>>, std::vector<mt::Variant>>> distinct;
    for (const auto& r : refs) {
        std::vector<std::pair<int, int>> range;
        for (const auto& i : r.range.intervals()) range.emplace_back(i.first, i.last);
        distinct.emplace(range, mt::withoutHotspotLengthVariants(r, mt::defaultHotspots()).variants);
    }
    CHECK(search.distinctCount() == distinct.size());
    CHECK(distinct.size() < refs.size() - base.size() / 3);
}

TEST_CASE("search results do not depend on query order or on the thread asking", "[mtdna][search]") {
    MtSimulator sim(77, true);
    const auto refs = sim.haplotypes(500, 12);
    const auto queries = sim.haplotypes(400, 12);
    const mt::Search search(refs, mt::SearchOptions{});
    std::vector<std::vector<std::uint32_t>> forward, backward(queries.size()), parallel(queries.size());
    for (const auto& q : queries) forward.push_back(search.find(q, true).found);
    for (std::size_t i = queries.size(); i-- > 0;) backward[i] = search.find(queries[i], true).found;
    CHECK(forward == backward);
    // Each thread keeps its own scratch; many threads at once must not disturb each other.
    tbb::parallel_for(std::size_t{0}, queries.size(), [&](std::size_t i) { parallel[i] = search.find(queries[i], true).found; });
    CHECK(forward == parallel);
}
