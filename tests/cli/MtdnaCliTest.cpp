// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"
#include "tests/support/SharedFixtures.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;

namespace {

using kinmatch::test::binomialCdf;

std::string dataFile(const std::string& name) {
    return (testDataDir() / "mtdna" / name).string();
}

// The lines of a text file (without their line ends).
std::vector<std::string> tsvLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// "query reference" -> the row's fields.
std::map<std::string, std::vector<std::string>> rowsByPair(const std::string& tsv) {
    std::map<std::string, std::vector<std::string>> rows;
    std::istringstream in(withoutComments(tsv));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        const std::vector<std::string> fields = tabFields(line);
        rows[fields.at(0) + " " + fields.at(1)] = fields;
    }
    return rows;
}

}  // namespace

TEST_CASE("kinmatch mtdna alone and --help list both subcommands", "[mtdna][cli]") {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"mtdna"}, {"mtdna", "--help"}, {"help", "mtdna"}}) {
        const auto run = runKinmatch(args);
        CHECK(run.exitCode == 0);
        CHECK_THAT(run.out, Contains("compare") && Contains("call"));
    }
    const auto bad = runKinmatch({"mtdna", "frobnicate"});
    CHECK(bad.exitCode == 2);
    CHECK_THAT(bad.err, Contains("unknown mtdna subcommand \"frobnicate\""));
    const auto help = runKinmatch({"mtdna", "compare", "--help"});
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, Contains("--references") && Contains("--database") && Contains("--hotspots"));
}

TEST_CASE("mtdna compare: the sample files give the outcomes and LRs derived by hand", "[mtdna][cli]") {
    const auto run = runKinmatch({"mtdna", "compare", "--query", dataFile("query.tsv"), "--references",
                                  dataFile("references.hsd"), "--database", dataFile("database.emp"), "--quiet"});
    REQUIRE(run.exitCode == 0);
    const auto rows = rowsByPair(run.out);
    // Default: only pairs that are not exclusions.
    REQUIRE(rows.size() == 4);
    // UR-0042 / REF-0007: REF-0007's 303.1C 310.1C are 309.1C 315.1C; 309.1C lies in a hotspot,
    // so 0 differences over 16024-16569 + 1-576 = 546 + 576 = 1122 positions. Database: 29
    // haplotypes cover that range (DB-004 is HVS-I only); DB-001 (with 309.1C) and DB-002
    // match: 2 of 29.
    const auto& a = rows.at("UR-0042 REF-0007");
    CHECK(a.at(2) == "0");
    CHECK(a.at(3) == "cannot_exclude");
    CHECK(a.at(4) == "1122");
    CHECK(a.at(7) == "2");
    CHECK(a.at(8) == "29");
    const double boundA = std::stod(a.at(9));
    CHECK(binomialCdf(2, 29, boundA) == Approx(0.05).epsilon(1e-9));
    CHECK(std::stod(a.at(5)) == Approx(-std::log10(boundA)).epsilon(1e-12));
    // UR-0042 / REF-0010: REF-0010 adds 16145A (rCRS G): one difference, inconclusive, log10 LR 0.
    const auto& b = rows.at("UR-0042 REF-0010");
    CHECK(b.at(2) == "1");
    CHECK(b.at(3) == "inconclusive");
    CHECK(b.at(5) == "0");
    CHECK(b.at(6) == "16145:G/A");
    // UR-0043 / REF-0008: common range 16024-16365 + 73-340 = 342 + 268 = 610 positions; 16093Y
    // matches 16093C; 16362C is the one difference.
    const auto& c = rows.at("UR-0043 REF-0008");
    CHECK(c.at(2) == "1");
    CHECK(c.at(4) == "610");
    CHECK(c.at(6) == "16362:T/C");
    // UR-0044 / REF-0009: 249del = 248d; 309.1C ignored. Database: DB-003 (249-) only: 1 of 29.
    const auto& d = rows.at("UR-0044 REF-0009");
    CHECK(d.at(3) == "cannot_exclude");
    CHECK(d.at(7) == "1");
    CHECK(binomialCdf(1, 29, std::stod(d.at(9))) == Approx(0.05).epsilon(1e-9));
}

