// SPDX-License-Identifier: MIT
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"

namespace kinmatch::formats {

/// Writes finished match results as the TSV of spec §4: `#` comment lines (provenance,
/// parameters, warnings, a column legend), the header, then one row per candidate.
class MatchTsvWriter {
public:
    MatchTsvWriter(const engine::PreparedCase& prepared, const engine::MatchResult& result,
                   std::vector<std::string> commentLines)
        : prepared_(prepared), result_(result), comments_(std::move(commentLines)) {}

    /// The per-remains candidates (MatchResult::candidates).
    void write(std::ostream& out) const;
    /// Each missing person's best remains (MatchResult::byMissingPerson), columns
    /// family, missing, remains, log10_lr, rank (among this missing person's remains), loci,
    /// inconsistent_loci.
    void writeByMissingPerson(std::ostream& out) const;

    /// log10 LR as printed: 15 significant digits, `-inf` for an exclusion, never `-0`.
    static std::string formatLog10(double value);

private:
    // The `#` comment lines, the column legend and the header line.
    void writePreamble(std::ostream& out, const char* legend, const char* header) const;

    const engine::PreparedCase& prepared_;
    const engine::MatchResult& result_;
    std::vector<std::string> comments_;
};

}  // namespace kinmatch::formats
