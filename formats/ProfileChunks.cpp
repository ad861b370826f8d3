// SPDX-License-Identifier: MIT
#include "formats/ProfileChunks.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <utility>

#include <tbb/parallel_for.h>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kinmatch::formats::detail {

namespace {

// As TextLines: std::isspace of the "C" locale.
bool isSpace(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

std::size_t countLineEnds(std::string_view text) noexcept {
    std::size_t count = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
#if defined(__SSE2__)
    // Byte counters (a match is -1, subtracted), summed every 255 blocks before they overflow.
    const __m128i newline = _mm_set1_epi8('\n');
    while (end - p >= 16) {
        __m128i counters = _mm_setzero_si128();
        for (int block = 0; block < 255 && end - p >= 16; ++block, p += 16)
            counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), newline));
        const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
        count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
                 static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    }
#endif
    for (; p != end; ++p) count += *p == '\n' ? 1 : 0;
    return count;
}

}  // namespace

// ---- Row-level reading, shared with the serial reader ----

std::string spellingKey(std::string_view marker) {
    return engine::isAmelogenin(marker) ? std::string("AMELOGENIN") : engine::markerKey(marker);
}

const MarkerSpelling& Vocabulary::spelling(std::string_view marker) {
    if (const MarkerSpelling* const* cached = spellingCache_.find(marker)) return **cached;
    if (const auto it = spellings_.find(marker); it != spellings_.end()) {
        spellingCache_.insert(marker, &it->second);
        return it->second;
    }
    const std::string key = spellingKey(marker);
    const auto [keyIt, added] = keys_.emplace(key, static_cast<std::uint32_t>(keys_.size()));
    if (added) keyNames_.push_back(key);
    return spellings_
        .emplace(std::string(marker), MarkerSpelling{.name = InternedString(marker),
                                                     .key = keyIt->second,
                                                     .amelogenin = engine::isAmelogenin(marker)})
        .first->second;
}

InternedString Vocabulary::label(std::string_view allele) {
    if (const InternedString* cached = labelCache_.find(allele)) return *cached;
    const auto it = labels_.find(allele);
    const InternedString label =
        it != labels_.end() ? it->second : labels_.emplace(std::string(allele), InternedString(allele)).first->second;
    labelCache_.insert(allele, label);
    return label;
}

void RowReader::read(std::string_view line, std::size_t lineNumber, Vocabulary& vocabulary, Row& row) {
    const std::vector<std::string_view>& cells = splitter_.split(line, delimiter_);
    cells_ = &cells;
    for (std::size_t col = columns_.width; col < cells.size(); ++col) {
        if (!cells[col].empty())
            throw InputError(fileName_, lineNumber,
                             "row has " + std::to_string(cells.size()) + " cells but the header has " +
                                 std::to_string(columns_.width) + " (value " + quoted(cells[col]) + " in column " +
                                 std::to_string(col + 1) + "; expected at most one cell per header column)");
    }
    row.sample = cellAt(cells, columns_.sample);
    row.marker = cellAt(cells, columns_.marker);
    if (row.sample.empty())
        throw InputError(
            fileName_, lineNumber,
            "row has no sample name (expected a SampleName in column " + std::to_string(columns_.sample + 1) + ")");
    if (row.marker.empty())
        throw InputError(fileName_, lineNumber,
                         "row of sample " + std::string(row.sample) + " has no marker name (expected a Marker in column " +
                             std::to_string(columns_.marker + 1) + ")");
    row.spelling = &vocabulary.spelling(row.marker);
}

void RowReader::alleles(std::size_t lineNumber, Vocabulary& vocabulary, Row& row) {
    row.calls = AlleleLabels{};
    std::size_t count = 0;
    for (std::size_t col : columns_.alleles) {
        const std::string_view allele = cellAt(*cells_, col);
        if (allele.empty()) continue;
        if (++count <= kMaxAlleles) row.calls.push_back(vocabulary.label(allele));
    }
    if (count <= kMaxAlleles) return;
    std::string list;
    for (std::size_t col : columns_.alleles) {
        const std::string_view allele = cellAt(*cells_, col);
        if (!allele.empty()) (list += (list.empty() ? "" : ",")) += allele;
    }
    throw InputError(fileName_, lineNumber,
                     "sample " + std::string(row.sample) + " has " + std::to_string(count) + " alleles (" + list +
                         ") at marker " + std::string(row.marker) +
                         " (expected at most 2: a single-source profile, not a mixture)");
}

std::string duplicateMessage(std::string_view sample, std::string_view marker, std::size_t firstLine) {
    return "sample " + std::string(sample) + " has marker " + std::string(marker) + " twice (first at line " +
           std::to_string(firstLine) + "; expected one row per sample and marker)";
}

