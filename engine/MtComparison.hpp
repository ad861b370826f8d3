// SPDX-License-Identifier: MIT
#pragma once

// Pairwise mtDNA comparison as SWGDAM (2019 mtDNA interpretation guidelines) and EMPOP practise
// it: only positions both samples cover are compared; length variants in the C-stretch hotspots
// are left out; a point heteroplasmy matches either of its bases; the number of differences
// decides exclusion, inconclusive or cannot exclude.

#include <cstddef>
#include <string>
#include <vector>

#include "engine/MtHaplotype.hpp"

namespace kinmatch::engine::mt {

/// An inclusive run of positions; an insertion after p belongs to the run holding p.
struct Hotspot {
    int first = 0;
    int last = 0;
    friend bool operator==(const Hotspot&, const Hotspot&) = default;
};

/// The stretches whose length variants EMPOP leaves out of comparisons and database searches,
/// each the rCRS homopolymer run(s) around EMPOP's nominal position: 16184-16193 (16193.1C,
/// across 16189T), 303-315 (309.1C, 310, 315.1C), 452-455 (455.1T), 456-463 (463.1C), 568-573
/// (573.1C), 956-965 (960.1C), 5895-5899 (5899.1C), 8272-8276 (8276.1C), 8281-8285 (8285.1C).
std::vector<Hotspot> defaultHotspots();

enum class Outcome { kExclusion, kInconclusive, kCannotExclude, kInsufficientOverlap };

/// "exclusion", "inconclusive", "cannot_exclude", "insufficient_overlap".
const char* outcomeName(Outcome outcome) noexcept;

struct CompareOptions {
    /// Length variants (insertions after, deletions at, these positions) are removed from both
    /// haplotypes before comparing; substitutions there still count.
    std::vector<Hotspot> hotspots = defaultHotspots();
    /// differences >= this: exclusion (SWGDAM: two or more).
    std::size_t exclusionDifferences = 2;
    /// differences >= this (and below exclusion): inconclusive (SWGDAM: one).
    std::size_t inconclusiveDifferences = 1;
    /// Fewer compared positions than this: insufficient_overlap, whatever the differences.
    std::size_t minComparedPositions = 1;

    /// Throws UsageError for thresholds out of order or a hotspot outside 1..16569.
    void validate() const;
};

/// One compared key at which the two samples differ. `first`/`second` are each sample's base
/// there: its variant, the rCRS base at a point position it does not vary at, or 0 for an
/// insertion it does not have.
struct Difference {
    std::uint16_t position = 0;
    std::uint8_t insertion = 0;
    char first = 0;
    char second = 0;
    friend bool operator==(const Difference&, const Difference&) = default;
};

struct Comparison {
    std::size_t differences = 0;
    /// rCRS positions covered by both samples.
    std::size_t comparedPositions = 0;
    Outcome outcome = Outcome::kInsufficientOverlap;
    std::vector<Difference> differing;  // in (position, insertion) order
};

/// Compares two normalised haplotypes. One difference per (position, insertion) key: a base
/// change, a deletion, or an inserted base one has and the other lacks (a 2-base insertion
/// against none counts 2). Symmetric in its arguments except for the order of `first`/`second`.
Comparison compare(const Haplotype& a, const Haplotype& b, const CompareOptions& options);

/// compare(a, b, options).outcome, without listing the differences or allocating, and
/// stopping at the exclusion threshold: for scoring one remains against many references,
/// where most pairs are exclusions.
Outcome quickOutcome(const Haplotype& a, const Haplotype& b, const CompareOptions& options);

/// The outcome `options` gives to a difference count and overlap.
Outcome classify(std::size_t differences, std::size_t comparedPositions, const CompareOptions& options) noexcept;

/// True for a length variant (an insertion, or a deletion) at a position inside one of
/// `hotspots`: what `compare` leaves out of both samples.
bool isHotspotLengthVariant(const Variant& v, const std::vector<Hotspot>& hotspots) noexcept;

/// `h` without the length variants in `hotspots` (what `compare` compares).
Haplotype withoutHotspotLengthVariants(const Haplotype& h, const std::vector<Hotspot>& hotspots);

/// `h` cut down to the positions of `range` (range intersected with h's own).
Haplotype restrictTo(const Haplotype& h, const CoveredRange& range);

/// "16069T", "315.1C", "249-" for a variant, as the TSV notation writes it.
std::string variantText(std::uint16_t position, std::uint8_t insertion, char base);

/// A difference as "16069T/C" (first sample's base, second's; "-" for a missing insertion).
std::string differenceText(const Difference& d);

}  // namespace kinmatch::engine::mt
