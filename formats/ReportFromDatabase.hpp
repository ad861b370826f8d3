// SPDX-License-Identifier: MIT
#pragma once

// The report of a case-database run (`kinmatch report --db`).
//
// The database holds a run's record (version, command line, parameters, inputs with their
// SHA-256, warnings), its candidates, samples (genotypes as allele labels) and persons, but
// not the allele frequency table, and the per-marker LRs cannot be recomputed without it.
// So the report re-reads the run's four input files, from the paths the run recorded or
// from where the user says they moved, and refuses any file whose SHA-256 is not the
// recorded one: equal bytes give the run's prepared case, and the model comes from the
// run's parameters, so no flag can disagree with the run. What the database stored
// (samples, persons) is then compared with the files as read, and any difference warned.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/MutationModel.hpp"
#include "formats/CaseDatabase.hpp"
#include "formats/ReportData.hpp"

namespace kinmatch::formats {

/// The input roles a report reads, in command-line order: those of `kinmatch match`, each
/// read when the run recorded it (a lineage-only run has no frequencies).
inline const std::vector<std::string> kReportInputRoles = {
    "frequencies",   "pedigrees",       "references",      "remains",      "mtdna-references",
    "mtdna-remains", "mtdna-database", "ystr-references", "ystr-remains", "ystr-database"};

/// The record of run `run`, or of the latest run when `run` is nullopt.
/// Throws: Error naming the database (and the run) when it holds no run, or not that one.
RunInfo chooseReportRun(CaseDatabase& database, std::optional<std::int64_t> run);

/// The options of a run that shape the per-marker values, read back from its parameters.
struct RecordedModel {
    std::string mutationModel;  // as given to match: "none", "equal", ...
    engine::MutationModel model;
    engine::PrepareOptions prepare;
};

/// Decodes `mutation-model`, `mutation-rate-female`, `mutation-rate-male`, `mutation-rate2`,
/// `mutation-range`, `rare-allele-freq` (and `database-size` when recorded). Values were
/// stored with 15 significant digits, far inside the report's 1e-6 agreement check.
/// Throws: Error naming the database, the run and the parameter when one is missing or malformed.
RecordedModel decodeRecordedModel(const RunInfo& run, const std::string& database);

/// Role -> path to read for each of kReportInputRoles the run recorded: the recorded path, or
/// `relocated[role]` for a file that moved. Relative recorded paths are read from the current
/// directory.
/// Throws: Error naming the database, run, role and file when the pedigrees or every marker
/// system's files are missing from the record, a file cannot be read, or its SHA-256 differs
/// from the recorded one.
std::map<std::string, std::string> verifiedInputFiles(const RunInfo& run, const std::string& database,
                                                      const std::map<std::string, std::string>& relocated);

struct DatabaseReportSources {
    std::string database;                         // URL without password, for the pages and messages
    std::map<std::string, std::string> readFrom;  // role -> path read, from verifiedInputFiles
    std::string reportVersion;
    std::string reportCommandLine;
};

/// Fills a report from run `run` of `database`: the run's record, its per-remains candidates
/// (rows only in per-missing-person lists are left out, as `db export` does) with posterior,
/// decision and any autosomal / mtDNA / Y-STR parts, then `addCandidates` with `prepared`
/// (read from the verified inputs) and `model` (decodeRecordedModel). Stored samples and
/// persons that differ from `prepared` are named in the report's warnings.
///
/// Thread safety: one CaseDatabase per thread; builds tables in parallel on the calling
/// thread's TBB arena. Throws: Error from the database; InputError for a stored candidate
/// whose remains, family or missing person the inputs lack.
ReportData reportFromDatabase(CaseDatabase& database, const RunInfo& run, const DatabaseReportSources& sources,
                              const engine::PreparedCase& prepared, const engine::MutationModel& model,
                              const std::vector<std::string>& loadWarnings);

}  // namespace kinmatch::formats
