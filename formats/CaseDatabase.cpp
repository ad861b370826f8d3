// SPDX-License-Identifier: MIT
#include "formats/CaseDatabase.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "engine/Errors.hpp"
#include "formats/CaseDatabaseSchema.hpp"
#include "formats/PostgresDatabase.hpp"
#include "formats/SqlConnection.hpp"
#include "formats/SqliteDatabase.hpp"

namespace kinmatch::formats {

namespace {

using sql::Value;
using schema::dialectSql;
using schema::kMigrations;

// Readers accept SQLite's typed values and PostgreSQL's text alike.
std::int64_t asInt(const Value& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
    throw Error("case database: unexpected NULL");
}
double asDouble(const Value& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    // strtod reads PostgreSQL's "-Infinity" and its shortest round-trip digits exactly.
    if (const auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
    throw Error("case database: unexpected NULL");
}
std::string asText(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    return "";
}
std::optional<double> asOptionalDouble(const Value& v) {
    if (v.index() == 0) return std::nullopt;
    return asDouble(v);
}
std::optional<int> asOptionalInt(const Value& v) {
    if (v.index() == 0) return std::nullopt;
    return static_cast<int>(asInt(v));
}
std::optional<std::string> asOptionalText(const Value& v) {
    if (v.index() == 0) return std::nullopt;
    return asText(v);
}
Value orNull(const std::optional<double>& v) { return v ? Value(*v) : Value(); }
Value orNull(const std::optional<std::string>& v) { return v ? Value(*v) : Value(); }
Value orNull(const std::optional<int>& v) { return v ? Value(std::int64_t{*v}) : Value(); }

const char* sexName(Sex sex) {
    switch (sex) {
        case Sex::kMale: return "male";
        case Sex::kFemale: return "female";
        case Sex::kUnknown: break;
    }
    return "unknown";
}

std::string genotypeText(const engine::PreparedCase& prepared, const engine::Sample& sample, int& typed) {
    std::string text;
    typed = 0;
    for (std::size_t m = 0; m < sample.genotypes.size() && m < prepared.markers.size(); ++m) {
        const auto& g = sample.genotypes[m];
        if (!g.typed()) continue;
        const auto& marker = prepared.markers[m];
        if (typed++) text += ';';
        text += marker.name + "=" + marker.alleles[static_cast<std::size_t>(g.allele1)] + "/" +
                marker.alleles[static_cast<std::size_t>(g.allele2)];
    }
    return text;
}

// The test hook of CaseDatabase.hpp: (rows, file) or (0, "") when unset.
std::pair<std::size_t, std::string> pauseHook() {
    const char* value = std::getenv(kPauseHookVariable);
    if (!value) return {0, ""};
    const std::string text = value;
    const auto colon = text.find(':');
    if (colon == std::string::npos) return {0, ""};
    return {static_cast<std::size_t>(std::stoul(text.substr(0, colon))), text.substr(colon + 1)};
}

// Rows of one table, sent as multi-row INSERTs of `kRowsPerStatement` rows (then one row at a
// time for the rest): one statement per row costs PostgreSQL a bind and execute each, which
// made 10^5 candidates take ~10 s; 100 rows per statement stays far below both engines'
// parameter limits (SQLite 32766, PostgreSQL 65535).
class BatchInsert {
public:
    static constexpr std::size_t kRowsPerStatement = 100;

    BatchInsert(sql::Connection& connection, const std::string& table, const std::vector<std::string>& columns)
        : connection_(connection), columns_(columns.size()) {
        std::string head = "INSERT INTO " + table + " (";
        std::string row = "(";
        for (std::size_t i = 0; i < columns.size(); ++i) {
            head += (i ? ", " : "") + columns[i];
            row += i ? ", ?" : "?";
        }
        head += ") VALUES ";
        row += ")";
        std::string many = head;
        for (std::size_t r = 0; r < kRowsPerStatement; ++r) many += (r ? ", " : "") + row;
        single_ = connection_.prepare(head + row);
        many_ = connection_.prepare(many);
        pending_.reserve(kRowsPerStatement * columns_);
    }

    void add(std::vector<Value> row) {
        if (row.size() != columns_) throw std::logic_error("BatchInsert: wrong number of values");
        for (auto& v : row) pending_.push_back(std::move(v));
        if (pending_.size() == kRowsPerStatement * columns_) {
            many_->execute(pending_);
            pending_.clear();
        }
    }

    /// Sends the rows still pending.
    void finish() {
        for (std::size_t at = 0; at < pending_.size(); at += columns_)
            single_->execute(std::vector<Value>(pending_.begin() + static_cast<std::ptrdiff_t>(at),
                                                pending_.begin() + static_cast<std::ptrdiff_t>(at + columns_)));
        pending_.clear();
    }

private:
    sql::Connection& connection_;
    std::size_t columns_;
    std::unique_ptr<sql::Statement> single_;
    std::unique_ptr<sql::Statement> many_;
    std::vector<Value> pending_;
};

// For messages: a PostgreSQL URI without its password.
std::string withoutPassword(const std::string& url) {
    const auto scheme = url.find("://");
    const auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

class SqlCaseDatabase : public CaseDatabase {
public:
    SqlCaseDatabase(std::unique_ptr<sql::Connection> connection, std::string url)
        : connection_(std::move(connection)), url_(std::move(url)), name_(withoutPassword(url_)) {}

    const std::string& url() const override { return url_; }

    void initialise() override {
        begin();
        try {
            if (!connection_->hasTable("kinmatch_schema"))
                connection_->executeScript("CREATE TABLE kinmatch_schema (version INTEGER NOT NULL); "
                                           "INSERT INTO kinmatch_schema (version) VALUES (0)");
            int version = schemaVersion();
            if (version > kCaseDatabaseSchemaVersion)
                throw Error(name_ + ": the database has schema version " + std::to_string(version) +
                            ", newer than this kinmatch (" + std::to_string(kCaseDatabaseSchemaVersion) +
                            "); use a newer kinmatch");
            for (; version < kCaseDatabaseSchemaVersion; ++version)
                connection_->executeScript(dialectSql(kMigrations[static_cast<std::size_t>(version)], connection_->dialect()));
            connection_->prepare("UPDATE kinmatch_schema SET version = ?")->execute({std::int64_t{version}});
            connection_->flush();
            connection_->executeScript("COMMIT");
        } catch (...) {
            rollback();
            throw;
        }
    }

    void checkSchema() {
        if (!connection_->hasTable("kinmatch_schema"))
            throw Error(name_ + ": not a kinmatch case database (no schema version table); create it with "
                                "`kinmatch db init --db " + name_ + "`");
        const int version = schemaVersion();
        if (version != kCaseDatabaseSchemaVersion)
            throw Error(name_ + ": the database has schema version " + std::to_string(version) + ", this kinmatch reads " +
                        std::to_string(kCaseDatabaseSchemaVersion) +
                        (version < kCaseDatabaseSchemaVersion ? " (migrate it with `kinmatch db init`)" : " (use a newer kinmatch)"));
    }

    std::int64_t storeRun(const RunToStore& run) override;
    std::vector<RunInfo> listRuns() override;
    std::optional<std::int64_t> latestRun() override;
    RunInfo runInfo(std::int64_t run) override;
    std::vector<StoredCandidate> candidates(std::int64_t run, const CandidateFilter& filter) override;
    std::vector<StoredPerson> persons(std::int64_t run, const std::string& family) override;
    std::vector<StoredSample> samples(std::int64_t run, const std::string& name) override;

private:
    int schemaVersion() {
        const auto rows = connection_->prepare("SELECT version FROM kinmatch_schema")->query({});
        if (rows.size() != 1) throw Error(name_ + ": the schema version table must hold one row");
        return static_cast<int>(asInt(rows[0][0]));
    }
    // SQLite: take the write lock at once, so a concurrent writer waits here (busy timeout)
    // rather than failing halfway through a run.
    void begin() { connection_->executeScript(connection_->dialect() == sql::Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void rollback() noexcept {
        try {
            try {
                connection_->flush();
            } catch (...) {  // the error that brought us here, already being reported
            }
            connection_->executeScript("ROLLBACK");
        } catch (...) {  // a dead connection rolls back on the server side
        }
    }
    void storeCandidates(std::int64_t id, const RunToStore& run, std::int64_t& count);

    std::unique_ptr<sql::Connection> connection_;
    std::string url_;
    std::string name_;
};

std::int64_t SqlCaseDatabase::storeRun(const RunToStore& run) {
    if (!run.prepared || !run.result || !run.assessments) throw std::logic_error("storeRun: incomplete run");
    const auto& prepared = *run.prepared;
    begin();
    try {
        // Counted first so the run row is written once, complete.
        std::map<std::tuple<int, int, int>, int> pairs;
        for (const auto& c : run.result->candidates) pairs.emplace(std::tuple{c.remains, c.family, c.missingPerson}, 0);
        for (const auto& c : run.result->byMissingPerson) pairs.emplace(std::tuple{c.remains, c.family, c.missingPerson}, 0);
        const auto inserted =
            connection_
                ->prepare("INSERT INTO runs (started_at, finished_at, kinmatch_version, command_line, remains_count, "
                          "family_count, candidate_count) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                ->query({run.info.startedAt, run.info.finishedAt, run.info.kinmatchVersion, run.info.commandLine,
                         static_cast<std::int64_t>(prepared.remains.size()),
                         static_cast<std::int64_t>(prepared.families.size()), static_cast<std::int64_t>(pairs.size())});
        if (inserted.size() != 1) throw Error(name_ + ": inserting the run returned no id");
        const std::int64_t id = asInt(inserted[0][0]);

        BatchInsert parameter(*connection_, "run_parameters", {"run_id", "ordinal", "name", "value"});
        for (std::size_t i = 0; i < run.info.parameters.size(); ++i)
            parameter.add({id, static_cast<std::int64_t>(i), run.info.parameters[i].first, run.info.parameters[i].second});
        parameter.finish();
        BatchInsert input(*connection_, "run_inputs", {"run_id", "role", "path", "sha256"});
        for (const auto& f : run.info.inputs) input.add({id, f.role, f.path, f.sha256});
        input.finish();
        BatchInsert warning(*connection_, "warnings", {"run_id", "ordinal", "message"});
        for (std::size_t i = 0; i < run.info.warnings.size(); ++i)
            warning.add({id, static_cast<std::int64_t>(i), run.info.warnings[i]});
        warning.finish();

        BatchInsert sample(*connection_, "samples", {"run_id", "name", "kind", "typed_markers", "genotypes"});
        for (const auto* set : {&prepared.references, &prepared.remains})
            for (const auto& s : *set) {
                int typed = 0;
                std::string genotypes = genotypeText(prepared, s, typed);
                sample.add({id, s.name, std::string(set == &prepared.references ? "reference" : "remains"),
                            std::int64_t{typed}, std::move(genotypes)});
            }
        sample.finish();
        BatchInsert family(*connection_, "families", {"run_id", "name", "ordinal", "person_count", "missing_count"});
        BatchInsert person(*connection_, "persons",
                           {"run_id", "family", "ordinal", "id", "father", "mother", "sex", "sample", "missing"});
        for (std::size_t f = 0; f < prepared.families.size(); ++f) {
            const auto& fam = prepared.families[f];
            family.add({id, fam.name, static_cast<std::int64_t>(f), static_cast<std::int64_t>(fam.persons.size()),
                        static_cast<std::int64_t>(fam.missingPersons.size())});
        }
        family.finish();  // before the persons that refer to them
        for (const auto& fam : prepared.families)
            for (std::size_t p = 0; p < fam.persons.size(); ++p) {
                const auto& who = fam.persons[p];
                const auto idOf = [&](int index) {
                    return index < 0 ? Value() : Value(fam.persons[static_cast<std::size_t>(index)].id);
                };
                person.add({id, fam.name, static_cast<std::int64_t>(p), who.id, idOf(who.father), idOf(who.mother),
                            std::string(sexName(who.sex)),
                            who.reference < 0 ? Value() : Value(prepared.references[static_cast<std::size_t>(who.reference)].name),
                            std::int64_t{who.missing ? 1 : 0}});
            }
        person.finish();
        std::int64_t count = 0;
        storeCandidates(id, run, count);
        connection_->flush();
        connection_->executeScript("COMMIT");
        return id;
    } catch (...) {
        rollback();
        throw;
    }
}

void SqlCaseDatabase::storeCandidates(std::int64_t id, const RunToStore& run, std::int64_t& count) {
    const auto& prepared = *run.prepared;
    const auto& result = *run.result;
    // One row per pair: a pair in both lists carries both ranks.
    std::map<std::tuple<int, int, int>, std::size_t> byPair;
    std::vector<StoredCandidate> rows;
    const auto add = [&](const engine::Candidate& c, const engine::Assessment& a,
                         const engine::lineage::PairLineage* lineage) -> StoredCandidate& {
        const auto key = std::tuple{c.remains, c.family, c.missingPerson};
        if (const auto found = byPair.find(key); found != byPair.end()) return rows[found->second];
        byPair.emplace(key, rows.size());
        StoredCandidate& row = rows.emplace_back();
        const auto& fam = prepared.families[static_cast<std::size_t>(c.family)];
        row.remains = prepared.remains[static_cast<std::size_t>(c.remains)].name;
        row.family = fam.name;
        row.missing = fam.persons[static_cast<std::size_t>(c.missingPerson)].id;
        if (!run.lineage || run.lineage->autosomal) {
            // Without lineage evidence the combined value is the autosomal one.
            engine::Candidate autosomal = c;
            if (!run.lineage) autosomal.autosomalLog10Lr = c.log10Lr;
            row.autosomal.outcome = autosomalOutcome(autosomal);
            row.autosomal.log10Lr = autosomal.autosomalLog10Lr;
        }
        if (lineage && lineage->mtdna) row.mtdna = {std::string(lineage->mtdna->outcome), lineage->mtdna->log10Lr};
        if (lineage && lineage->ystr) row.ystr = {std::string(lineage->ystr->outcome), lineage->ystr->log10Lr};
        row.log10Lr = c.log10Lr;  // combined over the systems
        row.loci = c.loci;
        row.inconsistentLoci = c.inconsistentLoci;
        row.posterior = a.posterior;
        row.decision = engine::decisionName(a.decision);
        return row;
    };
    const auto lineageOf = [&](const std::vector<engine::lineage::PairLineage>* rows,
                               std::size_t i) -> const engine::lineage::PairLineage* {
        if (!run.lineage) return nullptr;
        return &rows->at(i);
    };
    const auto* lineageRows = run.lineage ? &run.lineage->candidates : nullptr;
    const auto* lineageByMissing = run.lineage ? &run.lineage->byMissingPerson : nullptr;
    for (std::size_t i = 0; i < result.candidates.size(); ++i)
        add(result.candidates[i], run.assessments->at(i), lineageOf(lineageRows, i)).rank = result.candidates[i].rank;
    for (std::size_t i = 0; i < result.byMissingPerson.size(); ++i) {
        if (!run.byMissingAssessments) throw std::logic_error("storeRun: per-missing-person rows without assessments");
        add(result.byMissingPerson[i], run.byMissingAssessments->at(i), lineageOf(lineageByMissing, i)).missingRank =
            result.byMissingPerson[i].rank;
    }

    const auto [pauseAfter, pauseFile] = pauseHook();
    BatchInsert insert(*connection_, "candidates",
                       {"run_id", "remains", "family", "missing", "autosomal_outcome", "autosomal_log10_lr",
                        "mtdna_outcome", "mtdna_log10_lr", "ystr_outcome", "ystr_log10_lr", "log10_lr", "rank",
                        "missing_rank", "loci", "inconsistent_loci", "posterior", "decision"});
    for (const auto& r : rows) {
        insert.add({id, r.remains, r.family, r.missing, orNull(r.autosomal.outcome), orNull(r.autosomal.log10Lr),
                    orNull(r.mtdna.outcome), orNull(r.mtdna.log10Lr), orNull(r.ystr.outcome), orNull(r.ystr.log10Lr),
                    r.log10Lr, orNull(r.rank), orNull(r.missingRank), std::int64_t{r.loci},
                    std::int64_t{r.inconsistentLoci}, r.posterior, r.decision});
        if (++count == static_cast<std::int64_t>(pauseAfter) && !pauseFile.empty()) {
            insert.finish();
            connection_->flush();  // the rows are in the database's hands, uncommitted
            std::ofstream(pauseFile) << ::getpid() << '\n';
            std::this_thread::sleep_for(std::chrono::seconds(60));
        }
    }
    insert.finish();
}

std::vector<RunInfo> SqlCaseDatabase::listRuns() {
    std::vector<RunInfo> runs;
    for (const auto& row : connection_
                               ->prepare("SELECT id, started_at, finished_at, kinmatch_version, command_line, "
                                         "remains_count, family_count, candidate_count FROM runs ORDER BY id")
                               ->query({})) {
        RunInfo info;
        info.id = asInt(row[0]);
        info.startedAt = asText(row[1]);
        info.finishedAt = asText(row[2]);
        info.kinmatchVersion = asText(row[3]);
        info.commandLine = asText(row[4]);
        info.remainsCount = asInt(row[5]);
        info.familyCount = asInt(row[6]);
        info.candidateCount = asInt(row[7]);
        runs.push_back(std::move(info));
    }
    return runs;
}

std::optional<std::int64_t> SqlCaseDatabase::latestRun() {
    const auto rows = connection_->prepare("SELECT max(id) FROM runs")->query({});
    if (rows.empty() || rows[0][0].index() == 0) return std::nullopt;
    return asInt(rows[0][0]);
}

RunInfo SqlCaseDatabase::runInfo(std::int64_t run) {
    RunInfo info;
    bool found = false;
    for (auto& r : listRuns())
        if (r.id == run) {
            info = std::move(r);
            found = true;
        }
    if (!found) throw Error(name_ + ": there is no run " + std::to_string(run) + " (`kinmatch db runs` lists them)");
    for (const auto& row :
         connection_->prepare("SELECT name, value FROM run_parameters WHERE run_id = ? ORDER BY ordinal")->query({run}))
        info.parameters.emplace_back(asText(row[0]), asText(row[1]));
    for (const auto& row :
         connection_->prepare("SELECT role, path, sha256 FROM run_inputs WHERE run_id = ?")->query({run}))
        info.inputs.push_back({asText(row[0]), asText(row[1]), asText(row[2])});
    // Roles in the order of the command line, whatever order the database returns.
    const std::vector<std::string> order = {"frequencies", "pedigrees", "references", "remains"};
    std::sort(info.inputs.begin(), info.inputs.end(), [&](const RunInput& a, const RunInput& b) {
        return std::find(order.begin(), order.end(), a.role) < std::find(order.begin(), order.end(), b.role);
    });
    for (const auto& row :
         connection_->prepare("SELECT message FROM warnings WHERE run_id = ? ORDER BY ordinal")->query({run}))
        info.warnings.push_back(asText(row[0]));
    return info;
}

std::vector<StoredCandidate> SqlCaseDatabase::candidates(std::int64_t run, const CandidateFilter& filter) {
    std::string text =
        "SELECT remains, family, missing, autosomal_outcome, autosomal_log10_lr, mtdna_outcome, mtdna_log10_lr, "
        "ystr_outcome, ystr_log10_lr, log10_lr, rank, missing_rank, loci, inconsistent_loci, posterior, decision "
        "FROM candidates WHERE run_id = ?";
    std::vector<Value> parameters = {run};
    if (filter.remains) {
        text += " AND remains = ?";
        parameters.push_back(*filter.remains);
    }
    if (filter.family) {
        text += " AND family = ?";
        parameters.push_back(*filter.family);
    }
    std::vector<StoredCandidate> rows;
    for (const auto& row : connection_->prepare(text)->query(parameters)) {
        StoredCandidate c;
        c.remains = asText(row[0]);
        c.family = asText(row[1]);
        c.missing = asText(row[2]);
        c.autosomal = {asOptionalText(row[3]), asOptionalDouble(row[4])};
        c.mtdna = {asOptionalText(row[5]), asOptionalDouble(row[6])};
        c.ystr = {asOptionalText(row[7]), asOptionalDouble(row[8])};
        c.log10Lr = asDouble(row[9]);
        c.rank = asOptionalInt(row[10]);
        c.missingRank = asOptionalInt(row[11]);
        c.loci = static_cast<int>(asInt(row[12]));
        c.inconsistentLoci = static_cast<int>(asInt(row[13]));
        c.posterior = asDouble(row[14]);
        c.decision = asText(row[15]);
        rows.push_back(std::move(c));
    }
    // Sorted here, bytewise like the engine, not by ORDER BY: PostgreSQL would use the
    // database's collation, which need not be bytewise.
    std::sort(rows.begin(), rows.end(), [](const StoredCandidate& a, const StoredCandidate& b) {
        if (a.rank.has_value() != b.rank.has_value()) return a.rank.has_value();
        if (a.rank)
            return std::tie(a.remains, *a.rank, a.family, a.missing) < std::tie(b.remains, *b.rank, b.family, b.missing);
        return std::tie(a.family, a.missing, a.missingRank, a.remains) < std::tie(b.family, b.missing, b.missingRank, b.remains);
    });
    return rows;
}

std::vector<StoredPerson> SqlCaseDatabase::persons(std::int64_t run, const std::string& family) {
    std::string text = "SELECT family, id, father, mother, sex, sample, missing, ordinal FROM persons WHERE run_id = ?";
    std::vector<Value> parameters = {run};
    if (!family.empty()) {
        text += " AND family = ?";
        parameters.push_back(family);
    }
    std::vector<std::pair<std::int64_t, StoredPerson>> found;
    for (const auto& row : connection_->prepare(text)->query(parameters))
        found.push_back({asInt(row[7]),
                         {asText(row[0]), asText(row[1]), asText(row[2]), asText(row[3]), asText(row[4]),
                          asText(row[5]), asInt(row[6]) != 0}});
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return std::tie(a.second.family, a.first) < std::tie(b.second.family, b.first);
    });
    std::vector<StoredPerson> people;
    for (auto& [ordinal, p] : found) people.push_back(std::move(p));
    return people;
}

std::vector<StoredSample> SqlCaseDatabase::samples(std::int64_t run, const std::string& name) {
    std::string text = "SELECT name, kind, typed_markers, genotypes FROM samples WHERE run_id = ?";
    std::vector<Value> parameters = {run};
    if (!name.empty()) {
        text += " AND name = ?";
        parameters.push_back(name);
    }
    std::vector<StoredSample> found;
    for (const auto& row : connection_->prepare(text)->query(parameters))
        found.push_back({asText(row[0]), asText(row[1]), static_cast<int>(asInt(row[2])), asText(row[3])});
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return std::tie(a.kind, a.name) < std::tie(b.kind, b.name); });
    return found;
}

}  // namespace

std::string redactedDatabaseUrl(const std::string& url) { return withoutPassword(url); }

std::unique_ptr<CaseDatabase> openCaseDatabase(const std::string& url, OpenMode mode) {
    std::unique_ptr<sql::Connection> connection;
    const bool create = mode == OpenMode::kCreate;
    if (url.rfind("sqlite:", 0) == 0) {
        const std::string path = url.substr(7);
        if (path.empty()) throw UsageError("--db: \"sqlite:\" needs a file name, e.g. sqlite:cases.sqlite");
        connection = openSqliteConnection(path, create);
    } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        connection = openPostgresConnection(url);
    } else {
        throw UsageError("--db: \"" + withoutPassword(url) +
                         "\" is not a database URL (expected sqlite:PATH or postgresql://...)");
    }
    auto database = std::make_unique<SqlCaseDatabase>(std::move(connection), url);
    if (create)
        database->initialise();
    else
        database->checkSchema();
    return database;
}

}  // namespace kinmatch::formats
