// SPDX-License-Identifier: MIT
// The contract of `kinmatch simulate` as a user meets it, through the real binary: the files
// it writes, that `kinmatch match` reads them and finds the true missing persons, thread-count
// independence, exit codes, and that a failed run leaves no output behind.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;

namespace {

// In name order, as `entries` lists them.
const std::vector<std::string> kOutputs{"frequencies.csv", "pedigrees.tsv",  "references.csv",
                                        "remains.csv",     "simulation.txt", "truth.tsv"};

std::string frequencyFile() {
    return (testDataDir() / "frequencies" / "norstr-east-asia-2023.csv").string();
}

std::vector<std::string> simulateArgs(const std::filesystem::path& out, const std::string& families,
                                      const std::string& remains) {
    return {"simulate", "-q",        "-f",    frequencyFile(), "--markers", "21", "--families",
            families,   "--remains", remains, "--seed",        "5",         "-o", out.string()};
}

std::vector<std::string> operator+(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// `args` with `option` set to `value`: replaced where given, else appended (Boost.PO refuses
// an option given twice).
std::vector<std::string> withOption(std::vector<std::string> args, const std::string& option,
                                    const std::string& value) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == option) {
            args[i + 1] = value;
            return args;
        }
    return args + std::vector<std::string>{option, value};
}

// Names of the entries of `dir` (empty when it does not exist).
std::vector<std::string> entries(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    if (!std::filesystem::exists(dir)) return names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::vector<std::string>> tsvRows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        rows.push_back(tabFields(line));
    }
    return rows;
}

// simulation.txt records the command line, which names the thread count; the rest must agree.
std::string withoutCommandLine(const std::string& text) {
    std::istringstream in(text);
    std::string kept;
    for (std::string line; std::getline(in, line);)
        if (line.rfind("command: ", 0) != 0) kept += line + '\n';
    return kept;
}

}  // namespace

TEST_CASE("A simulated case is read by kinmatch match, which ranks most true remains' missing person first",
          "[cli][simulate]") {
    TempDir dir;
    const auto out = dir / "sim";
    const RunOutput sim = runKinmatch(simulateArgs(out, "200", "100"));
    INFO(sim.err);
    REQUIRE(sim.exitCode == 0);
    CHECK(entries(out) == kOutputs);
    CHECK(readFile(out / "pedigrees.tsv").rfind("family\tid\tfather\tmother\tsex\tsample\tmissing\n", 0) == 0);
    CHECK(readFile(out / "references.csv").rfind("SampleName,Marker,Allele1,Allele2\n", 0) == 0);
    CHECK(readFile(out / "remains.csv").rfind("SampleName,Marker,Allele1,Allele2\n", 0) == 0);
    CHECK(readFile(out / "frequencies.csv").rfind("Allele,D1S1656,TPOX,", 0) == 0);
    CHECK_THAT(readFile(out / "simulation.txt"), Contains("seed: 5"));

    const auto truth = tsvRows(readFile(out / "truth.tsv"));
    REQUIRE(truth.size() == 101);
    CHECK(truth[0] == std::vector<std::string>{"remains", "family", "missing"});

    const RunOutput match =
        runKinmatch({"match", "-q", "-f", (out / "frequencies.csv").string(), "-p", (out / "pedigrees.tsv").string(),
                     "-r", (out / "references.csv").string(), "-u", (out / "remains.csv").string(), "--mutation-model",
                     "equal", "--mutation-rate", "0.001", "-o", (dir / "results.tsv").string()});
    INFO(match.err);
    REQUIRE(match.exitCode == 0);
    // (remains, family, missing) of every rank-1 row.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> best;
    for (const auto& row : tsvRows(readFile(dir / "results.tsv")))
        if (row.size() > 4 && row[4] == "1") best[row[0]].emplace_back(row[1], row[2]);
    int trueRemains = 0;
    int rankedFirst = 0;
    for (std::size_t i = 1; i < truth.size(); ++i) {
        if (truth[i][1] == ".") continue;
        ++trueRemains;
        for (const auto& candidate : best[truth[i][0]]) rankedFirst += candidate == std::pair{truth[i][1], truth[i][2]};
    }
    CHECK(trueRemains == 50);
    // Distant relatives alone (a cousin, an aunt) leave a few true remains behind a chance
    // match among 200 families; 21 markers find the rest.
    CHECK(rankedFirst >= 40);
}

TEST_CASE("Simulated files are byte-identical with one and with two threads", "[cli][simulate]") {
    TempDir dir;
    // More families and remains than one output slice holds, so slices run in parallel.
    const auto args = [&](const std::string& name, const std::string& threads) {
        return simulateArgs(dir / name, "4500", "2500") + std::vector<std::string>{"--threads", threads};
    };
    REQUIRE(runKinmatch(args("one", "1")).exitCode == 0);
    REQUIRE(runKinmatch(args("two", "2")).exitCode == 0);
    for (const auto& name : kOutputs) {
        INFO(name);
        if (name == "simulation.txt")
            CHECK(withoutCommandLine(readFile(dir / "one" / name)) == withoutCommandLine(readFile(dir / "two" / name)));
        else
            CHECK(readFile(dir / "one" / name) == readFile(dir / "two" / name));
    }
}

