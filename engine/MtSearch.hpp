// SPDX-License-Identifier: MIT
#pragma once

// The blind search `kinmatch mtdna compare` runs: for one query, which references are not
// excluded, at 10^5 queries x 10^6 references. Built on mt::Index (which decides which
// references are worth comparing) with three things that make it fast enough for that size:
//  - References that compare alike are stored once. Two references with the same range and the
//    same variants outside the hotspot length variants give every query the same comparison,
//    and lab data has many of them (common haplotypes, the same kit's range), so each distinct
//    one is indexed and compared once and counted for all its samples.
//  - The index is looked up with fixed sub-ranges of the query (see lookupRanges in
//    MtSearch.cpp) and the candidates are those every lookup returns.
//  - Candidates are confirmed by a comparison that counts differences only up to the first
//    that decides, over flat arrays, without allocating; mt::compare then describes only the
//    pairs that are reported.
// The result is exactly what comparing the query with every reference by mt::compare gives
// (tests/engine/MtSearchTest.cpp checks it against brute force); the index only saves work.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtHaplotype.hpp"

namespace kinmatch::engine::mt {

struct SearchOptions {
    /// Report references with at most this many differences whose outcome is cannot_exclude
    /// or inconclusive (the pairs that are not exclusions when exclusion - 1).
    std::size_t maxDifferences = 1;
    CompareOptions compare;
};

struct SearchResult {
    /// References the index handed over for comparison (all their samples counted).
    std::size_t candidates = 0;
    std::size_t cannotExclude = 0;
    std::size_t inconclusive = 0;
    /// Ascending indices into the references: those counted above (filled on request).
    std::vector<std::uint32_t> found;
};

/// What decides every comparison of `h`, as bytes: its range and its variants but for the
/// hotspot length variants, which compare leaves out. Equal keys compare alike with anything.
std::string comparisonKey(const Haplotype& h, const std::vector<Hotspot>& hotspots);

/// Thread safety: `find` may be called from many threads at once.
class Search {
  public:
    /// `references` are copied in compact form; the span need not outlive the search.
    Search(std::span<const Haplotype> references, SearchOptions options);
    ~Search();
    Search(const Search&) = delete;
    Search& operator=(const Search&) = delete;

    SearchResult find(const Haplotype& query, bool listReferences) const;

    std::size_t size() const noexcept;
    /// References that compare differently from each other (what is indexed and compared).
    std::size_t distinctCount() const noexcept;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace kinmatch::engine::mt
