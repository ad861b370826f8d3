// SPDX-License-Identifier: MIT
#include "engine/TableCache.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>

#include "engine/Errors.hpp"
#include "engine/ScreeningKernel.hpp"

namespace kinmatch::engine {

namespace {

// Members are numbered in 16 bits inside a key word; a family beyond that is not shared.
constexpr std::size_t kMaxKeyedMembers = 0xFFFE;

std::uint64_t mix(std::uint64_t h) noexcept {
    // MurmurHash3's finaliser: every input bit reaches every output bit.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

// One multiply per pair of words, one thorough mix at the end: keys are a few dozen small
// integers, and a collision costs only a comparison (keys are always compared whole).
std::uint64_t hashWords(const std::uint32_t* words, std::size_t count) noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ count;
    std::size_t i = 0;
    for (; i + 2 <= count; i += 2) {
        const std::uint64_t pair = words[i] | (static_cast<std::uint64_t>(words[i + 1]) << 32);
        h = std::rotl((h ^ pair) * 0x9E3779B97F4A7C15ULL, 29);
    }
    if (i < count) h = std::rotl((h ^ words[i]) * 0x9E3779B97F4A7C15ULL, 29);
    return mix(h);
}

}  // namespace

bool makeTableKey(std::span<const PedigreeMember> members, const std::vector<bool>& kept,
                  std::span<const int> targets, std::span<const Sex> sexes, int marker, TableValues values,
                  bool mutationModelIsNone, TableKey& key) {
    const std::size_t n = members.size();
    if (kept.size() != n || (!sexes.empty() && sexes.size() != n)) return false;
    // Compact numbers of the kept members, in family order; 0 stands for "not kept".
    thread_local std::vector<std::uint32_t> number;
    number.assign(n, 0);
    std::uint32_t count = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (kept[i]) number[i] = ++count;
    if (count > kMaxKeyedMembers) return false;
    constexpr std::uint32_t kTarget = 1u << 31;
    for (int t : targets) {
        if (t < 0 || static_cast<std::size_t>(t) >= n || number[static_cast<std::size_t>(t)] == 0) return false;
        number[static_cast<std::size_t>(t)] |= kTarget;
    }

    std::vector<std::uint32_t>& words = key.words;
    words.resize(4 + 3 * static_cast<std::size_t>(count) + targets.size());
    std::uint32_t* w = words.data();
    *w++ = static_cast<std::uint32_t>(marker);
    *w++ = (values == TableValues::kRatio ? 1u : 0u) | (mutationModelIsNone ? 2u : 0u) | (sexes.empty() ? 0u : 4u);
    *w++ = count;
    *w++ = static_cast<std::uint32_t>(targets.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (number[i] == 0) continue;
        const PedigreeMember& m = members[i];
        const std::uint32_t father = m.father >= 0 ? number[static_cast<std::size_t>(m.father)] & ~kTarget : 0;
        const std::uint32_t mother = m.mother >= 0 ? number[static_cast<std::size_t>(m.mother)] & ~kTarget : 0;
        // A kept member's parents are kept (they have a kept child); anything else is a
        // pedigree this encoding was not made for.
        if ((m.father >= 0) != (father != 0) || (m.mother >= 0) != (mother != 0)) return false;
        *w++ = father | (mother << 16);
        const bool typed = m.typed();
        *w++ = typed ? static_cast<std::uint32_t>(m.allele1 + 1) | (static_cast<std::uint32_t>(m.allele2 + 1) << 16) : 0u;
        const std::uint32_t sex = sexes.empty() ? 0u : static_cast<std::uint32_t>(sexes[i]) + 1u;
        *w++ = (typed ? 1u : 0u) | ((number[i] & kTarget) ? 2u : 0u) | (sex << 2);
    }
    for (int t : targets) *w++ = number[static_cast<std::size_t>(t)] & ~kTarget;
    key.hash = hashWords(words.data(), words.size());
    return true;
}

void retargetTableKey(const TableKey& previous, std::span<const PedigreeMember> members, const std::vector<bool>& kept,
                      int marker, TableKey& key) {
    key.words = previous.words;
    std::uint32_t* w = key.words.data();
    w[0] = static_cast<std::uint32_t>(marker);
    std::uint32_t* alleles = w + 5;  // after the 4 header words and the first member's parents
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!kept[i]) continue;
        const PedigreeMember& m = members[i];
        *alleles = m.typed() ? static_cast<std::uint32_t>(m.allele1 + 1) | (static_cast<std::uint32_t>(m.allele2 + 1) << 16) : 0u;
        alleles += 3;
    }
    key.hash = hashWords(key.words.data(), key.words.size());
}

