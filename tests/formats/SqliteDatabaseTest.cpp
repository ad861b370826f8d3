// SPDX-License-Identifier: MIT
// The case database (formats/CaseDatabase.hpp) on SQLite, and the same round trip on
// PostgreSQL when KINMATCH_TEST_POSTGRES_URL names a server (scripts/test-postgres starts one).

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/Errors.hpp"
#include "engine/Posterior.hpp"
#include "formats/CaseDatabase.hpp"
#include "formats/Sha256.hpp"
#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch;
using namespace kinmatch::formats;
using kinmatch::test::postgresUrl;

namespace {

// One marker, one family (typed father REF-1, untyped mother, missing child), two remains.
struct SmallRun {
    engine::PreparedCase prepared;
    engine::MatchResult result;
    std::vector<engine::Assessment> assessments;
    std::vector<engine::Assessment> byMissing;
    RunToStore run;

    SmallRun() {
        prepared.markers.push_back({"D3S1358", {"10", "11", "12"}, {0.2, 0.3, 0.5}});
        prepared.references.push_back({"REF-1", {{0, 1}}});
        prepared.remains.push_back({"UR-1", {{0, 2}}});
        prepared.remains.push_back({"UR-2", {{2, 2}}});
        engine::Family family;
        family.name = "F1";
        family.persons = {{"F1-father", -1, -1, Sex::kMale, 0, false},
                          {"F1-mother", -1, -1, Sex::kFemale, -1, false},
                          {"F1-MP", 0, 1, Sex::kMale, -1, true}};
        family.missingPersons = {2};
        prepared.families.push_back(family);
        result.candidates = {candidate(0, 2.5, 1), candidate(1, -INFINITY, 1)};
        result.byMissingPerson = {candidate(0, 2.5, 1), candidate(1, -INFINITY, 2)};
        engine::DecisionThresholds thresholds;
        thresholds.identifyLog10Lr = 2.0;
        thresholds.identifyPosterior = 0.99;  // 10^2.5 / (10^2.5 + 1) = 0.99685
        assessments = engine::assessCandidates(result.candidates, 0.5, thresholds);
        byMissing = engine::assessByMissingPerson(result.byMissingPerson, result.candidates, assessments, 0.5);
        run.info.startedAt = "2024-05-01T12:00:00Z";
        run.info.finishedAt = "2024-05-01T12:00:01Z";
        run.info.kinmatchVersion = "0.1.0 (test)";
        run.info.commandLine = "kinmatch match -f 'odd \"name\".csv'";
        run.info.parameters = {{"mutation-model", "none"}, {"prior", "0.5"}};
        run.info.inputs = {{"remains", "remains.csv", std::string(64, 'b')}, {"frequencies", "f.csv", std::string(64, 'a')}};
        run.info.warnings = {"first warning", "second: with 'quotes' and ; semicolons"};
        run.prepared = &prepared;
        run.result = &result;
        run.assessments = &assessments;
        run.byMissingAssessments = &byMissing;
    }
    static engine::Candidate candidate(int remains, double log10Lr, int rank) {
        engine::Candidate c;
        c.remains = remains;
        c.family = 0;
        c.missingPerson = 2;
        c.log10Lr = log10Lr;
        c.rank = rank;
        c.loci = 1;
        c.inconsistentLoci = std::isinf(log10Lr) ? 1 : 0;
        return c;
    }
};

// Stores SmallRun twice and reads everything back; shared by the SQLite and PostgreSQL tests.
void checkRoundTrip(const std::string& url) {
    auto db = openCaseDatabase(url, OpenMode::kCreate);
    const auto before = db->listRuns().size();
    SmallRun small;
    const auto first = db->storeRun(small.run);
    const auto second = db->storeRun(small.run);  // a re-run is a new run
    CHECK(second > first);
    REQUIRE(db->listRuns().size() == before + 2);
    CHECK(db->latestRun() == second);

    const RunInfo info = db->runInfo(first);
    CHECK(info.commandLine == small.run.info.commandLine);
    CHECK(info.startedAt == "2024-05-01T12:00:00Z");
    CHECK(info.remainsCount == 2);
    CHECK(info.familyCount == 1);
    CHECK(info.candidateCount == 2);  // the two lists share their pairs
    CHECK(info.parameters == small.run.info.parameters);
    CHECK(info.warnings == small.run.info.warnings);
    REQUIRE(info.inputs.size() == 2);
    CHECK(info.inputs[0].role == "frequencies");  // command-line order, not insertion order
    CHECK(info.inputs[0].sha256 == std::string(64, 'a'));

    const auto rows = db->candidates(first, {});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].remains == "UR-1");
    CHECK(rows[0].log10Lr == 2.5);
    CHECK(rows[0].autosomal.log10Lr == 2.5);
    CHECK(rows[0].autosomal.outcome == "compared");
    CHECK_FALSE(rows[0].mtdna.outcome.has_value());  // not compared: NULL
    CHECK_FALSE(rows[0].ystr.log10Lr.has_value());
    CHECK(rows[0].rank == 1);
    CHECK(rows[0].missingRank == 1);
    // posterior 0.5 * 10^2.5 / (0.5 * 10^2.5 + 0.5) = 10^2.5 / (10^2.5 + 1)
    CHECK(rows[0].posterior == Approx(std::pow(10.0, 2.5) / (std::pow(10.0, 2.5) + 1)).epsilon(1e-15));
    CHECK(rows[0].decision == "identification");
    // −inf goes in and comes back as −inf, in the combined and the per-system column.
    CHECK(rows[1].remains == "UR-2");
    CHECK(rows[1].log10Lr == -INFINITY);
    CHECK(rows[1].autosomal.log10Lr == -INFINITY);
    CHECK(rows[1].autosomal.outcome == "exclusion");
    CHECK(rows[1].posterior == 0.0);
    CHECK(rows[1].decision == "excluded");
    CHECK(rows[1].missingRank == 2);

    CandidateFilter byRemains;
    byRemains.remains = "UR-2";
    REQUIRE(db->candidates(second, byRemains).size() == 1);
    CandidateFilter byFamily;
    byFamily.family = "F2";
    CHECK(db->candidates(second, byFamily).empty());

    const auto people = db->persons(first, "F1");
    REQUIRE(people.size() == 3);
    CHECK(people[2].id == "F1-MP");
    CHECK(people[2].father == "F1-father");
    CHECK(people[2].missing);
    CHECK(people[0].sample == "REF-1");
    CHECK(people[1].sex == "female");
    const auto samples = db->samples(first, "UR-1");
    REQUIRE(samples.size() == 1);
    CHECK(samples[0].kind == "remains");
    CHECK(samples[0].genotypes == "D3S1358=10/12");
    CHECK_THROWS_WITH(db->runInfo(second + 1000), Contains("no run"));
}

