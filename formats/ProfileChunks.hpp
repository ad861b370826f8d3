// SPDX-License-Identifier: MIT
#pragma once

// Internals of the profile reader (ProfileReader.cpp): the row-level checks both the serial
// and the chunked reader make, and the chunked reader itself. A national references file
// (10^5 families: 127 MB, 4 million rows) takes a second to parse on one core; split at line
// ends it parses on every core, and the pieces are merged in file order so that the result
// and every error message are those of the serial reader.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <array>
#include <exception>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/CaseInput.hpp"
#include "formats/ProfileColumns.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats::detail {

// Mixtures may list more alleles; a reference or remains profile is single-source.
inline constexpr std::size_t kMaxAlleles = 2;
inline constexpr std::string_view kExpectedHeader =
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
    bool contains(std::size_t profile, std::uint32_t key) const {
        if (key < 64) return profile < masks_.size() && (masks_[profile] & (std::uint64_t{1} << key)) != 0;
        return wide_.count(pairKey(profile, key)) != 0;
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
    // Injective for each size 1..8 (the slot also compares the size): two loads that
    // together cover every byte, without a call to memcpy for a variable size.
    static std::uint64_t pack(std::string_view text) noexcept {
        const char* p = text.data();
        const std::size_t n = text.size();
        if (n >= 4) return std::uint64_t{load<std::uint32_t>(p)} | (std::uint64_t{load<std::uint32_t>(p + n - 4)} << 32);
        if (n >= 2) return std::uint64_t{load<std::uint16_t>(p)} | (std::uint64_t{load<std::uint16_t>(p + n - 2)} << 16);
        return static_cast<unsigned char>(p[0]);
    }
    template <typename T>
    static T load(const char* p) noexcept {
        T value;
        std::memcpy(&value, p, sizeof value);
        return value;
    }
    static std::size_t slotOf(std::uint64_t key, std::size_t size) noexcept {
        return static_cast<std::size_t>(((key ^ size) * 0x9E3779B97F4A7C15ULL) >> 54);
    }
    struct Slot {
        std::uint64_t key = 0;
        std::uint8_t size = 0;  // 0 = empty
        Value value{};
    };
    std::array<Slot, 1024> slots_{};  // a few hundred labels: few collisions
};

// The marker spellings and allele labels one reader (or one chunk) has met, with marker keys
// numbered densely in order of first appearance.
class Vocabulary {
  public:
    const MarkerSpelling& spelling(std::string_view marker);
    InternedString label(std::string_view allele);
    // Key id -> the marker key text (engine::markerKey, or AMELOGENIN).
    const std::vector<std::string>& keyNames() const noexcept { return keyNames_; }

  private:
    TextMap<MarkerSpelling> spellings_;
    TextMap<std::uint32_t> keys_;
    std::vector<std::string> keyNames_;
    TextMap<InternedString> labels_;
    ShortTextCache<const MarkerSpelling*> spellingCache_;
    ShortTextCache<InternedString> labelCache_;
};

// The marker key of a spelling as Vocabulary numbers it: `AMEL` and `Amelogenin` are one.
std::string spellingKey(std::string_view marker);

// One data row, split and checked in the order of the serial reader.
struct Row {
    std::string_view sample;
    std::string_view marker;
    const MarkerSpelling* spelling = nullptr;
    AlleleLabels calls;
};

class RowReader {
  public:
    RowReader(const ProfileColumns& columns, char delimiter, const std::string& fileName)
        : columns_(columns), delimiter_(delimiter), fileName_(fileName) {}
    // Splits `line` and checks its cells, sample and marker (the checks before a duplicate's).
    // Throws: InputError.
    void read(std::string_view line, std::size_t lineNumber, Vocabulary& vocabulary, Row& row);
    // Checks the number of alleles (the check after a duplicate's) and fills row.calls.
    // Throws: InputError.
    void alleles(std::size_t lineNumber, Vocabulary& vocabulary, Row& row);

