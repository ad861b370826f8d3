// SPDX-License-Identifier: MIT
#pragma once

// The case database schema, shared by SQLite and PostgreSQL (formats/CaseDatabase.cpp).
// Internal to formats/; a new schema version is a new migration appended here.

#include <string>
#include <vector>

#include "formats/SqlConnection.hpp"

namespace kinmatch::formats::schema {

// Schema version 1, one text for both engines. `{ID}` is the only dialect difference:
// SQLite's AUTOINCREMENT and PostgreSQL's identity column both never reuse the id of a run,
// even one rolled back. DOUBLE PRECISION is REAL affinity in SQLite. Exclusions are stored
// as −infinity (see CaseDatabase.hpp). Booleans are 0/1 integers in both.
inline constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE runs (
  id {ID},
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  kinmatch_version TEXT NOT NULL,
  command_line TEXT NOT NULL,
  remains_count BIGINT NOT NULL,
  family_count BIGINT NOT NULL,
  candidate_count BIGINT NOT NULL
);
CREATE TABLE run_parameters (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE run_inputs (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, role)
);
CREATE TABLE warnings (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);
CREATE TABLE samples (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('reference', 'remains')),
  typed_markers INTEGER NOT NULL,
  genotypes TEXT NOT NULL,
  PRIMARY KEY (run_id, kind, name)
);
CREATE TABLE families (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  person_count INTEGER NOT NULL,
  missing_count INTEGER NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE persons (
  run_id BIGINT NOT NULL,
  family TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  id TEXT NOT NULL,
  father TEXT,
  mother TEXT,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female', 'unknown')),
  sample TEXT,
  missing INTEGER NOT NULL CHECK (missing IN (0, 1)),
  PRIMARY KEY (run_id, family, id),
  FOREIGN KEY (run_id, family) REFERENCES families(run_id, name) ON DELETE CASCADE
);
CREATE TABLE candidates (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  remains TEXT NOT NULL,
  family TEXT NOT NULL,
  missing TEXT NOT NULL,
  autosomal_outcome TEXT,
  autosomal_log10_lr DOUBLE PRECISION,
  mtdna_outcome TEXT,
  mtdna_log10_lr DOUBLE PRECISION,
  ystr_outcome TEXT,
  ystr_log10_lr DOUBLE PRECISION,
  log10_lr DOUBLE PRECISION NOT NULL,
  rank INTEGER,
  missing_rank INTEGER,
  loci INTEGER NOT NULL,
  inconsistent_loci INTEGER NOT NULL,
  posterior DOUBLE PRECISION NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('identification', 'candidate', 'excluded')),
  PRIMARY KEY (run_id, remains, family, missing)
);
CREATE INDEX candidates_by_family ON candidates (run_id, family, missing);
)sql";

// Migrations in order: entry i takes a database from version i to version i + 1.
inline const std::vector<const char*> kMigrations = {kSchemaV1};

/// The schema text for one engine.
inline std::string dialectSql(std::string text, sql::Dialect dialect) {
    const std::string id = dialect == sql::Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                                            : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    for (std::size_t at; (at = text.find("{ID}")) != std::string::npos;) text.replace(at, 4, id);
    return text;
}

}  // namespace kinmatch::formats::schema
