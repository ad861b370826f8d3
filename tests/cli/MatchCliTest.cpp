// SPDX-License-Identifier: MIT
// The contract of `kinmatch match` / `validate` as a user meets it: exit codes, messages,
// output bytes and files left on disk, tested through the real binary.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;

namespace {

// A small valid case: three markers, one family (father, mother, missing child) and one
// remains that fits the family at every marker. Tests break one thing at a time.
const std::string kFrequencies =
    "Allele,D3S1358,vWA,TH01\n"
    "10,0.2,0.2,0.2\n"
    "11,0.3,0.3,0.3\n"
    "12,0.5,0.5,0.5\n";

const std::string kReferences =
    "SampleName,Marker,Allele1,Allele2\n"
    "REF-1,D3S1358,10,11\n"
    "REF-1,vWA,10,12\n"
    "REF-1,TH01,11,12\n"
    "REF-2,D3S1358,12,12\n"
    "REF-2,vWA,11,11\n"
    "REF-2,TH01,10,10\n";

const std::string kRemains =
    "SampleName,Marker,Allele1,Allele2\n"
    "UR-1,D3S1358,10,12\n"
    "UR-1,vWA,10,11\n"
    "UR-1,TH01,10,11\n";

const std::string kPedigreeHeader = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";
const std::string kPedigrees = kPedigreeHeader +                              // line 1
                               "F1\tF1-father\t0\t0\t1\tREF-1\t0\n"           // line 2
                               "F1\tF1-mother\t0\t0\t2\tREF-2\t0\n"           // line 3
                               "F1\tF1-MP\tF1-father\tF1-mother\t1\t.\t1\n";  // line 4

const std::string kHeaderLine = "remains\tfamily\tmissing\tlog10_lr\trank\tloci\tinconsistent_loci\tposterior\tdecision";

// The four inputs of a match; one set to nullopt is not written, to test a missing file.
struct CaseFiles {
    std::optional<std::string> frequencies = kFrequencies;
    std::optional<std::string> references = kReferences;
    std::optional<std::string> remains = kRemains;
    std::optional<std::string> pedigrees = kPedigrees;
};

// Writes `files` into `dir` and returns the arguments of `kinmatch <command>` on them.
std::vector<std::string> writeCase(const TempDir& dir, const CaseFiles& files, const std::string& command = "match") {
    const auto put = [&](const std::string& name, const std::optional<std::string>& text) {
        if (text) writeFile(dir / name, *text);
        return (dir / name).string();
    };
    return {command,
            "-f",
            put("frequencies.csv", files.frequencies),
            "-p",
            put("pedigrees.tsv", files.pedigrees),
            "-r",
            put("references.csv", files.references),
            "-u",
            put("remains.csv", files.remains)};
}

std::vector<std::string> sampleDataArgs() {
    const auto dir = testDataDir() / ".." / ".." / "sample-data";
    return {"match",
            "-f",
            (dir / "frequencies.csv").string(),
            "-p",
            (dir / "pedigrees.tsv").string(),
            "-r",
            (dir / "references.csv").string(),
            "-u",
            (dir / "remains.csv").string()};
}

// Runs `args` with `-o dir/out.tsv`, requires success and returns the output file.
std::string matchOutput(const TempDir& dir, const std::vector<std::string>& args) {
    const auto out = dir / "out.tsv";
    std::filesystem::remove(out);
    const RunOutput run = runKinmatch(args + std::vector<std::string>{"-q", "-o", out.string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    return readFile(out);
}

// Output files a failed run must not leave behind: the -o target and any temporary of it.
std::vector<std::string> leftoverOutputs(const TempDir& dir) {
    std::vector<std::string> left;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        const std::string name = entry.path().filename().string();
        if (name == "out.tsv" || name.find(".tmp.") != std::string::npos) left.push_back(name);
    }
    return left;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
}

// "expected | actual" for every line where two outputs differ, to keep failure reports short.
std::vector<std::string> differingLines(const std::string& expected, const std::string& actual) {
    const auto a = lines(expected);
    const auto b = lines(actual);
    std::vector<std::string> differences;
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        const std::string x = i < a.size() ? a[i] : "(none)";
        const std::string y = i < b.size() ? b[i] : "(none)";
        if (x != y) differences.push_back(x + " | " + y);
    }
    return differences;
}

// The data rows (no comments, no header) of a match TSV, split into fields.
std::vector<std::vector<std::string>> dataRows(const std::string& tsv) {
    std::vector<std::vector<std::string>> rows;
    const auto all = lines(withoutComments(tsv));
    for (std::size_t i = 1; i < all.size(); ++i) rows.push_back(tabFields(all[i]));
    return rows;
}

// The header and, for each remains, its first `k` rows, in file order.
std::string firstRowsPerRemains(const std::string& tsv, std::size_t k) {
    const auto all = lines(withoutComments(tsv));
    std::string kept = all.at(0) + '\n';
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 1; i < all.size(); ++i)
        if (seen[tabFields(all[i]).at(0)]++ < k) kept += all[i] + '\n';
    return kept;
}

