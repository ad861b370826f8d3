// SPDX-License-Identifier: MIT
// `kinmatch report --db` through the real binary: the sample job stored in a case database,
// its report compared with the report of the same run's results TSV (candidates, posteriors,
// decisions, per-marker LRs) and with the TSV itself; the run's record on the index page;
// choosing a run; refusing changed inputs, bad runs and bad databases without leaving a
// directory behind; warnings for stored rows that disagree with the inputs; lineage parts.
// The PostgreSQL variant runs when KINMATCH_TEST_POSTGRES_URL is set (scripts/test-postgres).

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "formats/CaseDatabase.hpp"
#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;
namespace fs = std::filesystem;

namespace {

using Strings = std::vector<std::string>;
using Attributes = std::map<std::string, std::string>;

const fs::path kSample = testDataDir() / ".." / ".." / "sample-data";
const Strings kModel = {"--mutation-model", "equal", "--mutation-rate", "0.002"};

Strings inputsIn(const fs::path& folder) {
    return {"-f", (folder / "frequencies.csv").string(), "-p", (folder / "pedigrees.tsv").string(),
            "-r", (folder / "references.csv").string(),  "-u", (folder / "remains.csv").string()};
}

// Each candidate section's marker rows (marker, log10 LR as written, or "" where untyped).
std::vector<std::vector<std::pair<std::string, std::string>>> markerRows(const std::string& page) {
    std::vector<std::vector<std::pair<std::string, std::string>>> sections;
    const std::string marker = "<section class=\"candidate\"";
    for (std::size_t at = page.find(marker); at != std::string::npos;) {
        const std::size_t next = page.find(marker, at + 1);
        auto& rows = sections.emplace_back();
        for (const auto& row :
             elements(page.substr(at, next == std::string::npos ? std::string::npos : next - at), "marker-row"))
            rows.emplace_back(row.at("data-marker"), row.count("data-log10-lr") ? row.at("data-log10-lr") : "");
        at = next;
    }
    return sections;
}

std::int64_t latestRun(const std::string& url) {
    return kinmatch::formats::openCaseDatabase(url, kinmatch::formats::OpenMode::kMustExist)->latestRun().value_or(0);
}

void sqliteExecute(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int status = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string reason = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    INFO(reason);
    REQUIRE(status == SQLITE_OK);
}

// Names in `dir` a failed report may have left: the directory or its temporary siblings.
Strings leftovers(const fs::path& dir, const std::string& report) {
    Strings names;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name == report || name.rfind("." + report + ".", 0) == 0) names.push_back(name);
    }
    return names;
}

