// SPDX-License-Identifier: MIT
#include "engine/MtIndex.hpp"

#include <algorithm>
#include <string_view>

namespace kinmatch::engine::mt {

namespace {

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t itemHash(std::uint16_t position, std::uint8_t insertion, char base) noexcept {
    return mix((std::uint64_t{position} << 16) | (std::uint64_t{insertion} << 8) | static_cast<unsigned char>(base));
}

// Every hash of the variant set (restricted to `region`) with at most d items removed, for
// every resolution of its heteroplasmies, appended to `out`.
void neighbourhood(const std::vector<Variant>& variants, const Index::BlockMask& region, std::size_t d,
                   std::vector<std::uint64_t>& out) {
    const std::string_view ref = rcrs();
    std::vector<std::uint64_t> fixed;
    std::vector<const Variant*> mixed;
    for (const auto& v : variants) {
        if (!region.test((v.position - 1) / Index::kBlockSize)) continue;
        if (isHeteroplasmy(v.base))
            mixed.push_back(&v);
        else
            fixed.push_back(itemHash(v.position, v.insertion, v.base));
    }
    std::vector<std::uint64_t> items;
    for (std::size_t resolution = 0; resolution < (std::size_t{1} << mixed.size()); ++resolution) {
        items = fixed;
        for (std::size_t i = 0; i < mixed.size(); ++i) {
            const Variant& v = *mixed[i];
            const unsigned mask = baseMask(v.base);
            const unsigned low = mask & (~mask + 1);
            const unsigned chosen = ((resolution >> i) & 1) ? (mask & ~low) : low;
            const char base = chosen == 1 ? 'A' : chosen == 2 ? 'C' : chosen == 4 ? 'G' : 'T';
            if (v.insertion == 0 && base == ref[v.position - 1u]) continue;  // the rCRS base: no variant
            items.push_back(itemHash(v.position, v.insertion, base));
        }
        std::uint64_t total = 0;
        for (auto h : items) total += h;
        // Removing a subset subtracts its items' hashes from the (commutative) sum.
        auto remove = [&](auto& self, std::size_t from, std::size_t left, std::uint64_t value) -> void {
            out.push_back(value);
            if (left == 0) return;
            for (std::size_t i = from; i < items.size(); ++i) self(self, i + 1, left - 1, value - items[i]);
        };
        remove(remove, 0, d, total);
    }
}

}  // namespace

struct Index::Table {
    std::vector<std::uint64_t> hashes;  // sorted
    std::vector<std::uint32_t> refs;    // parallel to hashes
};

struct Index::Slot {
    std::once_flag built;
    Table table;
};

Index::BlockMask Index::blockMask(const CoveredRange& range) {
    BlockMask mask;
    for (const auto& i : range.intervals()) {
        const int firstBlock = (i.first - 1 + kBlockSize - 1) / kBlockSize;  // first block starting inside
        for (int b = firstBlock; b < kBlocks; ++b) {
            const int blockFirst = b * kBlockSize + 1;
            const int blockLast = std::min(blockFirst + kBlockSize - 1, kGenomeLength);
            if (blockLast > i.last) break;
            if (blockFirst >= i.first) mask.set(static_cast<std::size_t>(b));
        }
    }
    return mask;
}

Index::Index(std::span<const Haplotype> references, IndexOptions options) : options_(std::move(options)) {
    references_.reserve(references.size());
    std::unordered_map<BlockMask, std::size_t> groupOf;
    for (std::size_t r = 0; r < references.size(); ++r) {
        const Haplotype& h = references[r];
        Entry e;
        for (const auto& v : h.variants) {
            if (isHotspotLengthVariant(v, options_.hotspots)) continue;
            e.variants.push_back(v);
            if (isHeteroplasmy(v.base)) ++e.heteroplasmies;
        }
        const BlockMask mask = blockMask(h.range);
        auto [it, added] = groupOf.emplace(mask, groups_.size());
        if (added) groups_.push_back({mask, {}, {}});
        Group& g = groups_[it->second];
        (e.heteroplasmies > options_.maxHeteroplasmies ? g.overflow : g.members).push_back(static_cast<std::uint32_t>(r));
        references_.push_back(std::move(e));
    }
    tables_.resize(groups_.size());
}

Index::~Index() = default;

const Index::Table& Index::table(std::size_t group, const BlockMask& common) const {
    std::shared_ptr<Slot> slot;
    {
        std::lock_guard lock(cacheMutex_);
        auto& s = tables_[group][common];
        if (!s) s = std::make_shared<Slot>();
        slot = s;
    }
    std::call_once(slot->built, [&] {
        std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
        std::vector<std::uint64_t> hashes;
        for (auto r : groups_[group].members) {
            hashes.clear();
            neighbourhood(references_[r].variants, common, options_.maxDifferences, hashes);
            for (auto h : hashes) entries.emplace_back(h, r);
        }
        std::sort(entries.begin(), entries.end());
        entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
        slot->table.hashes.reserve(entries.size());
        slot->table.refs.reserve(entries.size());
        for (const auto& [h, r] : entries) {
            slot->table.hashes.push_back(h);
            slot->table.refs.push_back(r);
        }
    });
    return slot->table;  // the slot stays in tables_ for the index's lifetime
}

std::vector<std::uint32_t> Index::candidates(const Haplotype& query) const {
    std::vector<std::uint32_t> out;
    collect(query, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void Index::collect(const Haplotype& query, std::vector<std::uint32_t>& out) const {
    std::vector<Variant> variants;
    std::size_t heteroplasmies = 0;
    for (const auto& v : query.variants) {
        if (isHotspotLengthVariant(v, options_.hotspots)) continue;
        variants.push_back(v);
        if (isHeteroplasmy(v.base)) ++heteroplasmies;
    }
    const BlockMask queryMask = blockMask(query.range);
    const bool hashable = heteroplasmies <= options_.maxHeteroplasmies;
    std::vector<std::uint64_t> hashes;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        const Group& group = groups_[g];
        out.insert(out.end(), group.overflow.begin(), group.overflow.end());
        const BlockMask common = queryMask & group.mask;
        if (!hashable || common.none()) {
            // No block in common (only a short overlap, if any) or too many heteroplasmies:
            // the exact comparison decides.
            out.insert(out.end(), group.members.begin(), group.members.end());
            continue;
        }
        hashes.clear();
        neighbourhood(variants, common, options_.maxDifferences, hashes);
        std::sort(hashes.begin(), hashes.end());
        hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
        const Table& t = table(g, common);
        for (auto h : hashes) {
            auto [lo, hi] = std::equal_range(t.hashes.begin(), t.hashes.end(), h);
            for (auto it = lo; it != hi; ++it) out.push_back(t.refs[static_cast<std::size_t>(it - t.hashes.begin())]);
        }
    }
}

}  // namespace kinmatch::engine::mt
