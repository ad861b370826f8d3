// SPDX-License-Identifier: MIT
// Every folder of tests/data/conformance is one case with expected LRs from the R pedsuite
// (pedtools 2.11.0, pedmut 0.9.1, pedprobr 1.1.0, dvir 3.4.2; see its README.txt): an
// independent implementation. Cases are discovered by folder, so a new case needs no code.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "tests/support/RunKinmatch.hpp"

using namespace kinmatch::test;

namespace {

std::vector<std::filesystem::path> conformanceCases() {
    std::vector<std::filesystem::path> cases;
    for (const auto& entry : std::filesystem::directory_iterator(testDataDir() / "conformance"))
        if (entry.is_directory() && std::filesystem::exists(entry.path() / "expected.tsv")) cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    return cases;
}

}  // namespace

TEST_CASE("Every conformance case reproduces the pedsuite's log10 LRs within 1e-6", "[cli][conformance]") {
    const auto cases = conformanceCases();
    REQUIRE(cases.size() >= 57);
    for (const auto& dir : cases) {
        INFO("case " << dir.filename().string());
        TempDir tmp;
        std::vector<std::string> args{"match",        "-f", (dir / "frequencies.csv").string(),
                                      "-p",           (dir / "pedigrees.tsv").string(),
                                      "-r",           (dir / "references.csv").string(),
                                      "-u",           (dir / "remains.csv").string(),
                                      "--all",        "-q",
                                      "-o",           (tmp / "out.tsv").string()};
        for (auto& word : splitWords(readFile(dir / "args"))) args.push_back(word);
        const RunOutput run = runKinmatch(args);
        INFO(run.err);
        REQUIRE(run.exitCode == 0);
        const auto expected = readLog10Column(readFile(dir / "expected.tsv"));
        const auto actual = readLog10Column(readFile(tmp / "out.tsv"));
        CHECK(actual.size() == expected.size());
        for (const auto& [key, expectedText] : expected) {
            const auto& [remains, family, missing] = key;
            INFO("pair " << remains << " / " << family << " / " << missing);
            const auto it = actual.find(key);
            REQUIRE(it != actual.end());
            if (expectedText == "-inf") {
                CHECK(it->second == "-inf");
            } else {
                REQUIRE(it->second != "-inf");
                CHECK(std::stod(it->second) == Approx(std::stod(expectedText)).margin(1e-6).epsilon(0));
            }
        }
    }
}