// A run whose store fails halfway (a sample name twice: a primary-key violation after the
// run row and its parameters were inserted) leaves no trace.
void checkFailedStoreLeavesNothing(const std::string& url) {
    auto db = openCaseDatabase(url, OpenMode::kCreate);
    const auto runsBefore = db->listRuns().size();
    SmallRun small;
    small.prepared.remains.push_back(small.prepared.remains[0]);
    CHECK_THROWS_AS(db->storeRun(small.run), Error);
    CHECK(db->listRuns().size() == runsBefore);
    SmallRun good;
    CHECK(db->storeRun(good.run) > 0);  // the connection is still usable
}

void execSql(const std::string& path, const std::string& text) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const int status = sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    REQUIRE(status == SQLITE_OK);
}

}  // namespace

TEST_CASE("SQLite case database: a run and a re-run round-trip, -inf included", "[formats][db]") {
    test::TempDir dir;
    checkRoundTrip("sqlite:" + (dir / "cases.sqlite").string());
}

TEST_CASE("SQLite case database: a store that fails halfway leaves no rows", "[formats][db]") {
    test::TempDir dir;
    checkFailedStoreLeavesNothing("sqlite:" + (dir / "cases.sqlite").string());
}

TEST_CASE("PostgreSQL case database: a run and a re-run round-trip, -inf included", "[formats][db][postgres]") {
    if (const auto url = postgresUrl()) checkRoundTrip(*url);
}

