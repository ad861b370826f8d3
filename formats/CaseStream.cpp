// SPDX-License-Identifier: MIT
#include "formats/CaseStream.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "engine/Errors.hpp"
#include "formats/PedigreeRows.hpp"
#include "formats/ProfileChunks.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

constexpr std::size_t kNone = ~std::size_t{0};

std::uint64_t nameHash(std::string_view name) noexcept { return std::hash<std::string_view>{}(name); }

// The 64-bit hashes of the names met so far, open-addressed in one array: about 8 bytes a
// name, where a set of the names would keep every name and a node. Two names with one hash
// read as one name; the readers then only ever report "not adjacent", which sends the caller
// to the whole-file reader, never to a wrong result.
class NameHashes {
  public:
    bool contains(std::uint64_t hash) const noexcept {
        if (slots_.empty()) return false;
        hash = stored(hash);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = slotOf(hash);; i = (i + 1) & mask) {
            if (slots_[i] == hash) return true;
            if (slots_[i] == 0) return false;
        }
    }
    // Returns false when the hash was there already.
    bool insert(std::uint64_t hash) {
        if (4 * (used_ + 1) > 3 * slots_.size()) grow();
        hash = stored(hash);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = slotOf(hash);; i = (i + 1) & mask) {
            if (slots_[i] == hash) return false;
            if (slots_[i] == 0) {
                slots_[i] = hash;
                ++used_;
                return true;
            }
        }
    }

  private:
    // 0 marks an empty slot; folding it into 1 costs one more possible collision.
    static std::uint64_t stored(std::uint64_t hash) noexcept { return hash == 0 ? 1 : hash; }
    // The high bits of a Fibonacci product, so that hashes weak in their low bits still spread.
    std::size_t slotOf(std::uint64_t hash) const noexcept {
        return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> shift_);
    }
    void grow() {
        std::vector<std::uint64_t> old(slots_.empty() ? 1024 : 2 * slots_.size(), 0);
        old.swap(slots_);
        shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
        const std::size_t mask = slots_.size() - 1;
        for (std::uint64_t hash : old) {
            if (hash == 0) continue;
            std::size_t i = slotOf(hash);
            while (slots_[i] != 0) i = (i + 1) & mask;
            slots_[i] = hash;
        }
    }
    std::vector<std::uint64_t> slots_;
    std::size_t used_ = 0;
    unsigned shift_ = 64;
};

// The line of a profile's first row after `line` (its rows are in file order), or kNone.
std::size_t firstRowAfter(const detail::ChunkProfile& cp, std::size_t line) {
    std::size_t found = kNone;
    const auto& markers = cp.profile.markers;
    const auto m = std::upper_bound(markers.begin(), markers.end(), line,
                                    [](std::size_t l, const MarkerCall& call) { return l < call.pos.line; });
    if (m != markers.end()) found = m->pos.line;
    for (const auto& u : cp.unstored)
        if (u.line > line) return std::min(found, u.line);
    return found;
}

// Joins the chunks of readChunks into whole profiles as they finish. A chunk checks its own
// rows; what only the stream shows is a sample continued from the previous chunk (its rows
// there must not repeat a marker) and a sample met again after another sample's rows.
class StreamMerger {
  public:
    StreamMerger(const std::string& fileName, const std::function<void(const Profile&)>& sink)
        : fileName_(fileName), sink_(sink) {}