// The sample job into `url`, then both reports of it; every page of the database's report
// shows what the TSV's report shows and what the TSV says.
void checkSampleReport(const std::string& url) {
    TempDir dir;
    succeed(Strings{"match"} + inputsIn(kSample) + kModel +
            Strings{"-q", "--db", url, "-o", (dir / "results.tsv").string()});
    const std::int64_t run = latestRun(url);
    REQUIRE(run > 0);
    succeed(Strings{"report", "-q", "--results", (dir / "results.tsv").string()} + inputsIn(kSample) + kModel +
            Strings{"-o", (dir / "from-tsv").string()});
    const RunOutput report =
        succeed({"report", "--db", url, "--run", std::to_string(run), "-o", (dir / "from-db").string()});
    CHECK_THAT(report.err, !Contains("warning"));  // the run's own warning is the run's, not the report's
    CHECK_THAT(report.err, Contains("60 remains, 600 candidates"));

    std::map<std::string, std::vector<std::map<std::string, std::string>>> expected;
    for (const auto& row : namedRows(readFile(dir / "results.tsv"))) expected[row.at("remains")].push_back(row);
    REQUIRE(expected.size() == 60);
    std::size_t pages = 0;
    for (const auto& e : fs::directory_iterator(dir / "from-db" / "remains")) {
        ++pages;
        const std::string remains = e.path().stem().string();
        INFO(remains);
        REQUIRE(expected.count(remains) == 1);
        const std::string page = readFile(e.path());
        const std::string tsvPage = readFile(dir / "from-tsv" / "remains" / e.path().filename());
        const auto shown = elements(page, "candidate-row");
        const auto tsvShown = elements(tsvPage, "candidate-row");
        const auto& rows = expected.at(remains);
        REQUIRE(shown.size() == rows.size());
        REQUIRE(tsvShown.size() == rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) {
            for (const char* attribute :
                 {"data-family", "data-missing", "data-rank", "data-log10-lr", "data-posterior", "data-decision"})
                CHECK(shown[k].at(attribute) == tsvShown[k].at(attribute));
            CHECK(shown[k].at("data-family") == rows[k].at("family"));
            CHECK(shown[k].at("data-missing") == rows[k].at("missing"));
            CHECK(shown[k].at("data-rank") == rows[k].at("rank"));
            CHECK(shown[k].at("data-log10-lr") == rows[k].at("log10_lr"));
            CHECK(shown[k].at("data-posterior") == rows[k].at("posterior"));
            CHECK(shown[k].at("data-decision") == rows[k].at("decision"));
            // The database keeps the autosomal part apart; in an autosomal run it is the LR.
            CHECK(shown[k].at("data-autosomal-log10-lr") == rows[k].at("log10_lr"));
        }
        const auto markers = markerRows(page);
        CHECK(markers.size() == rows.size());
        CHECK(markers == markerRows(tsvPage));  // same markers, same per-marker LRs, same digits
        CHECK(page.find("differs from the reported") == std::string::npos);
        CHECK(elements(page, "person missing focus").size() == rows.size());  // a pedigree drawing per candidate
    }
    CHECK(pages == 60);
    const std::string uR3 = readFile(dir / "from-db" / "remains" / "UR-0003.html");
    CHECK_THAT(uR3, Contains("decision: <strong>identification</strong>"));
    CHECK_THAT(uR3, Contains("<th>posterior</th>"));
    CHECK_THAT(uR3, !Contains("class=\"systems\""));  // no lineage system in this run

    // The index carries the run's record: inputs with their SHA-256, parameters, command,
    // version and the run's warning.
    const std::string index = readFile(dir / "from-db" / "index.html");
    for (const char* file : {"frequencies.csv", "pedigrees.tsv", "references.csv", "remains.csv"})
        CHECK_THAT(index, Contains(sha256sum(kSample / file)));
    CHECK_THAT(index, Contains("<tr><th>run</th><td>" + std::to_string(run) + ", started "));
    CHECK_THAT(index, Contains("<tr><th>mutation-model</th><td>equal</td></tr>"));
    CHECK_THAT(index, Contains("<tr><th>mutation-rate-female</th><td>0.002</td></tr>"));
    CHECK_THAT(index, Contains("<tr><th>prior</th><td>0.0454545454545455</td></tr>"));
    CHECK_THAT(index, Contains("<tr><th>command</th><td><code>kinmatch match -f"));
    CHECK_THAT(index, Contains("<tr><th>results made by</th><td>kinmatch "));
    CHECK_THAT(index, Contains("Warnings of the run"));
    CHECK_THAT(index, Contains("marker D21S11: allele 36.2"));
    CHECK_THAT(index, !Contains("Warnings of the report"));
    // The LR plot counts the same pairs as the TSV's report.
    CHECK(elements(index, "bin") == elements(readFile(dir / "from-tsv" / "index.html"), "bin"));
}

}  // namespace

TEST_CASE("The report of a run read from SQLite shows the run's results TSV, page for page", "[report][cli][db]") {
    TempDir dir;
    checkSampleReport("sqlite:" + (dir / "cases.sqlite").string());
}

