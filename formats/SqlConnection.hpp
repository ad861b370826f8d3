// SPDX-License-Identifier: MIT
#pragma once

// The few operations the case database needs from a SQL engine, so that the schema and
// every statement are written once (formats/CaseDatabase.cpp) and SQLite and PostgreSQL
// differ only here. Internal to formats/.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace kinmatch::formats::sql {

/// NULL, integer, double or text; PostgreSQL results come back as text and are converted by
/// the readers in CaseDatabase.cpp.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Row = std::vector<Value>;

enum class Dialect { kSqlite, kPostgres };

/// A prepared statement with `?` placeholders, values always bound, never spliced into SQL.
class Statement {
public:
    virtual ~Statement() = default;
    /// Runs a statement without result rows. PostgreSQL may send it in a pipeline and only
    /// report its error at the next Connection::flush().
    virtual void execute(const std::vector<Value>& parameters) = 0;
    /// Runs a statement and returns every row.
    virtual std::vector<Row> query(const std::vector<Value>& parameters) = 0;
};

class Connection {
public:
    virtual ~Connection() = default;
    virtual Dialect dialect() const = 0;
    /// Runs SQL without parameters (schema, BEGIN, COMMIT); `;`-separated statements allowed.
    virtual void executeScript(const std::string& sql) = 0;
    virtual std::unique_ptr<Statement> prepare(const std::string& sql) = 0;
    /// Waits for every statement sent so far; throws the first error.
    virtual void flush() = 0;
    /// Whether a table exists (the schema version table, before it is read).
    virtual bool hasTable(const std::string& table) = 0;
};

}  // namespace kinmatch::formats::sql
