// SPDX-License-Identifier: MIT
#include "formats/ProfileReader.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/Errors.hpp"
#include "formats/ProfileChunks.hpp"
#include "formats/ProfileColumns.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace detail {

// The first non-blank line; its delimiter tells the layout.
ProfileHeader readProfileHeader(TextLines& lines, const std::string& fileName) {
    do {
        if (!lines.next())
            throw InputError(fileName, 0, "no profiles: empty file (" + std::string(kExpectedHeader) + ")");
    } while (lines.blank());
    const char delimiter = lines.line().find('\t') != std::string_view::npos ? '\t' : ',';
    const std::vector<std::string> header = splitFields(lines.line(), delimiter);
    return ProfileHeader{delimiter, decodeProfileHeader(header, lines.pos(), kExpectedHeader)};
}

// Row by row on one thread. The chunked reader must give the same result and the same first
// error; this is the reference the tests hold it to.
ProfileSet readProfilesSerial(std::istream& in, const std::string& fileName) {
    TextLines lines(in, fileName);
    const ProfileHeader header = readProfileHeader(lines, fileName);

    ProfileSet set{.source = fileName, .profiles = {}};
    TextMap<std::size_t> profileIndex;
    Vocabulary vocabulary;
    RowsSeen seen;
    RowReader reader(header.columns, header.delimiter, fileName);
    Row row;
    // The line of the first row of `profile` at marker `key`, for a duplicate's error.
    const auto firstLine = [&](std::size_t profile, std::uint32_t key) {
        for (const MarkerCall& call : set.profiles[profile].markers)
            if (vocabulary.spelling(call.marker.view()).key == key) return call.pos.line;
        return seen.unstoredLine(profile, key);
    };

    while (lines.next()) {
        if (lines.blank()) continue;
        const std::size_t line = lines.lineNumber();
        reader.read(lines.line(), line, vocabulary, row);
        // Rows of one sample are usually adjacent: try the last profile before the index.
        std::size_t profile = set.profiles.size();
        if (!set.profiles.empty() && set.profiles.back().sampleName == row.sample) {
            profile = set.profiles.size() - 1;
        } else if (const auto it = profileIndex.find(row.sample); it != profileIndex.end()) {
            profile = it->second;
        }
        const MarkerSpelling& spelling = *row.spelling;
        if (!seen.insert(profile, spelling.key))
            throw InputError(fileName, line, duplicateMessage(row.sample, row.marker, firstLine(profile, spelling.key)));
        reader.alleles(line, vocabulary, row);

        if (profile == set.profiles.size()) {
            profileIndex.emplace(std::string(row.sample), profile);
            // Profiles of one file mostly have the same markers: size the new one like the
            // last, so that millions of rows do not leave half-empty vectors behind.
            const std::size_t expected = set.profiles.empty() ? 0 : set.profiles.back().markers.size();
            set.profiles.push_back(
                Profile{.sampleName = std::string(row.sample), .markers = {}, .amelogenin = {}, .pos = lines.pos()});
            set.profiles.back().markers.reserve(expected);
        }
        Profile& target = set.profiles[profile];
        if (spelling.amelogenin) {
            target.amelogenin = row.calls;
            seen.noteUnstored(profile, spelling.key, line);
        } else if (!row.calls.empty()) {
            target.markers.push_back(MarkerCall{.marker = spelling.name, .alleles = row.calls, .pos = lines.pos()});
        } else {
            seen.noteUnstored(profile, spelling.key, line);
        }
    }
    if (set.profiles.empty()) throw InputError(fileName, 0, std::string(kNoProfileRows));
    return set;
}

ProfileSet readProfilesChunked(std::istream& in, const std::string& fileName, const ChunkOptions& options) {
    TextLines lines(in, fileName);
    const ProfileHeader header = readProfileHeader(lines, fileName);
    return readRowsChunked(lines, in, header.columns, header.delimiter, fileName, options);
}

}  // namespace detail

ProfileSet readProfiles(std::istream& in, const std::string& fileName) {
    return detail::readProfilesChunked(in, fileName, detail::ChunkOptions{});
}

ProfileSet readProfileFile(const std::string& path) {
    std::ifstream in = openTextFile(path);
    return readProfiles(in, path);
}

}  // namespace kinmatch::formats