    // Returns false when a sample's rows turn out not to be adjacent.
    // Throws: the first error in file order of this chunk (InputError).
    bool take(detail::ParsedChunk& chunk) {
        const std::vector<std::string>& names = chunk.vocabulary.keyNames();
        keyMap_.resize(names.size());
        for (std::size_t k = 0; k < names.size(); ++k)
            keyMap_[k] = keys_.emplace(names[k], static_cast<std::uint32_t>(keys_.size())).first->second;
        auto& profiles = chunk.profiles;
        const bool continues =
            pending_ && !profiles.empty() && profiles.front().profile.sampleName == pending_->sampleName;

        // Checked before anything is handed on, so that what the chunk shows first decides.
        std::size_t apart = kNone;  // the first row of a sample met again
        for (std::size_t c = 0; c < profiles.size(); ++c) {
            const detail::ChunkProfile& cp = profiles[c];
            if (!(c == 0 && continues) && names_.contains(cp.nameHash)) apart = std::min(apart, cp.profile.pos.line);
            // The chunk gathers a sample's rows wherever they lie in it.
            if (c + 1 < profiles.size()) apart = std::min(apart, firstRowAfter(cp, profiles[c + 1].profile.pos.line));
        }
        Duplicate duplicate;
        if (continues) {
            const detail::ChunkProfile& cp = profiles.front();
            for (std::size_t i = 0; i < cp.markerKeys.size(); ++i)
                duplicate.consider(cp.profile.markers[i].pos.line, pendingLine(keyMap_[cp.markerKeys[i]]),
                                   cp.profile.markers[i].marker.view());
            for (const auto& u : cp.unstored) duplicate.consider(u.line, pendingLine(keyMap_[u.key]), u.marker.view());
        }
        // The row that failed its allele count was checked for a duplicate first.
        if (chunk.error && chunk.errorAfterDuplicateCheck && pending_ && chunk.errorSample == pending_->sampleName)
            duplicate.consider(chunk.errorLine, pendingLine(keyMap_[chunk.errorKey]), chunk.errorMarker);
        const std::size_t errorLine = chunk.error ? chunk.errorLine : kNone;
        if (duplicate.line != kNone && duplicate.line <= std::min(apart, errorLine))
            throw InputError(fileName_, duplicate.line,
                             detail::duplicateMessage(pending_->sampleName, duplicate.marker, duplicate.firstLine));
        if (apart < errorLine) return false;
        if (chunk.error) std::rethrow_exception(chunk.error);

        std::size_t c = 0;
        if (continues) {
            detail::ChunkProfile& cp = profiles.front();
            note(cp);
            auto& markers = pending_->markers;
            markers.insert(markers.end(), std::make_move_iterator(cp.profile.markers.begin()),
                           std::make_move_iterator(cp.profile.markers.end()));
            if (!cp.profile.amelogenin.empty()) pending_->amelogenin = cp.profile.amelogenin;
            c = 1;
        }
        for (; c < profiles.size(); ++c) {
            detail::ChunkProfile& cp = profiles[c];
            if (pending_) sink_(*pending_);
            if (!names_.insert(cp.nameHash)) return false;  // another name with the same hash
            pendingSeen_.clear();
            // Only the chunk's last sample can go on in the next chunk.
            if (c + 1 == profiles.size()) note(cp);
            pending_ = std::move(cp.profile);
        }
        return true;
    }

    // Hands on the last profile. Throws: InputError when the file had no rows.
    void finish() {
        if (!pending_) throw InputError(fileName_, 0, std::string(detail::kNoProfileRows));
        sink_(*pending_);
        pending_.reset();
    }

  private:
    struct Seen {
        std::uint32_t key;  // file-wide marker key
        std::size_t line;
    };
    struct Duplicate {
        std::size_t line = kNone;
        std::size_t firstLine = 0;
        std::string marker;  // as written on `line`
        void consider(std::size_t at, std::size_t earlier, std::string_view written) {
            if (earlier == 0 || at >= line) return;
            line = at;
            firstLine = earlier;
            marker = std::string(written);
        }
    };

    // The pending sample's row at `key`, or 0. A sample has a few dozen rows, and this is
    // asked only for the one sample a chunk continues.
    std::size_t pendingLine(std::uint32_t key) const noexcept {
        for (const Seen& s : pendingSeen_)
            if (s.key == key) return s.line;
        return 0;
    }
    void note(const detail::ChunkProfile& cp) {
        for (std::size_t i = 0; i < cp.markerKeys.size(); ++i)
            pendingSeen_.push_back(Seen{keyMap_[cp.markerKeys[i]], cp.profile.markers[i].pos.line});
        for (const auto& u : cp.unstored) pendingSeen_.push_back(Seen{keyMap_[u.key], u.line});
    }

    const std::string& fileName_;
    const std::function<void(const Profile&)>& sink_;
    TextMap<std::uint32_t> keys_;        // marker key text -> id over the whole file
    std::vector<std::uint32_t> keyMap_;  // the current chunk's key ids -> file ids
    std::optional<Profile> pending_;     // the last sample read, which the next chunk may continue
    std::vector<Seen> pendingSeen_;
    NameHashes names_;  // every sample begun so far, the pending one included
};

}  // namespace

