// SPDX-License-Identifier: MIT
#pragma once
// Reuse of LR tables between families that would compute the very same ones. In simulated and
// in real lab data most families are small and of a few shapes (one parent, a sibling, ...),
// and at a marker a typed relative's genotype is one of a few dozen common ones, so at 10^5
// families four in five (family, marker) table sets repeat one built before.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/LrTable.hpp"
#include "engine/PedigreeLikelihood.hpp"

namespace kinmatch::engine {

/// Everything one family's tables at one marker depend on, in a form that names no person,
/// sample or family and ignores members that cannot carry information:
/// - the marker index (a cache serves one run: one set of markers and matrices);
/// - how the tables hold their values and whether the model is `none`;
/// - the members kept by `informativeMembers` (untyped members without kept descendants
///   integrate to exactly 1 and are never read), numbered 1.. in their order in the family,
///   each with its parents' numbers, whether it is a missing person, whether it is typed and
///   its genotype at the marker, and its sex when the marker's male and female matrices differ;
/// - the missing persons' numbers, in the family's order (the order of its tables).
///
/// Why the members' relative order stays in the key: the peeling pass multiplies and adds in
/// an order that follows it (matings by first child, roots, traversal, the numbering of seen
/// alleles), so two orders of the same pedigree may give tables that differ in the last bit.
/// Sharing them would make the output depend on which family came first; a key that keeps the
/// order makes every shared table bit-identical to the one the family would build itself.
/// Person ids, sample names, family names and the family's place in the file never enter.
struct TableKey {
    std::vector<std::uint32_t> words;
    std::uint64_t hash = 0;
};

/// Builds the key of one family at one marker into `key`. `kept` is informativeMembers(members,
/// targets); `sexes` is empty unless the marker's matrices are sex-specific (then one per
/// member). Returns false, leaving the family unshared, for a family too large to encode.
bool makeTableKey(std::span<const PedigreeMember> members, const std::vector<bool>& kept,
                  std::span<const int> targets, std::span<const Sex> sexes, int marker, TableValues values,
                  bool mutationModelIsNone, TableKey& key);

/// `key` = makeTableKey(members, kept, ..., marker, ...) given `previous` = the same for another
/// marker of the same family with the same kept and typed members (and the same sexes rule):
/// only the marker and the genotypes change, so they are all that is rewritten.
void retargetTableKey(const TableKey& previous, std::span<const PedigreeMember> members, const std::vector<bool>& kept,
                      int marker, TableKey& key);

/// The key `buildFamilyTables` would look up for (family, marker), or false when it would not
/// use a cache there (a pedigree with a loop, or no typed member under `none`). For tests;
/// defined next to the table building (LrTable.cpp) so that both make the key alike.
bool familyTableKey(const PreparedCase& prepared, int family, int marker, const MarkerMatrices& matrices,
                    bool mutationModelIsNone, TableValues values, TableKey& key);

/// One family's tables at one marker in one allocation: per missing person its values (as the
/// tables held them: LRs or log10 LRs), its no-mutation flags and, when made with a scale, its
/// screening row (quantiseRatios of the LRs), plus the key it is stored under.
/// Immutable once made; may be read from any number of threads.
class TableBlock {
public:
    struct Deleter {
        void operator()(TableBlock* block) const noexcept;
    };
    using Owned = std::unique_ptr<TableBlock, Deleter>;

    /// `tables` as buildMarkerTables returns them (one per missing person, all of one marker),
    /// `values` saying which vector holds the values. `key` may be null (a block nobody looks
    /// up). Screening rows are added when `quantiseScale` > 0 and the values are LRs.
    static Owned make(const TableKey* key, const std::vector<MarkerTable>& tables, TableValues values,
                      bool referencesNeedMutation, double quantiseScale);

    std::size_t targets() const noexcept { return targets_; }
    std::size_t genotypes() const noexcept { return genotypes_; }
    TableValues valueKind() const noexcept { return kind_ ? TableValues::kRatio : TableValues::kLog10; }
    bool relativeTyped() const noexcept { return relativeTyped_ != 0; }
    /// Whether the references at this marker need a mutation (the family's warning).
    bool referencesNeedMutation() const noexcept { return needMutation_ != 0; }
    const double* values(std::size_t target) const noexcept {
        return reinterpret_cast<const double*>(words() + ((keyWords_ + 1) & ~std::uint32_t{1})) + target * genotypes_;
    }
    /// Null when the block has no screening rows.
    const std::int16_t* quantised(std::size_t target) const noexcept {
        return quantised_ ? reinterpret_cast<const std::int16_t*>(values(targets_)) + target * genotypes_ : nullptr;
    }
    const std::uint8_t* possible(std::size_t target) const noexcept {
        return reinterpret_cast<const std::uint8_t*>(reinterpret_cast<const std::int16_t*>(values(targets_)) +
                                                     (quantised_ ? targets_ * genotypes_ : 0)) +
               target * genotypes_;
    }
    std::size_t bytes() const noexcept { return bytes_; }

