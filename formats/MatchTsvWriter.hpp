// SPDX-License-Identifier: MIT
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"
#include "engine/Posterior.hpp"
#include "formats/LineageColumns.hpp"

namespace kinmatch::formats {

/// Writes finished match results as the TSV of spec §4: `#` comment lines (provenance,
/// parameters, warnings, a column legend), the header, then one row per candidate, with its
/// posterior and decision (engine/Posterior.hpp) after the columns of spec §4.
class MatchTsvWriter {
public:
    /// `assessments` has one entry per result.candidates, `byMissingAssessments` one per
    /// result.byMissingPerson.
    MatchTsvWriter(const engine::PreparedCase& prepared, const engine::MatchResult& result,
                   const std::vector<engine::Assessment>& assessments,
                   const std::vector<engine::Assessment>& byMissingAssessments, std::vector<std::string> commentLines,
                   const LineageRows* lineage = nullptr)
        : prepared_(prepared),
          result_(result),
          assessments_(assessments),
          byMissingAssessments_(byMissingAssessments),
          comments_(std::move(commentLines)),
          lineage_(lineage) {}

    /// The per-remains candidates (MatchResult::candidates). With `lineage`, the fields of
    /// formats/LineageColumns.hpp follow `decision`.
    void write(std::ostream& out) const;
    /// Each missing person's best remains (MatchResult::byMissingPerson), columns
    /// family, missing, remains, log10_lr, rank (among this missing person's remains), loci,
    /// inconsistent_loci, posterior, decision.
    void writeByMissingPerson(std::ostream& out) const;

    /// log10 LR as printed: 15 significant digits, `-inf` for an exclusion, never `-0`.
    static std::string formatLog10(double value);
    /// A posterior probability as printed: 15 significant digits.
    static std::string formatProbability(double value);

private:
    // The `#` comment lines, the column legend and the header line.
    void writePreamble(std::ostream& out, std::string legend, std::string header) const;
    // The lineage cells of row `i` of `rows` (each with its leading tab), or nothing.
    void writeLineageCells(std::ostream& out, const engine::Candidate& candidate,
                           const std::vector<engine::lineage::PairLineage>& rows, std::size_t i) const;

    const engine::PreparedCase& prepared_;
    const engine::MatchResult& result_;
    const std::vector<engine::Assessment>& assessments_;
    const std::vector<engine::Assessment>& byMissingAssessments_;
    std::vector<std::string> comments_;
    const LineageRows* lineage_;
};

}  // namespace kinmatch::formats
