// SPDX-License-Identifier: MIT
// The contract of `kinmatch simulate` as a user meets it, through the real binary: the files
// it writes, that `kinmatch match` reads them and finds the true missing persons, thread-count
// independence, exit codes, and that a failed run leaves no output behind.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/LineageSimulation.hpp"
#include "engine/Simulation.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/MtdnaReader.hpp"
#include "formats/YstrReader.hpp"
#include "tests/support/RunKinmatch.hpp"
#include "tests/support/SharedFixtures.hpp"

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

namespace {

const std::vector<std::string> kLineageOutputs{"mtdna-database.tsv", "mtdna-references.tsv", "mtdna-remains.tsv",
                                               "ystr-database.csv",  "ystr-references.csv",  "ystr-remains.csv"};

using kinmatch::test::checkSameMt;

void checkSameY(const kinmatch::engine::ystr::HaplotypeSet& read,
                const std::vector<kinmatch::engine::ystr::Haplotype>& made) {
    REQUIRE(read.haplotypes.size() == made.size());
    for (std::size_t i = 0; i < made.size(); ++i) {
        INFO(made[i].sample);
        CHECK(read.haplotypes[i].sample == made[i].sample);
        CHECK(read.haplotypes[i].loci == made[i].loci);
    }
}

}  // namespace

TEST_CASE(
    "simulate --mtdna --ystr adds lineage files that read back as the engine made them, leaving the STR "
    "files unchanged",
    "[cli][simulate][lineage-simulation]") {
    TempDir dir;
    const auto args = simulateArgs(dir / "plain", "300", "200");
    REQUIRE(runKinmatch(args).exitCode == 0);
    const auto lineageArgs = withOption(simulateArgs(dir / "lineage", "300", "200"), "--lineage-database", "700") +
                             std::vector<std::string>{"--mtdna", "--ystr"};
    const RunOutput run = runKinmatch(lineageArgs);
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    std::vector<std::string> expected = kOutputs;
    expected.insert(expected.end(), kLineageOutputs.begin(), kLineageOutputs.end());
    std::sort(expected.begin(), expected.end());
    CHECK(entries(dir / "lineage") == expected);
    for (const auto& name : kOutputs)
        if (name != "simulation.txt") CHECK(readFile(dir / "plain" / name) == readFile(dir / "lineage" / name));
    CHECK_THAT(readFile(dir / "lineage" / "simulation.txt"), Contains("random-match probability"));

    // The same case in process: frequencies and options as the command line gives them.
    namespace engine = kinmatch::engine;
    kinmatch::Warnings warnings;
    const auto table = kinmatch::formats::readFrequencyFile(frequencyFile(), warnings);
    const engine::MutationParameters equal{engine::MutationModelKind::kEqual, 0.001, 0.0, 0.5};
    engine::SimulationOptions options;
    options.families = 300;
    options.remains = 200;
    options.markers = 21;
    options.seed = 5;
    const engine::Simulation simulation(table, engine::MutationModel{equal, equal}, options);
    const engine::LineageSimulation lineage(engine::LineageSimulationOptions{.seed = 5});
    const auto references = lineage.caseReferences(simulation, 0, 300);
    const auto remains = lineage.caseRemains(simulation, 0, 200);
    const auto out = dir / "lineage";
    checkSameMt(kinmatch::formats::readMtdnaFile((out / "mtdna-references.tsv").string()), references.mtdna);
    checkSameMt(kinmatch::formats::readMtdnaFile((out / "mtdna-remains.tsv").string()), remains.mtdna);
    checkSameMt(kinmatch::formats::readMtdnaFile((out / "mtdna-database.tsv").string()), lineage.mtDatabase(0, 700));
    checkSameY(kinmatch::formats::readYstrFile((out / "ystr-references.csv").string()), references.ystr);
    checkSameY(kinmatch::formats::readYstrFile((out / "ystr-remains.csv").string()), remains.ystr);
    checkSameY(kinmatch::formats::readYstrFile((out / "ystr-database.csv").string()), lineage.yDatabase(0, 700));

    // Reference haplotypes are keyed by the pedigree's sample names, remains by theirs.
    std::set<std::string> samples;
    for (const auto& row : tsvRows(readFile(out / "pedigrees.tsv"))) samples.insert(row.at(5));
    for (const auto& h : references.mtdna) CHECK(samples.count(h.sample) == 1);
    for (const auto& h : references.ystr) CHECK(samples.count(h.sample) == 1);
    std::set<std::string> remainsNames;
    for (const auto& row : tsvRows(readFile(out / "truth.tsv"))) remainsNames.insert(row.at(0));
    for (const auto& h : remains.mtdna) CHECK(remainsNames.count(h.sample) == 1);
}

TEST_CASE("Lineage files are byte-identical with one and with two threads", "[cli][simulate][lineage-simulation]") {
    TempDir dir;
    const auto args = [&](const std::string& name, const std::string& threads) {
        return simulateArgs(dir / name, "4500", "2500") +
               std::vector<std::string>{"--threads", threads, "--mtdna", "--ystr", "--lineage-database", "12000"};
    };
    REQUIRE(runKinmatch(args("one", "1")).exitCode == 0);
    REQUIRE(runKinmatch(args("two", "2")).exitCode == 0);
    for (const auto& name : kLineageOutputs) {
        INFO(name);
        CHECK(readFile(dir / "one" / name) == readFile(dir / "two" / name));
    }
}

TEST_CASE("Bad lineage options of simulate exit 2 naming the option", "[cli][simulate][lineage-simulation]") {
    TempDir dir;
    auto args = simulateArgs(dir / "sim", "10", "10");
    SECTION("a database size without a lineage marker") {
        args = withOption(args, "--lineage-database", "10");
    }
    SECTION("an empty database") {
        args = withOption(args, "--lineage-database", "0") + std::vector<std::string>{"--mtdna"};
    }
    const RunOutput run = runKinmatch(args);
    CHECK(run.exitCode == 2);
    CHECK_THAT(run.err, Contains("--lineage-database"));
    CHECK(entries(dir / "sim").empty());

    const RunOutput help = runKinmatch({"help", "simulate"});
    CHECK_THAT(help.out, Contains("--mtdna") && Contains("--ystr") && Contains("mtdna-references.tsv"));
}

TEST_CASE("Simulate's --force replaces an earlier run's lineage files or removes them",
          "[cli][simulate][lineage-simulation]") {
    TempDir dir;
    const auto out = dir / "sim";
    REQUIRE(runKinmatch(simulateArgs(out, "10", "10") + std::vector<std::string>{"--ystr"}).exitCode == 0);
    CHECK(std::filesystem::exists(out / "ystr-references.csv"));
    // The earlier run's Y-STR files alone already block a new run without --force.
    for (const auto& name : kOutputs) std::filesystem::remove(out / name);
    const RunOutput blocked = runKinmatch(simulateArgs(out, "10", "10"));
    CHECK(blocked.exitCode == 2);
    CHECK_THAT(blocked.err, Contains("ystr-") && Contains("--force"));
    const RunOutput forced =
        runKinmatch(simulateArgs(out, "10", "10") + std::vector<std::string>{"--force", "--mtdna"});
    INFO(forced.err);
    REQUIRE(forced.exitCode == 0);
    std::vector<std::string> expected = kOutputs;
    expected.insert(expected.end(), {"mtdna-database.tsv", "mtdna-references.tsv", "mtdna-remains.tsv"});
    std::sort(expected.begin(), expected.end());
    CHECK(entries(out) == expected);
}
