// SPDX-License-Identifier: MIT
#include <algorithm>
#include <functional>
#include <stdexcept>

#include "engine/ReferenceCensus.hpp"

namespace kinmatch::engine {

struct ReferenceStore::Impl {
    std::size_t markerCount = 0;
    std::string names;                   // every name, back to back
    std::vector<std::size_t> nameStarts{0};  // name i is names[nameStarts[i], nameStarts[i+1])
    std::vector<Genotype> genotypes;     // sample i at [i * markerCount, (i+1) * markerCount)
    // Open addressing over (name hash, sample): a node-based map would cost more than the
    // genotypes themselves.
    struct Slot {
        std::uint64_t hash = 0;
        std::size_t sample = kEmpty;
    };
    static constexpr std::size_t kEmpty = ~std::size_t{0};
    std::vector<Slot> slots;

    std::string_view name(std::size_t i) const noexcept {
        return std::string_view(names).substr(nameStarts[i], nameStarts[i + 1] - nameStarts[i]);
    }
    static std::uint64_t hashOf(std::string_view name) noexcept { return std::hash<std::string_view>{}(name); }
    void place(Slot slot) {
        const std::size_t mask = slots.size() - 1;
        std::size_t i = slot.hash & mask;
        while (slots[i].sample != kEmpty) i = (i + 1) & mask;
        slots[i] = slot;
    }
    void grow() {
        std::vector<Slot> old(std::max<std::size_t>(1024, 2 * slots.size()));
        old.swap(slots);
        for (const Slot& s : old)
            if (s.sample != kEmpty) place(s);
    }
};

ReferenceStore::ReferenceStore(std::size_t markerCount) : impl_(std::make_unique<Impl>()) {
    impl_->markerCount = markerCount;
}
ReferenceStore::ReferenceStore(ReferenceStore&&) noexcept = default;
ReferenceStore& ReferenceStore::operator=(ReferenceStore&&) noexcept = default;
ReferenceStore::~ReferenceStore() = default;

std::size_t ReferenceStore::size() const noexcept { return impl_->nameStarts.size() - 1; }
std::size_t ReferenceStore::markerCount() const noexcept { return impl_->markerCount; }
std::string_view ReferenceStore::name(std::size_t sample) const noexcept { return impl_->name(sample); }

std::span<const Genotype> ReferenceStore::genotypes(std::size_t sample) const noexcept {
    return {impl_->genotypes.data() + sample * impl_->markerCount, impl_->markerCount};
}

Sample ReferenceStore::sample(std::size_t index) const {
    const auto g = genotypes(index);
    return Sample{std::string(name(index)), std::vector<Genotype>(g.begin(), g.end())};
}

long ReferenceStore::find(std::string_view name) const {
    const Impl& s = *impl_;
    if (s.slots.empty()) return -1;
    const std::uint64_t hash = Impl::hashOf(name);
    const std::size_t mask = s.slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Impl::Slot& slot = s.slots[i];
        if (slot.sample == Impl::kEmpty) return -1;
        if (slot.hash == hash && s.name(slot.sample) == name) return static_cast<long>(slot.sample);
    }
}

void ReferenceStore::add(std::string_view name, std::span<const Genotype> genotypes) {
    Impl& s = *impl_;
    if (genotypes.size() != s.markerCount) throw std::invalid_argument("ReferenceStore::add: wrong number of markers");
    const std::size_t sample = size();
    if (2 * (sample + 1) > s.slots.size()) s.grow();
    s.place(Impl::Slot{Impl::hashOf(name), sample});
    s.names.append(name);
    s.nameStarts.push_back(s.names.size());
    s.genotypes.insert(s.genotypes.end(), genotypes.begin(), genotypes.end());
}

void ReferenceStore::renumberAlleles(const std::vector<std::vector<std::int16_t>>& alleleMap) {
    Impl& s = *impl_;
    if (s.markerCount == 0) return;
    for (std::size_t i = 0; i < s.genotypes.size(); ++i) {
        Genotype& g = s.genotypes[i];
        if (!g.typed()) continue;
        const auto& map = alleleMap[i % s.markerCount];
        std::int16_t a = map[static_cast<std::size_t>(g.allele1)];
        std::int16_t b = map[static_cast<std::size_t>(g.allele2)];
        if (a > b) std::swap(a, b);
        g = Genotype{a, b};
    }
}

}  // namespace kinmatch::engine
