// SPDX-License-Identifier: MIT
#include "engine/MtSearch.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <string>
#include <unordered_map>

#include "engine/MtIndex.hpp"

namespace kinmatch::engine::mt {

namespace {

// Why fixed lookup ranges: mt::Index builds (and keeps) one hash table over all references of
// a range group for every distinct set of blocks a query has in common with it. Degraded
// remains come in hundreds of partial ranges (lost mini-amplicons): at 10^4 remains x 10^5
// references their tables took 5.1 GB (135 MB with these lookups; bench/README.md), at 10^6
// references they would not fit. Fixed ranges bound the tables to this menu's size per group.
// It stays exact: a query cut to a sub-range of its own has no more differences from any
// reference than the whole query, so each lookup returns every reference within the search
// distance, and so does the intersection of the lookups; the whole query is then compared
// with each candidate. The price: a degraded query's lookups are looser than one over its
// whole range (2.6x the candidates to compare at that size, yet 20% less CPU than building
// the tables).
constexpr std::size_t kMaxLookups = 4;

// The ranges index lookups use for a query: fixed ranges the query covers whole, the largest
// first, each adding positions the earlier ones lack (at most kMaxLookups); the query's own
// range when it covers none of them.
std::vector<CoveredRange> lookupRanges(const CoveredRange& range) {
    static const std::vector<CoveredRange> menu = [] {
        // Whole genome, control region, HVS-I/II, HVS-I, HVS-II, then halves and quarters of
        // the control region's parts, so that a degraded sample still covers some of them.
        const std::vector<std::vector<std::pair<int, int>>> items{
            {{1, 16569}},     {{16024, 576}},   {{16024, 16365}, {73, 340}},
            {{16024, 16365}}, {{73, 340}},      {{16024, 16194}},
            {{16195, 16365}}, {{16366, 16569}}, {{73, 206}},
            {{207, 340}},     {{341, 576}},     {{16024, 16108}},
            {{16109, 16194}}, {{16195, 16280}}, {{16281, 16365}},
            {{16366, 16467}}, {{16468, 16569}}, {{1, 72}},
            {{73, 139}},      {{140, 206}},     {{207, 273}},
            {{274, 340}},     {{341, 458}},     {{459, 576}}};
        std::vector<CoveredRange> ranges;
        for (const auto& item : items) {
            CoveredRange r;
            for (const auto& [first, last] : item) r.add(first, last);
            ranges.push_back(r);
        }
        std::stable_sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
        return ranges;
    }();
    std::vector<CoveredRange> chosen;
    CoveredRange reached;
    for (const auto& item : menu) {
        if (chosen.size() == kMaxLookups) break;
        if (range.intersect(item) != item || reached.intersect(item) == item) continue;
        chosen.push_back(item);
        for (const auto& i : item.intervals()) reached.add(i.first, i.last);
    }
    if (chosen.empty()) chosen.push_back(range);
    return chosen;
}

// A haplotype as the confirming comparison reads it: its variants without the hotspot length
// variants, as sorted keys (position << 8 | insertion) beside their base masks, and its range.
struct FlatView {
    const std::uint32_t* keys = nullptr;
    const std::uint8_t* masks = nullptr;
    std::size_t size = 0;
    const Interval* ranges = nullptr;
    std::size_t rangeCount = 0;
};

struct FlatStore {
    std::vector<std::uint32_t> keys;
    std::vector<std::uint8_t> masks;
    std::vector<Interval> ranges;
};

struct FlatRef {  // offsets into a FlatStore
    std::uint32_t first = 0;
    std::uint32_t size = 0;
    std::uint32_t rangeFirst = 0;
    std::uint32_t rangeCount = 0;
};

FlatRef append(FlatStore& store, const Haplotype& h, const std::vector<Hotspot>& hotspots) {
    FlatRef ref{static_cast<std::uint32_t>(store.keys.size()), 0, static_cast<std::uint32_t>(store.ranges.size()),
                static_cast<std::uint32_t>(h.range.intervals().size())};
    for (const auto& v : h.variants) {
        if (isHotspotLengthVariant(v, hotspots)) continue;
        store.keys.push_back(std::uint32_t{v.position} << 8 | v.insertion);
        store.masks.push_back(static_cast<std::uint8_t>(baseMask(v.base)));
        ++ref.size;
    }
    store.ranges.insert(store.ranges.end(), h.range.intervals().begin(), h.range.intervals().end());
    return ref;
}

FlatView view(const FlatStore& store, const FlatRef& ref) noexcept {
    return {store.keys.data() + ref.first, store.masks.data() + ref.first, ref.size,
            store.ranges.data() + ref.rangeFirst, ref.rangeCount};
}

// rCRS base masks by position (index 0 unused): what a sample shows where it has no variant.
const std::array<std::uint8_t, kGenomeLength + 1>& referenceMasks() {
    static const auto masks = [] {
        std::array<std::uint8_t, kGenomeLength + 1> m{};
        const std::string_view ref = rcrs();
        for (std::size_t p = 1; p <= ref.size() && p <= kGenomeLength; ++p)
            m[p] = static_cast<std::uint8_t>(baseMask(ref[p - 1]));
        return m;
    }();
    return masks;
}

std::size_t commonPositions(const FlatView& a, const FlatView& b) noexcept {
    std::size_t n = 0;
    std::size_t i = 0, j = 0;
    while (i < a.rangeCount && j < b.rangeCount) {
        const int first = std::max(a.ranges[i].first, b.ranges[j].first);
        const int last = std::min(a.ranges[i].last, b.ranges[j].last);
        if (first <= last) n += static_cast<std::size_t>(last - first + 1);
        (a.ranges[i].last < b.ranges[j].last) ? ++i : ++j;
    }
    return n;
}

// mt::compare's difference count over the common range, counted only up to `limit`: a key
// one sample varies at and the other covers differs unless the other's implicit base (rCRS at
// a point, nothing at an inserted position) is among its bases; a key both vary at differs
// unless their bases overlap (a heteroplasmy matches either of its bases).
std::size_t countDifferences(const FlatView& a, const FlatView& b, std::size_t limit) noexcept {
    const auto& reference = referenceMasks();
    auto implicitMask = [&](std::uint32_t key) -> unsigned { return (key & 0xffu) ? 0u : reference[key >> 8]; };
    // Both walk forward in position, so each keeps a cursor into the other's range.
    auto covers = [](const FlatView& v, std::size_t& cursor, std::uint32_t position) {
        while (cursor < v.rangeCount && v.ranges[cursor].last < position) ++cursor;
        return cursor < v.rangeCount && v.ranges[cursor].first <= position;
    };
    std::size_t differences = 0, i = 0, j = 0, cursorA = 0, cursorB = 0;
    while (i < a.size || j < b.size) {
        bool differs;
        if (j == b.size || (i < a.size && a.keys[i] < b.keys[j])) {
            differs = covers(b, cursorB, a.keys[i] >> 8) && (a.masks[i] & implicitMask(a.keys[i])) == 0;
            ++i;
        } else if (i == a.size || b.keys[j] < a.keys[i]) {
            differs = covers(a, cursorA, b.keys[j] >> 8) && (b.masks[j] & implicitMask(b.keys[j])) == 0;
            ++j;
        } else {
            differs = (a.masks[i] & b.masks[j]) == 0;
            ++i;
            ++j;
        }
        if (differs && ++differences >= limit) break;
    }
    return differences;
}

struct Scratch {
    std::vector<std::uint32_t> stamp;  // per distinct reference: the last lookup that returned it
    std::uint32_t base = 0;
    std::vector<std::uint32_t> collected;
    std::vector<std::uint32_t> survivors;
    FlatStore query;  // the query in the references' flat form, rebuilt for each query
};

}  // namespace

std::string comparisonKey(const Haplotype& h, const std::vector<Hotspot>& hotspots) {
    std::string key;
    auto put = [&key](unsigned value, int bytes) {
        for (int b = 0; b < bytes; ++b) key += static_cast<char>((value >> (8 * b)) & 0xff);
    };
    for (const auto& i : h.range.intervals()) {
        put(i.first, 2);
        put(i.last, 2);
    }
    put(0, 2);  // the range ends; no interval starts at 0
    for (const auto& v : h.variants) {
        if (isHotspotLengthVariant(v, hotspots)) continue;
        put(v.position, 2);
        put(v.insertion, 1);
        put(static_cast<unsigned char>(v.base), 1);
    }
    return key;
}

struct Search::State {
    SearchOptions options;
    std::size_t references = 0;
    FlatStore store;
    std::vector<FlatRef> distinct;
    // Members of distinct reference d: memberList[memberStart[d] .. memberStart[d + 1]).
    std::vector<std::uint32_t> memberStart;
    std::vector<std::uint32_t> memberList;
    std::unique_ptr<Index> index;
    mutable tbb::enumerable_thread_specific<Scratch> scratch;
};

Search::Search(std::span<const Haplotype> references, SearchOptions options) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.options = std::move(options);
    s.options.compare.validate();
    s.references = references.size();
    const auto& hotspots = s.options.compare.hotspots;