TEST_CASE("The report of a run read from PostgreSQL shows the run's results TSV, page for page",
          "[report][cli][db][postgres]") {
    if (const auto url = postgresUrl()) checkSampleReport(*url);
}

TEST_CASE("report --db reports the latest run unless --run names another", "[report][cli][db]") {
    TempDir dir;
    const std::string url = "sqlite:" + (dir / "cases.sqlite").string();
    succeed(Strings{"match"} + inputsIn(kSample) + kModel + Strings{"-q", "--db", url, "-o", (dir / "1.tsv").string()});
    // The second run's model has every recorded parameter away from its default, and UR-0042's
    // rare allele takes 5/(2N): a parameter read back wrongly makes per-marker values disagree.
    const Strings model2 = {"--mutation-model", "stepwise", "--mutation-rate-female", "0.001", "--mutation-rate-male",
                            "0.004", "--mutation-rate2", "0.0005", "--mutation-range", "0.3", "--database-size", "300"};
    succeed(Strings{"match"} + inputsIn(kSample) + model2 +
            Strings{"-q", "--top", "3", "--db", url, "-o", (dir / "2.tsv").string()});
    const RunOutput latest = succeed({"report", "-q", "--db", url, "-o", (dir / "latest").string()});
    CHECK_THAT(latest.err, !Contains("warning"));
    succeed({"report", "-q", "--db", url, "--run", "1", "-o", (dir / "first").string()});
    succeed(Strings{"report", "-q", "--results", (dir / "2.tsv").string()} + inputsIn(kSample) + model2 +
            Strings{"-o", (dir / "from-tsv").string()});
    const std::string rare = readFile(dir / "latest" / "remains" / "UR-0042.html");
    CHECK(markerRows(rare) == markerRows(readFile(dir / "from-tsv" / "remains" / "UR-0042.html")));
    const auto firstRun = markerRows(readFile(dir / "first" / "remains" / "UR-0042.html"));
    REQUIRE(!firstRun.empty());
    REQUIRE(!markerRows(rare).empty());
    CHECK(markerRows(rare)[0] != firstRun[0]);  // the model differs, and so do the values
    CHECK(elements(readFile(dir / "latest" / "remains" / "UR-0003.html"), "candidate-row").size() == 3);
    CHECK(elements(readFile(dir / "first" / "remains" / "UR-0003.html"), "candidate-row").size() == 10);
    CHECK_THAT(readFile(dir / "latest" / "index.html"), Contains("<tr><th>top</th><td>3</td></tr>"));
    CHECK_THAT(readFile(dir / "first" / "index.html"), Contains("<tr><th>run</th><td>1, started "));
}

