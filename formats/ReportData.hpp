// SPDX-License-Identifier: MIT
#pragma once

// Everything an identification report shows, as plain values: the HTML writer reads only
// this, so a report can be filled from a results TSV plus its inputs (here) or from a case
// database run, and written the same way.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/Case.hpp"
#include "engine/MutationModel.hpp"

namespace kinmatch::formats {

/// One input file of the run, with its SHA-256 (lower-case hex) when it could be computed.
struct ReportInputFile {
    std::string role;  // "frequencies", "references", ...
    std::string path;
    std::string sha256;  // "" = unknown
};

struct ReportRunInfo {
    std::string version;      // kinmatch version that made the results ("" = not recorded)
    std::string commandLine;  // the command that made the results
    std::string reportVersion;  // kinmatch version that wrote the report
    std::string reportCommandLine;
    std::vector<std::pair<std::string, std::string>> parameters;  // (name, value), in display order
    std::vector<ReportInputFile> inputs;
};

/// A person of a family pedigree, parents by id ("" = founder).
struct ReportPerson {
    std::string id;
    Sex sex = Sex::kUnknown;
    std::string father;
    std::string mother;
    std::string sample;  // reference sample name, "" = untyped
    bool missing = false;
    /// Added by the pedigree reader for a person with one known parent (`<id>~father`).
    bool placeholder = false;
    bool typed() const noexcept { return !sample.empty(); }
};

struct ReportPedigree {
    std::string family;
    std::vector<ReportPerson> persons;  // file order (placeholders before their child)
};

/// One marker of a candidate: the remains' genotype, each typed relative's, and the
/// marker's log10 LR (absent where the remains is untyped: the marker adds nothing).
struct ReportMarkerRow {
    std::string marker;
    std::string remainsGenotype;                // "" = untyped
    std::vector<std::string> relativeGenotypes;  // parallel to ReportCandidate::relatives; "" = untyped
    std::optional<double> log10Lr;              // -inf = exclusion at this marker
    bool relativeTyped = false;                 // counts in `loci`
    bool needsMutation = false;                 // counts in `inconsistent_loci`
};

/// One lineage system's part of a candidate (mtDNA, Y-STR), as the source gives it; the
/// report shows it and does no lineage comparison of its own.
struct ReportSystemResult {
    std::optional<std::string> outcome;  // e.g. "compared", "excluded"
    std::optional<double> log10Lr;       // -inf = excluded by this system
    bool present() const noexcept { return outcome.has_value() || log10Lr.has_value(); }
};

/// One lineage system's comparison of a candidate pair, as the engine recomputes it.
struct ReportLineageComparison {
    std::string system;    // "mtDNA" or "Y-STR"
    std::string outcome;   // cannot_exclude, inconclusive, exclusion, insufficient_overlap, ...
    double log10Lr = 0.0;  // recomputed; -inf = exclusion
    std::string relative;  // sample compared with, "" = none
    std::string relativeId;  // that relative's pedigree id
    int meioses = 0;
    std::size_t differences = 0;  // mtDNA differences / differing Y-STR loci
    std::size_t compared = 0;     // mtDNA positions / Y-STR loci compared
    std::vector<std::string> differing;  // "16069:T/C" (remains/relative), "DYS19:+1"
};

struct ReportCandidate {
    std::string family;
    std::string missing;  // the missing person's id
    double log10Lr = 0.0;  // as reported by the run; combined over the systems in a lineage run
    /// The autosomal part of `log10Lr` when the source gives it apart (database column or
    /// results column `autosomal_log10_lr`). The per-marker rows are autosomal STRs, so they
    /// are checked against this value when it is known, not against the combined one.
    std::optional<double> autosomalLog10Lr;
    ReportSystemResult mtdna;
    ReportSystemResult ystr;
    int rank = 0;
    std::optional<int> loci;
    std::optional<int> inconsistentLoci;
    std::optional<double> posterior;  // shown when the results carry one
    std::string decision;             // "" = none recorded
    std::size_t pedigree = 0;         // index in ReportData::pedigrees
    std::vector<std::string> relatives;  // ids of the family's typed persons, pedigree order
    std::vector<ReportMarkerRow> markers;
    /// Sum of the per-marker log10 LRs in marker order, as the engine sums them; equals
    /// `autosomalOrReported()` unless the report was made with other inputs or model than the run.
    double markerSum = 0.0;
    /// The lineage comparisons behind `mtdna` and `ystr`, recomputed by the report from the
    /// run's lineage files (formats/ReportLineage.hpp); empty without them.
    std::vector<ReportLineageComparison> lineageComparisons;

