// SPDX-License-Identifier: MIT
#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>

#include "engine/ReferenceCensus.hpp"

namespace kinmatch::engine {

// A national run holds every reference sample here for the whole run (2 million at 10^6
// families), so the layout is what decides its memory: genotypes as two bytes per marker
// while every allele number fits (STR markers have a few dozen alleles), names back to back,
// and an index of 8 bytes a slot.
struct ReferenceStore::Impl {
    static constexpr std::uint8_t kUntypedByte = 255;

    std::size_t markerCount = 0;
    std::string names;                       // every name, back to back
    std::vector<std::size_t> nameStarts{0};  // name i is names[nameStarts[i], nameStarts[i+1])
    // Sample i's genotypes at [i * markerCount, (i+1) * markerCount): in `narrow` as allele
    // pairs of one byte (kUntypedByte = untyped) until an allele number reaches 255, then in
    // `wide` for good.
    std::vector<std::uint8_t> narrow;
    std::vector<Genotype> wide;
    bool isWide = false;

    // Open addressing over (32 bits of the name's hash, sample + 1); 0 marks an empty slot.
    // The name itself settles a match, so the short tag only costs an occasional extra look.
    struct Slot {
        std::uint32_t tag = 0;
        std::uint32_t samplePlusOne = 0;
    };
    std::vector<Slot> slots;

    std::string_view name(std::size_t i) const noexcept {
        return std::string_view(names).substr(nameStarts[i], nameStarts[i + 1] - nameStarts[i]);
    }
    static std::uint32_t tagOf(std::string_view name) noexcept {
        return static_cast<std::uint32_t>(std::hash<std::string_view>{}(name) >> 32);
    }
    std::size_t slotOf(std::uint32_t tag) const noexcept {
        return static_cast<std::size_t>((std::uint64_t{tag} * 0x9E3779B97F4A7C15ULL) >> 20) & (slots.size() - 1);
    }
    void place(Slot slot) {
        const std::size_t mask = slots.size() - 1;
        std::size_t i = slotOf(slot.tag);
        while (slots[i].samplePlusOne != 0) i = (i + 1) & mask;
        slots[i] = slot;
    }
    void grow() {
        std::vector<Slot> old(std::max<std::size_t>(1024, 2 * slots.size()));
        old.swap(slots);
        for (const Slot& s : old)
            if (s.samplePlusOne != 0) place(s);
    }

    Genotype at(std::size_t i) const noexcept {
        if (isWide) return wide[i];
        const std::uint8_t a = narrow[2 * i], b = narrow[2 * i + 1];
        if (a == kUntypedByte) return Genotype{};
        return Genotype{static_cast<std::int16_t>(a), static_cast<std::int16_t>(b)};
    }
    void widen() {
        if (isWide) return;
        wide.resize(narrow.size() / 2);
        for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = at(i);
        isWide = true;
        std::vector<std::uint8_t>().swap(narrow);
    }
    static bool fitsNarrow(const Genotype& g) noexcept { return !g.typed() || (g.allele1 < 255 && g.allele2 < 255); }
    void append(const Genotype& g) {
        if (isWide) {
            wide.push_back(g);
        } else if (g.typed()) {
            narrow.push_back(static_cast<std::uint8_t>(g.allele1));
            narrow.push_back(static_cast<std::uint8_t>(g.allele2));
        } else {
            narrow.push_back(kUntypedByte);
            narrow.push_back(kUntypedByte);
        }
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

std::vector<Genotype> ReferenceStore::genotypes(std::size_t sample) const {
    std::vector<Genotype> out(impl_->markerCount);
    for (std::size_t m = 0; m < out.size(); ++m) out[m] = impl_->at(sample * impl_->markerCount + m);
    return out;
}

void ReferenceStore::shrinkToFit() {
    Impl& s = *impl_;
    s.names.shrink_to_fit();
    s.nameStarts.shrink_to_fit();
    s.narrow.shrink_to_fit();
    s.wide.shrink_to_fit();
}

std::size_t ReferenceStore::memoryBytes() const noexcept {
    const Impl& s = *impl_;
    return s.names.capacity() + s.nameStarts.capacity() * sizeof(std::size_t) + s.narrow.capacity() +
           s.wide.capacity() * sizeof(Genotype) + s.slots.capacity() * sizeof(Impl::Slot);
}

Sample ReferenceStore::sample(std::size_t index) const { return Sample{std::string(name(index)), genotypes(index)}; }

long ReferenceStore::find(std::string_view name) const {
    const Impl& s = *impl_;
    if (s.slots.empty()) return -1;
    const std::uint32_t tag = Impl::tagOf(name);
    const std::size_t mask = s.slots.size() - 1;
    for (std::size_t i = s.slotOf(tag);; i = (i + 1) & mask) {
        const Impl::Slot& slot = s.slots[i];
        if (slot.samplePlusOne == 0) return -1;
        if (slot.tag == tag && s.name(slot.samplePlusOne - 1) == name) return static_cast<long>(slot.samplePlusOne - 1);
    }
}

void ReferenceStore::add(std::string_view name, std::span<const Genotype> genotypes) {
    Impl& s = *impl_;
    if (genotypes.size() != s.markerCount) throw std::invalid_argument("ReferenceStore::add: wrong number of markers");
    const std::size_t sample = size();
    if (sample + 1 >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("ReferenceStore: more reference samples than it can index");
    if (2 * (sample + 1) > s.slots.size()) s.grow();
    s.place(Impl::Slot{Impl::tagOf(name), static_cast<std::uint32_t>(sample + 1)});
    s.names.append(name);
    s.nameStarts.push_back(s.names.size());
    if (!std::all_of(genotypes.begin(), genotypes.end(), Impl::fitsNarrow)) s.widen();
    for (const Genotype& g : genotypes) s.append(g);
}

void ReferenceStore::renumberAlleles(const std::vector<std::vector<std::int16_t>>& alleleMap) {
    Impl& s = *impl_;
    if (s.markerCount == 0) return;
    // Alleles only the remains carry join the markers too: a final number may pass 254 where
    // no provisional one did.
    for (const auto& map : alleleMap)
        if (std::any_of(map.begin(), map.end(), [](std::int16_t a) { return a >= 255; })) s.widen();
    const std::size_t values = s.isWide ? s.wide.size() : s.narrow.size() / 2;
    for (std::size_t i = 0; i < values; ++i) {
        Genotype g = s.at(i);
        if (!g.typed()) continue;
        const auto& map = alleleMap[i % s.markerCount];
        std::int16_t a = map[static_cast<std::size_t>(g.allele1)];
        std::int16_t b = map[static_cast<std::size_t>(g.allele2)];
        if (a > b) std::swap(a, b);
        if (s.isWide) {
            s.wide[i] = Genotype{a, b};
        } else {
            s.narrow[2 * i] = static_cast<std::uint8_t>(a);
            s.narrow[2 * i + 1] = static_cast<std::uint8_t>(b);
        }
    }
}

}  // namespace kinmatch::engine
