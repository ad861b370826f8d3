// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtIndex.hpp"

namespace mt = kinmatch::engine::mt;

namespace {

// Simulated haplotypes built to stress every rule the index must respect: lineages of related
// haplotypes (so many pairs lie 0-2 differences apart), partial and origin-crossing ranges,
// point heteroplasmies, hotspot length variants and deletions. std::mt19937_64 output is fixed
// by the standard; only its raw output is used, never a std:: distribution.
class Simulator {
  public:
    /// `stress`: also short random ranges (anywhere, across the origin) and haplotypes with more
    /// heteroplasmies than the index hashes, which it must hand over whole; otherwise the ranges
    /// labs use and at most one heteroplasmy.
    Simulator(std::uint64_t seed, bool stress) : rng_(seed), stress_(stress) {}

    std::vector<mt::Haplotype> haplotypes(std::size_t count, std::size_t lineages) {
        std::vector<std::vector<mt::Variant>> founders;
        for (std::size_t l = 0; l < lineages; ++l) {
            std::vector<mt::Variant> vs;
            for (int k = 0; k < 8; ++k) vs.push_back(randomSubstitution());
            founders.push_back(vs);
        }
        std::vector<mt::Haplotype> out;
        for (std::size_t i = 0; i < count; ++i) {
            mt::Haplotype h;
            h.sample = "H";
            h.sample += std::to_string(i);
            h.range = randomRange();
            std::vector<mt::Variant> vs = founders[below(lineages)];
            const auto changes = below(4);  // 0-3 private changes
            for (std::size_t c = 0; c < changes; ++c) {
                if (!vs.empty() && below(3) == 0)
                    vs.erase(vs.begin() + static_cast<long>(below(vs.size())));
                else
                    vs.push_back(randomSubstitution());
            }
            if (below(4) == 0) vs.push_back({315, 1, 'C'});
            if (below(5) == 0) vs.push_back({309, 1, 'C'});
            if (below(6) == 0) vs.push_back({16193, 1, 'C'});
            if (below(8) == 0) vs.push_back({249, 0, '-'});
            if (below(10) == 0) vs.push_back({573, 0, '-'});
            if (below(5) == 0) {  // a heteroplasmy at one of the lineage's sites or a new one
                auto het = vs.empty() || below(2) ? randomSubstitution() : vs[below(vs.size())];
                if (het.insertion == 0 && het.base != '-') {
                    het.base = heteroplasmyOf(mt::rcrs()[het.position - 1u], het.base);
                    std::erase_if(vs, [&](const mt::Variant& x) { return x.position == het.position && x.insertion == 0; });
                    vs.push_back(het);
                }
            }
            if (stress_ && below(40) == 0)  // past the index's heteroplasmy limit
                for (int p = 0; p < 6; ++p)
                    vs.push_back({static_cast<std::uint16_t>(16101 + 10 * p), 0,
                                  heteroplasmyOf(mt::rcrs()[16100u + 10 * p], 'A')});
            std::erase_if(vs, [&](const mt::Variant& x) { return !h.range.contains(x.position); });
            h.variants = vs;
            std::sort(h.variants.begin(), h.variants.end());
            h.variants.erase(std::unique(h.variants.begin(), h.variants.end(),
                                         [](const auto& a, const auto& b) {
                                             return a.position == b.position && a.insertion == b.insertion;
                                         }),
                             h.variants.end());
            mt::normalise(h);
            out.push_back(std::move(h));
        }
        return out;
    }

  private:
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

    static char heteroplasmyOf(char a, char b) {
        const unsigned m = mt::baseMask(a) | mt::baseMask(b);
        for (char code : {'R', 'Y', 'K', 'M', 'S', 'W'})
            if (mt::baseMask(code) == m) return code;
        return 'Y';  // a == b: any heteroplasmy will do
    }

    mt::Variant randomSubstitution() {
        // Mostly the control region, where ranges overlap most; sometimes the coding region.
        const int position = below(3) ? static_cast<int>(16024 + below(546 + 576)) : static_cast<int>(1 + below(16569));
        const int p = position > 16569 ? position - 16569 : position;
        const char ref = mt::rcrs()[static_cast<std::size_t>(p - 1)];
        const char bases[] = {'A', 'C', 'G', 'T'};
        char base = ref;
        while (base == ref) base = bases[below(4)];
        return {static_cast<std::uint16_t>(p), 0, base};
    }

    mt::CoveredRange randomRange() {
        mt::CoveredRange r;
        switch (below(stress_ ? 6 : 4)) {
            case 0: r.add(16024, 576); break;
            case 1: r.add(16024, 16365); r.add(73, 340); break;
            case 2: r = mt::CoveredRange::whole(); break;
            case 3: r.add(16024, 16569); r.add(1, 576); r.add(700, 9000); break;
            default: {  // arbitrary, possibly across the origin, possibly tiny
                const int a = static_cast<int>(1 + below(16569));
                const int len = static_cast<int>(1 + below(below(2) ? 2000 : 40));
                const int b = a + len > 16569 ? a + len - 16569 : a + len;
                r.add(a, b);
                if (below(2)) r.add(16024, 16365);
            }
        }
        return r;
    }

    std::mt19937_64 rng_;
    bool stress_;
};

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
    Simulator sim(20240611, true);
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
    Simulator sim(99, false);
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
    Simulator sim(7, true);
    const auto refs = sim.haplotypes(400, 10);
    const auto queries = sim.haplotypes(60, 10);
    const mt::Index first(refs, mt::IndexOptions{});
    const mt::Index second(refs, mt::IndexOptions{});
    std::vector<std::vector<std::uint32_t>> forward, backward(queries.size());
    for (const auto& q : queries) forward.push_back(first.candidates(q));
    for (std::size_t i = queries.size(); i-- > 0;) backward[i] = second.candidates(queries[i]);
    CHECK(forward == backward);
}