TEST_CASE("PostgreSQL case database: a store that fails halfway leaves no rows", "[formats][db][postgres]") {
    if (const auto url = postgresUrl()) checkFailedStoreLeavesNothing(*url);
}

TEST_CASE("Opening a case database: bad URLs, missing files and schema versions give clear errors", "[formats][db]") {
    test::TempDir dir;
    const std::string path = (dir / "cases.sqlite").string();
    SECTION("a URL of no known kind is a usage error") {
        CHECK_THROWS_AS(openCaseDatabase("mysql://x", OpenMode::kCreate), UsageError);
        CHECK_THROWS_AS(openCaseDatabase("sqlite:", OpenMode::kCreate), UsageError);
        CHECK_THROWS_AS(openCaseDatabase(path, OpenMode::kCreate), UsageError);  // no scheme
    }
    SECTION("a missing file is not created when it must exist") {
        CHECK_THROWS_WITH(openCaseDatabase("sqlite:" + path, OpenMode::kMustExist),
                          Contains("cases.sqlite") && Contains("no such database file"));
        CHECK_FALSE(std::filesystem::exists(path));
    }
    SECTION("a file that is not a database") {
        test::writeFile(path, "remains,family\nUR-1,F1\n");
        CHECK_THROWS_WITH(openCaseDatabase("sqlite:" + path, OpenMode::kMustExist), Contains("not a database"));
    }
    SECTION("an SQLite database without the schema") {
        execSql(path, "CREATE TABLE other (x INTEGER)");
        CHECK_THROWS_WITH(openCaseDatabase("sqlite:" + path, OpenMode::kMustExist),
                          Contains("not a kinmatch case database"));
    }
    SECTION("a newer schema version is refused, for reading and for writing") {
        openCaseDatabase("sqlite:" + path, OpenMode::kCreate);
        execSql(path, "UPDATE kinmatch_schema SET version = 2");
        CHECK_THROWS_WITH(openCaseDatabase("sqlite:" + path, OpenMode::kMustExist), Contains("schema version 2"));
        CHECK_THROWS_WITH(openCaseDatabase("sqlite:" + path, OpenMode::kCreate), Contains("newer than this kinmatch"));
    }
    SECTION("init twice keeps the schema and its runs") {
        auto db = openCaseDatabase("sqlite:" + path, OpenMode::kCreate);
        SmallRun small;
        db->storeRun(small.run);
        db.reset();
        CHECK(openCaseDatabase("sqlite:" + path, OpenMode::kCreate)->listRuns().size() == 1);
        CHECK(openCaseDatabase("sqlite:" + path, OpenMode::kMustExist)->latestRun() == 1);
    }
    SECTION("a password in a URL is never repeated") {
        CHECK(redactedDatabaseUrl("postgresql://kin:secret@db.lab/cases") == "postgresql://kin:***@db.lab/cases");
        CHECK(redactedDatabaseUrl("postgresql:///cases?host=/tmp") == "postgresql:///cases?host=/tmp");
    }
}

TEST_CASE("SHA-256 matches the FIPS 180-2 examples", "[formats][db]") {
    // FIPS 180-2 appendix B.1 and B.2, and the digest of the empty string.
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    test::TempDir dir;
    test::writeFile(dir / "abc.txt", "abc");
    CHECK(sha256File((dir / "abc.txt").string()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_THROWS_WITH(sha256File((dir / "none.txt").string()), Contains("none.txt"));
}