// Keeps the header line and reverses the order of the other lines.
std::string reverseRows(const std::string& text) {
    auto all = lines(text);
    std::string reversed = all.at(0) + '\n';
    for (std::size_t i = all.size(); i-- > 1;) reversed += all[i] + '\n';
    return reversed;
}

// D3S1358 alone, with alleles 10, 11, 12 at 0.2, 0.3, 0.5.
const std::string kOneMarkerFrequencies = "Allele,D3S1358\n10,0.2\n11,0.3\n12,0.5\n";

// Families F1, F2, ... of a typed father (D3S1358 genotype fathers[i], as "a,b"), an untyped
// mother and their missing child; one remains UR-1 with D3S1358 genotype `remains`.
CaseFiles fatherChildCase(const std::vector<std::string>& fathers, const std::string& remains) {
    CaseFiles files;
    files.frequencies = kOneMarkerFrequencies;
    std::string references = "SampleName,Marker,Allele1,Allele2\n";
    std::string pedigrees = kPedigreeHeader;
    for (std::size_t i = 0; i < fathers.size(); ++i) {
        const std::string f = "F" + std::to_string(i + 1);
        const std::string sample = "REF-" + std::to_string(i + 1);
        references += sample + ",D3S1358," + fathers[i] + "\n";
        pedigrees += f + "\t" + f + "-father\t0\t0\t1\t" + sample + "\t0\n";
        pedigrees += f + "\t" + f + "-mother\t0\t0\t2\t.\t0\n";
        pedigrees += f + "\t" + f + "-MP\t" + f + "-father\t" + f + "-mother\t1\t.\t1\n";
    }
    files.references = references;
    files.pedigrees = pedigrees;
    files.remains = "SampleName,Marker,Allele1,Allele2\nUR-1,D3S1358," + remains + "\n";
    return files;
}

}  // namespace

TEST_CASE("A match on broken input exits 1 naming file, line and problem, and writes no output", "[cli]") {
    TempDir dir;
    CaseFiles files;
    std::string place;    // file:line: the message must contain
    std::string keyword;  // what the message must say about the problem

    SECTION("duplicate person id") {
        *files.pedigrees += "F1\tF1-father\t0\t0\t1\t.\t0\n";
        place = "pedigrees.tsv:5:";
        keyword = "twice";
    }
    SECTION("unknown parent") {
        files.pedigrees = kPedigreeHeader +
                          "F1\tF1-father\t0\t0\t1\tREF-1\t0\n"
                          "F1\tF1-mother\t0\t0\t2\tREF-2\t0\n"
                          "F1\tF1-MP\tF1-dad\tF1-mother\t1\t.\t1\n";
        place = "pedigrees.tsv:4:";
        keyword = "F1-dad";
    }
    SECTION("parent of the wrong sex") {
        files.pedigrees = kPedigreeHeader +
                          "F1\tF1-father\t0\t0\t2\tREF-1\t0\n"
                          "F1\tF1-mother\t0\t0\t2\tREF-2\t0\n"
                          "F1\tF1-MP\tF1-father\tF1-mother\t1\t.\t1\n";
        place = "pedigrees.tsv:4:";
        keyword = "sex";
    }
    SECTION("a person their own ancestor") {
        files.pedigrees = kPedigreeHeader +
                          "F1\tF1-father\tF1-MP\tF1-mother\t1\tREF-1\t0\n"
                          "F1\tF1-mother\t0\t0\t2\tREF-2\t0\n"
                          "F1\tF1-MP\tF1-father\tF1-mother\t1\t.\t1\n";
        place = "pedigrees.tsv:2:";
        keyword = "ancestor";
    }
    SECTION("a sample name not in the references") {
        files.pedigrees = kPedigreeHeader +
                          "F1\tF1-father\t0\t0\t1\tREF-1\t0\n"
                          "F1\tF1-mother\t0\t0\t2\tREF-9\t0\n"
                          "F1\tF1-MP\tF1-father\tF1-mother\t1\t.\t1\n";
        place = "pedigrees.tsv:3:";
        keyword = "REF-9";
    }
    SECTION("a family with no missing person") {
        *files.pedigrees +=
            "F2\tF2-father\t0\t0\t1\t.\t0\n"
            "F2\tF2-mother\t0\t0\t2\t.\t0\n";
        place = "pedigrees.tsv:5:";
        keyword = "no missing person";
    }
    SECTION("a non-numeric frequency") {
        files.frequencies =
            "Allele,D3S1358,vWA,TH01\n"
            "10,0.2,0.2,0.2\n"
            "11,0.3,0.3x,0.3\n"
            "12,0.5,0.5,0.5\n";
        place = "frequencies.csv:3:";
        keyword = "not a number";
    }
    SECTION("a frequency header not starting with Allele") {
        files.frequencies =
            "Marker,D3S1358,vWA,TH01\n"
            "10,0.2,0.2,0.2\n"
            "11,0.3,0.3,0.3\n"
            "12,0.5,0.5,0.5\n";
        place = "frequencies.csv:1:";
        keyword = "Allele";
    }
    SECTION("more than two alleles at a marker in a profile") {
        files.remains =
            "SampleName,Marker,Allele1,Allele2,Allele3\n"
            "UR-1,D3S1358,10,11,12\n"
            "UR-1,vWA,10,11,\n";
        place = "remains.csv:2:";
        keyword = "3 alleles";
    }
    SECTION("a missing input file") {
        files.references.reset();
        place = (dir / "references.csv").string() + ":";
        keyword = "cannot open";
    }

    const RunOutput run =
        runKinmatch(writeCase(dir, files) + std::vector<std::string>{"-o", (dir / "out.tsv").string()});
    INFO(run.err);
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("kinmatch match: error: "));
    CHECK_THAT(run.err, Contains(place));
    CHECK_THAT(run.err, Contains(keyword));
    CHECK(run.out.empty());
    CHECK(leftoverOutputs(dir) == std::vector<std::string>{});
}

