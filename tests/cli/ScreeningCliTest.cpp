// SPDX-License-Identifier: MIT
// `kinmatch match` with screening (the default without --all): the rows it writes must be the
// exact ranking's, whatever kernel or thread count, and --top-per-family must agree with it.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;

namespace {

std::vector<std::string> sampleArgs(const std::string& output) {
    const auto dir = testDataDir() / ".." / ".." / "sample-data";
    return {"match",
            "-f", (dir / "frequencies.csv").string(),
            "-p", (dir / "pedigrees.tsv").string(),
            "-r", (dir / "references.csv").string(),
            "-u", (dir / "remains.csv").string(),
            "--mutation-model", "equal", "--mutation-rate", "0.002", "-q", "--no-version", "-o", output};
}

std::vector<std::vector<std::string>> dataRows(const std::string& tsv) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(withoutComments(tsv));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        rows.push_back(tabFields(line));
    }
    return rows;
}

}  // namespace

TEST_CASE("Top K rows equal the first K rows of --all for every remains, on every kernel, thread count and "
          "table cache size",
          "[screening][cli]") {
    TempDir dir;
    auto all = sampleArgs((dir / "all.tsv").string());
    all.push_back("--all");
    REQUIRE(runKinmatch(all).exitCode == 0);
    std::map<std::string, std::vector<std::vector<std::string>>> byRemains;
    for (const auto& row : dataRows(readFile(dir / "all.tsv"))) byRemains[row[0]].push_back(row);
    REQUIRE(byRemains.size() == 60);

    std::string expected;
    for (const auto& [remains, rows] : byRemains)
        for (std::size_t i = 0; i < 3; ++i) {
            for (std::size_t c = 0; c < rows[i].size(); ++c) expected += (c ? "\t" : "") + rows[i][c];
            expected += '\n';
        }
    // Table cache off, at its smallest (1 MiB) and at the default: the rows must not change.
    for (const char* kernel : {"portable", "auto"})
        for (const char* threads : {"1", "2"})
            for (const char* cacheMb : {"0", "1", "512"}) {
            auto args = sampleArgs((dir / "top.tsv").string());
            args.insert(args.end(), {"--top", "3", "--kernel", kernel, "-t", threads, "--table-cache-mb", cacheMb});
            const RunOutput run = runKinmatch(args);
            INFO(run.err);
            REQUIRE(run.exitCode == 0);
            const std::string body = withoutComments(readFile(dir / "top.tsv"));
            REQUIRE(body.substr(body.find('\n') + 1) == expected);
        }
}

TEST_CASE("Per-family lists (--top-per-family) hold each missing person's best remains, as --all ranks them", "[screening][cli]") {
    TempDir dir;
    auto all = sampleArgs((dir / "all.tsv").string());
    all.push_back("--all");
    REQUIRE(runKinmatch(all).exitCode == 0);
    // (family, missing) -> rows of --all, best first.
    std::map<std::pair<std::string, std::string>, std::vector<std::vector<std::string>>> byPerson;
    for (const auto& row : dataRows(readFile(dir / "all.tsv"))) byPerson[{row[1], row[2]}].push_back(row);
    for (auto& [person, rows] : byPerson)
        std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
            const double x = a[3] == "-inf" ? -1e300 : std::stod(a[3]);
            const double y = b[3] == "-inf" ? -1e300 : std::stod(b[3]);
            return x != y ? x > y : a[0] < b[0];
        });

    auto args = sampleArgs((dir / "top.tsv").string());
    args.insert(args.end(), {"--top-per-family", "2", "--family-output", (dir / "families.tsv").string()});
    const RunOutput run = runKinmatch(args);
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    const std::string text = readFile(dir / "families.tsv");
    CHECK_THAT(text, Contains("family\tmissing\tremains\tlog10_lr\trank\tloci\tinconsistent_loci\tposterior\tdecision\n"));
    const auto rows = dataRows(text);
    REQUIRE(rows.size() == 2 * byPerson.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& expected = byPerson.at({rows[i][0], rows[i][1]})[i % 2];
        INFO(rows[i][0] << " " << rows[i][1] << " " << rows[i][2]);
        CHECK(rows[i][2] == expected[0]);     // remains
        CHECK(rows[i][3] == expected[3]);     // log10_lr, same digits
        CHECK(rows[i][5] == expected[5]);     // loci
        CHECK(rows[i][4] == (i % 2 == 0 ? "1" : (rows[i][3] == rows[i - 1][3] ? "1" : "2")));
    }
}

TEST_CASE("Screening options are checked before any work", "[screening][cli]") {
    TempDir dir;
    auto base = sampleArgs((dir / "out.tsv").string());
    auto noFile = base;
    noFile.insert(noFile.end(), {"--top-per-family", "2"});
    RunOutput run = runKinmatch(noFile);
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--family-output"));

    auto badKernel = base;
    badKernel.insert(badKernel.end(), {"--kernel", "sse9"});
    run = runKinmatch(badKernel);
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--kernel"));

    auto badCache = base;
    badCache.insert(badCache.end(), {"--table-cache-mb", "-1"});
    run = runKinmatch(badCache);
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--table-cache-mb"));

    auto sameFile = base;
    sameFile.insert(sameFile.end(), {"--top-per-family", "1", "--family-output", (dir / "out.tsv").string()});
    run = runKinmatch(sameFile);
    CHECK(run.exitCode == 2);

    auto zero = base;
    zero.insert(zero.end(), {"--top-per-family", "0", "--family-output", (dir / "f.tsv").string()});
    run = runKinmatch(zero);
    CHECK(run.exitCode == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "out.tsv"));
    CHECK_FALSE(std::filesystem::exists(dir / "f.tsv"));
}

TEST_CASE("Output files get the usual permissions, not a temporary file's 0600", "[cli]") {
    TempDir dir;
    const mode_t previous = ::umask(022);
    auto args = sampleArgs((dir / "out.tsv").string());
    args.insert(args.end(), {"--top-per-family", "1", "--family-output", (dir / "families.tsv").string()});
    const RunOutput run = runKinmatch(args);
    ::umask(previous);
    REQUIRE(run.exitCode == 0);
    for (const char* name : {"out.tsv", "families.tsv"}) {
        const auto perms = std::filesystem::status(dir / name).permissions();
        CHECK((perms & std::filesystem::perms::others_read) != std::filesystem::perms::none);
        CHECK((perms & std::filesystem::perms::group_read) != std::filesystem::perms::none);
    }
    // No temporary file is left beside the outputs.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 2);
}
