// SPDX-License-Identifier: MIT
// mtDNA blind search: engine::mt::Index over R reference haplotypes, queried with 1000
// haplotypes, at most 1 difference (the non-exclusions). Haplotypes come from 2000 simulated
// lineages (10 control-region and coding variants each, 0-3 private changes, hotspot length
// variants, 1 in 5 with a point heteroplasmy) over the ranges labs report (control region,
// HVS-I + HVS-II, control region + coding, whole mitogenome).
//   BM_MtIndexBuildAndQuery/refs:R   index built and every table filled inside the loop
//   BM_MtIndexQuery/refs:R           tables built before the loop: lookup + exact compare only
// and, with haplotypes as diverse as real control-region data (engine/LineageSimulation: most
// haplotypes rare, ~1% random-match probability over HVS-I/II, so ~2% of pairs are found):
//   BM_MtIndexRealistic/refs:R/degraded:0|1  index built inside the loop; R references typed
//       as a lab's database (control regions, some whole genomes and HVS-I/II), 1000 unrelated
//       queries typed as references (degraded:0) or as remains, a third with lost amplicons
//       (degraded:1), each looked up by its own range
//   BM_MtSearchRealistic/refs:R/degraded:0|1  the same through engine::mt::Search, the path
//       `kinmatch mtdna compare` takes: copies stored once, fixed lookup ranges intersected,
//       candidates confirmed by the counting comparison (the search built inside the loop)
// items/s = queries/s (each against all R references).

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "engine/LineageSimulation.hpp"
#include "engine/MtComparison.hpp"
#include "engine/MtIndex.hpp"
#include "engine/MtSearch.hpp"

namespace kinmatch::bench {

namespace {

namespace mt = engine::mt;

std::vector<mt::Haplotype> simulate(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::string_view ref = mt::rcrs();
    auto substitution = [&]() {
        const int p =
            below(2) ? static_cast<int>(1 + (16023 + below(1122)) % 16569) : static_cast<int>(1 + below(16569));
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
            case 0:
                h.range.add(16024, 576);
                break;
            case 1:
                h.range.add(16024, 16365);
                h.range.add(73, 340);
                break;
            case 2:
                h.range.add(16024, 576);
                h.range.add(577, 9000);
                break;
            default:
                h.range = mt::CoveredRange::whole();
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
                             [](const auto& a, const auto& b) {
                                 return a.position == b.position && a.insertion == b.insertion;
                             }),
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

// Unrelated people of the simulated population; `first` keeps the sets apart.
std::vector<mt::Haplotype> realistic(std::size_t count, std::uint64_t first, engine::LineageSampleKind kind) {
    const engine::LineageSimulation population(engine::LineageSimulationOptions{.seed = 1});
    std::vector<mt::Haplotype> out;
    out.reserve(count);
    for (std::uint64_t i = first; i < first + count; ++i)
        out.push_back(population.typeMt(population.populationDraw(i, false), "S" + std::to_string(i), kind, i));
    return out;
}

// Runs `searchAll(refs, queries)` (returning the pairs it found) once per iteration over the
// realistic sets state.range() asks for, and reports queries/s and pairs found per query.
template <typename SearchAll>
void runRealistic(benchmark::State& state, SearchAll&& searchAll) {
    const auto refs = realistic(static_cast<std::size_t>(state.range(0)), 0, engine::LineageSampleKind::kDatabase);
    const auto queries = realistic(
        1000, 1u << 30, state.range(1) ? engine::LineageSampleKind::kRemains : engine::LineageSampleKind::kReference);
    std::size_t found = 0;
    for (auto _ : state) found += searchAll(refs, queries);
    benchmark::DoNotOptimize(found);
    state.counters["found/query"] =
        benchmark::Counter(static_cast<double>(found) / static_cast<double>(state.iterations() * queries.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * queries.size()));
}

void BM_MtIndexRealistic(benchmark::State& state) {
    runRealistic(state, [](const auto& refs, const auto& queries) {
        std::size_t found = 0;
        const mt::Index index(refs, mt::IndexOptions{});
        search(index, refs, queries, found);
        return found;
    });
}

void BM_MtSearchRealistic(benchmark::State& state) {
    runRealistic(state, [](const auto& refs, const auto& queries) {
        std::size_t found = 0;
        const mt::Search search(refs, mt::SearchOptions{});
        for (const auto& q : queries) {
            const auto result = search.find(q, false);
            found += result.cannotExclude + result.inconclusive;
        }
        return found;
    });
}

// Reference set sizes, each with queries typed as references and as (partly degraded) remains.
void realisticSizes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"refs", "degraded"});
    for (long refs : {10000, 100000})
        for (long degraded : {0, 1}) b->Args({refs, degraded});
}

}  // namespace

BENCHMARK(BM_MtSearchRealistic)->Apply(realisticSizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MtIndexRealistic)->Apply(realisticSizes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MtIndexBuildAndQuery)->ArgName("refs")->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MtIndexQuery)->ArgName("refs")->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace kinmatch::bench