    /// What the per-marker sum must equal: the autosomal log10 LR, or the only one reported.
    double autosomalOrReported() const noexcept { return autosomalLog10Lr.value_or(log10Lr); }
    bool hasLineage() const noexcept { return mtdna.present() || ystr.present(); }
};

struct ReportRemains {
    std::string id;
    std::vector<ReportCandidate> candidates;  // rank order, as in the results
};

struct ReportData {
    ReportRunInfo run;
    std::vector<ReportPedigree> pedigrees;  // only the families that appear as candidates
    std::vector<ReportRemains> remains;     // every remains of the inputs, sorted by id
    std::vector<std::string> runWarnings;     // from the run's record
    std::vector<std::string> reportWarnings;  // found while making the report
};

/// A reported (remains, missing person) pair as its source gives it, before it is resolved
/// against the inputs; `where` names the source row for error messages.
struct ReportedPair {
    std::string remains;
    std::string family;
    std::string missing;
    ReportCandidate candidate;  // log10Lr, rank and the optional columns filled
    SourcePos where;
};

/// Adds `pairs` to `data` (whose run record a source has filled): every remains of
/// `prepared` gets an entry, sorted by id, its candidates in rank order; each candidate gets
/// its family's pedigree and per-marker rows recomputed with the engine's tables under
/// `model`. A pair whose per-marker values do not add up to its autosomal log10 LR (within
/// 1e-6; see ReportCandidate::autosomalLog10Lr), or whose loci counts differ, is named in
/// `data.reportWarnings` (the first 20, then a count).
/// Every source (results TSV, case database) ends here, so the checks are the same for all;
/// `advice` ends the summary warning of disagreeing pairs with what the user can do about it
/// for this source.
///
/// Thread safety: builds the families' tables in parallel on the calling thread's TBB arena.
/// Throws: InputError at `where` for a remains, family or missing person absent from the
/// inputs; Error when the model is undefined for a marker.
void addCandidates(ReportData& data, std::vector<ReportedPair> pairs, const engine::PreparedCase& prepared,
                   const engine::MutationModel& model, const std::string& advice);

/// Where the report of a results TSV comes from.
struct ResultsTsvSources {
    std::string results;  // path of the `kinmatch match` TSV
    std::vector<ReportInputFile> inputs;  // the run's input files (checksums are computed here)
    std::string reportVersion;
    std::string reportCommandLine;
};

/// Fills a report from a `kinmatch match` TSV and the prepared inputs of that run: the run
/// record from the TSV's `#` lines, SHA-256 of every file, then `addCandidates`. Columns are
/// found by header name (`remains family missing log10_lr rank` required; `loci`,
/// `inconsistent_loci`, `posterior`, `decision`, and the lineage run's `autosomal_log10_lr`,
/// `mtdna_outcome`, `mtdna_log10_lr`, `ystr_outcome`, `ystr_log10_lr` used when present; `.`
/// or an empty field = not given for that pair).
///
/// Thread safety: runs the table building in parallel on the calling thread's TBB arena.
/// Throws: InputError (results file, line, field) for a missing column, a malformed number,
/// or a remains, family or missing person absent from the inputs; Error when the model is
/// undefined for a marker.
ReportData reportFromResultsTsv(const ResultsTsvSources& sources, const engine::PreparedCase& prepared,
                                const engine::MutationModel& model, const std::vector<std::string>& loadWarnings);

/// True when the candidate's per-marker log10 LRs add up to its reported autosomal log10 LR
/// (`autosomalOrReported()`; within 1e-6, the conformance tolerance; both -inf for an exclusion).
bool markerSumAgrees(const ReportCandidate& candidate);

/// "12/14" (a homozygote "12/12"), "" when untyped.
std::string genotypeText(const engine::Marker& marker, const engine::Genotype& genotype);

}  // namespace kinmatch::formats