TEST_CASE("A bad option exits 2 with a message naming the option, before any output is written", "[cli]") {
    TempDir dir;
    auto args = writeCase(dir, CaseFiles{});
    std::string option;

    SECTION("unknown mutation model") {
        args = args + std::vector<std::string>{"--mutation-model", "bogus"};
        option = "--mutation-model";
    }
    SECTION("mutation rate above 1") {
        args = args + std::vector<std::string>{"--mutation-rate", "1.5"};
        option = "--mutation-rate";
    }
    SECTION("negative mutation rate") {
        args = args + std::vector<std::string>{"--mutation-rate", "-0.1"};
        option = "--mutation-rate";
    }
    SECTION("no --remains") {
        args.resize(args.size() - 2);  // drop "-u FILE"
        option = "--remains";
    }
    SECTION("--top 0") {
        args = args + std::vector<std::string>{"--top", "0"};
        option = "--top";
    }
    SECTION("negative thread count") {
        args = args + std::vector<std::string>{"--threads", "-1"};
        option = "--threads";
    }
    SECTION("unknown option") {
        args = args + std::vector<std::string>{"--frobnicate"};
        option = "--frobnicate";
    }

    const RunOutput run = runKinmatch(args + std::vector<std::string>{"-o", (dir / "out.tsv").string()});
    INFO(run.err);
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("kinmatch match: error: "));
    CHECK_THAT(run.err, Contains(option));
    CHECK(leftoverOutputs(dir) == std::vector<std::string>{});
}

TEST_CASE("Results are byte-identical with one and with two threads", "[cli]") {
    TempDir dir;
    const auto args =
        sampleDataArgs() + std::vector<std::string>{"--all", "--mutation-model", "equal", "--mutation-rate", "0.002"};
    const std::string one = withoutComments(matchOutput(dir, args + std::vector<std::string>{"--threads", "1"}));
    const std::string two = withoutComments(matchOutput(dir, args + std::vector<std::string>{"--threads", "2"}));
    REQUIRE(dataRows(one).size() > 100);
    CHECK(differingLines(one, two) == std::vector<std::string>{});
}