TEST_CASE("report --db refuses missing databases, empty ones, unknown runs and bad options, leaving nothing",
          "[report][cli][db]") {
    TempDir dir;
    const std::string url = "sqlite:" + (dir / "cases.sqlite").string();
    const auto report = [&](const Strings& more) {
        return runKinmatch(Strings{"report", "-q", "-o", (dir / "rep").string()} + more);
    };
    RunOutput run = report({"--db", "sqlite:" + (dir / "none.sqlite").string()});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("none.sqlite") && Contains("no such database file"));
    CHECK_FALSE(fs::exists(dir / "none.sqlite"));

    succeed({"db", "init", "--db", url});
    run = report({"--db", url});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains(url + ": the database holds no run yet"));

    succeed(Strings{"match"} + inputsIn(kSample) + kModel + Strings{"-q", "--db", url, "-o", (dir / "r.tsv").string()});
    run = report({"--db", url, "--run", "7"});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains(url + ": there is no run 7"));

    struct Bad {
        Strings args;
        std::string message;
    };
    for (const auto& bad :
         std::vector<Bad>{{{"--db", url, "--run", "0"}, "--run: 0 must be at least 1"},
                          {{"--db", url, "--results", (dir / "r.tsv").string()}, "exclude each other"},
                          {{"--db", url, "--mutation-model", "none"}, "--mutation-model does not apply with --db"},
                          {{"--db", url, "--rare-allele-freq", "0.01"}, "--rare-allele-freq does not apply with --db"},
                          {Strings{"--run", "1", "--results", (dir / "r.tsv").string()} + inputsIn(kSample),
                           "--run applies to --db only"},
                          {{"--db", "mysql://lab/cases"}, "not a database URL"}}) {
        INFO(bad.message);
        run = report(bad.args);
        CHECK(run.exitCode == 2);
        CHECK_THAT(run.err, Contains(bad.message));
    }
    run = runKinmatch({"report", "--db", url});
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--output is required"));
    CHECK(leftovers(dir.path(), "rep").empty());

    // An occupied directory is refused before any work; --force replaces a previous report.
    fs::create_directory(dir / "rep");
    writeFile(dir / "rep" / "keep.txt", "precious");
    run = report({"--db", url});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("not empty"));
    CHECK(readFile(dir / "rep" / "keep.txt") == "precious");
    fs::remove_all(dir / "rep");
    succeed({"report", "-q", "--db", url, "-o", (dir / "rep").string()});
    CHECK(report({"--db", url}).exitCode == 1);
    succeed({"report", "-q", "--db", url, "-o", (dir / "rep").string(), "--force"});

    const RunOutput help = runKinmatch({"help", "report"});
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, Contains("--db URL") && Contains("--run N"));
}

TEST_CASE("report --db re-reads the run's inputs only when their SHA-256 are the recorded ones", "[report][cli][db]") {
    TempDir dir;
    const std::string url = "sqlite:" + (dir / "cases.sqlite").string();
    fs::create_directory(dir / "in");
    for (const char* file : {"frequencies.csv", "pedigrees.tsv", "references.csv", "remains.csv"})
        fs::copy_file(kSample / file, dir / "in" / file);
    succeed(Strings{"match"} + inputsIn(dir / "in") + kModel +
            Strings{"-q", "--db", url, "-o", (dir / "r.tsv").string()});
    const std::string recordedRemains = sha256sum(dir / "in" / "remains.csv");
    const auto report = [&](const Strings& more) {
        return runKinmatch(Strings{"report", "-q", "--db", url, "-o", (dir / "rep").string()} + more);
    };

    SECTION("a changed file is refused, naming it and both checksums") {
        writeFile(dir / "in" / "remains.csv", readFile(dir / "in" / "remains.csv") + "UR-0001,TH01,6,7\n");
        const RunOutput run = report({});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains(url + ": run 1: remains file " + (dir / "in" / "remains.csv").string()) &&
                                Contains("the run recorded " + recordedRemains) &&
                                Contains(sha256sum(dir / "in" / "remains.csv")));
        CHECK(leftovers(dir.path(), "rep").empty());
    }
    SECTION("a moved file is refused, and read from where --pedigrees says it is now") {
        fs::rename(dir / "in" / "pedigrees.tsv", dir / "moved.tsv");
        RunOutput run = report({});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("pedigrees file cannot be read") && Contains("--pedigrees FILE"));
        CHECK(leftovers(dir.path(), "rep").empty());
        run = report({"-p", (dir / "moved.tsv").string()});
        INFO(run.err);
        REQUIRE(run.exitCode == 0);
        CHECK_THAT(readFile(dir / "rep" / "index.html"), Contains("(read from " + (dir / "moved.tsv").string() + ")"));
        CHECK(elements(readFile(dir / "rep" / "remains" / "UR-0003.html"), "candidate-row").size() == 10);
    }
    SECTION("a relocated file must have the recorded checksum too") {
        const RunOutput run = report({"-u", (dir / "in" / "references.csv").string()});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("(given for the recorded " + (dir / "in" / "remains.csv").string() + ")"));
        CHECK(leftovers(dir.path(), "rep").empty());
    }
}

