// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kinmatch::cli {

/// A subcommand's entry point: `args` excludes the program and command names. Returns the
/// exit code; throws kinmatch::Error (exit 1) or UsageError (exit 2) for `main` to report.
using CommandFunction = int (*)(const std::vector<std::string>& args, const std::string& commandLine);

struct Command {
    const char* name;
    const char* summary;
    CommandFunction run;
    const char* category;
};

int runMatch(const std::vector<std::string>& args, const std::string& commandLine);
int runSimulate(const std::vector<std::string>& args, const std::string& commandLine);
int runValidate(const std::vector<std::string>& args, const std::string& commandLine);
/// `kinmatch mtdna compare|call`; `call` is runMtdnaCall.
int runMtdna(const std::vector<std::string>& args, const std::string& commandLine);
int runMtdnaCall(const std::vector<std::string>& args, const std::string& commandLine);
int runDb(const std::vector<std::string>& args, const std::string& commandLine);
int runReport(const std::vector<std::string>& args, const std::string& commandLine);

/// One line naming kinmatch, htslib and oneTBB versions, for --version and output headers.
std::string versionLine();

}  // namespace kinmatch::cli
