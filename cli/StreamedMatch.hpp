// SPDX-License-Identifier: MIT
#pragma once

// `kinmatch match` without the whole case in memory: the references file is read once for
// its census (engine/ReferenceCensus.hpp), and the pedigree file family by family as the
// screening pipeline goes (formats/CaseStream.hpp). Memory then follows the remains, the
// candidate lists, the table cache and about 80 bytes per reference sample and 50 per family,
// instead of ~4 KB per family read whole. The rows are those of the whole reading, byte for
// byte.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/RunSettings.hpp"
#include "engine/Matcher.hpp"

namespace kinmatch::cli {

struct StreamedMatch {
    /// The markers, the remains, and only the families the rows name (Screening.hpp
    /// ScreenedFamilies::families); no references.
    engine::PreparedCase prepared;
    engine::MatchResult result;
    std::size_t familyCount = 0;
    std::size_t missingPersonCount = 0;
    /// The inputs' warnings, as LoadedCase::warnings has them.
    std::vector<std::string> warnings;
};

/// Whether a run with these settings may be streamed (screening, autosomal only, no --db,
/// no --in-memory).
bool canStream(const RunSettings& settings);

/// Runs the match streamed; nullopt when the files' layout does not allow it (a sample's or a
/// family's rows not adjacent; a note on stderr says which) or when anything fails: the
/// caller then reads the case whole, which reports a bad input exactly as it always has.
std::optional<StreamedMatch> streamMatch(const RunSettings& settings, const engine::MatchOptions& options);

}  // namespace kinmatch::cli
