// SPDX-License-Identifier: MIT
// The screening path (int16 kernel + exact recomputation) against the exact path that scores
// every pair in double: the reported rows must be the same, bit for bit.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <tbb/global_control.h>

#include "engine/Matcher.hpp"
#include "engine/ScreeningKernel.hpp"
#include "tests/support/RandomCase.hpp"

using namespace kinmatch;
using engine::Candidate;
using engine::KernelPath;

namespace {

std::vector<KernelPath> availablePaths() {
    std::vector<KernelPath> paths{KernelPath::kPortable};
    if (engine::avx2Available()) paths.push_back(KernelPath::kAvx2);
    return paths;
}

// Rows named, not indexed, so a case listed in another order compares equal.
struct Row {
    std::string remains, family, person;
    double log10Lr;
    int rank, loci, inconsistent;
    bool operator==(const Row&) const = default;
};

std::vector<Row> named(const engine::PreparedCase& p, const std::vector<Candidate>& candidates) {
    std::vector<Row> rows;
    for (const auto& c : candidates) {
        const auto& f = p.families[c.family];
        rows.push_back({p.remains[c.remains].name, f.name, f.persons[c.missingPerson].id, c.log10Lr, c.rank, c.loci,
                        c.inconsistentLoci});
    }
    return rows;
}

// The exact reference: every pair in double, then cut to K per remains / per missing person.
engine::MatchResult exact(const engine::PreparedCase& p, const engine::MutationModel& model, std::size_t top,
                          std::size_t perMissing) {
    engine::MatchOptions o;
    o.top = top;
    o.topPerMissingPerson = perMissing;
    o.exactScan = true;
    return engine::matchCase(p, model, o);
}

}  // namespace

TEST_CASE("Both kernel paths report the same hits, saturating alike", "[screening]") {
    if (!engine::avx2Available()) {
        WARN("no AVX2 on this CPU: only the portable path is tested");
        return;
    }
    std::mt19937 rng(7);
    for (int width : {16, 32, 64}) {
        const std::size_t rows = 50, markers = 9, remains = 70;
        std::vector<std::int16_t, std::allocator<std::int16_t>> storage(rows * width + 32);
        auto* aligned = reinterpret_cast<std::int16_t*>((reinterpret_cast<std::uintptr_t>(storage.data()) + 63) / 64 * 64);
        std::uniform_int_distribution<int> value(-32768, 32767);
        std::uniform_int_distribution<int> small(-3000, 3000);
        for (std::size_t i = 0; i + 32 <= storage.size() && i < rows * width; ++i)
            aligned[i] = static_cast<std::int16_t>(i % 7 == 0 ? value(rng) : small(rng));
        std::vector<std::uint32_t> remainsRows(remains * markers);
        for (auto& r : remainsRows) r = std::uniform_int_distribution<std::uint32_t>(0, rows - 1)(rng);
        std::vector<std::int16_t> cutRemains(remains), cutLanes(width);
        for (auto& c : cutRemains) c = static_cast<std::int16_t>(small(rng));
        for (auto& c : cutLanes) c = static_cast<std::int16_t>(small(rng) * 3);
        std::vector<engine::TileHit> a(remains * width), b(remains * width);
        const auto na = engine::screenTile(KernelPath::kPortable, width, aligned, remainsRows.data(), markers, remains,
                                           cutRemains.data(), cutLanes.data(), a.data());
        const auto nb = engine::screenTile(KernelPath::kAvx2, width, aligned, remainsRows.data(), markers, remains,
                                           cutRemains.data(), cutLanes.data(), b.data());
        INFO("width " << width);
        REQUIRE(na == nb);
        REQUIRE(na > 0);
        REQUIRE(na < remains * width);
        for (std::size_t i = 0; i < na; ++i) {
            REQUIRE(a[i].remains == b[i].remains);
            REQUIRE(a[i].lane == b[i].lane);
            REQUIRE(a[i].score == b[i].score);
        }
    }
}