namespace detail {

bool streamProfileFile(const std::string& path, const std::function<void(const Profile&)>& sink,
                       const ChunkOptions& options,
                       const std::function<void(std::size_t bytesRead, std::size_t fileBytes)>& progress) {
    std::ifstream in = openTextFile(path);
    TextLines lines(in, path);
    const ProfileHeader header = readProfileHeader(lines, path);
    StreamMerger merger(path, sink);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const std::size_t fileBytes = ec ? 0 : static_cast<std::size_t>(size);
    std::size_t bytesRead = 0;
    if (!readChunks(lines, in, header.columns, header.delimiter, path, options, [&](ParsedChunk& chunk) {
            if (!merger.take(chunk)) return false;
            bytesRead += chunk.textBytes;
            if (progress) progress(bytesRead, std::max(fileBytes, bytesRead));
            return true;
        }))
        return false;
    merger.finish();
    // The header's bytes were never a chunk's: the last call says the whole file is read.
    if (progress) progress(std::max(fileBytes, bytesRead), std::max(fileBytes, bytesRead));
    return true;
}

}  // namespace detail

bool streamProfileFile(const std::string& path, const std::function<void(const Profile&)>& sink,
                       const ByteProgress& progress) {
    // The whole reader's 64 MB window holds ~100k parsed profiles at once (~150 MB in all):
    // what streaming is meant to avoid. Eight chunks still keep both cores parsing.
    detail::ChunkOptions options;
    options.windowBytes = std::size_t{8} << 20;
    return detail::streamProfileFile(path, sink, options, progress);
}

// ---- Pedigrees ----

struct StreamedFamilies::Impl {
    // One family read ahead: whether it joins the current piece depends on its size.
    struct ReadFamily {
        engine::Family family;
        std::vector<engine::Sample> references;  // Person::reference indexes these
        std::vector<std::string> warnings;
    };

    std::string path;
    const engine::ReferenceStore& references;
    std::string referenceSource;
    std::ifstream in;
    std::unique_ptr<TextLines> lines;
    FieldSplitter splitter;
    std::size_t familyCount = 0;
    bool adjacent = true;
    // The row that ended the last family read: the first of the next one.
    std::string heldRow;
    std::size_t heldLine = 0;
    bool held = false;
    std::vector<bool> sampleUsed;  // by store index
    // The families read so far: the counting pass found each name's rows adjacent, but a file
    // changed between the passes must not give a family twice.
    NameHashes familiesRead;
    std::optional<ReadFamily> lookahead;

    Impl(const std::string& p, const engine::ReferenceStore& r, std::string source)
        : path(p), references(r), referenceSource(std::move(source)), in(openTextFile(p)) {}

    void openAfterHeader() {
        lines = std::make_unique<TextLines>(in, path);
        detail::readPedigreeHeader(*lines, path);
    }

    // Counts the runs of rows with one family name, stopping at a name met before.
    void countFamilies() {
        NameHashes names;
        std::string previous;
        bool any = false;
        while (lines->next()) {
            if (lines->blank()) continue;
            const std::string_view line = lines->line();
            // The first field as the full split would give it (trimmed, unquoted).
            const std::string_view family = splitter.split(line.substr(0, line.find('\t')), '\t').front();
            if (any && family == previous) continue;
            any = true;
            previous.assign(family);
            ++familyCount;
            if (!names.insert(nameHash(family))) {
                // The caller reads the file whole then; the rest of this pass would be wasted.
                adjacent = false;
                return;
            }
        }
        if (!any) throw InputError(path, 0, std::string(detail::kNoPedigreeRows));
    }

    // The next non-blank row, the held one first. False at the end of the file.
    bool nextRow(std::string_view& line, std::size_t& lineNumber) {
        if (held) {
            held = false;
            line = heldRow;
            lineNumber = heldLine;
            return true;
        }
        do {
            if (!lines->next()) return false;
        } while (lines->blank());
        line = lines->line();
        lineNumber = lines->lineNumber();
        return true;
    }

