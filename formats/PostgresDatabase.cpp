// SPDX-License-Identifier: MIT
#include "formats/PostgresDatabase.hpp"

#include <libpq-fe.h>

#include <cmath>
#include <cstdio>

#include "engine/Errors.hpp"

namespace kinmatch::formats {

namespace {

// Statements sent between two pipeline syncs: their results (a few dozen bytes each) stay
// well inside the socket buffers, so the blocking sends cannot deadlock against unread results.
constexpr int kPipelineBatch = 1000;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// `?` placeholders become `$1`, `$2`, ...: the statements are written once for both engines
// and contain no `?` elsewhere (no string literals with one).
std::string numberedPlaceholders(const std::string& text) {
    std::string out;
    int next = 1;
    for (char c : text) {
        if (c == '?') {
            out += '$';
            out += std::to_string(next++);
        } else {
            out += c;
        }
    }
    return out;
}

// Text parameters: PostgreSQL parses them by the column's type; doubles keep 17 digits
// (exact round trip) and −inf is spelled as PostgreSQL reads it.
std::string parameterText(const sql::Value& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) return std::to_string(*n);
    if (const auto* d = std::get_if<double>(&value)) {
        if (std::isinf(*d)) return *d < 0 ? "-Infinity" : "Infinity";
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "%.17g", *d);
        return buffer;
    }
    return std::get<std::string>(value);
}

class PostgresConnection;

class PostgresStatement : public sql::Statement {
public:
    PostgresStatement(PostgresConnection& connection, std::string name) : connection_(connection), name_(std::move(name)) {}
    void execute(const std::vector<sql::Value>& parameters) override;
    std::vector<sql::Row> query(const std::vector<sql::Value>& parameters) override;

private:
    PostgresConnection& connection_;
    std::string name_;
};

class PostgresConnection : public sql::Connection {
public:
    explicit PostgresConnection(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            const std::string reason = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
            PQfinish(conn_);
            throw Error("PostgreSQL database: cannot connect: " + reason);
        }
        // Warnings such as "relation already exists, skipping" are not for the user.
        executeScript("SET client_min_messages = warning");
    }
    ~PostgresConnection() override { PQfinish(conn_); }
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

    void executeScript(const std::string& text) override {
        flush();
        check(Result(PQexec(conn_, text.c_str()), &PQclear), "");
    }

    std::unique_ptr<sql::Statement> prepare(const std::string& text) override {
        flush();
        const std::string name = "kinmatch_" + std::to_string(++statements_);
        check(Result(PQprepare(conn_, name.c_str(), numberedPlaceholders(text).c_str(), 0, nullptr), &PQclear), text);
        return std::make_unique<PostgresStatement>(*this, name);
    }

    void flush() override {
        if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return;
        sync();
        if (PQexitPipelineMode(conn_) != 1) throw Error("PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
        if (!pipelineError_.empty()) {
            std::string error = std::move(pipelineError_);
            pipelineError_.clear();
            throw Error("PostgreSQL: " + error);
        }
    }

    bool hasTable(const std::string& table) override {
        auto find = prepare("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?");
        return !find->query({table}).empty();
    }

    void send(const std::string& name, const std::vector<sql::Value>& parameters) {
        if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1)
            throw Error("PostgreSQL: cannot enter pipeline mode: " + trimmed(PQerrorMessage(conn_)));
        Parameters p(parameters);
        if (PQsendQueryPrepared(conn_, name.c_str(), p.count(), p.values(), nullptr, nullptr, 0) != 1)
            throw Error("PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
        if (++unsynced_ >= kPipelineBatch) sync();
    }

    std::vector<sql::Row> run(const std::string& name, const std::vector<sql::Value>& parameters) {
        flush();
        Parameters p(parameters);
        Result result(PQexecPrepared(conn_, name.c_str(), p.count(), p.values(), nullptr, nullptr, 0), &PQclear);
        check(result, "");
        std::vector<sql::Row> rows;
        const int columns = PQnfields(result.get());
        for (int r = 0; r < PQntuples(result.get()); ++r) {
            sql::Row row(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c)
                if (!PQgetisnull(result.get(), r, c)) row[c] = std::string(PQgetvalue(result.get(), r, c));
            rows.push_back(std::move(row));
        }
        return rows;
    }

private:
    // libpq wants arrays of C strings; NULL stays a null pointer.
    class Parameters {
    public:
        explicit Parameters(const std::vector<sql::Value>& values) {
            texts_.reserve(values.size());
            for (const auto& v : values) texts_.push_back(parameterText(v.index() == 0 ? sql::Value(std::string()) : v));
            for (std::size_t i = 0; i < values.size(); ++i)
                pointers_.push_back(values[i].index() == 0 ? nullptr : texts_[i].c_str());
        }
        int count() const { return static_cast<int>(pointers_.size()); }
        const char* const* values() const { return pointers_.data(); }

    private:
        std::vector<std::string> texts_;
        std::vector<const char*> pointers_;
    };

    // Ends a pipeline segment and reads its results; the first error is kept for flush().
    void sync() {
        if (PQpipelineSync(conn_) != 1) throw Error("PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
        unsynced_ = 0;
        for (;;) {
            PGresult* raw = PQgetResult(conn_);
            if (!raw) {
                if (PQstatus(conn_) == CONNECTION_BAD) throw Error("PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
                continue;  // the end of one statement's results
            }
            Result result(raw, &PQclear);
            const auto status = PQresultStatus(raw);
            if (status == PGRES_PIPELINE_SYNC) break;
            if (status == PGRES_FATAL_ERROR && pipelineError_.empty())
                pipelineError_ = trimmed(PQresultErrorMessage(raw));
        }
    }

    void check(const Result& result, const std::string& statement) {
        const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
        std::string message = "PostgreSQL: " + trimmed(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn_));
        if (!statement.empty()) message += " (in: " + statement + ")";
        throw Error(message);
    }

    PGconn* conn_;
    int statements_ = 0;
    int unsynced_ = 0;
    std::string pipelineError_;
};

void PostgresStatement::execute(const std::vector<sql::Value>& parameters) { connection_.send(name_, parameters); }

std::vector<sql::Row> PostgresStatement::query(const std::vector<sql::Value>& parameters) {
    return connection_.run(name_, parameters);
}

}  // namespace

std::unique_ptr<sql::Connection> openPostgresConnection(const std::string& uri) {
    return std::make_unique<PostgresConnection>(uri);
}

}  // namespace kinmatch::formats