TEST_CASE("A screening score bounds the exact log10 LR from above", "[screening]") {
    const double scale = 256.0;
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> v(-9.0, 6.0);
    for (int trial = 0; trial < 2000; ++trial) {
        const int markers = 1 + trial % 21;
        double exactSum = 0.0;
        int score = 0;
        for (int m = 0; m < markers; ++m) {
            const double x = trial % 50 == 0 && m == 0 ? -std::numeric_limits<double>::infinity() : v(rng);
            exactSum += x;
            score = std::clamp(score + engine::quantiseLog10(x, scale), -32768, 32767);
        }
        REQUIRE(exactSum <= engine::upperBoundLog10(score, markers, scale));
        // A pair is only dropped below the cut of a value it cannot reach.
        const double target = v(rng);
        if (score < engine::screeningCut(target, markers, scale)) REQUIRE(exactSum < target);
    }
    CHECK(engine::quantiseLog10(-std::numeric_limits<double>::infinity(), scale) == -32768);
    CHECK(engine::quantiseLog10(1.0, scale) == 256);
    CHECK(engine::quantiseLog10(1e6, scale) == 32767);
    CHECK(engine::screeningCut(-std::numeric_limits<double>::infinity(), 21, scale) == -32768);
}

TEST_CASE("Quantising a ratio agrees with quantising its log10", "[screening]") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> exponent(-300.0, 300.0);
    int differences = 0;
    for (int i = 0; i < 50000; ++i) {
        const double lr = std::pow(10.0, exponent(rng) / 40.0);
        for (double scale : {256.0, 117.3}) {
            const int viaLog = engine::quantiseLog10(std::log10(lr), scale);
            const int direct = engine::quantiseRatio(lr, scale);
            REQUIRE(std::abs(direct - viaLog) <= 1);
            differences += direct != viaLog ? 1 : 0;
            REQUIRE(std::abs(direct - std::log10(lr) * scale) <= engine::kQuantisationError);
        }
    }
    CHECK(differences < 5);
    // The tile builder's batch version gives the scalar values, special values included.
    std::vector<double> ratios{0.0, -0.0, 1e-310, 1e-300, 0.5, 1.0, 7.3, 1e300,
                               std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(), -2.0};
    for (int i = 0; i < 1000; ++i) ratios.push_back(std::pow(10.0, exponent(rng) / 40.0));
    std::vector<std::int16_t> batch(2 * ratios.size(), 99);
    engine::quantiseRatios(ratios.data(), ratios.size(), 256.0, batch.data() + 1, 2);
    for (std::size_t i = 0; i < ratios.size(); ++i) {
        INFO(ratios[i]);
        REQUIRE(batch[2 * i + 1] == engine::quantiseRatio(ratios[i], 256.0));
        REQUIRE(batch[2 * i] == 99);
    }
    // The AVX2 quantiser, called directly, gives the scalar bits on a large sample too.
    if (__builtin_cpu_supports("avx2")) {
        std::uniform_real_distribution<double> wide(-320.0, 320.0);
        std::vector<double> many;
        for (int i = 0; i < 200003; ++i) many.push_back(std::pow(10.0, wide(rng)));
        for (double scale : {256.0, 117.3}) {
            std::vector<std::int16_t> vectorised(many.size());
            engine::detail::quantiseRatiosAvx2(many.data(), many.size(), scale, vectorised.data(), 1);
            std::size_t mismatches = 0;
            for (std::size_t i = 0; i < many.size(); ++i) mismatches += vectorised[i] != engine::quantiseRatio(many[i], scale);
            CHECK(mismatches == 0);
        }
    }
    CHECK(engine::quantiseRatio(0.0, 256.0) == -32768);
    CHECK(engine::quantiseRatio(1.0, 256.0) == 0);
    CHECK(engine::quantiseRatio(10.0, 256.0) == 256);
    CHECK(engine::quantiseRatio(1e-310, 256.0) == -32767);  // subnormal: clamped, not mangled
    CHECK(engine::quantiseRatio(std::numeric_limits<double>::infinity(), 256.0) == 32767);
}

