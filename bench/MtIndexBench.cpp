// SPDX-License-Identifier: MIT
// mtDNA blind search: engine::mt::Index over R reference haplotypes, queried with 1000
// haplotypes, at most 1 difference (the non-exclusions). Haplotypes come from 2000 simulated
// lineages (10 control-region and coding variants each, 0-3 private changes, hotspot length
// variants, 1 in 5 with a point heteroplasmy) over the ranges labs report (control region,
// HVS-I + HVS-II, control region + coding, whole mitogenome).
//   BM_MtIndexBuildAndQuery/refs:R   index built and every table filled inside the loop
//   BM_MtIndexQuery/refs:R           tables built before the loop: lookup + exact compare only
// items/s = queries/s (each against all R references).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtIndex.hpp"

namespace kinmatch::bench {

namespace {

namespace mt = engine::mt;

std::vector<mt::Haplotype> simulate(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::string_view ref = mt::rcrs();
    auto substitution = [&]() {
        const int p = below(2) ? static_cast<int>(1 + (16023 + below(1122)) % 16569) : static_cast<int>(1 + below(16569));
        char base = ref[static_cast<std::size_t>(p - 1)];
        while (base == ref[static_cast<std::size_t>(p - 1)]) base = "ACGT"[below(4)];
        return mt::Variant{static_cast<std::uint16_t>(p), 0, base};
    };
    std::mt19937_64 lineageRng(1);
    std::vector<std::vector<mt::Variant>> lineages(2000);
    for (auto& l : lineages)
        for (int k = 0; k < 10; ++k) l.push_back(substitution());
    std::vector<mt::Haplotype> out(count);
    for (auto& h : out) {
        switch (below(4)) {
            case 0: h.range.add(16024, 576); break;
            case 1: h.range.add(16024, 16365); h.range.add(73, 340); break;
            case 2: h.range.add(16024, 576); h.range.add(577, 9000); break;
            default: h.range = mt::CoveredRange::whole();
        }
        auto vs = lineages[below(lineages.size())];
        for (std::size_t c = below(4); c-- > 0;) vs.push_back(substitution());
        if (below(3) == 0) vs.push_back({315, 1, 'C'});
        if (below(5) == 0) vs.push_back({16193, 1, 'C'});
        if (below(5) == 0) vs.back().base = vs.back().insertion ? 'C' : 'Y';
        std::erase_if(vs, [&](const mt::Variant& v) { return !h.range.contains(v.position); });
        std::sort(vs.begin(), vs.end(), [](const auto& a, const auto& b) {
            return std::pair(a.position, a.insertion) < std::pair(b.position, b.insertion);
        });
        vs.erase(std::unique(vs.begin(), vs.end(),
                             [](const auto& a, const auto& b) { return a.position == b.position && a.insertion == b.insertion; }),
                 vs.end());
        h.variants = vs;
        mt::normalise(h);
    }
    return out;
}

void search(const mt::Index& index, const std::vector<mt::Haplotype>& refs, const std::vector<mt::Haplotype>& queries,
            std::size_t& found) {
    const mt::CompareOptions options;
    for (const auto& q : queries)
        for (auto r : index.candidates(q)) found += mt::compare(q, refs[r], options).differences <= 1;
}

void BM_MtIndexBuildAndQuery(benchmark::State& state) {
    const auto refs = simulate(static_cast<std::size_t>(state.range(0)), 11);
    const auto queries = simulate(1000, 12);
    std::size_t found = 0;
    for (auto _ : state) {
        const mt::Index index(refs, mt::IndexOptions{});
        search(index, refs, queries, found);
    }
    benchmark::DoNotOptimize(found);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * queries.size()));
}

void BM_MtIndexQuery(benchmark::State& state) {
    const auto refs = simulate(static_cast<std::size_t>(state.range(0)), 11);
    const auto queries = simulate(1000, 12);
    const mt::Index index(refs, mt::IndexOptions{});
    std::size_t found = 0;
    search(index, refs, queries, found);  // fills every table the queries need
    for (auto _ : state) search(index, refs, queries, found);
    benchmark::DoNotOptimize(found);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * queries.size()));
}

}  // namespace

BENCHMARK(BM_MtIndexBuildAndQuery)->ArgName("refs")->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MtIndexQuery)->ArgName("refs")->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace kinmatch::bench
