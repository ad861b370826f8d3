// SPDX-License-Identifier: MIT
#include "formats/SqliteDatabase.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <limits>

#include "engine/Errors.hpp"

namespace kinmatch::formats {

namespace {

class SqliteStatement : public sql::Statement {
public:
    SqliteStatement(sqlite3* db, const std::string& text, const std::string& name) : db_(db), name_(name) {
        if (sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &statement_, nullptr) != SQLITE_OK)
            throw Error(name_ + ": " + sqlite3_errmsg(db_) + " (in: " + text + ")");
    }
    ~SqliteStatement() override { sqlite3_finalize(statement_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void execute(const std::vector<sql::Value>& parameters) override {
        bind(parameters);
        const int status = sqlite3_step(statement_);
        if (status != SQLITE_DONE && status != SQLITE_ROW) fail();
        sqlite3_reset(statement_);
    }

    std::vector<sql::Row> query(const std::vector<sql::Value>& parameters) override {
        bind(parameters);
        std::vector<sql::Row> rows;
        int status;
        while ((status = sqlite3_step(statement_)) == SQLITE_ROW) {
            const int columns = sqlite3_column_count(statement_);
            sql::Row row(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                switch (sqlite3_column_type(statement_, c)) {
                    case SQLITE_INTEGER: row[c] = static_cast<std::int64_t>(sqlite3_column_int64(statement_, c)); break;
                    case SQLITE_FLOAT: row[c] = sqlite3_column_double(statement_, c); break;
                    case SQLITE_NULL: break;
                    default: {
                        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, c));
                        row[c] = std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(statement_, c)));
                    }
                }
            }
            rows.push_back(std::move(row));
        }
        if (status != SQLITE_DONE) fail();
        sqlite3_reset(statement_);
        return rows;
    }

private:
    void bind(const std::vector<sql::Value>& parameters) {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
        if (static_cast<int>(parameters.size()) != sqlite3_bind_parameter_count(statement_))
            throw std::logic_error("SQLite statement: wrong number of parameters");
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            int status = SQLITE_OK;
            if (const auto* n = std::get_if<std::int64_t>(&parameters[i]))
                status = sqlite3_bind_int64(statement_, index, *n);
            else if (const auto* d = std::get_if<double>(&parameters[i]))
                status = sqlite3_bind_double(statement_, index, *d);  // −inf is stored as is
            else if (const auto* s = std::get_if<std::string>(&parameters[i]))
                status = sqlite3_bind_text64(statement_, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            else
                status = sqlite3_bind_null(statement_, index);
            if (status != SQLITE_OK) fail();
        }
    }

    [[noreturn]] void fail() {
        const std::string message = name_ + ": " + sqlite3_errmsg(db_);
        sqlite3_reset(statement_);
        throw Error(message);
    }

    sqlite3* db_;
    std::string name_;
    sqlite3_stmt* statement_ = nullptr;
};

class SqliteConnection : public sql::Connection {
public:
    SqliteConnection(const std::string& path, bool create) : name_("sqlite:" + path) {
        if (!create && path != ":memory:" && !std::filesystem::exists(path))
            throw Error(name_ + ": no such database file (create it with `kinmatch db init --db " + name_ + "`)");
        const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
        const int status = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (status != SQLITE_OK) {
            const std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(status);
            sqlite3_close(db_);
            throw Error(name_ + ": cannot open: " + reason);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, 10000);
        try {
            // Reading the schema here turns "file is not a database" into an error at open.
            executeScript("PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_master");
        } catch (...) {
            sqlite3_close(db_);
            throw;
        }
    }
    ~SqliteConnection() override { sqlite3_close(db_); }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }

    void executeScript(const std::string& text) override {
        char* message = nullptr;
        if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
            const std::string reason = message ? message : sqlite3_errmsg(db_);
            sqlite3_free(message);
            throw Error(name_ + ": " + reason);
        }
    }

    std::unique_ptr<sql::Statement> prepare(const std::string& text) override {
        return std::make_unique<SqliteStatement>(db_, text, name_);
    }

    void flush() override {}  // every statement has finished when execute returns

    bool hasTable(const std::string& table) override {
        SqliteStatement find(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name_);
        return !find.query({table}).empty();
    }

private:
    std::string name_;
    sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<sql::Connection> openSqliteConnection(const std::string& path, bool create) {
    return std::make_unique<SqliteConnection>(path, create);
}

}  // namespace kinmatch::formats
