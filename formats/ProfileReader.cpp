// SPDX-License-Identifier: MIT
#include "formats/ProfileReader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <charconv>
#include <cstdint>
#include <functional>
#include <cstddef>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"
#include "formats/ProfileColumns.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

// Mixtures may list more alleles; a reference or remains profile is single-source.
constexpr std::size_t kMaxAlleles = 2;
constexpr std::string_view kExpectedHeader =
    "expected SampleName,Marker,Allele1,Allele2 or a GeneMapper table with Sample Name, Marker, Allele 1, ...";

// A marker spelling of this file, resolved once: every row repeats one of a few dozen.
struct MarkerSpelling {
    InternedString name;     // as written
    std::uint32_t key = 0;   // dense id of the marker key (case-insensitive; AMEL = Amelogenin)
    bool amelogenin = false;
};

// Which (sample, marker) rows a file has given, to reject a second row for the same pair.
// Samples rarely have more than a few dozen markers, so a 64-bit mask per sample does it; keys
// beyond that go to a hash set. The line of the first row is looked up only for the error.
class RowsSeen {
  public:
    // Returns false when the pair was seen before.
    bool insert(std::size_t profile, std::uint32_t key) {
        if (key < 64) {
            if (profile >= masks_.size()) masks_.resize(profile + 1, 0);
            const std::uint64_t bit = std::uint64_t{1} << key;
            if ((masks_[profile] & bit) != 0) return false;
            masks_[profile] |= bit;
            return true;
        }
        return wide_.insert(pairKey(profile, key)).second;
    }
    // Rows that do not become a MarkerCall (untyped markers, amelogenin) keep their line here.
    void noteUnstored(std::size_t profile, std::uint32_t key, std::size_t line) {
        unstoredLines_.emplace(pairKey(profile, key), line);
    }
    std::size_t unstoredLine(std::size_t profile, std::uint32_t key) const {
        const auto it = unstoredLines_.find(pairKey(profile, key));
        return it == unstoredLines_.end() ? 0 : it->second;
    }

  private:
    static std::uint64_t pairKey(std::size_t profile, std::uint32_t key) {
        return (static_cast<std::uint64_t>(profile) << 32) | key;
    }
    std::vector<std::uint64_t> masks_;
    std::unordered_set<std::uint64_t> wide_;
    std::unordered_map<std::uint64_t, std::size_t> unstoredLines_;
};

// Allele labels and most marker names are at most 8 bytes. Packed into an integer they index
// a small direct-mapped table, which answers nearly every row with one comparison instead of
// hashing the text; misses fall back to the TextMaps, which stay the record.
template <typename Value>
class ShortTextCache {
  public:
    const Value* find(std::string_view text) const noexcept {
        if (text.empty() || text.size() > 8) return nullptr;
        const std::uint64_t key = pack(text);
        const Slot& slot = slots_[slotOf(key, text.size())];
        return slot.size == text.size() && slot.key == key ? &slot.value : nullptr;
    }
    void insert(std::string_view text, const Value& value) noexcept {
        if (text.empty() || text.size() > 8) return;
        const std::uint64_t key = pack(text);
        slots_[slotOf(key, text.size())] = Slot{key, static_cast<std::uint8_t>(text.size()), value};
    }

  private:
    static std::uint64_t pack(std::string_view text) noexcept {
        std::uint64_t key = 0;
        std::memcpy(&key, text.data(), text.size());
        return key;
    }
    static std::size_t slotOf(std::uint64_t key, std::size_t size) noexcept {
        return static_cast<std::size_t>(((key ^ size) * 0x9E3779B97F4A7C15ULL) >> 56);
    }
    struct Slot {
        std::uint64_t key = 0;
        std::uint8_t size = 0;  // 0 = empty
        Value value{};
    };
    std::array<Slot, 256> slots_{};
};

}  // namespace

