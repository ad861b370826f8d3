// SPDX-License-Identifier: MIT
#pragma once

// The one internal form of an mtDNA haplotype. Every notation (EMPOP TSV, .emp, .hsd, VCF,
// a BAM pileup) becomes this before anything compares it: the positions read, and the
// differences from the revised Cambridge Reference Sequence within them. Two notations of the
// same sequence must end up as equal `Haplotype::variants` once `normalise` has run (deletion
// spellings, reference-base prefixes and insertion placement inside C-stretches differ between
// labs; see mt::normalise).

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"

namespace kinmatch::engine::mt {

inline constexpr int kGenomeLength = 16569;

/// The rCRS (NC_012920.1), 16,569 bases, upper case; index 0 is position 1. Compiled in from
/// engine/data/rCRS.fasta so the engine needs no file to compare haplotypes.
std::string_view rcrs() noexcept;

/// An inclusive run of rCRS positions, 1 <= first <= last <= kGenomeLength.
struct Interval {
    std::uint16_t first = 0;
    std::uint16_t last = 0;
    friend bool operator==(const Interval&, const Interval&) = default;
};

/// The positions a sample was read at: sorted, disjoint, non-adjacent intervals. Positions
/// outside it are unknown, never "same as rCRS".
class CoveredRange {
  public:
    CoveredRange() = default;
    static CoveredRange whole() {
        CoveredRange r;
        r.intervals_.push_back({1, static_cast<std::uint16_t>(kGenomeLength)});
        return r;
    }

    /// Adds first..last; an item whose first is greater than its last runs across the origin
    /// (16024-576 = 16024-16569 and 1-576). Both ends must be within 1..kGenomeLength.
    void add(int first, int last) {
        if (first > last) {
            addLinear(first, kGenomeLength);
            addLinear(1, last);
        } else {
            addLinear(first, last);
        }
    }

    bool contains(int position) const noexcept {
        auto it = std::upper_bound(intervals_.begin(), intervals_.end(), position,
                                   [](int p, const Interval& i) { return p < i.first; });
        return it != intervals_.begin() && position <= std::prev(it)->last;
    }

    /// Number of positions covered.
    std::size_t size() const noexcept {
        std::size_t n = 0;
        for (const auto& i : intervals_) n += static_cast<std::size_t>(i.last - i.first + 1);
        return n;
    }
    bool empty() const noexcept { return intervals_.empty(); }
    const std::vector<Interval>& intervals() const noexcept { return intervals_; }

    /// The positions both ranges cover.
    CoveredRange intersect(const CoveredRange& other) const {
        CoveredRange out;
        auto a = intervals_.begin();
        auto b = other.intervals_.begin();
        while (a != intervals_.end() && b != other.intervals_.end()) {
            const auto first = std::max(a->first, b->first);
            const auto last = std::min(a->last, b->last);
            if (first <= last) out.intervals_.push_back({first, last});
            (a->last < b->last) ? ++a : ++b;
        }
        return out;
    }

    friend bool operator==(const CoveredRange&, const CoveredRange&) = default;

  private:
    void addLinear(int first, int last) {
        Interval added{static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last)};
        std::vector<Interval> merged;
        merged.reserve(intervals_.size() + 1);
        bool placed = false;
        for (const auto& i : intervals_) {
            if (i.last + 1 < added.first) {
                merged.push_back(i);
            } else if (added.last + 1 < i.first) {
                if (!placed) merged.push_back(added), placed = true;
                merged.push_back(i);
            } else {
                added.first = std::min(added.first, i.first);
                added.last = std::max(added.last, i.last);
            }
        }
        if (!placed) merged.push_back(added);
        intervals_ = std::move(merged);
    }

    std::vector<Interval> intervals_;
};

/// One difference from rCRS.
struct Variant {
    /// 1..kGenomeLength: the rCRS position; for an insertion, the position it follows.
    std::uint16_t position = 0;
    /// 0: this position's own base. k >= 1: the k-th base inserted after `position` (315.1C).
    std::uint8_t insertion = 0;
    /// 'A' 'C' 'G' 'T'; '-' for a deleted base (insertion == 0 only); an IUPAC two-base code
    /// (R Y K M S W) for a point heteroplasmy of those two bases.
    char base = 'N';

    friend auto operator<=>(const Variant&, const Variant&) = default;
};

/// The bases `base` stands for, as bits A=1 C=2 G=4 T=8 and deletion 16; a point heteroplasmy
/// (IUPAC R Y K M S W) has two bits; 0 for anything that is not a valid variant base.
constexpr unsigned baseMask(char base) noexcept {
    switch (base) {
        case 'A': return 1;
        case 'C': return 2;
        case 'G': return 4;
        case 'T': return 8;
        case '-': return 16;
        case 'R': return 1 | 4;
        case 'Y': return 2 | 8;
        case 'K': return 4 | 8;
        case 'M': return 1 | 2;
        case 'S': return 2 | 4;
        case 'W': return 1 | 8;
        default: return 0;
    }
}

/// True for the IUPAC two-base codes that mark a point heteroplasmy.
constexpr bool isHeteroplasmy(char base) noexcept {
    const unsigned m = baseMask(base);
    return m != 0 && (m & (m - 1)) != 0;
}

/// A sample's mtDNA result.
struct Haplotype {
    std::string sample;
    CoveredRange range;
    /// Sorted by (position, insertion), at most one per key, all within `range`, normalised.
    std::vector<Variant> variants;
    SourcePos source;  // where it was read, for messages
};

/// Puts `h.variants` into the one canonical form every notation must reach (implemented in
/// engine/MtNormalise.cpp): sorted, duplicates merged, insertions and deletions inside
/// homopolymer stretches placed where EMPOP places them, variants equal to rCRS dropped.
/// Throws kinmatch::Error naming the sample when a variant contradicts itself.
void normalise(Haplotype& h);

}  // namespace kinmatch::engine::mt
