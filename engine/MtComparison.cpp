// SPDX-License-Identifier: MIT
#include "engine/MtComparison.hpp"

#include <algorithm>
#include <string>

#include "engine/Errors.hpp"

namespace kinmatch::engine::mt {

bool isHotspotLengthVariant(const Variant& v, const std::vector<Hotspot>& hotspots) noexcept {
    if (v.insertion == 0 && v.base != '-') return false;
    for (const auto& h : hotspots)
        if (h.first <= v.position && v.position <= h.last) return true;
    return false;
}

std::vector<Hotspot> defaultHotspots() {
    return {{303, 315}, {452, 455}, {456, 463}, {568, 573}, {956, 965}, {5895, 5899}, {8272, 8276}, {8281, 8285},
            {16184, 16193}};
}

const char* outcomeName(Outcome outcome) noexcept {
    switch (outcome) {
        case Outcome::kExclusion: return "exclusion";
        case Outcome::kInconclusive: return "inconclusive";
        case Outcome::kCannotExclude: return "cannot_exclude";
        case Outcome::kInsufficientOverlap: return "insufficient_overlap";
    }
    return "?";
}

void CompareOptions::validate() const {
    if (inconclusiveDifferences > exclusionDifferences)
        throw UsageError("the inconclusive threshold (" + std::to_string(inconclusiveDifferences) +
                         " differences) must not exceed the exclusion threshold (" +
                         std::to_string(exclusionDifferences) + ")");
    if (exclusionDifferences == 0) throw UsageError("the exclusion threshold must be at least 1 difference");
    for (const auto& h : hotspots)
        if (h.first < 1 || h.last > kGenomeLength || h.first > h.last)
            throw UsageError("hotspot " + std::to_string(h.first) + "-" + std::to_string(h.last) +
                             " is not a run of positions within 1-" + std::to_string(kGenomeLength));
}

Outcome classify(std::size_t differences, std::size_t comparedPositions, const CompareOptions& options) noexcept {
    if (comparedPositions < options.minComparedPositions || comparedPositions == 0) return Outcome::kInsufficientOverlap;
    if (differences >= options.exclusionDifferences) return Outcome::kExclusion;
    if (differences >= options.inconclusiveDifferences) return Outcome::kInconclusive;
    return Outcome::kCannotExclude;
}

namespace {

// Walks the compared keys at which a and b differ, in (position, insertion) order, calling
// `onDifference(key, first, second)` until it returns false. `inCommon(position)` says whether
// both samples cover a position.
template <typename InCommon, typename OnDifference>
void walkDifferences(const Haplotype& a, const Haplotype& b, const CompareOptions& options, InCommon&& inCommon,
                     OnDifference&& onDifference) {
    const std::string_view ref = rcrs();
    // The base a sample shows at a key it has no variant at: rCRS for a point, nothing for an
    // inserted position.
    auto implicitBase = [&](const Variant& key) -> char {
        return key.insertion == 0 ? ref[key.position - 1u] : char(0);
    };
    auto counts = [&](const Variant& v) { return inCommon(v.position) && !isHotspotLengthVariant(v, options.hotspots); };
    auto ia = a.variants.begin();
    auto ib = b.variants.begin();
    auto skip = [&](auto& it, auto end) {
        while (it != end && !counts(*it)) ++it;
    };
    // False once the caller has seen enough.
    auto report = [&](const Variant& key, char first, char second) {
        if ((baseMask(first) & baseMask(second)) != 0) return true;
        return onDifference(key, first, second);
    };
    const auto keyOf = [](const Variant& v) { return std::pair(v.position, v.insertion); };
    for (;;) {
        skip(ia, a.variants.end());
        skip(ib, b.variants.end());
        const bool moreA = ia != a.variants.end();
        const bool moreB = ib != b.variants.end();
        if (!moreA && !moreB) return;
        bool more = true;
        if (moreA && (!moreB || keyOf(*ia) < keyOf(*ib))) {
            more = report(*ia, ia->base, implicitBase(*ia));
            ++ia;
        } else if (moreB && (!moreA || keyOf(*ib) < keyOf(*ia))) {
            more = report(*ib, implicitBase(*ib), ib->base);
            ++ib;
        } else {
            more = report(*ia, ia->base, ib->base);
            ++ia;
            ++ib;
        }
        if (!more) return;
    }
}

// Positions two ranges both cover, without building their intersection.
std::size_t commonSize(const CoveredRange& a, const CoveredRange& b) noexcept {
    std::size_t n = 0;
    auto ia = a.intervals().begin();
    auto ib = b.intervals().begin();
    while (ia != a.intervals().end() && ib != b.intervals().end()) {
        const int first = std::max(ia->first, ib->first);
        const int last = std::min(ia->last, ib->last);
        if (first <= last) n += static_cast<std::size_t>(last - first + 1);
        (ia->last < ib->last) ? ++ia : ++ib;
    }
    return n;
}

}  // namespace

Comparison compare(const Haplotype& a, const Haplotype& b, const CompareOptions& options) {
    Comparison result;
    const CoveredRange common = a.range.intersect(b.range);
    result.comparedPositions = common.size();
    walkDifferences(
        a, b, options, [&](int position) { return common.contains(position); },
        [&](const Variant& key, char first, char second) {
            result.differing.push_back({key.position, key.insertion, first, second});
            return true;
        });
    result.differences = result.differing.size();
    result.outcome = classify(result.differences, result.comparedPositions, options);
    return result;
}

Outcome quickOutcome(const Haplotype& a, const Haplotype& b, const CompareOptions& options) {
    const std::size_t compared = commonSize(a.range, b.range);
    if (classify(0, compared, options) == Outcome::kInsufficientOverlap) return Outcome::kInsufficientOverlap;
    std::size_t differences = 0;
    walkDifferences(
        a, b, options, [&](int position) { return a.range.contains(position) && b.range.contains(position); },
        [&](const Variant&, char, char) { return ++differences < options.exclusionDifferences; });
    return classify(differences, compared, options);
}

Haplotype withoutHotspotLengthVariants(const Haplotype& h, const std::vector<Hotspot>& hotspots) {
    Haplotype out;
    out.sample = h.sample;
    out.range = h.range;
    out.source = h.source;
    for (const auto& v : h.variants)
        if (!isHotspotLengthVariant(v, hotspots)) out.variants.push_back(v);
    return out;
}

Haplotype restrictTo(const Haplotype& h, const CoveredRange& range) {
    Haplotype out;
    out.sample = h.sample;
    out.range = h.range.intersect(range);
    out.source = h.source;
    for (const auto& v : h.variants)
        if (out.range.contains(v.position)) out.variants.push_back(v);
    return out;
}

std::string variantText(std::uint16_t position, std::uint8_t insertion, char base) {
    std::string s = std::to_string(position);
    if (insertion > 0) {
        s += '.';
        s += std::to_string(insertion);
    }
    s += base;
    return s;
}

std::string differenceText(const Difference& d) {
    std::string s = std::to_string(d.position);
    if (d.insertion > 0) {
        s += '.';
        s += std::to_string(d.insertion);
    }
    s += ':';
    s += d.first ? d.first : '.';
    s += '/';
    s += d.second ? d.second : '.';
    return s;
}

}  // namespace kinmatch::engine::mt
