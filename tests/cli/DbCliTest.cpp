// SPDX-License-Identifier: MIT
// `kinmatch match --db` and `kinmatch db` through the real binary: the technician's path
// (sample job into a database, list runs, look up a remains, export), killed runs, errors,
// and the posterior and decision columns. PostgreSQL variants run when
// KINMATCH_TEST_POSTGRES_URL is set (scripts/test-postgres).

#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "formats/CaseDatabase.hpp"
#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

extern char** environ;

using Catch::Matchers::Contains;
using namespace kinmatch::test;

namespace {

const std::filesystem::path kSample = testDataDir() / ".." / ".." / "sample-data";

std::vector<std::string> sampleMatch(const std::vector<std::string>& more) {
    std::vector<std::string> args = {"match",
                                     "-f", (kSample / "frequencies.csv").string(),
                                     "-p", (kSample / "pedigrees.tsv").string(),
                                     "-r", (kSample / "references.csv").string(),
                                     "-u", (kSample / "remains.csv").string(),
                                     "--mutation-model", "equal", "--mutation-rate", "0.002", "-q"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
}

std::int64_t latestRun(const std::string& url) {
    const auto db = kinmatch::formats::openCaseDatabase(url, kinmatch::formats::OpenMode::kMustExist);
    return db->latestRun().value_or(0);
}

// The technician's path, on any database URL.
void checkSampleJob(const std::string& url) {
    TempDir dir;
    succeed({"db", "init", "--db", url});
    const RunOutput run = succeed(sampleMatch({"--db", url, "-o", (dir / "results.tsv").string()}));
    const std::int64_t id = latestRun(url);
    REQUIRE(id > 0);
    const std::string results = readFile(dir / "results.tsv");

    // db runs lists it, with the job's counts.
    const auto listed = lines(succeed({"db", "runs", "--db", url}).out);
    REQUIRE(listed.size() >= 2);
    CHECK(listed[0] == "run\tstarted\tfinished\tkinmatch\tremains\tfamilies\tcandidates\tcommand");
    const auto last = tabFields(listed.back());
    REQUIRE(last.size() == 8);
    CHECK(last[0] == std::to_string(id));
    CHECK(last[4] == "60");
    CHECK(last[5] == "20");
    CHECK(last[6] == "600");  // 60 remains x top 10
    CHECK_THAT(last[7], Contains("--db"));

    // db show --remains: UR-0003 is FAM-01's child (sample-data/truth.tsv), its rows are the
    // match output's, plus missing_rank.
    const auto shown = namedRows(succeed({"db", "show", "--db", url, "--remains", "UR-0003"}).out);
    REQUIRE(shown.size() == 10);
    CHECK(shown[0].at("family") == "FAM-01");
    CHECK(shown[0].at("decision") == "identification");
    CHECK(shown[0].at("missing_rank") == ".");
    std::vector<std::map<std::string, std::string>> expected;
    for (const auto& row : namedRows(results))
        if (row.at("remains") == "UR-0003") expected.push_back(row);
    REQUIRE(expected.size() == 10);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        auto got = shown[i];
        got.erase("missing_rank");
        CHECK(got == expected[i]);
    }
    const auto family = namedRows(succeed({"db", "show", "--db", url, "--family", "FAM-01", "--run", std::to_string(id)}).out);
    REQUIRE(!family.empty());
    for (const auto& row : family) CHECK(row.at("family") == "FAM-01");

    // db export gives back the match output, rows and digits.
    succeed({"db", "export", "--db", url, "--run", std::to_string(id), "-O", "tsv", "-o", (dir / "export.tsv").string()});
    const std::string exported = readFile(dir / "export.tsv");
    CHECK(withoutComments(exported) == withoutComments(results));
    // ... with the inputs' SHA-256 as sha256sum computes it.
    for (const char* file : {"frequencies.csv", "pedigrees.tsv", "references.csv", "remains.csv"})
        CHECK_THAT(exported, Contains((kSample / file).string() + " sha256 " + sha256sum(kSample / file)));
    CHECK_THAT(exported, Contains("--prior 0.0454545454545455"));
    CHECK_THAT(exported, Contains("warning: marker D21S11: allele 36.2"));

    // A re-run is a new run; the first stays as it was.
    succeed(sampleMatch({"--db", url, "-o", (dir / "again.tsv").string()}));
    CHECK(latestRun(url) > id);
    succeed({"db", "export", "--db", url, "--run", std::to_string(id), "-o", (dir / "export2.tsv").string()});
    CHECK(readFile(dir / "export2.tsv") == exported);

    // JSONL export = match -O jsonl, line for line (the header record says where each came from).
    succeed(sampleMatch({"-O", "jsonl", "-o", (dir / "results.jsonl").string()}));
    succeed({"db", "export", "--db", url, "--run", std::to_string(id), "-O", "jsonl", "-o", (dir / "export.jsonl").string()});
    auto fromMatch = lines(readFile(dir / "results.jsonl"));
    auto fromDb = lines(readFile(dir / "export.jsonl"));
    REQUIRE(fromMatch.size() == 601);
    REQUIRE(fromDb.size() == 601);
    fromMatch.erase(fromMatch.begin());
    fromDb.erase(fromDb.begin());
    CHECK(fromMatch == fromDb);
    (void)run;
}

// Starts `kinmatch args` with the pause hook after `rows` candidate rows; returns its pid
// once it has paused inside its transaction.
pid_t startPausedRun(const std::vector<std::string>& args, int rows, const std::filesystem::path& pauseFile) {
    std::vector<std::string> argvStrings{KINMATCH_BINARY};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argvStrings) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envStrings;
    for (char** e = environ; *e; ++e) envStrings.push_back(*e);
    envStrings.push_back(std::string(kinmatch::formats::kPauseHookVariable) + "=" + std::to_string(rows) + ":" +
                         pauseFile.string());
    std::vector<char*> envp;
    for (auto& e : envStrings) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, KINMATCH_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!std::filesystem::exists(pauseFile)) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) FAIL("kinmatch ended before reaching the pause hook");
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            FAIL("kinmatch did not reach the pause hook in 120 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pid;
}