namespace {

// Reverses the rows of references.csv, remains.csv and pedigrees.tsv of sample-data (headers
// kept), which reorders families and also the persons within each family.
CaseFiles reversedSampleData() {
    const auto sampleDir = testDataDir() / ".." / ".." / "sample-data";
    CaseFiles files;
    files.frequencies = readFile(sampleDir / "frequencies.csv");
    files.references = reverseRows(readFile(sampleDir / "references.csv"));
    files.remains = reverseRows(readFile(sampleDir / "remains.csv"));
    files.pedigrees = reverseRows(readFile(sampleDir / "pedigrees.tsv"));
    return files;
}

const std::vector<std::string> kSampleModel{"--all", "--mutation-model", "equal", "--mutation-rate", "0.002"};

}  // namespace

// The engine puts each family's members in id order before computing, so the elimination
// order and the order of floating-point products cannot follow the file's row order.
TEST_CASE("Reversing the rows of every input file leaves the output byte-identical", "[cli]") {
    TempDir dir;
    const std::string original = withoutComments(matchOutput(dir, sampleDataArgs() + kSampleModel));
    const std::string reversed = withoutComments(matchOutput(dir, writeCase(dir, reversedSampleData()) + kSampleModel));
    REQUIRE(dataRows(original).size() > 100);
    CHECK(differingLines(original, reversed) == std::vector<std::string>{});
}

TEST_CASE("Reversing references, remains and the order of families leaves the output byte-identical", "[cli]") {
    TempDir dir;
    CaseFiles files = reversedSampleData();
    // Families in reverse order, persons of each family in file order.
    std::vector<std::string> familyOrder;
    std::map<std::string, std::string> familyRows;
    const auto pedigreeLines = lines(readFile(testDataDir() / ".." / ".." / "sample-data" / "pedigrees.tsv"));
    for (std::size_t i = 1; i < pedigreeLines.size(); ++i) {
        const std::string family = tabFields(pedigreeLines[i]).at(0);
        if (!familyRows.count(family)) familyOrder.push_back(family);
        familyRows[family] += pedigreeLines[i] + '\n';
    }
    files.pedigrees = pedigreeLines.at(0) + '\n';
    for (auto it = familyOrder.rbegin(); it != familyOrder.rend(); ++it) *files.pedigrees += familyRows[*it];

    const std::string original = withoutComments(matchOutput(dir, sampleDataArgs() + kSampleModel));
    const std::string shuffled = withoutComments(matchOutput(dir, writeCase(dir, files) + kSampleModel));
    REQUIRE(dataRows(original).size() > 100);
    CHECK(differingLines(original, shuffled) == std::vector<std::string>{});
}

TEST_CASE("Reversing every input file keeps each pair's rank and log10 LR within 1e-9", "[cli]") {
    TempDir dir;
    const auto original = dataRows(matchOutput(dir, sampleDataArgs() + kSampleModel));
    const auto reversed = dataRows(matchOutput(dir, writeCase(dir, reversedSampleData()) + kSampleModel));
    REQUIRE(original.size() == 60 * 22);
    REQUIRE(reversed.size() == original.size());
    std::vector<std::string> differences;
    for (std::size_t i = 0; i < original.size(); ++i) {
        auto a = original[i];
        auto b = reversed[i];
        const double lrA = std::stod(a.at(3));
        const double lrB = std::stod(b.at(3));
        a[3] = b[3] = "";
        if (a != b || !(lrA == lrB || std::fabs(lrA - lrB) <= 1e-9))
            differences.push_back(original[i][0] + " " + original[i][2] + ": " + original[i][3] + " vs " +
                                  reversed[i][3]);
    }
    CHECK(differences == std::vector<std::string>{});
}

TEST_CASE("Match with --top K keeps the first K rows per remains of the full output, and K is 10 by default", "[cli]") {
    TempDir dir;
    const auto args =
        sampleDataArgs() + std::vector<std::string>{"--mutation-model", "equal", "--mutation-rate", "0.002"};
    const std::string all = matchOutput(dir, args + std::vector<std::string>{"--all"});

    SECTION("--top 3") {
        const std::string top3 = withoutComments(matchOutput(dir, args + std::vector<std::string>{"--top", "3"}));
        CHECK(dataRows(top3).size() == 3 * 60);  // 60 remains, 22 missing persons
        CHECK(differingLines(firstRowsPerRemains(all, 3), top3) == std::vector<std::string>{});
    }
    SECTION("no --top") {
        const std::string top10 = withoutComments(matchOutput(dir, args));
        CHECK(dataRows(top10).size() == 10 * 60);
        CHECK(differingLines(firstRowsPerRemains(all, 10), top10) == std::vector<std::string>{});
    }
}