TEST_CASE("mtdna compare --all lists every pair; output does not depend on threads or input order", "[mtdna][cli]") {
    TempDir dir;
    const auto all = runKinmatch({"mtdna", "compare", "-q", dataFile("query.tsv"), "-r", dataFile("references.hsd"),
                                  "--all", "--no-version", "-t", "1", "--quiet"});
    REQUIRE(all.exitCode == 0);
    const auto rows = rowsByPair(all.out);
    CHECK(rows.size() == 16);
    CHECK(rows.at("UR-0045 REF-0010").at(3) == "exclusion");
    CHECK(rows.at("UR-0045 REF-0010").at(5) == "-inf");
    CHECK(rows.at("UR-0042 REF-0007").at(5) == "NA");  // no database: no weight for cannot_exclude
    // The same samples in reverse order, as a .emp; two threads.
    std::string lines = readFile(dataFile("query.tsv"));
    std::istringstream in(lines);
    std::vector<std::string> rowsText;
    for (std::string l; std::getline(in, l);) rowsText.push_back(l);
    std::string reversed = rowsText.front() + "\n";
    for (std::size_t i = rowsText.size(); i-- > 1;) reversed += rowsText[i] + "\n";
    writeFile(dir / "reversed.emp", reversed);
    const auto again = runKinmatch({"mtdna", "compare", "-q", (dir / "reversed.emp").string(), "-r",
                                    dataFile("references.hsd"), "--all", "--no-version", "-t", "2", "--quiet"});
    REQUIRE(again.exitCode == 0);
    CHECK(withoutComments(again.out) == withoutComments(all.out));
    // Without --all, the listed rows are exactly the --all rows that are not exclusions.
    const auto indexed = runKinmatch(
        {"mtdna", "compare", "-q", dataFile("query.tsv"), "-r", dataFile("references.hsd"), "--no-version", "--quiet"});
    std::size_t notExcluded = 0;
    for (const auto& [pair, fields] : rows) notExcluded += fields.at(3) != "exclusion";
    CHECK(rowsByPair(indexed.out).size() == notExcluded);
}

TEST_CASE("mtdna compare options change the rules", "[mtdna][cli]") {
    const auto none = runKinmatch({"mtdna", "compare", "-q", dataFile("query.tsv"), "-r", dataFile("references.hsd"),
                                   "--hotspots", "none", "--quiet"});
    REQUIRE(none.exitCode == 0);
    // Counting length variants, REF-0007's 309.1C (which UR-0042 lacks) is a difference.
    const auto row = rowsByPair(none.out).at("UR-0042 REF-0007");
    CHECK(row.at(3) == "inconclusive");
    CHECK(row.at(6) == "309.1:./C");
    const auto lenient = runKinmatch({"mtdna", "compare", "-q", dataFile("query.tsv"), "-r", dataFile("references.hsd"),
                                      "--exclusion", "6", "--all", "--quiet"});
    REQUIRE(lenient.exitCode == 0);
    CHECK(rowsByPair(lenient.out).at("UR-0045 REF-0010").at(3) == "inconclusive");  // 5 differences
}

TEST_CASE("mtdna compare rejects bad input and options with exit codes 1 and 2, leaving no output", "[mtdna][cli]") {
    TempDir dir;
    writeFile(dir / "bad.tsv", "SampleName\tRange\tHaplotype\nS1\t16024-576\t16069T\nS2\t16024-576\t16069Q\n");
    const auto out = (dir / "out.tsv").string();
    const auto bad = runKinmatch(
        {"mtdna", "compare", "-q", (dir / "bad.tsv").string(), "-r", dataFile("references.hsd"), "-o", out});
    CHECK(bad.exitCode == 1);
    CHECK_THAT(bad.err, Contains("bad.tsv:3: field Haplotype: \"16069Q\""));
    CHECK_FALSE(std::filesystem::exists(out));
    const auto missing = runKinmatch({"mtdna", "compare", "-q", dataFile("query.tsv")});
    CHECK(missing.exitCode == 2);
    CHECK_THAT(missing.err, Contains("--references is required"));
    const auto thresholds = runKinmatch({"mtdna", "compare", "-q", dataFile("query.tsv"), "-r",
                                         dataFile("references.hsd"), "--exclusion", "1", "--inconclusive", "2"});
    CHECK(thresholds.exitCode == 2);
    const auto hotspots = runKinmatch(
        {"mtdna", "compare", "-q", dataFile("query.tsv"), "-r", dataFile("references.hsd"), "--hotspots", "300-x"});
    CHECK(hotspots.exitCode == 2);
    CHECK_THAT(hotspots.err, Contains("--hotspots"));
}