// SIGKILL while a run's rows are in the database, uncommitted: nothing of it remains, the
// earlier run is intact and the database takes the next run.
void checkKilledRun(const std::string& url, const std::filesystem::path& sqliteFile = {}) {
    TempDir dir;
    succeed({"simulate", "-f", (testDataDir() / "frequencies" / "norstr-east-asia-2023.csv").string(), "--markers", "15",
             "--families", "300", "--remains", "200", "--seed", "11", "-q", "-o", (dir / "sim").string()});
    const auto simMatch = [&](const std::string& output) {
        return std::vector<std::string>{"match", "-f", (dir / "sim" / "frequencies.csv").string(),
                                        "-p", (dir / "sim" / "pedigrees.tsv").string(),
                                        "-r", (dir / "sim" / "references.csv").string(),
                                        "-u", (dir / "sim" / "remains.csv").string(),
                                        "--mutation-model", "equal", "--mutation-rate", "0.001", "-q",
                                        "--db", url, "-o", output};
    };
    succeed(simMatch((dir / "first.tsv").string()));
    auto db = kinmatch::formats::openCaseDatabase(url, kinmatch::formats::OpenMode::kMustExist);
    const auto runsBefore = db->listRuns();
    const auto lastBefore = runsBefore.back().id;
    const auto rowsBefore = db->candidates(lastBefore, {}).size();
    REQUIRE(rowsBefore == 2000);  // 200 remains x top 10
    db.reset();

    const pid_t pid = startPausedRun(simMatch((dir / "killed.tsv").string()), 1500, dir / "paused");
    if (!sqliteFile.empty()) CHECK(std::filesystem::exists(sqliteFile.string() + "-journal"));  // mid-transaction
    REQUIRE(kill(pid, SIGKILL) == 0);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    CHECK_FALSE(std::filesystem::exists(dir / "killed.tsv"));

    db = kinmatch::formats::openCaseDatabase(url, kinmatch::formats::OpenMode::kMustExist);
    const auto runsAfter = db->listRuns();
    REQUIRE(runsAfter.size() == runsBefore.size());
    CHECK(runsAfter.back().id == lastBefore);
    CHECK(db->candidates(lastBefore, {}).size() == rowsBefore);
    CHECK(db->candidates(lastBefore + 1, {}).empty());
    db.reset();
    if (!sqliteFile.empty()) {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(sqliteFile.c_str(), &raw) == SQLITE_OK);
        std::string integrity;
        sqlite3_exec(
            raw, "PRAGMA integrity_check",
            [](void* out, int, char** values, char**) {
                *static_cast<std::string*>(out) += values[0] ? values[0] : "";
                return 0;
            },
            &integrity, nullptr);
        int orphans = -1;
        sqlite3_exec(
            raw, "SELECT count(*) FROM candidates WHERE run_id NOT IN (SELECT id FROM runs)",
            [](void* out, int, char** values, char**) {
                *static_cast<int*>(out) = std::atoi(values[0]);
                return 0;
            },
            &orphans, nullptr);
        sqlite3_close(raw);
        CHECK(integrity == "ok");
        CHECK(orphans == 0);
    }
    succeed(simMatch((dir / "after.tsv").string()));  // not locked, not corrupt
    CHECK(latestRun(url) > lastBefore);
}

}  // namespace