TEST_CASE("The match TSV has the fixed header and rows sorted by remains, then rank", "[cli]") {
    TempDir dir;
    const std::string tsv = matchOutput(
        dir,
        sampleDataArgs() + std::vector<std::string>{"--all", "--mutation-model", "equal", "--mutation-rate", "0.002"});
    const auto body = lines(withoutComments(tsv));
    REQUIRE(!body.empty());
    CHECK(body.front() == kHeaderLine);

    const auto rows = dataRows(tsv);
    REQUIRE(rows.size() == 60 * 22);
    std::vector<std::string> outOfOrder;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string where = "row " + std::to_string(i + 1) + " (" + rows[i].at(0) + " " + rows[i].at(2) + ")";
        REQUIRE(rows[i].size() == 9);
        const bool firstOfRemains = i == 0 || rows[i - 1][0] != rows[i][0];
        if (firstOfRemains) {
            if (rows[i][4] != "1") outOfOrder.push_back(where + ": first row of its remains has rank " + rows[i][4]);
            if (i > 0 && !(rows[i - 1][0] < rows[i][0])) outOfOrder.push_back(where + ": remains out of order");
        } else {
            if (std::stoi(rows[i - 1][4]) > std::stoi(rows[i][4])) outOfOrder.push_back(where + ": rank decreases");
            if (std::stod(rows[i - 1][3]) < std::stod(rows[i][3])) outOfOrder.push_back(where + ": log10_lr increases");
        }
    }
    CHECK(outOfOrder == std::vector<std::string>{});
}

TEST_CASE("A pair with an exclusion and no mutation model prints -inf", "[cli]") {
    TempDir dir;
    // Father 11/11, remains 10/12: the child shares no allele with its father.
    const std::string tsv = matchOutput(dir, writeCase(dir, fatherChildCase({"11,11"}, "10,12")) +
                                                 std::vector<std::string>{"--all", "--mutation-model", "none"});
    const auto rows = dataRows(tsv);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "UR-1");
    CHECK(rows[0][2] == "F1-MP");
    CHECK(rows[0][3] == "-inf");
    CHECK(rows[0][6] == "1");
}

TEST_CASE("Candidates with equal LRs share the lower rank", "[cli]") {
    TempDir dir;
    // F1 and F2 have the same structure and the same father genotype; F3 fits less well.
    const std::string tsv = matchOutput(dir, writeCase(dir, fatherChildCase({"10,11", "10,11", "12,12"}, "10,12")) +
                                                 std::vector<std::string>{"--all", "--mutation-model", "none"});
    std::map<std::string, std::vector<std::string>> byFamily;
    for (const auto& row : dataRows(tsv)) byFamily[row.at(1)] = row;
    REQUIRE(byFamily.size() == 3);
    CHECK(byFamily["F1"][3] == byFamily["F2"][3]);
    CHECK(byFamily["F1"][4] == "1");
    CHECK(byFamily["F2"][4] == "1");
    CHECK(byFamily["F3"][4] != "1");
}

TEST_CASE("kinmatch lists its commands, prints versions and usage, and rejects an unknown command", "[cli]") {
    SECTION("--version names htslib and oneTBB") {
        const RunOutput run = runKinmatch({"--version"});
        CHECK(run.exitCode == 0);
        CHECK_THAT(run.out, Contains("htslib"));
        CHECK_THAT(run.out, Contains("oneTBB"));
    }
    SECTION("no arguments lists the commands on stderr and exits 1") {
        const RunOutput run = runKinmatch({});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("match"));
        CHECK_THAT(run.err, Contains("validate"));
    }
    SECTION("help match prints the usage of match and exits 0") {
        const RunOutput run = runKinmatch({"help", "match"});
        CHECK(run.exitCode == 0);
        CHECK_THAT(run.out, Contains("Usage:"));
        CHECK_THAT(run.out, Contains("--mutation-model"));
    }
    SECTION("an unknown command exits 2 and names it") {
        const RunOutput run = runKinmatch({"frobnicate"});
        CHECK(run.exitCode == 2);
        CHECK_THAT(run.err, Contains("frobnicate"));
    }
}

