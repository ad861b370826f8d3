// SPDX-License-Identifier: MIT
//
// Canonical placement of length variants (the rule every notation is brought to):
//
//   An insertion or deletion that can be written at several positions because it sits in a
//   repeat (a homopolymer C-stretch, or a longer repeat such as the 8272-8289 CCCCCTCTA pair)
//   is written at its 3'-most position (highest rCRS position).
//
// This is the placement EMPOP and the phylogeny (PhyloTree) use for the C-stretches: 309.1C
// and 315.1C, not 303.1C / 310.1C; 16193.1C; 8281-8289 deleted for the 9-bp deletion. Aligners
// left-align (303.1C, 310.1C, 8272-8280 deleted), so both spellings reach this form here.
// Shifting uses the sample's own bases: an insertion moves across a position whose base, after
// its substitution if it has one, equals the first inserted base (a sample with 16189C has one
// C-stretch 16184-16193, so 16188.1C becomes 16193.1C). Nothing moves across a deleted or
// heteroplasmic position, outside the interval of the covered range it starts in (bases beyond
// are unknown), or across the origin.

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/MtHaplotype.hpp"

namespace kinmatch::engine::mt {

namespace {

std::string variantText(const Variant& v) {
    std::string s = std::to_string(v.position);
    if (v.insertion > 0) {
        s += '.';
        s += std::to_string(v.insertion);
    }
    s += v.base;
    return s;
}

[[noreturn]] void fail(const Haplotype& h, const std::string& what) {
    const std::string sample = h.sample.empty() ? std::string("an unnamed sample") : "sample \"" + h.sample + "\"";
    if (h.source.file.str().empty()) throw Error(sample + ": " + what);
    throw InputError(h.source.file.str(), h.source.line, sample + ": " + what);
}

// The last covered position of the interval holding `position` (or `position` itself when it
// is not covered, so that nothing moves).
int coveredEnd(const CoveredRange& range, int position) {
    for (const auto& i : range.intervals())
        if (i.first <= position && position <= i.last) return i.last;
    return position;
}

}  // namespace

void normalise(Haplotype& h) {
    const std::string_view ref = rcrs();
    auto refBase = [&](int position) { return ref[static_cast<std::size_t>(position - 1)]; };

    // Point variants (insertion == 0) by position, and inserted strings by the position they follow.
    std::map<int, char> point;
    std::map<int, std::map<int, char>> insertedAt;
    for (const auto& v : h.variants) {
        if (v.position < 1 || v.position > kGenomeLength)
            fail(h, "variant " + variantText(v) + ": position outside 1-" + std::to_string(kGenomeLength));
        if (baseMask(v.base) == 0) fail(h, "variant " + variantText(v) + ": base is not A, C, G, T, - or an IUPAC two-base code");
        if (v.insertion > 0) {
            if (v.base == '-') fail(h, "variant " + variantText(v) + ": an inserted base cannot be a deletion");
            auto [it, added] = insertedAt[v.position].emplace(v.insertion, v.base);
            if (!added && it->second != v.base)
                fail(h, "variants " + variantText(v) + " and " + variantText({v.position, v.insertion, it->second}) +
                            " give two bases for one inserted position");
        } else {
            auto [it, added] = point.emplace(v.position, v.base);
            if (!added && it->second != v.base)
                fail(h, "variants " + variantText(v) + " and " + variantText({v.position, 0, it->second}) +
                            " give two bases for one position");
        }
    }
    // A substitution to the reference base is no difference (C16069C, or a caller's REF call).
    for (auto it = point.begin(); it != point.end();)
        it = (it->second == refBase(it->first)) ? point.erase(it) : std::next(it);

    std::map<int, std::string> inserted;
    for (const auto& [position, bases] : insertedAt) {
        std::string s;
        for (const auto& [index, base] : bases) {
            if (index != static_cast<int>(s.size()) + 1)
                fail(h, "insertion " + std::to_string(position) + "." + std::to_string(index) + bases.at(index) +
                            " without " + std::to_string(position) + "." + std::to_string(s.size() + 1));
            s += base;
        }
        inserted.emplace(position, std::move(s));
    }

    // Deletions: each run first..last moves one step 3' while the base after it equals its first
    // base (a rotation of the deleted string gives the same sequence) and that base is plain rCRS.
    std::vector<std::pair<int, int>> runs;
    for (const auto& [position, base] : point) {
        if (base != '-') continue;
        if (!runs.empty() && runs.back().second + 1 == position)
            runs.back().second = position;
        else
            runs.emplace_back(position, position);
    }
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
        auto [first, last] = *run;
        bool insertionInside = false;
        for (int p = first; p < last; ++p) insertionInside = insertionInside || inserted.count(p) != 0;
        if (insertionInside) continue;
        const int limit = coveredEnd(h.range, last);
        while (last + 1 <= limit && !point.count(last + 1) && !inserted.count(last) &&
               refBase(last + 1) == refBase(first)) {
            point.erase(first);
            point[last + 1] = '-';
            ++first;
            ++last;
        }
    }

    // Insertions, 5' to 3', so a moving string absorbs any insertion it meets on its way.
    auto sampleBase = [&](int position) -> char {
        auto it = point.find(position);
        return it == point.end() ? refBase(position) : it->second;
    };
    std::map<int, std::string> placed;
    while (!inserted.empty()) {
        int position = inserted.begin()->first;
        std::string s = std::move(inserted.begin()->second);
        inserted.erase(inserted.begin());
        const int limit = coveredEnd(h.range, position);
        while (position + 1 <= limit) {
            const char next = sampleBase(position + 1);
            if (next != s.front() || isHeteroplasmy(next) || next == '-') break;
            std::rotate(s.begin(), s.begin() + 1, s.end());
            ++position;
            if (auto it = inserted.find(position); it != inserted.end()) {
                s += it->second;
                inserted.erase(it);
            }
        }
        placed.emplace(position, std::move(s));
    }

    std::vector<Variant> out;
    out.reserve(point.size() + placed.size());
    for (const auto& [position, base] : point) out.push_back({static_cast<std::uint16_t>(position), 0, base});
    for (const auto& [position, s] : placed) {
        if (s.size() > 255) fail(h, "insertion after " + std::to_string(position) + " longer than 255 bases");
        for (std::size_t k = 0; k < s.size(); ++k)
            out.push_back({static_cast<std::uint16_t>(position), static_cast<std::uint8_t>(k + 1), s[k]});
    }
    std::sort(out.begin(), out.end());
    h.variants = std::move(out);
}

}  // namespace kinmatch::engine::mt