  private:
    const ProfileColumns& columns_;
    char delimiter_;
    const std::string& fileName_;
    FieldSplitter splitter_;
    const std::vector<std::string_view>* cells_ = nullptr;
};

// The message of a second row for one sample and marker.
std::string duplicateMessage(std::string_view sample, std::string_view marker, std::size_t firstLine);

// Sizes of the chunked reader's pieces; tests make them small to get many.
struct ChunkOptions {
    std::size_t chunkBytes = std::size_t{1} << 20;   // one parsing task
    std::size_t windowBytes = std::size_t{64} << 20;  // read from the stream at a time
};

inline constexpr std::string_view kNoProfileRows =
    "no profiles: the file has a header but no rows (expected one row per sample and marker)";

// A profile file's layout, from its header line.
struct ProfileHeader {
    char delimiter = ',';
    ProfileColumns columns;
};

// Skips to the first non-blank line and decodes it as the header (defined in ProfileReader.cpp).
// Throws: InputError for an empty file or a bad header.
ProfileHeader readProfileHeader(TextLines& lines, const std::string& fileName);

// A sample's rows within one chunk.
struct ChunkProfile {
    Profile profile;  // pos: its first row in this chunk
    std::uint64_t nameHash = 0;
    std::vector<std::uint32_t> markerKeys;  // chunk key of each stored marker call
    struct Unstored {
        std::uint32_t key;
        std::size_t line;
        InternedString marker;
    };
    std::vector<Unstored> unstored;  // rows that are no marker call (untyped, amelogenin)
};

// One chunk's rows, checked as far as the chunk alone can check them.
struct ParsedChunk {
    std::vector<ChunkProfile> profiles;  // in order of first appearance in the chunk
    std::size_t textBytes = 0;           // of the file, for progress
    Vocabulary vocabulary;
    // The chunk's first error; rows after it were not read.
    std::exception_ptr error;
    std::size_t errorLine = 0;
    // Set when that error came after the row's duplicate check (too many alleles): had an
    // earlier chunk given the same sample and marker, the serial reader would have reported
    // the duplicate instead.
    bool errorAfterDuplicateCheck = false;
    std::string errorSample;
    std::string errorMarker;  // as written
    std::uint32_t errorKey = 0;  // chunk key
};

// Reads the data rows after the header `lines` has just returned, a window at a time; each
// window is split at line ends into chunks parsed in parallel, which go to `take` in file
// order on the calling thread. Only one window and its parsed chunks are held at a time.
// Takes over the stream: first what `lines` holds buffered, then the rest of `in`. A failing
// stream is reported at the line after the last complete line read before the failure.
// Returns false as soon as `take` does (the rest is not read), else true.
bool readChunks(TextLines& lines, std::istream& in, const ProfileColumns& columns, char delimiter,
                const std::string& fileName, const ChunkOptions& options,
                const std::function<bool(ParsedChunk&)>& take);

// Every profile of the rows after the header, merged from readChunks as the serial reader
// would read them (same profiles, same first error).
ProfileSet readRowsChunked(TextLines& lines, std::istream& in, const ProfileColumns& columns, char delimiter,
                           const std::string& fileName, const ChunkOptions& options);

// streamProfileFile (CaseStream.hpp) with chosen chunk sizes (defined in CaseStream.cpp).
bool streamProfileFile(const std::string& path, const std::function<void(const Profile&)>& sink,
                       const ChunkOptions& options,
                       const std::function<void(std::size_t bytesRead, std::size_t fileBytes)>& progress = {});

// readProfiles (ProfileReader.hpp) with chosen chunk sizes, and the one-thread reader it must
// agree with, row for row and error for error (defined in ProfileReader.cpp; the tests compare
// them on files of many chunks).
ProfileSet readProfilesChunked(std::istream& in, const std::string& fileName, const ChunkOptions& options);
ProfileSet readProfilesSerial(std::istream& in, const std::string& fileName);

}  // namespace kinmatch::formats::detail