TEST_CASE("An allele missing from the frequency table is warned about and gets --rare-allele-freq", "[cli]") {
    TempDir dir;
    // Allele 13 is not in the table; father 10/11 and remains 10/13 are consistent.
    const auto args = writeCase(dir, fatherChildCase({"10,11"}, "10,13")) +
                      std::vector<std::string>{"--all", "--mutation-model", "none"};
    const auto out = (dir / "out.tsv").string();

    const RunOutput run = runKinmatch(args + std::vector<std::string>{"-o", out});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    bool warned = false;
    for (const auto& line : lines(run.err))
        warned = warned || (line.find("warning") != std::string::npos && line.find("D3S1358") != std::string::npos &&
                            line.find("13") != std::string::npos);
    CHECK(warned);

    const PairKey pair{"UR-1", "F1", "F1-MP"};
    const std::string byDefault = readLog10Column(readFile(out)).at(pair);
    const std::string at001 =
        readLog10Column(matchOutput(dir, args + std::vector<std::string>{"--rare-allele-freq", "0.01"})).at(pair);
    const std::string at0001 =
        readLog10Column(matchOutput(dir, args + std::vector<std::string>{"--rare-allele-freq", "0.001"})).at(pair);
    REQUIRE(byDefault != "-inf");
    CHECK(at001 != byDefault);
    CHECK(at0001 == byDefault);
}

TEST_CASE("kinmatch validate passes the sample data and lists every problem of broken input", "[cli]") {
    SECTION("sample data") {
        auto args = sampleDataArgs();
        args[0] = "validate";
        const RunOutput run = runKinmatch(args);
        INFO(run.err);
        CHECK(run.exitCode == 0);
    }
    SECTION("a bad frequency file and a bad pedigree file") {
        TempDir dir;
        CaseFiles files;
        files.frequencies =
            "Allele,D3S1358,vWA,TH01\n"
            "10,0.2,0.2,0.2\n"
            "11,0.3,0.3x,0.3\n"
            "12,0.5,0.5,0.5\n";
        files.pedigrees = kPedigreeHeader +
                          "F1\tF1-father\t0\t0\t1\tREF-1\t0\n"
                          "F1\tF1-mother\t0\t0\t2\tREF-2\t0\n"
                          "F1\tF1-MP\tF1-dad\tF1-mother\t1\t.\t1\n";
        const RunOutput run = runKinmatch(writeCase(dir, files, "validate"));
        INFO(run.err);
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("frequencies.csv:3:"));
        CHECK_THAT(run.err, Contains("pedigrees.tsv:4:"));
    }
}

TEST_CASE("Father-child LR with one shared allele is 1/(4p) through the CLI", "[cli]") {
    TempDir dir;
    // Father 10/11, remains 10/12, p(10) = 0.2: LR = (1/2 · p12) / (2 · p10 · p12) = 1/(4 · 0.2).
    const std::string tsv = matchOutput(dir, writeCase(dir, fatherChildCase({"10,11"}, "10,12")) +
                                                 std::vector<std::string>{"--mutation-model", "none"});
    const std::string log10Lr = readLog10Column(tsv).at(PairKey{"UR-1", "F1", "F1-MP"});
    REQUIRE(log10Lr != "-inf");
    CHECK(std::stod(log10Lr) == Approx(std::log10(1.0 / (4 * 0.2))).margin(1e-9).epsilon(0));
}

TEST_CASE("An output path that is a directory is refused before any work", "[cli]") {
    TempDir dir;
    const RunOutput run = runKinmatch({"match", "-f", (testDataDir() / "../../sample-data/frequencies.csv").string(),
                                       "-p", (testDataDir() / "../../sample-data/pedigrees.tsv").string(), "-r",
                                       (testDataDir() / "../../sample-data/references.csv").string(), "-u",
                                       (testDataDir() / "../../sample-data/remains.csv").string(), "-q", "-o",
                                       dir.path().string()});
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Catch::Contains("is a directory"));
    CHECK(run.out.empty());
}

TEST_CASE("An output path that is a pipe is written in place, not replaced by a file", "[cli]") {
    // `-o /dev/null` once replaced /dev/null with a regular file (a temporary renamed over the
    // device). A FIFO stands for every such target here without touching /dev.
    TempDir dir;
    const auto fifo = dir / "results.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Held open for reading so that kinmatch's open for writing does not block; the sample's
    // rows fit in the pipe's buffer.
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    std::vector<std::string> args = sampleDataArgs();
    for (const char* a : {"--top", "1", "-q", "--no-version", "-o"}) args.push_back(a);
    args.push_back(fifo.string());
    const RunOutput run = runKinmatch(args);
    CHECK(run.exitCode == 0);
    std::string written;
    char buffer[4096];
    for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;) written.append(buffer, static_cast<std::size_t>(n));
    ::close(reader);
    CHECK(std::filesystem::is_fifo(fifo));
    CHECK_THAT(written, Catch::Contains("remains\tfamily\tmissing\tlog10_lr"));
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // no temporary left
}