    // Reads, checks and resolves the next family. False at the end of the file.
    bool readFamily(ReadFamily& out) {
        FamilyRecord record;
        std::size_t firstLine = 0;
        detail::FamilyIds ids;
        std::string_view line;
        std::size_t lineNumber = 0;
        while (nextRow(line, lineNumber)) {
            const std::vector<std::string_view>& fields = detail::splitPedigreeRow(splitter, line, lineNumber, path);
            if (!record.persons.empty() && fields[0] != record.name) {
                // `line` is the reader's, not heldRow: a held row always begins a family.
                heldRow.assign(line);
                heldLine = lineNumber;
                held = true;
                break;
            }
            PersonRecord person = detail::decodePedigreeRow(fields, SourcePos{lines->internedFileName(), lineNumber});
            if (record.persons.empty()) {
                record.name = std::string(fields[0]);
                firstLine = lineNumber;
                if (!familiesRead.insert(nameHash(record.name)))
                    throw InputError(path, lineNumber,
                                     "family " + record.name + " again after other families (the file changed while it was read)");
            } else {
                ids.checkNew(0, record, person, path);
            }
            if (person.sample != detail::kUntypedSample) claimSample(person, lineNumber);
            record.persons.push_back(std::move(person));
        }
        if (record.persons.empty()) return false;

        Warnings warnings;
        detail::validateFamily(record, firstLine, path, warnings);
        out.family = engine::resolveFamily(
            record, [&](std::string_view sample) { return references.find(sample); }, referenceSource);
        out.references.clear();
        for (engine::Person& person : out.family.persons) {
            if (person.reference < 0) continue;
            out.references.push_back(references.sample(static_cast<std::size_t>(person.reference)));
            person.reference = static_cast<int>(out.references.size() - 1);
        }
        out.warnings = warnings.messages();
        return true;
    }

    // A sample absent from the store is left to resolveFamily, which names it as such.
    void claimSample(const PersonRecord& person, std::size_t lineNumber) {
        const long index = references.find(person.sample);
        if (index < 0) return;
        const auto i = static_cast<std::size_t>(index);
        if (i >= sampleUsed.size()) sampleUsed.resize(references.size(), false);
        if (sampleUsed[i])
            throw InputError(path, lineNumber,
                             "sample " + person.sample + " of person " + person.id +
                                 " is already the sample of another person (expected each reference sample to "
                                 "belong to one person)");
        sampleUsed[i] = true;
    }
};

StreamedFamilies::StreamedFamilies(const std::string& path, const engine::ReferenceStore& references,
                                   std::string referenceSource)
    : impl_(std::make_unique<Impl>(path, references, std::move(referenceSource))) {
    impl_->openAfterHeader();
    impl_->countFamilies();
    // Rewound by reading the header again: the line reader buffers ahead of the rows it gives.
    impl_->in.clear();
    impl_->in.seekg(0);
    if (!impl_->in) throw InputError(path, 0, "cannot read the file again from its start");
    impl_->openAfterHeader();
}

StreamedFamilies::~StreamedFamilies() = default;

bool StreamedFamilies::adjacent() const noexcept { return impl_->adjacent; }

std::size_t StreamedFamilies::familyCount() const { return impl_->familyCount; }

bool StreamedFamilies::next(std::size_t missingPersons, engine::FamilyPiece& piece) {
    // A family met twice would come out as two families, and its ids would go unchecked.
    if (!impl_->adjacent) throw std::logic_error("StreamedFamilies::next: the families' rows are not adjacent");
    piece.clear();
    std::size_t persons = 0;
    while (true) {
        if (!impl_->lookahead) {
            Impl::ReadFamily family;
            if (!impl_->readFamily(family)) break;
            impl_->lookahead = std::move(family);
        }
        Impl::ReadFamily& family = *impl_->lookahead;
        const std::size_t missing = family.family.missingPersons.size();
        if (!piece.families.empty() && persons + missing > missingPersons) break;
        persons += missing;
        const auto offset = static_cast<int>(piece.references.size());
        for (engine::Person& person : family.family.persons)
            if (person.reference >= 0) person.reference += offset;
        std::move(family.references.begin(), family.references.end(), std::back_inserter(piece.references));
        std::move(family.warnings.begin(), family.warnings.end(), std::back_inserter(piece.warnings));
        piece.families.push_back(std::move(family.family));
        impl_->lookahead.reset();
    }
    return !piece.families.empty();
}

}  // namespace kinmatch::formats
