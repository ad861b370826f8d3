// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>

#include "formats/SqlConnection.hpp"

namespace kinmatch::formats {

/// Opens the SQLite file `path` (":memory:" for an in-memory database) through Debian's
/// libsqlite3: foreign keys on, a 10 s busy timeout (another kinmatch may be writing), the
/// default rollback journal so an interrupted transaction is undone at the next open.
/// Throws: Error naming the file when it is missing (and `create` is false) or unreadable.
std::unique_ptr<sql::Connection> openSqliteConnection(const std::string& path, bool create);

}  // namespace kinmatch::formats