namespace {

// Query -> (cannot_exclude, inconclusive) from a pair list.
std::map<std::string, std::pair<int, int>> outcomesPerQuery(const std::string& tsv) {
    std::map<std::string, std::pair<int, int>> counts;
    for (const auto& [pair, fields] : rowsByPair(tsv)) {
        auto& c = counts[fields.at(0)];
        c.first += fields.at(3) == "cannot_exclude";
        c.second += fields.at(3) == "inconclusive";
    }
    return counts;
}

const std::filesystem::path kSample = testDataDir() / ".." / ".." / "sample-data";

}  // namespace

TEST_CASE("mtdna compare finds exactly the non-excluded pairs of simulated data with degraded remains",
          "[mtdna][cli][lineage-simulation]") {
    // Realistic ranges: a third of the remains lost mini-amplicons, so the index is looked up
    // by several fixed sub-ranges per query (MtdnaCommand's lookupRanges); the result must
    // still equal comparing every pair.
    TempDir dir;
    const auto sim = dir / "sim";
    const auto made =
        runKinmatch({"simulate", "-q", "-f", (testDataDir() / "frequencies" / "norstr-east-asia-2023.csv").string(),
                     "--markers", "1", "--families", "1500", "--remains", "400", "--seed", "3", "--mtdna",
                     "--lineage-database", "300", "-o", sim.string()});
    REQUIRE(made.exitCode == 0);
    const std::string q = (sim / "mtdna-remains.tsv").string();
    const std::string r = (sim / "mtdna-references.tsv").string();
    const std::string d = (sim / "mtdna-database.tsv").string();
    const auto all = runKinmatch({"mtdna", "compare", "-q", q, "-r", r, "-d", d, "--all", "--no-version", "--quiet"});
    const auto indexed = runKinmatch({"mtdna", "compare", "-q", q, "-r", r, "-d", d, "--no-version", "--quiet"});
    REQUIRE(all.exitCode == 0);
    REQUIRE(indexed.exitCode == 0);
    std::map<std::string, std::vector<std::string>> expected;
    std::size_t degraded = 0;
    for (const auto& [pair, fields] : rowsByPair(all.out))
        if (fields.at(3) == "cannot_exclude" || fields.at(3) == "inconclusive") expected[pair] = fields;
    for (const auto& line : tsvLines(readFile(q))) degraded += line.find("16024-16569;1-576\t") == std::string::npos;
    CHECK(degraded > 80);
    CHECK(expected.size() > 1000);
    CHECK(rowsByPair(indexed.out) == expected);

    // --counts gives the same numbers per query; --max-differences 0 keeps the cannot_exclude rows.
    const auto counts = runKinmatch({"mtdna", "compare", "-q", q, "-r", r, "--counts", "--no-version", "--quiet"});
    REQUIRE(counts.exitCode == 0);
    const auto perQuery = outcomesPerQuery(indexed.out);
    std::size_t rows = 0;
    for (const auto& row : namedRows(counts.out)) {
        ++rows;
        const auto it = perQuery.find(row.at("query"));
        const std::pair<int, int> found = it == perQuery.end() ? std::pair{0, 0} : it->second;
        CHECK(std::stoi(row.at("cannot_exclude")) == found.first);
        CHECK(std::stoi(row.at("inconclusive")) == found.second);
        CHECK(std::stoi(row.at("candidates")) >= found.first + found.second);
    }
    CHECK(rows == tsvLines(readFile(q)).size() - 1);  // every query, matched or not
    const auto exact = runKinmatch(
        {"mtdna", "compare", "-q", q, "-r", r, "-d", d, "--max-differences", "0", "--no-version", "--quiet"});
    REQUIRE(exact.exitCode == 0);
    std::map<std::string, std::vector<std::string>> cannotExclude;
    for (const auto& [pair, fields] : expected)
        if (fields.at(3) == "cannot_exclude") cannotExclude[pair] = fields;
    CHECK(rowsByPair(exact.out) == cannotExclude);
}

TEST_CASE("mtdna compare --counts and --max-differences refuse what they cannot do", "[mtdna][cli]") {
    const std::vector<std::string> base{
        "mtdna", "compare", "-q", dataFile("query.tsv"), "-r", dataFile("references.hsd")};
    auto with = [&](std::vector<std::string> more) {
        std::vector<std::string> args = base;
        args.insert(args.end(), more.begin(), more.end());
        return runKinmatch(args);
    };
    const auto tooFar = with({"--max-differences", "2"});
    CHECK(tooFar.exitCode == 2);
    CHECK_THAT(tooFar.err, Contains("--max-differences: 2 must be from 0 to 1"));
    CHECK(with({"--max-differences", "-1"}).exitCode == 2);
    const auto withAll = with({"--max-differences", "0", "--all"});
    CHECK(withAll.exitCode == 2);
    CHECK_THAT(withAll.err, Contains("--max-differences"));
    const auto weighed = with({"--counts", "-d", dataFile("database.emp")});
    CHECK(weighed.exitCode == 2);
    CHECK_THAT(weighed.err, Contains("--database"));
    const auto help = runKinmatch({"mtdna", "compare", "--help"});
    CHECK_THAT(help.out, Contains("--counts") && Contains("--max-differences"));
}