    /// The tables in buildMarkerTables' form, value for value.
    void copyTo(std::vector<MarkerTable>& tables) const;

private:
    friend class TableCache;
    TableBlock() = default;
    const std::uint32_t* words() const noexcept { return reinterpret_cast<const std::uint32_t*>(this + 1); }
    bool holds(const TableKey& key) const noexcept;

    // Followed in the same allocation by: key words (uint32, padded to an even count, so that
    // a lookup reads them in the header's cache lines), values (double), screening rows (int16),
    // flags (uint8); each start suitably aligned by the sizes before it.
    std::uint64_t hash_ = 0;
    std::size_t bytes_ = 0;
    std::uint32_t keyWords_ = 0;
    std::uint32_t targets_ = 0;
    std::uint32_t genotypes_ = 0;
    std::uint8_t kind_ = 0;
    std::uint8_t relativeTyped_ = 0;
    std::uint8_t needMutation_ = 0;
    std::uint8_t quantised_ = 0;
};

struct TableCacheStats {
    std::size_t lookups = 0;
    std::size_t hits = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;     // of the stored blocks, never above maxBytes
    std::size_t rejected = 0;  // blocks not stored because the cache was full
};

/// A bounded, thread-safe map from TableKey to TableBlock for one run (one PreparedCase's
/// markers and one mutation model: the key names markers by index only).
///
/// Memory: a stored block counts its bytes (values, flags, screening rows, key; about 11
/// bytes per genotype and missing person) plus 32 for its share of the slots. Once `maxBytes` would be
/// exceeded new blocks are simply not stored: no eviction, so a stored block stays valid for
/// the cache's lifetime and lookups hand out plain pointers; the common genotypes are met
/// early anyway. At 10^5 simulated families (21 markers, ~13 alleles) the distinct blocks take
/// about 1 GB; the default cap of 512 MiB keeps most of the hits (bench/README.md).
///
/// Thread safety: every member function may be called from any number of threads at once
/// (the map is split in shards, each behind its own mutex). Which thread stores a block first
/// depends on scheduling; the tables do not, since equal keys mean equal tables.
class TableCache {
public:
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{512} << 20;

    /// `maxBytes` 0 stores nothing (and makes no keys); `quantiseScale` > 0 gives the blocks
    /// made for this cache screening rows at that scale.
    explicit TableCache(std::size_t maxBytes = kDefaultMaxBytes, double quantiseScale = 0.0);
    ~TableCache();
    TableCache(const TableCache&) = delete;
    TableCache& operator=(const TableCache&) = delete;

    bool enabled() const noexcept { return maxBytes_ > 0; }
    std::size_t maxBytes() const noexcept { return maxBytes_; }
    double quantiseScale() const noexcept { return quantiseScale_; }

    /// The block stored under `key`, or null.
    const TableBlock* find(const TableKey& key);

    /// found[i] = find(keys[i]) where wanted[i], else null; the blocks' headers are fetched
    /// from memory together rather than one after the other.
    void findAll(std::span<const TableKey> keys, std::span<const char> wanted, std::span<const TableBlock*> found);

    /// Stores `block` (made with a key) and returns it, taking ownership; returns the block
    /// already stored under the same key instead (`block` is then released), or null when the
    /// cache is full (`block` stays with the caller).
    const TableBlock* insert(TableBlock::Owned& block);

    TableCacheStats stats() const;

private:
    struct Shard;
    static constexpr std::size_t kShards = 64;

    std::size_t maxBytes_;
    double quantiseScale_;
    std::unique_ptr<Shard[]> shards_;
    std::atomic<std::size_t> bytes_{0};
    std::atomic<std::size_t> rejected_{0};
};

/// The screening path's form of buildFamilyTables (TableValues::kRatio): per marker the block
/// of the family's tables there, found in `cache` or built (then stored in the cache when
/// there is room, else appended to `owned`, which must outlive the use of `blocks`). Blocks
/// get the cache's screening rows. Values, flags and notes are those of buildFamilyTables.
///
/// Thread safety: safe to call concurrently for different families with one shared cache.
/// Throws: as buildFamilyTables.
void buildFamilyBlocks(const PreparedCase& prepared, int family, const std::vector<MarkerMatrices>& matrices,
                       bool mutationModelIsNone, std::vector<std::string>& notes, TableCache& cache,
                       std::vector<const TableBlock*>& blocks, std::vector<TableBlock::Owned>& owned);
/// The same for a family given with its markers and references (Person::reference indexes
/// view.references), as the screening pipeline holds it.
void buildFamilyBlocks(const FamilyView& view, const std::vector<MarkerMatrices>& matrices, bool mutationModelIsNone,
                       std::vector<std::string>& notes, TableCache& cache, std::vector<const TableBlock*>& blocks,
                       std::vector<TableBlock::Owned>& owned);

}  // namespace kinmatch::engine