    // Group references that compare alike.
    std::unordered_map<std::string, std::uint32_t> byKey;
    std::vector<std::vector<std::uint32_t>> members;
    std::vector<const Haplotype*> representatives;
    for (std::uint32_t r = 0; r < references.size(); ++r) {
        const auto [it, added] =
            byKey.emplace(comparisonKey(references[r], hotspots), static_cast<std::uint32_t>(s.distinct.size()));
        if (added) {
            s.distinct.push_back(append(s.store, references[r], hotspots));
            members.emplace_back();
            representatives.push_back(&references[r]);
        }
        members[it->second].push_back(r);
    }
    s.memberStart.reserve(members.size() + 1);
    s.memberStart.push_back(0);
    for (auto& m : members) {
        s.memberList.insert(s.memberList.end(), m.begin(), m.end());
        s.memberStart.push_back(static_cast<std::uint32_t>(s.memberList.size()));
        std::vector<std::uint32_t>().swap(m);
    }

    std::vector<Haplotype> indexed;
    indexed.reserve(representatives.size());
    for (const Haplotype* h : representatives) indexed.push_back(Haplotype{{}, h->range, h->variants, {}});
    s.index = std::make_unique<Index>(indexed, IndexOptions{.maxDifferences = s.options.maxDifferences,
                                                            .hotspots = hotspots});
}