TEST_CASE("The scale shrinks when single-marker LRs could overflow int16 sums", "[screening]") {
    engine::Marker common{"A", {"1", "2"}, {0.5, 0.5}};
    CHECK(engine::screeningScale({common}) == 256.0);
    engine::Marker rare{"B", {"1", "2"}, {1e-7, 1.0 - 1e-7}};
    const std::vector<engine::Marker> many(20, rare);  // 20 x 14 log10 units possible
    const double scale = engine::screeningScale(many);
    CHECK(scale < 256.0);
    CHECK(20 * 14.0 * scale <= 32000.0 + 1e-6);
}

TEST_CASE("Screened top-K equals the exact ranking's first K rows, near-ties and exact ties included", "[screening]") {
    const engine::MutationModel none{};
    const engine::MutationModel equal{engine::MutationParameters{engine::MutationModelKind::kEqual, 0.005, 0.0, 0.0},
                                      engine::MutationParameters{engine::MutationModelKind::kEqual, 0.005, 0.0, 0.0}};
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const auto p = test::makeRandomCase({.families = 90, .remains = 80, .markers = 6, .seed = seed});
        for (const auto* model : {&none, &equal}) {
            for (std::size_t top : {1u, 3u, 10u}) {
                const auto reference = exact(p, *model, top, 4);
                REQUIRE(reference.candidates.size() == 80 * top);
                for (KernelPath path : availablePaths())
                    for (int width : {16, 32, 64})
                        for (int threads : {1, 2}) {
                            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
                            engine::MatchOptions o;
                            o.top = top;
                            o.topPerMissingPerson = 4;
                            o.kernel = path;
                            o.tileWidth = width;
                            o.tilesPerBatch = 1;  // many batches: cuts rise across batches
                            const auto screened = engine::matchCase(p, *model, o);
                            INFO("seed " << seed << " top " << top << " width " << width << " threads " << threads
                                         << " path " << engine::kernelPathName(path));
                            CHECK(screened.exactScores < screened.pairsScored);
                            REQUIRE(named(p, screened.candidates) == named(p, reference.candidates));
                            REQUIRE(named(p, screened.byMissingPerson) == named(p, reference.byMissingPerson));
                        }
            }
        }
    }
}

TEST_CASE("The random case really has near-ties below the int16 resolution and exact ties", "[screening]") {
    // Guards the test above: without such pairs it would prove little.
    const auto p = test::makeRandomCase({.families = 90, .remains = 80, .markers = 6, .seed = 1});
    engine::MatchOptions o;
    o.all = true;
    const auto all = engine::matchCase(p, engine::MutationModel{}, o);
    int nearTies = 0, exactTies = 0;
    for (std::size_t i = 1; i < all.candidates.size(); ++i) {
        const auto& a = all.candidates[i - 1];
        const auto& b = all.candidates[i];
        if (a.remains != b.remains || !std::isfinite(a.log10Lr)) continue;
        const double gap = a.log10Lr - b.log10Lr;
        exactTies += gap == 0.0 ? 1 : 0;
        nearTies += gap > 0.0 && gap < 1.0 / 256 ? 1 : 0;
    }
    CHECK(exactTies > 20);
    CHECK(nearTies > 20);
}

TEST_CASE("Screening results do not depend on family order", "[screening]") {
    const auto forward = test::makeRandomCase({.families = 70, .remains = 50, .seed = 5});
    const auto reversed = test::makeRandomCase({.families = 70, .remains = 50, .seed = 5, .reverseFamilies = true});
    engine::MatchOptions o;
    o.top = 5;
    o.topPerMissingPerson = 3;
    o.tilesPerBatch = 1;
    o.tileWidth = 16;
    const auto a = engine::matchCase(forward, engine::MutationModel{}, o);
    const auto b = engine::matchCase(reversed, engine::MutationModel{}, o);
    CHECK(named(forward, a.candidates) == named(reversed, b.candidates));
    CHECK(named(forward, a.byMissingPerson) == named(reversed, b.byMissingPerson));
}
