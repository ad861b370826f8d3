// SPDX-License-Identifier: MIT
// `kinmatch match -O jsonl`: the JSON Lines writer on hand-built results, and the CLI's
// JSONL against its own TSV.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Posterior.hpp"
#include "formats/MatchJsonlWriter.hpp"
#include "tests/support/RunKinmatch.hpp"

using namespace kinmatch;
using kinmatch::formats::MatchJsonlWriter;
using kinmatch::test::tabFields;

TEST_CASE("JSON strings escape quotes, backslashes and control characters, and keep UTF-8", "[formats][jsonl]") {
    CHECK(MatchJsonlWriter::quote("UR-1") == "\"UR-1\"");
    CHECK(MatchJsonlWriter::quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(MatchJsonlWriter::quote("tab\there\nline") == "\"tab\\there\\nline\"");
    CHECK(MatchJsonlWriter::quote(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
    CHECK(MatchJsonlWriter::quote("Ünal-Ø") == "\"Ünal-Ø\"");
}

TEST_CASE("The JSONL writer writes a header record, then one candidate per line; -inf is null", "[formats][jsonl]") {
    engine::PreparedCase prepared;
    prepared.remains = {{"UR-1", {}}, {"UR-\"2\"", {}}};
    engine::Family family;
    family.name = "F1";
    family.persons = {{"F1-MP", -1, -1, Sex::kMale, -1, true}};
    family.missingPersons = {0};
    prepared.families = {family};
    engine::MatchResult result;
    result.candidates = {{0, 0, 0, 12.5, 1, 20, 1}, {1, 0, 0, -INFINITY, 1, 20, 3}};
    const auto assessments = engine::assessCandidates(result.candidates, 0.5, {});
    const std::vector<engine::Assessment> none;
    std::ostringstream out;
    MatchJsonlWriter(prepared, result, assessments, none, {"kinmatch test", "warning: a \"quoted\" word"}).write(out);
    // posterior 0.5 * 10^12.5 / (0.5 * 10^12.5 + 0.5) = 1 / (1 + 10^-12.5) = 0.999999999999684 (15 digits)
    CHECK(out.str() ==
          "{\"record\":\"header\",\"comments\":[\"kinmatch test\",\"warning: a \\\"quoted\\\" word\"]}\n"
          "{\"record\":\"candidate\",\"remains\":\"UR-1\",\"family\":\"F1\",\"missing\":\"F1-MP\",\"log10_lr\":12.5,"
          "\"rank\":1,\"loci\":20,\"inconsistent_loci\":1,\"posterior\":0.999999999999684,\"decision\":\"identification\"}\n"
          "{\"record\":\"candidate\",\"remains\":\"UR-\\\"2\\\"\",\"family\":\"F1\",\"missing\":\"F1-MP\",\"log10_lr\":null,"
          "\"rank\":1,\"loci\":20,\"inconsistent_loci\":3,\"posterior\":0,\"decision\":\"excluded\"}\n");
}

TEST_CASE("match -O jsonl holds the rows of the TSV, value for value", "[cli][jsonl]") {
    test::TempDir dir;
    const auto sample = test::testDataDir() / ".." / ".." / "sample-data";
    std::vector<std::string> args = {"match", "-f", (sample / "frequencies.csv").string(),
                                     "-p", (sample / "pedigrees.tsv").string(),
                                     "-r", (sample / "references.csv").string(),
                                     "-u", (sample / "remains.csv").string(),
                                     "--mutation-model", "none", "--top", "5", "-q",
                                     "--top-per-family", "2", "--family-output"};
    auto tsvArgs = args;
    tsvArgs.insert(tsvArgs.end(), {(dir / "f.tsv").string(), "-o", (dir / "r.tsv").string()});
    auto jsonArgs = args;
    jsonArgs.insert(jsonArgs.end(), {(dir / "f.jsonl").string(), "-o", (dir / "r.jsonl").string(), "-O", "jsonl"});
    REQUIRE(test::runKinmatch(tsvArgs).exitCode == 0);
    REQUIRE(test::runKinmatch(jsonArgs).exitCode == 0);

    // The JSON line each TSV row must become, built from the TSV's fields.
    const auto expectedJson = [](const std::string& tsv, bool byMissingPerson) {
        std::istringstream in(test::withoutComments(tsv));
        std::string line;
        std::getline(in, line);
        std::vector<std::string> json;
        bool sawExclusion = false;
        while (std::getline(in, line)) {
            std::vector<std::string> f = tabFields(line);
            REQUIRE(f.size() == 9);
            // family missing remains -> remains family missing
            if (byMissingPerson) std::rotate(f.begin(), f.begin() + 2, f.begin() + 3);
            sawExclusion = sawExclusion || f[3] == "-inf";
            json.push_back("{\"record\":\"candidate\",\"remains\":\"" + f[0] + "\",\"family\":\"" + f[1] +
                           "\",\"missing\":\"" + f[2] + "\",\"log10_lr\":" + (f[3] == "-inf" ? "null" : f[3]) +
                           ",\"rank\":" + f[4] + ",\"loci\":" + f[5] + ",\"inconsistent_loci\":" + f[6] +
                           ",\"posterior\":" + f[7] + ",\"decision\":\"" + f[8] + "\"}");
        }
        return std::pair{json, sawExclusion};
    };
    const auto lines = [](const std::string& text) {
        std::vector<std::string> result;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) result.push_back(line);
        return result;
    };
    const auto [rows, exclusions] = expectedJson(test::readFile(dir / "r.tsv"), false);
    auto got = lines(test::readFile(dir / "r.jsonl"));
    REQUIRE(!got.empty());
    CHECK(got[0].rfind("{\"record\":\"header\",\"comments\":[\"kinmatch ", 0) == 0);
    got.erase(got.begin());
    CHECK(got == rows);
    CHECK(exclusions);  // without a mutation model some pairs are excluded: null is exercised
    const auto [familyRows, ignored] = expectedJson(test::readFile(dir / "f.tsv"), true);
    auto gotFamily = lines(test::readFile(dir / "f.jsonl"));
    REQUIRE(!gotFamily.empty());
    gotFamily.erase(gotFamily.begin());
    CHECK(gotFamily == familyRows);
}
