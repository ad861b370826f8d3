// SPDX-License-Identifier: MIT
// Internals of CasePreparation.cpp shared with ReferenceCensus.cpp, so that the census,
// which sees the references one at a time, builds markers and warnings with the very code
// prepareCase uses. Not part of the API.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/Case.hpp"
#include "engine/CaseInput.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::engine::detail {

std::string formatNumber(double v);

// A marker while its alleles are still being collected.
struct MarkerBuild {
    std::string name;
    std::vector<std::string> labels;  // canonical, file order
    std::vector<double> frequencies;
    // rare allele -> samples that carry it (sorted, so the warning text is order-free)
    std::map<std::string, std::set<std::string>> rare;
};

std::vector<MarkerBuild> readMarkers(const FrequencyTable& table, bool requireMarkers, Warnings& warnings);

std::unordered_map<std::string, std::size_t> markerIndex(const std::vector<MarkerBuild>& markers);

// A hash map from pooled text addresses to `Value`, open-addressed in one array. The memo
// below is consulted three times per marker call, millions of times; std::unordered_map
// would cost a node, and so a cache miss, per entry. References to values stay valid until
// the next insert.
template <typename Value>
class PointerMap {
  public:
    Value* find(const std::string* key) {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = slot(key);; i = (i + 1) & (slots_.size() - 1)) {
            if (slots_[i].first == key) return &slots_[i].second;
            if (slots_[i].first == nullptr) return nullptr;
        }
    }

    // `key` must not be present yet.
    Value& insert(const std::string* key, Value value) {
        if (2 * (size_ + 1) > slots_.size()) grow();
        std::size_t i = slot(key);
        while (slots_[i].first != nullptr) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = {key, std::move(value)};
        ++size_;
        return slots_[i].second;
    }

  private:
    std::size_t slot(const std::string* key) const noexcept {
        // Fibonacci hashing: the high bits of the product mix every bit of the address.
        return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(key) * 0x9E3779B97F4A7C15ULL) >> shift_);
    }
    void grow() {
        std::vector<std::pair<const std::string*, Value>> old(slots_.empty() ? 16 : 2 * slots_.size());
        old.swap(slots_);
        shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
        size_ = 0;
        for (auto& [key, value] : old)
            if (key != nullptr) insert(key, std::move(value));
    }

    std::vector<std::pair<const std::string*, Value>> slots_;
    std::size_t size_ = 0;
    unsigned shift_ = 64;
};

// Resolves the interned marker spellings and allele labels of profiles. A reference file
// repeats a few hundred distinct texts millions of times, so each is resolved once (key,
// canonical label) and then found by its pooled address.
class SpellingMemo {
  public:
    // `index` must outlive the memo.
    SpellingMemo(const std::unordered_map<std::string, std::size_t>& index, std::size_t markerCount);

    // The marker's index in the case, or -1 when the frequency table does not have it.
    int marker(const InternedString& spelling);

    // The canonical spelling of `label` at marker `m` (`09` -> `9`), computed once per label.
    const std::string& canonical(int m, const InternedString& label);

    // Whether `label` at marker `m` is in the frequency table (`inTable` computes it once).
    template <typename InTable>
    bool known(int m, const InternedString& label, InTable inTable) {
        Label& entry = find(m, label);
        if (entry.known < 0) entry.known = inTable(entry.canonical) ? 1 : 0;
        return entry.known == 1;
    }

    // The allele index of `label` at marker `m` of the finished markers.
    std::int16_t allele(int m, const InternedString& label,
                        const std::vector<std::unordered_map<std::string, int>>& alleleIndex);

    // A number for `label` at marker `m` before the marker is finished (its final index is not
    // known until every rare allele has been seen); `number` maps the canonical label to it
    // once per spelling. Kept apart from allele(): the census numbers the references this way
    // and then resolves the remains through the same memo with final indices.
    template <typename Number>
    int provisionalAllele(int m, const InternedString& label, Number number) {
        Label& entry = find(m, label);
        if (entry.provisional < 0) entry.provisional = number(entry.canonical);
        return entry.provisional;
    }

  private:
    struct Label {
        std::string canonical;
        int known = -1;           // -1 not yet looked up, else 0/1
        std::int16_t index = -1;  // in the finished marker; -1 not yet looked up
        int provisional = -1;     // -1 not yet numbered
    };

    Label& find(int m, const InternedString& label);

    const std::unordered_map<std::string, std::size_t>& index_;
    PointerMap<int> markers_;
    std::vector<PointerMap<Label>> labels_;
};

// The rare-allele warning names the first five carriers in sorted order and says whether
// there are more, so six names per allele are all that need keeping.
constexpr std::size_t kRareCarriersKept = 6;

// Records the rare alleles of `profile` in `markers` and the spellings of its markers that the
// frequency table lacks in `unknownMarkers`.
void collectRareAlleles(const Profile& profile, std::vector<MarkerBuild>& markers, SpellingMemo& memo,
                        std::set<std::string>& unknownMarkers);

// One warning per marker spelling of `profileSource` that the frequency table lacks.
void warnUnknownMarkers(const std::set<std::string>& unknownMarkers, const std::string& profileSource,
                        const std::string& frequencySource, Warnings& warnings);

// collectRareAlleles for every profile of `profiles`, then their unknown-marker warnings.
void collectRareAlleles(const ProfileSet& profiles, std::vector<MarkerBuild>& markers, SpellingMemo& memo,
                        const std::string& frequencySource, Warnings& warnings);

// Adds the rare alleles (warning about each), renormalises and sorts the alleles.
Marker finishMarker(MarkerBuild&& build, double rareFrequency, Warnings& warnings);

// Throws: InputError when a marker has more alleles than an int16 allele index can hold.
void checkAlleleCounts(const std::vector<Marker>& markers, const std::string& frequencySource);

std::vector<Sample> resolveSamples(const ProfileSet& profiles, const std::vector<Marker>& markers, SpellingMemo& memo);

}  // namespace kinmatch::engine::detail