// ---- Chunks ----

namespace {

void parseChunk(std::string_view text, std::size_t firstLine, const ProfileColumns& columns, char delimiter,
                const std::string& fileName, const InternedString& file, ParsedChunk& out) {
    RowReader reader(columns, delimiter, fileName);
    Vocabulary& vocabulary = out.vocabulary;
    std::vector<ChunkProfile>& profiles = out.profiles;
    TextMap<std::size_t> index;
    RowsSeen seen;
    Row row;
    // The line of the chunk's first row of `profile` at `key`, for a duplicate within the chunk.
    const auto firstLineOf = [&](std::size_t profile, std::uint32_t key) {
        const ChunkProfile& p = profiles[profile];
        for (std::size_t i = 0; i < p.markerKeys.size(); ++i)
            if (p.markerKeys[i] == key) return p.profile.markers[i].pos.line;
        for (const auto& u : p.unstored)
            if (u.key == key) return u.line;
        return std::size_t{0};
    };
    std::size_t line = firstLine - 1;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end) {
        const auto* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* lineEnd = newline ? newline : end;
        std::string_view view(p, static_cast<std::size_t>(lineEnd - p));
        p = newline ? newline + 1 : end;
        ++line;
        while (!view.empty() && isSpace(view.back())) view.remove_suffix(1);
        if (view.empty()) continue;
        try {
            reader.read(view, line, vocabulary, row);
            std::size_t profile = profiles.size();
            if (!profiles.empty() && profiles.back().profile.sampleName == row.sample) {
                profile = profiles.size() - 1;
            } else if (const auto it = index.find(row.sample); it != index.end()) {
                profile = it->second;
            }
            const MarkerSpelling& spelling = *row.spelling;
            if (!seen.insert(profile, spelling.key))
                throw InputError(fileName, line, duplicateMessage(row.sample, row.marker, firstLineOf(profile, spelling.key)));
            try {
                reader.alleles(line, vocabulary, row);
            } catch (const InputError&) {
                out.errorAfterDuplicateCheck = true;
                out.errorSample = std::string(row.sample);
                out.errorMarker = std::string(row.marker);
                out.errorKey = spelling.key;
                throw;
            }
            if (profile == profiles.size()) {
                index.emplace(std::string(row.sample), profile);
                const std::size_t expected = profiles.empty() ? 0 : profiles.back().profile.markers.size();
                ChunkProfile& added = profiles.emplace_back();
                added.profile = Profile{.sampleName = std::string(row.sample), .markers = {}, .amelogenin = {},
                                        .pos = SourcePos{file, line}};
                added.profile.markers.reserve(expected);
                added.markerKeys.reserve(expected);
                added.nameHash = std::hash<std::string_view>{}(row.sample);
            }
            ChunkProfile& target = profiles[profile];
            if (spelling.amelogenin) {
                target.profile.amelogenin = row.calls;
                target.unstored.push_back({spelling.key, line, spelling.name});
            } else if (!row.calls.empty()) {
                target.profile.markers.push_back(
                    MarkerCall{.marker = spelling.name, .alleles = row.calls, .pos = SourcePos{file, line}});
                target.markerKeys.push_back(spelling.key);
            } else {
                target.unstored.push_back({spelling.key, line, spelling.name});
            }
        } catch (const InputError&) {
            out.error = std::current_exception();
            out.errorLine = line;
            return;
        }
    }
}

// Sample name -> profile, open addressing on the hashes the chunks computed in parallel: the
// merge is the one serial step, and a node-based map would spend it allocating.
class ProfileIndex {
  public:
    static constexpr std::size_t kAbsent = ~std::size_t{0};

    std::size_t find(std::uint64_t hash, std::string_view name, const std::vector<Profile>& profiles) const {
        if (slots_.empty()) return kAbsent;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.profile == kAbsent) return kAbsent;
            if (s.hash == hash && profiles[s.profile].sampleName == name) return s.profile;
        }
    }
    void insert(std::uint64_t hash, std::size_t profile) {
        if (2 * (used_ + 1) > slots_.size()) grow();
        place(Slot{hash, profile});
        ++used_;
    }

  private:
    struct Slot {
        std::uint64_t hash = 0;
        std::size_t profile = kAbsent;
    };
    void place(const Slot& slot) {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = slot.hash & mask;
        while (slots_[i].profile != kAbsent) i = (i + 1) & mask;
        slots_[i] = slot;
    }
    void grow() {
        std::vector<Slot> old(std::max<std::size_t>(1024, 2 * slots_.size()));
        old.swap(slots_);
        for (const Slot& s : old)
            if (s.profile != kAbsent) place(s);
    }
    std::vector<Slot> slots_;
    std::size_t used_ = 0;
};