// ---- TableBlock ----

void TableBlock::Deleter::operator()(TableBlock* block) const noexcept {
    if (block == nullptr) return;
    block->~TableBlock();
    ::operator delete(static_cast<void*>(block));
}

TableBlock::Owned TableBlock::make(const TableKey* key, const std::vector<MarkerTable>& tables, TableValues values,
                                   bool referencesNeedMutation, double quantiseScale) {
    const std::size_t targets = tables.size();
    const std::size_t genotypes =
        tables.empty() ? 0 : (values == TableValues::kRatio ? tables[0].ratio : tables[0].log10Lr).size();
    const std::size_t keyWords = key ? key->words.size() : 0;
    const bool quantise = quantiseScale > 0.0 && values == TableValues::kRatio;
    const std::size_t cells = targets * genotypes;
    const std::size_t paddedWords = (keyWords + 1) & ~std::size_t{1};
    const std::size_t bytes = sizeof(TableBlock) + paddedWords * sizeof(std::uint32_t) + cells * sizeof(double) +
                              (quantise ? cells * sizeof(std::int16_t) : 0) + cells;
    void* memory = ::operator new(bytes);
    Owned block(new (memory) TableBlock);
    block->hash_ = key ? key->hash : 0;
    block->bytes_ = bytes;
    block->keyWords_ = static_cast<std::uint32_t>(keyWords);
    block->targets_ = static_cast<std::uint32_t>(targets);
    block->genotypes_ = static_cast<std::uint32_t>(genotypes);
    block->kind_ = values == TableValues::kRatio ? 1 : 0;
    block->relativeTyped_ = !tables.empty() && tables[0].relativeTyped ? 1 : 0;
    block->needMutation_ = referencesNeedMutation ? 1 : 0;
    block->quantised_ = quantise ? 1 : 0;
    auto* valuesOut = const_cast<double*>(block->values(0));
    auto* wordsOut = const_cast<std::uint32_t*>(block->words());
    if (keyWords) std::memcpy(wordsOut, key->words.data(), keyWords * sizeof(std::uint32_t));
    for (std::size_t k = 0; k < targets; ++k) {
        const MarkerTable& t = tables[k];
        const std::vector<double>& v = values == TableValues::kRatio ? t.ratio : t.log10Lr;
        if (v.size() != genotypes || t.mendelianPossible.size() != genotypes || t.relativeTyped != tables[0].relativeTyped)
            throw std::logic_error("TableBlock::make: tables of one marker differ in shape");
        std::memcpy(valuesOut + k * genotypes, v.data(), genotypes * sizeof(double));
        std::memcpy(const_cast<std::uint8_t*>(block->possible(k)), t.mendelianPossible.data(), genotypes);
        if (quantise)
            quantiseRatios(v.data(), genotypes, quantiseScale, const_cast<std::int16_t*>(block->quantised(k)), 1);
    }
    return block;
}

bool TableBlock::holds(const TableKey& key) const noexcept {
    return hash_ == key.hash && keyWords_ == key.words.size() &&
           std::memcmp(words(), key.words.data(), keyWords_ * sizeof(std::uint32_t)) == 0;
}

void TableBlock::copyTo(std::vector<MarkerTable>& tables) const {
    tables.resize(targets_);
    for (std::size_t k = 0; k < targets_; ++k) {
        MarkerTable& t = tables[k];
        std::vector<double>& v = kind_ ? t.ratio : t.log10Lr;
        v.assign(values(k), values(k) + genotypes_);
        t.mendelianPossible.assign(possible(k), possible(k) + genotypes_);
        t.relativeTyped = relativeTyped_ != 0;
    }
}

// ---- TableCache ----

// Open addressing by hash (linear probing, at most half full). A slot keeps the hash beside
// the pointer: the blocks lie scattered over hundreds of megabytes, and a probe that had to
// read a block's header to reject it would cost a trip to memory.
struct alignas(64) TableCache::Shard {
    struct Slot {
        std::uint64_t hash = 0;
        TableBlock* block = nullptr;
    };
    std::mutex mutex;
    std::vector<Slot> slots;
    std::size_t used = 0;
    std::atomic<std::size_t> lookups{0};
    std::atomic<std::size_t> hits{0};