TEST_CASE("A technician runs the sample job into cases.sqlite, lists runs, looks up a remains, exports", "[cli][db]") {
    TempDir dir;
    checkSampleJob("sqlite:" + (dir / "cases.sqlite").string());
}

TEST_CASE("The sample job into PostgreSQL: runs, show and export as with SQLite", "[cli][db][postgres]") {
    if (const auto url = postgresUrl()) checkSampleJob(*url);
}

TEST_CASE("A run killed with SIGKILL while writing leaves no rows in SQLite", "[cli][db]") {
    TempDir dir;
    const auto file = dir / "cases.sqlite";
    checkKilledRun("sqlite:" + file.string(), file);
}

TEST_CASE("A run killed with SIGKILL while writing leaves no rows in PostgreSQL", "[cli][db][postgres]") {
    if (const auto url = postgresUrl()) checkKilledRun(*url);
}

TEST_CASE("kinmatch db: bad URLs, missing databases and bad options give clear errors", "[cli][db]") {
    TempDir dir;
    const std::string missing = "sqlite:" + (dir / "none.sqlite").string();
    RunOutput run = runKinmatch({"db", "runs", "--db", "mysql://lab/cases"});
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("not a database URL"));
    run = runKinmatch({"db", "runs", "--db", missing});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("none.sqlite") && Contains("no such database file") && Contains("db init"));
    CHECK_FALSE(std::filesystem::exists(dir / "none.sqlite"));
    run = runKinmatch({"db", "frobnicate", "--db", missing});
    CHECK(run.exitCode == 2);
    run = runKinmatch({"db", "runs"});
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--db"));

    const std::string url = "sqlite:" + (dir / "cases.sqlite").string();
    succeed({"db", "init", "--db", url});
    run = runKinmatch({"db", "show", "--db", url, "--remains", "UR-1"});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("no run"));
    succeed(sampleMatch({"--db", url, "-o", (dir / "r.tsv").string()}));
    run = runKinmatch({"db", "show", "--db", url});
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--remains"));
    run = runKinmatch({"db", "show", "--db", url, "--remains", "UR-9999"});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("UR-9999"));
    run = runKinmatch({"db", "show", "--db", url, "--remains", "UR-0003", "--run", "7"});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("no run 7"));
    run = runKinmatch({"db", "export", "--db", url, "-O", "xml"});
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--output-type"));

    // match: a bad --db fails before any output appears; a failed match stores nothing.
    run = runKinmatch(sampleMatch({"--db", "cases.sqlite", "-o", (dir / "x.tsv").string()}));
    CHECK(run.exitCode == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "x.tsv"));
    auto broken = sampleMatch({"--db", url, "-o", (dir / "x.tsv").string()});
    broken[6] = (dir / "no-such-references.csv").string();
    run = runKinmatch(broken);
    CHECK(run.exitCode == 1);
    CHECK(latestRun(url) == 1);
}

TEST_CASE("Posterior and decision columns follow prior*LR / (prior*LR + 1 - prior) and the thresholds",
          "[cli][posterior]") {
    TempDir dir;
    const auto out = (dir / "r.tsv").string();
    succeed(sampleMatch({"--all", "-o", out}));
    const auto rows = namedRows(readFile(out));
    REQUIRE(rows.size() == 60 * 22);
    std::set<std::string> truth;  // "remains family missing"
    for (const auto& line : lines(readFile(kSample / "truth.tsv"))) truth.insert(line);
    std::map<std::string, int> rankOnes;
    for (const auto& row : rows) rankOnes[row.at("remains")] += row.at("rank") == "1";
    const long double prior = 1.0L / 22.0L;  // 22 missing persons in the sample job
    int identifications = 0;
    for (const auto& row : rows) {
        INFO(row.at("remains") << " " << row.at("missing") << " log10 " << row.at("log10_lr"));
        const std::string& text = row.at("log10_lr");
        const double posterior = std::stod(row.at("posterior"));
        if (text == "-inf") {
            CHECK(posterior == 0.0);
            CHECK(row.at("decision") == "excluded");
            continue;
        }
        // Straight from the formula in long double: the sample's LRs stay within its range.
        const long double lr = std::pow(10.0L, std::stold(text));
        const long double expected = prior * lr / (prior * lr + 1.0L - prior);
        // The TSV's 15 significant digits of log10 LR carry an error up to 5e-15 |log10 LR|,
        // i.e. a relative error of ln(10) times that in LR and the posterior.
        const double tolerance = 1e-13 + 2.31 * 5e-15 * std::fabs(std::stod(text));
        CHECK(posterior == Approx(static_cast<double>(expected)).epsilon(tolerance).margin(1e-300));
        const bool identifies = lr >= 1e4L && posterior >= 0.999 && row.at("rank") == "1" && rankOnes[row.at("remains")] == 1;
        CHECK(row.at("decision") == (identifies ? "identification" : "candidate"));
        if (identifies) {
            ++identifications;
            CHECK(truth.count(row.at("remains") + "\t" + row.at("family") + "\t" + row.at("missing")) == 1);
        }
    }
    CHECK(identifications > 0);

    SECTION("--prior and --identify-lr change the decisions") {
        succeed(sampleMatch({"--prior", "0.5", "--identify-lr", "1e13", "-o", out}));
        for (const auto& row : namedRows(readFile(out)))
            if (row.at("decision") == "identification") CHECK(std::stod(row.at("log10_lr")) >= 13.0);
        CHECK_THAT(readFile(out), Contains("# decisions: prior 0.5; identification at LR >= 10000000000000 and"));
    }
    SECTION("bad decision options are usage errors") {
        for (const auto& bad : std::vector<std::vector<std::string>>{
                 {"--prior", "0"}, {"--prior", "1.5"}, {"--identify-lr", "-1"}, {"--identify-posterior", "2"}}) {
            auto args = sampleMatch(bad);
            args.insert(args.end(), {"-o", out});
            const RunOutput run = runKinmatch(args);
            CHECK(run.exitCode == 2);
            CHECK_THAT(run.err, Contains(bad[0]));
        }
    }
}