// Joins the chunks in file order into one ProfileSet, finding what only the whole file shows:
// samples whose rows lie in several chunks, and a sample's marker given again in a later chunk.
class ChunkMerger {
  public:
    explicit ChunkMerger(const std::string& fileName) : fileName_(fileName) {}

    // Throws: the first error in file order up to the end of this chunk.
    void merge(ParsedChunk& chunk) {
        const std::vector<std::string>& names = chunk.vocabulary.keyNames();
        keyMap_.resize(names.size());
        for (std::size_t k = 0; k < names.size(); ++k)
            keyMap_[k] = keys_.emplace(names[k], static_cast<std::uint32_t>(keys_.size())).first->second;
        targets_.assign(chunk.profiles.size(), ProfileIndex::kAbsent);
        for (std::size_t c = 0; c < chunk.profiles.size(); ++c)
            targets_[c] = index_.find(chunk.profiles[c].nameHash, chunk.profiles[c].profile.sampleName, profiles_);
        throwFirstError(chunk);
        for (std::size_t c = 0; c < chunk.profiles.size(); ++c) add(chunk.profiles[c], targets_[c]);
    }

    ProfileSet finish() {
        if (profiles_.empty()) throw InputError(fileName_, 0, std::string(kNoProfileRows));
        return ProfileSet{.source = fileName_, .profiles = std::move(profiles_)};
    }

  private:
    // A row given again after an earlier chunk gave its sample and marker comes before the
    // chunk's own first error, unless that error lies on an earlier line.
    void throwFirstError(const ParsedChunk& chunk) const {
        std::size_t line = ProfileIndex::kAbsent;
        std::string_view sample, marker;
        std::size_t profile = 0;
        std::uint32_t key = 0;
        const auto consider = [&](std::size_t at, std::size_t g, std::uint32_t globalKey, std::string_view s,
                                  std::string_view m) {
            if (at < line && seen_.contains(g, globalKey)) {
                line = at;
                sample = s;
                marker = m;
                profile = g;
                key = globalKey;
            }
        };
        for (std::size_t c = 0; c < chunk.profiles.size(); ++c) {
            const std::size_t g = targets_[c];
            if (g == ProfileIndex::kAbsent) continue;
            const ChunkProfile& cp = chunk.profiles[c];
            for (std::size_t i = 0; i < cp.markerKeys.size(); ++i)
                consider(cp.profile.markers[i].pos.line, g, keyMap_[cp.markerKeys[i]], cp.profile.sampleName,
                         cp.profile.markers[i].marker.view());
            for (const auto& u : cp.unstored)
                consider(u.line, g, keyMap_[u.key], cp.profile.sampleName, u.marker.view());
        }
        if (line != ProfileIndex::kAbsent && (!chunk.error || line < chunk.errorLine))
            throw InputError(fileName_, line, duplicateMessage(sample, marker, firstLine(profile, key)));
        // The row that failed its allele count was checked for duplicates first.
        if (chunk.error && chunk.errorAfterDuplicateCheck) {
            const std::size_t g =
                index_.find(std::hash<std::string_view>{}(chunk.errorSample), chunk.errorSample, profiles_);
            const std::uint32_t k = keyMap_[chunk.errorKey];
            if (g != ProfileIndex::kAbsent && seen_.contains(g, k))
                throw InputError(fileName_, chunk.errorLine,
                                 duplicateMessage(chunk.errorSample, chunk.errorMarker, firstLine(g, k)));
        }
        if (chunk.error) std::rethrow_exception(chunk.error);
    }

    std::size_t firstLine(std::size_t profile, std::uint32_t key) const {
        for (const MarkerCall& call : profiles_[profile].markers) {
            const auto it = keys_.find(spellingKey(call.marker.view()));
            if (it != keys_.end() && it->second == key) return call.pos.line;
        }
        return seen_.unstoredLine(profile, key);
    }

    void add(ChunkProfile& cp, std::size_t g) {
        if (g == ProfileIndex::kAbsent) {
            g = profiles_.size();
            profiles_.push_back(std::move(cp.profile));
            index_.insert(cp.nameHash, g);
        } else {
            Profile& target = profiles_[g];
            target.markers.insert(target.markers.end(), std::make_move_iterator(cp.profile.markers.begin()),
                                  std::make_move_iterator(cp.profile.markers.end()));
            if (!cp.profile.amelogenin.empty()) target.amelogenin = cp.profile.amelogenin;
        }
        for (std::uint32_t k : cp.markerKeys) seen_.insert(g, keyMap_[k]);
        for (const auto& u : cp.unstored) {
            seen_.insert(g, keyMap_[u.key]);
            seen_.noteUnstored(g, keyMap_[u.key], u.line);
        }
    }