    // The slot holding `key`, or the empty slot where it would go.
    Slot& probe(const TableKey& key) {
        const std::size_t mask = slots.size() - 1;
        for (std::size_t i = (key.hash >> 8) & mask;; i = (i + 1) & mask) {
            Slot& slot = slots[i];
            if (slot.block == nullptr || (slot.hash == key.hash && slot.block->holds(key))) return slot;
        }
    }
    void grow() {
        std::vector<Slot> old(std::max<std::size_t>(64, 2 * slots.size()));
        old.swap(slots);
        const std::size_t mask = slots.size() - 1;
        for (const Slot& s : old) {
            if (!s.block) continue;
            std::size_t i = (s.hash >> 8) & mask;
            while (slots[i].block) i = (i + 1) & mask;
            slots[i] = s;
        }
    }
};

TableCache::TableCache(std::size_t maxBytes, double quantiseScale)
    : maxBytes_(maxBytes), quantiseScale_(quantiseScale), shards_(std::make_unique<Shard[]>(kShards)) {}

TableCache::~TableCache() {
    const TableBlock::Deleter release;
    for (std::size_t s = 0; s < kShards; ++s)
        for (const Shard::Slot& slot : shards_[s].slots) release(slot.block);
}

const TableBlock* TableCache::find(const TableKey& key) {
    Shard& shard = shards_[key.hash % kShards];
    std::lock_guard lock(shard.mutex);
    shard.lookups.fetch_add(1, std::memory_order_relaxed);
    if (shard.slots.empty()) return nullptr;
    const Shard::Slot& slot = shard.probe(key);
    if (slot.block == nullptr) return nullptr;
    shard.hits.fetch_add(1, std::memory_order_relaxed);
    return slot.block;
}

void TableCache::findAll(std::span<const TableKey> keys, std::span<const char> wanted,
                         std::span<const TableBlock*> found) {
    // First the slots, by hash alone (they are few enough to stay in the caches), asking for
    // each candidate block's header; then each candidate is checked against its key. Blocks
    // are never freed or changed while the cache lives, so checking them unlocked is safe.
    for (std::size_t i = 0; i < keys.size(); ++i) {
        found[i] = nullptr;
        if (!wanted[i]) continue;
        Shard& shard = shards_[keys[i].hash % kShards];
        std::lock_guard lock(shard.mutex);
        if (shard.slots.empty()) continue;
        const std::size_t mask = shard.slots.size() - 1;
        for (std::size_t s = (keys[i].hash >> 8) & mask; shard.slots[s].block; s = (s + 1) & mask)
            if (shard.slots[s].hash == keys[i].hash) {
                found[i] = shard.slots[s].block;
                __builtin_prefetch(found[i]);
                __builtin_prefetch(reinterpret_cast<const char*>(found[i]) + 64);
                break;
            }
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!wanted[i]) continue;
        if (found[i] != nullptr && found[i]->holds(keys[i])) {
            Shard& shard = shards_[keys[i].hash % kShards];
            shard.lookups.fetch_add(1, std::memory_order_relaxed);
            shard.hits.fetch_add(1, std::memory_order_relaxed);
        } else {
            found[i] = find(keys[i]);  // a miss, or two keys of one hash
        }
    }
}

const TableBlock* TableCache::insert(TableBlock::Owned& block) {
    const std::size_t bytes = block->bytes() + 2 * sizeof(Shard::Slot);
    // Reserve first, so that concurrent inserts can never take the total above the cap.
    if (bytes > maxBytes_ || bytes_.fetch_add(bytes) + bytes > maxBytes_) {
        if (bytes <= maxBytes_) bytes_.fetch_sub(bytes);
        rejected_.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    Shard& shard = shards_[block->hash_ % kShards];
    std::lock_guard lock(shard.mutex);
    if (2 * (shard.used + 1) > shard.slots.size()) shard.grow();
    const std::size_t mask = shard.slots.size() - 1;
    std::size_t i = (block->hash_ >> 8) & mask;
    for (; shard.slots[i].block != nullptr; i = (i + 1) & mask) {
        TableBlock* other = shard.slots[i].block;
        if (shard.slots[i].hash == block->hash_ && other->keyWords_ == block->keyWords_ &&
            std::memcmp(other->words(), block->words(), block->keyWords_ * sizeof(std::uint32_t)) == 0) {
            bytes_.fetch_sub(bytes);  // another thread stored the same tables first
            block.reset();
            return other;
        }
    }
    shard.slots[i] = Shard::Slot{block->hash_, block.release()};
    ++shard.used;
    return shard.slots[i].block;
}

TableCacheStats TableCache::stats() const {
    TableCacheStats s;
    for (std::size_t i = 0; i < kShards; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        s.lookups += shards_[i].lookups.load(std::memory_order_relaxed);
        s.hits += shards_[i].hits.load(std::memory_order_relaxed);
        s.entries += shards_[i].used;
    }
    s.bytes = bytes_.load();
    s.rejected = rejected_.load();
    return s;
}

}  // namespace kinmatch::engine