TEST_CASE("A tie at rank 1 is never an identification, even with --top 1", "[cli][posterior]") {
    TempDir dir;
    // One marker (10, 11, 12 at 0.2, 0.3, 0.5). F1 and F2: father 10/10 and his missing child;
    // F3: father 12/12. Remains 10/10: for F1 and F2 LR = P(child 10/10 | father 10/10) /
    // P(10/10) = 0.2 / 0.04 = 5 (log10 0.699), a tie; F3 excludes.
    writeFile(dir / "f.csv", "Allele,D3S1358\n10,0.2\n11,0.3\n12,0.5\n");
    std::string pedigrees = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";
    std::string references = "SampleName,Marker,Allele1,Allele2\n";
    for (const auto& [f, genotype] : std::vector<std::pair<std::string, std::string>>{{"F1", "10,10"}, {"F2", "10,10"}, {"F3", "12,12"}}) {
        pedigrees += f + "\t" + f + "-father\t0\t0\t1\tREF-" + f + "\t0\n" + f + "\t" + f + "-mother\t0\t0\t2\t.\t0\n" + f +
                     "\t" + f + "-MP\t" + f + "-father\t" + f + "-mother\t1\t.\t1\n";
        references += "REF-" + f + ",D3S1358," + genotype + "\n";
    }
    writeFile(dir / "p.tsv", pedigrees);
    writeFile(dir / "r.csv", references);
    writeFile(dir / "u.csv", "SampleName,Marker,Allele1,Allele2\nUR-1,D3S1358,10,10\n");
    const auto match = [&](std::vector<std::string> more) {
        std::vector<std::string> args = {"match", "-f", (dir / "f.csv").string(), "-p", (dir / "p.tsv").string(),
                                         "-r", (dir / "r.csv").string(), "-u", (dir / "u.csv").string(), "-q",
                                         "--identify-lr", "2", "--identify-posterior", "0.5", "-o", (dir / "o.tsv").string()};
        args.insert(args.end(), more.begin(), more.end());
        succeed(args);
        return namedRows(readFile(dir / "o.tsv"));
    };
    // prior 1/3: posterior = (5/3) / (5/3 + 2/3) = 5/7 >= 0.5 and LR 5 >= 2; only the tie blocks.
    auto rows = match({"--top", "1"});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("rank") == "1");
    CHECK(std::stod(rows[0].at("posterior")) == Approx(5.0 / 7.0).epsilon(1e-12));
    CHECK(rows[0].at("decision") == "candidate");
    rows = match({"--all"});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("decision") == "candidate");
    CHECK(rows[1].at("decision") == "candidate");
    CHECK(rows[2].at("decision") == "excluded");
    // Without F2 the same pair is an identification.
    writeFile(dir / "p.tsv", lines(pedigrees)[0] + "\n" + lines(pedigrees)[1] + "\n" + lines(pedigrees)[2] + "\n" +
                                 lines(pedigrees)[3] + "\n" + lines(pedigrees)[7] + "\n" + lines(pedigrees)[8] + "\n" +
                                 lines(pedigrees)[9] + "\n");
    rows = match({"--top", "1"});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("family") == "F1");
    // prior 1/2: posterior = 2.5 / (2.5 + 0.5) = 5/6.
    CHECK(std::stod(rows[0].at("posterior")) == Approx(5.0 / 6.0).epsilon(1e-12));
    CHECK(rows[0].at("decision") == "identification");
}
