// SPDX-License-Identifier: MIT
#include "cli/Commands.hpp"
#include "engine/Errors.hpp"

namespace kinmatch::cli {

int runSimulate(const std::vector<std::string>&, const std::string&) { throw Error("simulate: not implemented yet"); }

}  // namespace kinmatch::cli
