// SPDX-License-Identifier: MIT
#pragma once

// Blind search at national scale: which references lie within a few differences of a query,
// without comparing every pair. `Index::candidates` returns a superset of those references;
// the caller confirms each with mt::compare, so the index decides speed, never a result.
//
// How (the comparison rules make plain hashing of whole haplotypes insufficient):
//  - Ranges differ, so each pair is compared over its common range. The genome is cut into
//    fixed blocks of kBlockSize positions; a reference's block mask marks the blocks its range
//    covers whole, and references are grouped by mask. For a query and a group, the blocks both
//    cover whole (C') are inside the common range, so a pair's differences within C' are at most
//    its differences overall.
//  - Within C', a pair with k <= d differences becomes equal after removing at most k variants
//    from each side (one per differing key). Each reference's variants in C' are hashed as a set
//    with every subset of at most d variants removed (a deletion neighbourhood), and the query's
//    neighbourhood is looked up in that table; equal sets share at least one hash.
//  - A point heteroplasmy matches either base, so a haplotype with h heteroplasmies is entered
//    as its 2^h resolutions (one base each); the resolution pair that agrees where the samples
//    agree is found as above. Above maxHeteroplasmies a haplotype is always a candidate
//    (references) or is compared with everything (queries).
//  - Hotspot length variants are removed before hashing, as compare removes them.
// Hash collisions only add candidates. Tables are built per (group, C') the first time a query
// needs them, so the work follows the range combinations the data has, not every pair.

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/MtComparison.hpp"
#include "engine/MtHaplotype.hpp"

namespace kinmatch::engine::mt {

struct IndexOptions {
    /// Find every reference with at most this many differences (mt::compare's count).
    std::size_t maxDifferences = 1;
    /// Must be the hotspots the confirming compare uses.
    std::vector<Hotspot> hotspots = defaultHotspots();
    /// Haplotypes with more point heteroplasmies than this skip the hashing (see above).
    std::size_t maxHeteroplasmies = 4;
};

/// Thread safety: `candidates` may be called from many threads at once.
class Index {
  public:
    static constexpr int kBlockSize = 16;
    static constexpr int kBlocks = (kGenomeLength + kBlockSize - 1) / kBlockSize;
    using BlockMask = std::bitset<kBlocks>;

    /// Indexes `references` (copied in a compact form; the span need not outlive the index).
    Index(std::span<const Haplotype> references, IndexOptions options);
    ~Index();
    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

    /// Ascending indices into the references: a superset of those with at most maxDifferences
    /// differences from `query` over at least one common position.
    std::vector<std::uint32_t> candidates(const Haplotype& query) const;

    /// The same references as `candidates`, appended to `out` unsorted and possibly repeated:
    /// for callers that merge several lookups themselves (mt::Search) and need no sort.
    void collect(const Haplotype& query, std::vector<std::uint32_t>& out) const;

    std::size_t size() const noexcept { return references_.size(); }
    const IndexOptions& options() const noexcept { return options_; }

    /// Blocks `range` covers whole.
    static BlockMask blockMask(const CoveredRange& range);

    struct Table;  // one (group, C') hash table; defined in MtIndex.cpp

  private:
    // A reference in compact form: its variants after hotspot removal.
    struct Entry {
        std::vector<Variant> variants;
        std::uint32_t heteroplasmies = 0;
    };
    struct Group {
        BlockMask mask;
        std::vector<std::uint32_t> members;   // hashed
        std::vector<std::uint32_t> overflow;  // too many heteroplasmies: always candidates
    };
    struct Slot;

    const Table& table(std::size_t group, const BlockMask& common) const;

    IndexOptions options_;
    std::vector<Entry> references_;
    std::vector<Group> groups_;
    mutable std::mutex cacheMutex_;
    // Per group, the tables built so far, keyed by C'.
    mutable std::vector<std::unordered_map<BlockMask, std::shared_ptr<Slot>>> tables_;
};

}  // namespace kinmatch::engine::mt