TEST_CASE("report --db warns where the stored rows disagree with the inputs, and checks lineage runs' autosomal part",
          "[report][cli][db]") {
    TempDir dir;
    const fs::path file = dir / "cases.sqlite";
    const std::string url = "sqlite:" + file.string();
    succeed(Strings{"match"} + inputsIn(kSample) + kModel + Strings{"-q", "--db", url, "-o", (dir / "r.tsv").string()});
    const auto report = [&] {
        RunOutput run = runKinmatch({"report", "--db", url, "-q", "--force", "-o", (dir / "rep").string()});
        INFO(run.err);
        REQUIRE(run.exitCode == 0);
        return run;
    };
    const std::string pair = "remains = 'UR-0003' AND rank = 1";

    SECTION("edited genotypes and pedigrees are named") {
        sqliteExecute(file,
                      "UPDATE samples SET genotypes = 'D3S1358=15/16' WHERE name = 'UR-0003'; "
                      "UPDATE persons SET sex = 'unknown' WHERE id = 'FAM-02-MP'");
        const RunOutput run = report();
        CHECK_THAT(run.err, Contains("run 1: remains sample \"UR-0003\": the stored genotypes differ"));
        CHECK_THAT(run.err, Contains("run 1: family \"FAM-02\": the stored pedigree differs"));
        CHECK_THAT(readFile(dir / "rep" / "index.html"), Contains("Warnings of the report"));
    }
    SECTION("an edited log10 LR fails the per-marker check") {
        sqliteExecute(file,
                      "UPDATE candidates SET log10_lr = log10_lr + 1, autosomal_log10_lr = autosomal_log10_lr + 1 "
                      "WHERE " +
                          pair);
        const RunOutput run = report();
        CHECK_THAT(run.err, Contains("remains UR-0003, FAM-01/FAM-01-MP: per-marker log10 LRs sum to") &&
                                Contains("(autosomal part)"));
        CHECK_THAT(readFile(dir / "rep" / "remains" / "UR-0003.html"), Contains("differs from the reported autosomal"));
    }
    SECTION("a lineage run's combined LR is not the markers' sum; its autosomal part is") {
        // As a lineage run stores it: log10_lr = autosomal + mtDNA + Y-STR parts.
        sqliteExecute(file,
                      "UPDATE candidates SET mtdna_outcome = 'cannot_exclude', mtdna_log10_lr = 2.5, "
                      "ystr_outcome = 'compared', ystr_log10_lr = 0.25, log10_lr = autosomal_log10_lr + 2.75 "
                      "WHERE " +
                          pair);
        const RunOutput run = report();
        CHECK_THAT(run.err, !Contains("per-marker"));
        const std::string page = readFile(dir / "rep" / "remains" / "UR-0003.html");
        CHECK_THAT(page, Contains("equals the reported autosomal log10 LR"));
        CHECK_THAT(page, !Contains("differs from the reported"));
        CHECK_THAT(page, Contains("<th>autosomal log10 LR</th><th>mtDNA</th><th>Y-STR</th>"));
        CHECK_THAT(
            page,
            Contains(
                "<tr data-system=\"mtdna\"><td>mtDNA</td><td>cannot_exclude</td><td class=\"num\">2.500</td></tr>"));
        CHECK_THAT(
            page,
            Contains("<tr data-system=\"ystr\"><td>Y-STR</td><td>compared</td><td class=\"num\">0.250</td></tr>"));
        const auto rows = elements(page, "candidate-row");
        REQUIRE(rows.size() == 10);
        CHECK(rows[0].at("data-mtdna-log10-lr") == "2.5");
        CHECK(rows[0].at("data-ystr-outcome") == "compared");
        CHECK(std::stod(rows[0].at("data-log10-lr")) ==
              Approx(std::stod(rows[0].at("data-autosomal-log10-lr")) + 2.75).epsilon(1e-12));
        CHECK(rows[1].count("data-mtdna-outcome") == 0);  // NULL: not compared
    }
}
