// SPDX-License-Identifier: MIT
#pragma once

// Runs the real `kinmatch` binary from tests, so the CLI contract (options, exit codes,
// output bytes) is what gets tested.

#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace kinmatch::test {

struct RunOutput {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs KINMATCH_BINARY with `args` (no shell), capturing stdout and stderr.
RunOutput runKinmatch(const std::vector<std::string>& args);

/// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& text);

/// Splits on whitespace, as a shell would for the `args` files of the conformance cases.
std::vector<std::string> splitWords(const std::string& text);

/// (remains, family, missing) -> log10_lr text, from a match TSV or an expected.tsv.
using PairKey = std::tuple<std::string, std::string, std::string>;
std::map<PairKey, std::string> readLog10Column(const std::string& tsv);

/// The tab-separated fields of one line, empty ones (trailing included) kept.
std::vector<std::string> tabFields(const std::string& line);

/// The data rows of a TSV (`#` comments skipped, CR line ends accepted) as maps from header
/// name to value. Throws std::runtime_error for a row whose field count differs from the header's.
std::vector<std::map<std::string, std::string>> namedRows(const std::string& tsv);

/// Non-comment lines of a TSV, for byte comparisons that ignore the provenance header.
std::string withoutComments(const std::string& tsv);

std::filesystem::path testDataDir();

}  // namespace kinmatch::test
