// SPDX-License-Identifier: MIT
#include "cli/Commands.hpp"
#include "engine/Errors.hpp"

namespace kinmatch::cli {

// Placeholder so the command table links while the command is being written.
int runReport(const std::vector<std::string>&, const std::string&) { throw Error("not implemented yet"); }

}  // namespace kinmatch::cli