TEST_CASE("mtdna compare --counts gives queries that compare alike the same counts, as --all does",
          "[mtdna][cli]") {
    // UR-0042 again under two names, once with an extra hotspot length variant (309.1C, which
    // comparisons leave out), and its HVS-I variants over HVS-I and over the control region
    // (different ranges: each searched on its own).
    TempDir dir;
    std::string queries = readFile(dataFile("query.tsv"));
    const std::string hvs1 = "16069T 16126C";
    queries += "UR-0042-copy\t16024-16569;1-576\t16069T 16126C 16519C 73G 185A 228A 263G 295T 315.1C 462T 489C\n";
    queries += "UR-0042-hot\t16024-16569;1-576\t16069T 16126C 16519C 73G 185A 228A 263G 295T 309.1C 315.1C 462T 489C\n";
    queries += "UR-0042-hvs1\t16024-16365\t" + hvs1 + "\n";
    // The same variants over the whole control region: other counts (73G etc. now differ).
    queries += "UR-0042-cr\t16024-576\t" + hvs1 + "\n";
    writeFile(dir / "q.tsv", queries);
    auto counts = [&](bool all) {
        std::vector<std::string> args{"mtdna", "compare", "-q", (dir / "q.tsv").string(), "-r",
                                      dataFile("references.hsd"), "--counts", "--no-version", "--quiet"};
        if (all) args.push_back("--all");
        std::map<std::string, std::string> byQuery;
        const RunOutput run = runKinmatch(args);
        REQUIRE(run.exitCode == 0);
        for (const auto& row : namedRows(run.out)) byQuery[row.at("query")] = row.at("cannot_exclude") + "/" + row.at("inconclusive");
        return byQuery;
    };
    const auto indexed = counts(false);
    const auto all = counts(true);
    REQUIRE(indexed.size() == 8);
    CHECK(indexed == all);
    CHECK(indexed.at("UR-0042-hvs1") != indexed.at("UR-0042-cr"));
    CHECK(indexed.at("UR-0042-copy") == indexed.at("UR-0042"));
    CHECK(indexed.at("UR-0042-hot") == indexed.at("UR-0042"));
}

TEST_CASE("The sample case's mtDNA: every true remains cannot be excluded from its maternal relatives",
          "[mtdna][cli][sample]") {
    const auto run = runKinmatch({"mtdna", "compare", "-q", (kSample / "mtdna-remains.tsv").string(), "-r",
                                  (kSample / "mtdna-references.tsv").string(), "-d",
                                  (kSample / "mtdna-database.tsv").string(), "--quiet"});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    const auto pairs = rowsByPair(run.out);
    // remains -> missing person, from both answer keys; sample -> (family, id).
    std::map<std::string, std::string> truth;
    for (const char* key : {"truth.tsv", "truth-lineage.tsv"})
        for (const auto& row : namedRows(readFile(kSample / key)))
            if (row.at("missing") != ".") truth[row.at("remains")] = row.at("family");
    std::map<std::string, std::string> familyOf;
    for (const auto& row : namedRows(readFile(kSample / "pedigrees.tsv")))
        if (row.at("sample") != ".") familyOf[row.at("sample")] = row.at("family");
    std::size_t truePairs = 0;
    for (const auto& [pair, fields] : pairs) {
        const auto it = truth.find(fields.at(0));
        if (it == truth.end() || familyOf.at(fields.at(1)) != it->second) continue;
        ++truePairs;
        CHECK(fields.at(3) == "cannot_exclude");
        CHECK(std::stod(fields.at(5)) > 0.9);  // weighed against the database
    }
    // 25 maternal pairs (make-sample-lineage.py checks them) and no same-family pair excluded.
    CHECK(truePairs == 25);
    // The heteroplasmy 16093Y of REF-0031 matches her son's remains.
    CHECK(pairs.at("UR-0051 REF-0031").at(3) == "cannot_exclude");
    CHECK_THAT(readFile(kSample / "mtdna-references.tsv"), Contains("16093Y"));
}