Search::~Search() = default;

std::size_t Search::size() const noexcept { return state_->references; }
std::size_t Search::distinctCount() const noexcept { return state_->distinct.size(); }

SearchResult Search::find(const Haplotype& query, bool listReferences) const {
    const State& s = *state_;
    Scratch& scratch = s.scratch.local();
    if (scratch.stamp.size() != s.distinct.size()) scratch.stamp.assign(s.distinct.size(), 0);
    if (scratch.base > std::numeric_limits<std::uint32_t>::max() - 2 * (kMaxLookups + 1)) {
        std::fill(scratch.stamp.begin(), scratch.stamp.end(), 0);
        scratch.base = 0;
    }
    scratch.base += kMaxLookups + 1;
    const std::uint32_t base = scratch.base;

    // Candidates: the distinct references every lookup returns. A stamp of base + l marks one
    // returned by lookups 1..l; anything below base is from an earlier query.
    const auto lookups = lookupRanges(query.range);
    scratch.survivors.clear();
    for (std::uint32_t l = 1; l <= lookups.size(); ++l) {
        scratch.collected.clear();
        const auto& lookup = lookups[l - 1];
        s.index->collect(lookup == query.range ? query : restrictTo(query, lookup), scratch.collected);
        const bool last = l == lookups.size();
        for (std::uint32_t d : scratch.collected) {
            std::uint32_t& stamp = scratch.stamp[d];
            if (l == 1 ? stamp >= base : stamp != base + l - 1) continue;
            stamp = base + l;
            if (last) scratch.survivors.push_back(d);
        }
    }

    FlatStore& queryStore = scratch.query;
    queryStore.keys.clear();
    queryStore.masks.clear();
    queryStore.ranges.clear();
    const FlatView q = view(queryStore, append(queryStore, query, s.options.compare.hotspots));
    const CompareOptions& rules = s.options.compare;
    // Counting stops at the first difference that rules a pair out: the exclusion threshold,
    // or one past the largest difference count asked for.
    const std::size_t limit = s.options.maxDifferences < rules.exclusionDifferences ? s.options.maxDifferences + 1
                                                                                     : rules.exclusionDifferences;
    SearchResult result;
    for (std::uint32_t d : scratch.survivors) {
        const std::size_t memberCount = s.memberStart[d + 1] - s.memberStart[d];
        result.candidates += memberCount;
        const FlatView r = view(s.store, s.distinct[d]);
        const std::size_t compared = commonPositions(q, r);
        if (classify(0, compared, rules) == Outcome::kInsufficientOverlap) continue;
        const std::size_t differences = countDifferences(q, r, limit);
        if (differences >= limit) continue;
        const Outcome outcome = classify(differences, compared, rules);
        if (outcome == Outcome::kCannotExclude)
            result.cannotExclude += memberCount;
        else if (outcome == Outcome::kInconclusive)
            result.inconclusive += memberCount;
        else
            continue;
        if (listReferences)
            result.found.insert(result.found.end(), s.memberList.begin() + s.memberStart[d],
                                s.memberList.begin() + s.memberStart[d + 1]);
    }
    std::sort(result.found.begin(), result.found.end());
    return result;
}

}  // namespace kinmatch::engine::mt
