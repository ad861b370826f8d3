// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"
#include "engine/Posterior.hpp"
#include "formats/LineageColumns.hpp"

namespace kinmatch::formats {

/// The schema version this kinmatch writes and reads (table `kinmatch_schema`).
constexpr int kCaseDatabaseSchemaVersion = 1;

/// One input file of a run and its SHA-256 (lower-case hex).
struct RunInput {
    std::string role;  // "frequencies", "pedigrees", "references", "remains"
    std::string path;
    std::string sha256;
};

/// Everything about a run except its results: what `db runs` lists and a report's header.
struct RunInfo {
    std::int64_t id = 0;
    std::string startedAt;   // UTC, ISO 8601 ("2024-05-01T12:00:00Z")
    std::string finishedAt;  // when the results were written
    std::string kinmatchVersion;
    std::string commandLine;
    std::vector<std::pair<std::string, std::string>> parameters;  // (option, value), in option order
    std::vector<RunInput> inputs;
    std::vector<std::string> warnings;
    std::int64_t remainsCount = 0;
    std::int64_t familyCount = 0;
    std::int64_t candidateCount = 0;
};

/// One lineage or autosomal system's part of a candidate: NULL in the database (nullopt here)
/// when the system was not compared.
struct SystemResult {
    std::optional<std::string> outcome;  // e.g. "compared"
    std::optional<double> log10Lr;       // −inf = excluded (see CaseDatabase)
};

/// A candidate row as stored.
struct StoredCandidate {
    std::string remains;
    std::string family;
    std::string missing;
    SystemResult autosomal;
    SystemResult mtdna;
    SystemResult ystr;
    double log10Lr = 0.0;           // combined over the systems; −inf = excluded
    std::optional<int> rank;        // among this remains' candidates; nullopt = only in the per-missing-person list
    std::optional<int> missingRank; // among this missing person's remains (--top-per-family); nullopt = not listed
    int loci = 0;
    int inconsistentLoci = 0;
    double posterior = 0.0;
    std::string decision;  // "identification", "candidate", "excluded"
};

/// A person of a family as stored (ids, not indices).
struct StoredPerson {
    std::string family;
    std::string id;
    std::string father;  // "" = founder
    std::string mother;
    std::string sex;     // "male", "female", "unknown"
    std::string sample;  // "" = untyped
    bool missing = false;
};

/// A typed sample as stored; `genotypes` is "MARKER=A/B" items joined by ';', markers in the
/// case's order, untyped markers left out.
struct StoredSample {
    std::string name;
    std::string kind;  // "reference" or "remains"
    int typedMarkers = 0;
    std::string genotypes;
};

/// Which candidates to read: all of a run, one remains' or one family's.
struct CandidateFilter {
    std::optional<std::string> remains;
    std::optional<std::string> family;
};

/// A finished run, ready to store: the engine's values plus the run's record.
struct RunToStore {
    RunInfo info;  // id and counts are filled by the database
    const engine::PreparedCase* prepared = nullptr;
    const engine::MatchResult* result = nullptr;
    const std::vector<engine::Assessment>* assessments = nullptr;            // one per result->candidates
    const std::vector<engine::Assessment>* byMissingAssessments = nullptr;   // one per result->byMissingPerson
    /// The lineage systems' evidence per row, when the run compared lineage markers; a system
    /// the run did not compare stays NULL.
    const LineageRows* lineage = nullptr;
};

/// A case database: every run of `kinmatch match --db`, with its inputs' checksums,
/// parameters, samples, families and candidates, in SQLite or PostgreSQL through one schema.
///
/// Exclusions: a log10 LR of −inf (LR = 0) is stored as IEEE −infinity in both engines
/// (SQLite REAL holds it as is; PostgreSQL double precision as '-Infinity'), so that
/// `ORDER BY log10_lr DESC` puts exclusions last and NULL keeps meaning "not compared".
///
/// Thread safety: one object per thread. Throws: Error naming the database and the reason.
class CaseDatabase {
public:
    virtual ~CaseDatabase() = default;

    /// Creates the schema, or checks an existing one's version (migrating an older one).
    /// Throws: Error when the database is newer than this kinmatch.
    virtual void initialise() = 0;

    /// Stores a run in one transaction and returns its id; on any failure (or if the process
    /// dies) nothing of it remains. A re-run is stored as a new run.
    virtual std::int64_t storeRun(const RunToStore& run) = 0;

    /// Runs, oldest first (parameters, inputs and warnings left empty).
    virtual std::vector<RunInfo> listRuns() = 0;
    /// The latest run's id, or nullopt for an empty database.
    virtual std::optional<std::int64_t> latestRun() = 0;
    /// The full record of a run. Throws: Error if there is no such run.
    virtual RunInfo runInfo(std::int64_t run) = 0;
    /// Candidates of a run: per-remains rows in match output order (remains, rank, family,
    /// missing), then rows that are only in per-missing-person lists.
    virtual std::vector<StoredCandidate> candidates(std::int64_t run, const CandidateFilter& filter) = 0;
    /// The persons of one family (every family if `family` is empty), in file order.
    virtual std::vector<StoredPerson> persons(std::int64_t run, const std::string& family) = 0;
    /// Samples by name ("" = every sample of the run).
    virtual std::vector<StoredSample> samples(std::int64_t run, const std::string& name) = 0;

    /// "sqlite:cases.sqlite" or "postgresql://..." as given, for messages.
    virtual const std::string& url() const = 0;
};

enum class OpenMode {
    kCreate,        // create the database (SQLite file) and the schema if missing (match, db init)
    kMustExist,     // the database and its schema must exist (db runs, show, export)
};

/// Opens `url`: `sqlite:PATH` (a file; `sqlite::memory:` for tests) or `postgresql://...` /
/// `postgres://...` (a libpq connection URI). With kCreate the schema is created or migrated.
/// Throws: UsageError for a URL of another kind; Error for a missing file, a failed connection
/// or a schema version mismatch.
std::unique_ptr<CaseDatabase> openCaseDatabase(const std::string& url, OpenMode mode);

/// `url` with any password replaced by "***", for messages and stored command lines.
std::string redactedDatabaseUrl(const std::string& url);

/// Test hook, documented in `kinmatch help match`: KINMATCH_TEST_PAUSE_AFTER_ROWS="N:FILE"
/// makes storeRun create FILE and sleep for a minute after inserting N candidate rows, still
/// inside its transaction, so a test can SIGKILL it mid-write.
constexpr const char* kPauseHookVariable = "KINMATCH_TEST_PAUSE_AFTER_ROWS";

}  // namespace kinmatch::formats