ProfileSet readProfiles(std::istream& in, const std::string& fileName) {
    TextLines lines(in, fileName);
    do {
        if (!lines.next())
            throw InputError(fileName, 0, "no profiles: empty file (" + std::string(kExpectedHeader) + ")");
    } while (lines.blank());

    const char delimiter = lines.line().find('\t') != std::string_view::npos ? '\t' : ',';
    const std::vector<std::string> header = splitFields(lines.line(), delimiter);
    const ProfileColumns columns = decodeProfileHeader(header, lines.pos(), kExpectedHeader);

    ProfileSet set{.source = fileName, .profiles = {}};
    TextMap<std::size_t> profileIndex;
    TextMap<MarkerSpelling> spellings;
    TextMap<std::uint32_t> markerKeys;  // marker key -> dense id
    TextMap<InternedString> labels;     // allele labels as written
    RowsSeen seen;
    FieldSplitter splitter;
    std::vector<std::string_view> alleles;
    ShortTextCache<const MarkerSpelling*> spellingCache;
    ShortTextCache<InternedString> labelCache;
    const auto spellingOf = [&](std::string_view marker) -> const MarkerSpelling& {
        if (const MarkerSpelling* const* cached = spellingCache.find(marker)) return **cached;
        if (const auto it = spellings.find(marker); it != spellings.end()) {
            spellingCache.insert(marker, &it->second);
            return it->second;
        }
        // `AMEL` and `Amelogenin` name the same row.
        const bool amelogenin = engine::isAmelogenin(marker);
        const std::string key = amelogenin ? std::string("AMELOGENIN") : engine::markerKey(marker);
        const auto keyIt = markerKeys.emplace(key, static_cast<std::uint32_t>(markerKeys.size())).first;
        return spellings
            .emplace(std::string(marker), MarkerSpelling{.name = InternedString(marker),
                                                         .key = keyIt->second,
                                                         .amelogenin = amelogenin})
            .first->second;
    };
    const auto labelOf = [&](std::string_view allele) {
        if (const InternedString* cached = labelCache.find(allele)) return *cached;
        const auto it = labels.find(allele);
        const InternedString label =
            it != labels.end() ? it->second : labels.emplace(std::string(allele), InternedString(allele)).first->second;
        labelCache.insert(allele, label);
        return label;
    };
    // The line of the first row of `profile` at marker `key`, for a duplicate's error.
    const auto firstLine = [&](std::size_t profile, std::uint32_t key) {
        for (const MarkerCall& call : set.profiles[profile].markers)
            if (spellingOf(call.marker.view()).key == key) return call.pos.line;
        return seen.unstoredLine(profile, key);
    };

    while (lines.next()) {
        if (lines.blank()) continue;
        const std::vector<std::string_view>& cells = splitter.split(lines.line(), delimiter);
        const std::size_t line = lines.lineNumber();
        for (std::size_t col = columns.width; col < cells.size(); ++col) {
            if (!cells[col].empty())
                throw InputError(fileName, line,
                                 "row has " + std::to_string(cells.size()) + " cells but the header has " +
                                     std::to_string(columns.width) + " (value " + quoted(cells[col]) + " in column " +
                                     std::to_string(col + 1) + "; expected at most one cell per header column)");
        }
        const std::string_view sample = cellAt(cells, columns.sample);
        const std::string_view marker = cellAt(cells, columns.marker);
        if (sample.empty())
            throw InputError(
                fileName, line,
                "row has no sample name (expected a SampleName in column " + std::to_string(columns.sample + 1) + ")");
        if (marker.empty())
            throw InputError(fileName, line,
                             "row of sample " + std::string(sample) + " has no marker name (expected a Marker in column " +
                                 std::to_string(columns.marker + 1) + ")");

        // Rows of one sample are usually adjacent: try the last profile before the index.
        std::size_t profile = set.profiles.size();
        if (!set.profiles.empty() && set.profiles.back().sampleName == sample) {
            profile = set.profiles.size() - 1;
        } else if (const auto it = profileIndex.find(sample); it != profileIndex.end()) {
            profile = it->second;
        }
        const MarkerSpelling& spelling = spellingOf(marker);
        if (!seen.insert(profile, spelling.key))
            throw InputError(fileName, line,
                             "sample " + std::string(sample) + " has marker " + std::string(marker) +
                                 " twice (first at line " + std::to_string(firstLine(profile, spelling.key)) +
                                 "; expected one row per sample and marker)");

        alleles.clear();
        for (std::size_t col : columns.alleles) {
            const std::string_view allele = cellAt(cells, col);
            if (!allele.empty()) alleles.push_back(allele);
        }
        if (alleles.size() > kMaxAlleles) {
            std::string list;
            for (const auto& a : alleles) (list += (list.empty() ? "" : ",")) += a;
            throw InputError(fileName, line,
                             "sample " + std::string(sample) + " has " + std::to_string(alleles.size()) + " alleles (" +
                                 list + ") at marker " + std::string(marker) +
                                 " (expected at most 2: a single-source profile, not a mixture)");
        }
        AlleleLabels calls;
        for (const std::string_view allele : alleles) calls.push_back(labelOf(allele));

        if (profile == set.profiles.size()) {
            profileIndex.emplace(std::string(sample), profile);
            // Profiles of one file mostly have the same markers: size the new one like the
            // last, so that millions of rows do not leave half-empty vectors behind.
            const std::size_t expected = set.profiles.empty() ? 0 : set.profiles.back().markers.size();
            set.profiles.push_back(
                Profile{.sampleName = std::string(sample), .markers = {}, .amelogenin = {}, .pos = lines.pos()});
            set.profiles.back().markers.reserve(expected);
        }
        Profile& target = set.profiles[profile];
        if (spelling.amelogenin) {
            target.amelogenin = calls;
            seen.noteUnstored(profile, spelling.key, line);
        } else if (!calls.empty()) {
            target.markers.push_back(MarkerCall{.marker = spelling.name, .alleles = calls, .pos = lines.pos()});
        } else {
            seen.noteUnstored(profile, spelling.key, line);
        }
    }
    if (set.profiles.empty())
        throw InputError(fileName, 0,
                         "no profiles: the file has a header but no rows (expected one row per sample and marker)");
    return set;
}

ProfileSet readProfileFile(const std::string& path) {
    std::ifstream in = openTextFile(path);
    return readProfiles(in, path);
}

}  // namespace kinmatch::formats