TEST_CASE("A bad simulate option exits 2 naming the option and writes nothing", "[cli][simulate]") {
    TempDir dir;
    const auto out = dir / "sim";
    auto args = simulateArgs(out, "10", "10");
    std::string option;
    SECTION("no families") {
        args = withOption(args, "--families", "0");
        option = "--families";
    }
    SECTION("negative remains") {
        args = withOption(args, "--remains", "-3");
        option = "--remains";
    }
    SECTION("a true fraction above 1") {
        args = withOption(args, "--true-fraction", "1.5");
        option = "--true-fraction";
    }
    SECTION("every remains marker lost") {
        args = withOption(args, "--missing-marker-rate", "1");
        option = "--missing-marker-rate";
    }
    SECTION("a seed that is not a number") {
        args = withOption(args, "--seed", "12x");
        option = "--seed";
    }
    SECTION("more markers than the frequency file has") {
        args = withOption(args, "--markers", "41");
        option = "--markers";
    }
    SECTION("an unknown mutation model") {
        args = withOption(args, "--mutation-model", "bogus");
        option = "--mutation-model";
    }
    SECTION("a mutation rate above 1") {
        args = withOption(args, "--mutation-rate", "2");
        option = "--mutation-rate";
    }
    SECTION("no output folder") {
        args.resize(args.size() - 2);  // drop "-o DIR"
        option = "--out";
    }
    SECTION("an unknown option") {
        args = args + std::vector<std::string>{"--frobnicate"};
        option = "--frobnicate";
    }
    const RunOutput run = runKinmatch(args);
    INFO(run.err);
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("kinmatch simulate: error: "));
    CHECK_THAT(run.err, Contains(option));
    CHECK(entries(out).empty());
}

TEST_CASE("Bad input to simulate exits 1 naming the file or marker and writes nothing", "[cli][simulate]") {
    TempDir dir;
    const auto out = dir / "sim";
    std::vector<std::string> args;
    std::string expected;
    SECTION("a missing frequency file") {
        args = withOption(simulateArgs(out, "10", "10"), "-f", (dir / "nowhere.csv").string());
        expected = (dir / "nowhere.csv").string();
    }
    SECTION("a model undefined for the table (onestep needs whole-number alleles)") {
        args = withOption(simulateArgs(out, "10", "10"), "--mutation-model", "onestep");
        expected = "D1S1656";
    }
    const RunOutput run = runKinmatch(args);
    INFO(run.err);
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("kinmatch simulate: error: "));
    CHECK_THAT(run.err, Contains(expected));
    CHECK(entries(out).empty());
}

TEST_CASE("Simulate keeps an earlier run's files unless --force is given", "[cli][simulate]") {
    TempDir dir;
    const auto out = dir / "sim";
    REQUIRE(runKinmatch(simulateArgs(out, "10", "10")).exitCode == 0);
    const std::string before = readFile(out / "references.csv");

    const RunOutput again = runKinmatch(simulateArgs(out, "12", "10"));
    CHECK(again.exitCode == 2);
    CHECK_THAT(again.err, Contains("--force"));
    CHECK(readFile(out / "references.csv") == before);

    const RunOutput forced = runKinmatch(simulateArgs(out, "12", "10") + std::vector<std::string>{"--force"});
    INFO(forced.err);
    CHECK(forced.exitCode == 0);
    CHECK(readFile(out / "references.csv") != before);
    CHECK(entries(out) == kOutputs);
}

TEST_CASE("A simulate run that fails while opening its outputs leaves none of them", "[cli][simulate]") {
    TempDir dir;
    const auto out = dir / "sim";
    // remains.csv is a folder: the first three outputs are already open when it fails.
    std::filesystem::create_directories(out / "remains.csv");
    const RunOutput run = runKinmatch(simulateArgs(out, "10", "10") + std::vector<std::string>{"--force"});
    INFO(run.err);
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains("remains.csv"));
    CHECK(entries(out) == std::vector<std::string>{"remains.csv"});
}

TEST_CASE("kinmatch help simulate prints the usage and exits 0", "[cli][simulate]") {
    const RunOutput run = runKinmatch({"help", "simulate"});
    CHECK(run.exitCode == 0);
    CHECK_THAT(run.out, Contains("Usage:   kinmatch simulate"));
    CHECK_THAT(run.out, Contains("--mutation-model NAME"));
    CHECK_THAT(run.out, Contains("[equal]"));
    CHECK_THAT(run.out, Contains("--missing-marker-rate"));
}
