// SPDX-License-Identifier: MIT
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"
#include "engine/Posterior.hpp"
#include "formats/LineageColumns.hpp"

namespace kinmatch::formats {

/// Writes finished match results as JSON Lines (`kinmatch match -O jsonl`), one object per
/// line, for pipelines (jq, pandas.read_json(lines=True)):
///   {"record":"header","comments":["kinmatch 0.1.0 ...","command: ...","warning: ..."]}
///   {"record":"candidate","remains":"UR-1","family":"F1","missing":"F1-MP","log10_lr":11.9,
///    "rank":1,"loci":20,"inconsistent_loci":1,"posterior":0.99999,"decision":"identification"}
/// The same rows, order and digits as the TSV. JSON has no infinity, so an exclusion has
/// `"log10_lr":null` (its decision is always "excluded"). With `lineage`, each candidate
/// also carries the fields of formats/LineageColumns.hpp (lists as arrays, none as null).
class MatchJsonlWriter {
public:
    MatchJsonlWriter(const engine::PreparedCase& prepared, const engine::MatchResult& result,
                     const std::vector<engine::Assessment>& assessments,
                     const std::vector<engine::Assessment>& byMissingAssessments, std::vector<std::string> commentLines,
                     const LineageRows* lineage = nullptr)
        : prepared_(prepared),
          result_(result),
          assessments_(assessments),
          byMissingAssessments_(byMissingAssessments),
          comments_(std::move(commentLines)),
          lineage_(lineage) {}

    /// The per-remains candidates (MatchResult::candidates).
    void write(std::ostream& out) const;
    /// Each missing person's best remains (MatchResult::byMissingPerson); `rank` counts among
    /// that missing person's remains.
    void writeByMissingPerson(std::ostream& out) const;

    /// `text` as a JSON string literal, quotes included.
    static std::string quote(std::string_view text);

private:
    void writeRows(std::ostream& out, const std::vector<engine::Candidate>& rows,
                   const std::vector<engine::Assessment>& assessments,
                   const std::vector<engine::lineage::PairLineage>* lineageRows) const;

    const engine::PreparedCase& prepared_;
    const engine::MatchResult& result_;
    const std::vector<engine::Assessment>& assessments_;
    const std::vector<engine::Assessment>& byMissingAssessments_;
    std::vector<std::string> comments_;
    const LineageRows* lineage_;
};

}  // namespace kinmatch::formats