    const std::string& fileName_;
    std::vector<Profile> profiles_;
    ProfileIndex index_;
    TextMap<std::uint32_t> keys_;        // marker key text -> id over the whole file
    std::vector<std::uint32_t> keyMap_;  // the current chunk's key ids -> file ids
    std::vector<std::size_t> targets_;   // the current chunk's profiles -> file profiles
    RowsSeen seen_;
};

// Pieces of about `bytes`, each ending just after a line end (the last one at the text's end).
std::vector<std::string_view> splitAtLines(std::string_view text, std::size_t bytes) {
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.size(), start + std::max<std::size_t>(1, bytes));
        if (end < text.size()) {
            const std::size_t newline = text.find('\n', end - 1);
            end = newline == std::string_view::npos ? text.size() : newline + 1;
        }
        pieces.push_back(text.substr(start, end - start));
        start = end;
    }
    return pieces;
}

}  // namespace

bool readChunks(TextLines& lines, std::istream& in, const ProfileColumns& columns, char delimiter,
                const std::string& fileName, const ChunkOptions& options,
                const std::function<bool(ParsedChunk&)>& take) {
    const InternedString file = lines.internedFileName();
    // The window is a plain buffer: a std::string would zero every byte before the read
    // overwrites it.
    std::unique_ptr<char[]> buffer;
    std::size_t capacity = 0;
    std::size_t size = 0;
    const auto reserve = [&](std::size_t wanted) {
        if (wanted <= capacity) return;
        auto larger = std::make_unique_for_overwrite<char[]>(wanted);
        if (size) std::memcpy(larger.get(), buffer.get(), size);
        buffer = std::move(larger);
        capacity = wanted;
    };
    const std::string_view first = lines.buffered();
    reserve(first.size());
    if (!first.empty()) std::memcpy(buffer.get(), first.data(), first.size());
    size = first.size();
    bool ended = lines.streamEnded();
    std::size_t nextLine = lines.lineNumber() + 1;
    const std::size_t windowBytes = std::max<std::size_t>(1, options.windowBytes);
    const auto hasLineEnd = [&] { return size > 0 && std::memchr(buffer.get(), '\n', size) != nullptr; };
    while (true) {
        // Fill the window, then keep reading while it holds no complete line.
        while (!ended && (size < windowBytes || !hasLineEnd())) {
            reserve(std::max(size + windowBytes / 2 + 1, windowBytes));
            in.read(buffer.get() + size, static_cast<std::streamsize>(capacity - size));
            size += static_cast<std::size_t>(in.gcount());
            if (in.bad()) throw InputError(fileName, nextLine, "read error");
            if (!in) ended = true;
        }
        if (size == 0) break;
        const std::string_view window(buffer.get(), size);
        const std::size_t cut = ended ? size : window.rfind('\n') + 1;
        const std::string_view text = window.substr(0, cut);
        const std::vector<std::string_view> pieces = splitAtLines(text, options.chunkBytes);
        std::vector<std::size_t> firstLines(pieces.size() + 1);
        tbb::parallel_for(std::size_t{0}, pieces.size(),
                          [&](std::size_t c) { firstLines[c + 1] = countLineEnds(pieces[c]); });
        firstLines[0] = nextLine;
        for (std::size_t c = 0; c < pieces.size(); ++c) firstLines[c + 1] += firstLines[c];
        std::vector<ParsedChunk> parsed(pieces.size());
        tbb::parallel_for(std::size_t{0}, pieces.size(), [&](std::size_t c) {
            parseChunk(pieces[c], firstLines[c], columns, delimiter, fileName, file, parsed[c]);
            parsed[c].textBytes = pieces[c].size();
        });
        for (ParsedChunk& chunk : parsed) {
            if (!take(chunk)) return false;
            chunk = ParsedChunk{};  // frees its vocabulary and row bookkeeping early
        }
        nextLine = firstLines[pieces.size()];
        std::memmove(buffer.get(), buffer.get() + cut, size - cut);
        size -= cut;
        if (ended && size == 0) break;
    }
    return true;
}

ProfileSet readRowsChunked(TextLines& lines, std::istream& in, const ProfileColumns& columns, char delimiter,
                           const std::string& fileName, const ChunkOptions& options) {
    ChunkMerger merger(fileName);
    readChunks(lines, in, columns, delimiter, fileName, options, [&](ParsedChunk& chunk) {
        merger.merge(chunk);
        return true;
    });
    return merger.finish();
}

}  // namespace kinmatch::formats::detail
