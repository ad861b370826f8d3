// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>

#include "formats/SqlConnection.hpp"

namespace kinmatch::formats {

/// Connects to PostgreSQL through libpq with a connection URI (`postgresql://...`).
/// Inserts run in libpq's pipeline mode: bound parameters, no round trip per row.
/// Throws: Error with libpq's reason (the password, if any, is not repeated).
std::unique_ptr<sql::Connection> openPostgresConnection(const std::string& uri);

}  // namespace kinmatch::formats
