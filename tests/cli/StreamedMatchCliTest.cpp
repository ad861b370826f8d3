// SPDX-License-Identifier: MIT
// `kinmatch match` streams families through the screening when the files allow it
// (cli/StreamedMatch.hpp). Whatever way a case is read, the output must be the same bytes,
// the same warnings, and a bad file the same error.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string joined(const std::vector<std::string>& rows) {
    std::string text;
    for (const auto& row : rows) text += row + "\n";
    return text;
}

// A simulated case, matched against a frequency table that lacks a few of the simulated
// alleles and one marker, so that rare-allele and unknown-marker warnings are in play.
struct SimulatedCase {
    TempDir dir;
    SimulatedCase() {
        const auto frequencies = testDataDir() / "frequencies" / "norstr-east-asia-2023.csv";
        const RunOutput sim = runKinmatch({"simulate", "-f", frequencies.string(), "--markers", "15", "--families",
                                           "400", "--remains", "150", "--seed", "11", "--mutation-model", "equal",
                                           "--mutation-rate", "0.003", "--missing-marker-rate", "0.1", "-q", "-o",
                                           (dir / "sim").string()});
        REQUIRE(sim.exitCode == 0);
        // Drop the first marker column and, of the second and third, the two most common
        // alleles' rows become blank: those alleles are then rare (absent from the table).
        std::vector<std::string> table = lines(readFile(dir / "sim" / "frequencies.csv"));
        std::vector<std::string> trimmed;
        for (std::size_t i = 0; i < table.size(); ++i) {
            std::vector<std::string> cells;
            std::stringstream row(table[i]);
            for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
            while (cells.size() < 16) cells.push_back("");
            cells.erase(cells.begin() + 1);
            if (i == 5 || i == 6) cells[1] = "";
            std::string out;
            for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + cells[c];
            trimmed.push_back(out);
        }
        writeFile(dir / "frequencies.csv", joined(trimmed));
    }
    std::filesystem::path operator/(const std::string& name) const { return dir / name; }
};

std::vector<std::string> matchArgs(const SimulatedCase& c, const std::string& pedigrees, const std::string& references,
                                   const std::string& output) {
    return {"match",          "-f", (c / "frequencies.csv").string(), "-p", pedigrees, "-r", references,
            "-u",             (c / "sim" / "remains.csv").string(), "--mutation-model", "equal",
            "--mutation-rate", "0.003", "--no-version", "-o", output};
}

}  // namespace

TEST_CASE("A streamed match writes the bytes of the whole reading, warnings included", "[cli][stream]") {
    SimulatedCase c;
    const std::string pedigrees = (c / "sim" / "pedigrees.tsv").string();
    const std::string references = (c / "sim" / "references.csv").string();
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{}, {"--top", "3", "--top-per-family", "2"}, {"-O", "jsonl", "--top", "1"},
          {"-t", "1", "--kernel", "portable", "--table-cache-mb", "0"}, {"--top", "40"}}) {
        auto whole = matchArgs(c, pedigrees, references, (c / "whole.out").string());
        auto streamed = matchArgs(c, pedigrees, references, (c / "streamed.out").string());
        whole.insert(whole.end(), extra.begin(), extra.end());
        streamed.insert(streamed.end(), extra.begin(), extra.end());
        whole.push_back("--in-memory");
        if (std::find(extra.begin(), extra.end(), "--top-per-family") != extra.end()) {
            whole.insert(whole.end(), {"--family-output", (c / "whole.family").string()});
            streamed.insert(streamed.end(), {"--family-output", (c / "streamed.family").string()});
        }
        const RunOutput a = runKinmatch(whole);
        const RunOutput b = runKinmatch(streamed);
        INFO(b.err);
        REQUIRE(a.exitCode == 0);
        REQUIRE(b.exitCode == 0);
        CHECK_THAT(b.err, Contains("case streamed"));
        CHECK_FALSE(a.err.find("case streamed") != std::string::npos);
        const std::string out = readFile(c / "streamed.out");
        CHECK(out == readFile(c / "whole.out"));
        CHECK_THAT(out, Contains("is not in the frequency table"));  // the warnings are in play
        if (std::filesystem::exists(c / "whole.family")) {
            CHECK(readFile(c / "streamed.family") == readFile(c / "whole.family"));
            std::filesystem::remove(c / "whole.family");
        }
    }
}

TEST_CASE("Families or samples whose rows are not adjacent are read whole, with the same output", "[cli][stream]") {
    SimulatedCase c;
    const std::string pedigrees = (c / "sim" / "pedigrees.tsv").string();
    const std::string references = (c / "sim" / "references.csv").string();
    const RunOutput expected = runKinmatch(matchArgs(c, pedigrees, references, (c / "expected.tsv").string()));
    REQUIRE(expected.exitCode == 0);
    CHECK_THAT(expected.err, Contains("case streamed"));

    // The second family's first row moved to the end of the file.
    std::vector<std::string> rows = lines(readFile(pedigrees));
    std::size_t second = 2;
    while (rows[second].substr(0, rows[second].find('\t')) == rows[1].substr(0, rows[1].find('\t'))) ++second;
    std::vector<std::string> moved = rows;
    moved.push_back(moved[second]);
    moved.erase(moved.begin() + static_cast<std::ptrdiff_t>(second));
    writeFile(c / "interleaved.tsv", joined(moved));
    const RunOutput families = runKinmatch(matchArgs(c, (c / "interleaved.tsv").string(), references, (c / "a.tsv").string()));
    REQUIRE(families.exitCode == 0);
    CHECK_THAT(families.err, Contains("a family's rows are not adjacent"));
    CHECK(readFile(c / "a.tsv") == readFile(c / "expected.tsv"));

    // The first sample's first row moved to the end.
    rows = lines(readFile(references));
    moved = rows;
    moved.push_back(moved[1]);
    moved.erase(moved.begin() + 1);
    writeFile(c / "interleaved.csv", joined(moved));
    const RunOutput samples = runKinmatch(matchArgs(c, pedigrees, (c / "interleaved.csv").string(), (c / "b.tsv").string()));
    REQUIRE(samples.exitCode == 0);
    CHECK_THAT(samples.err, Contains("a sample's rows are not adjacent"));
    // The header names the references file in a warning; the rows are the same.
    CHECK(withoutComments(readFile(c / "b.tsv")) == withoutComments(readFile(c / "expected.tsv")));

    // Shuffled families and samples, each still in one block, stream and give the same rows.
    std::mt19937 random(5);
    std::vector<std::vector<std::string>> blocks;
    rows = lines(readFile(pedigrees));
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string family = rows[i].substr(0, rows[i].find('\t'));
        if (blocks.empty() || blocks.back().front().substr(0, blocks.back().front().find('\t')) != family) blocks.emplace_back();
        blocks.back().push_back(rows[i]);
    }
    std::shuffle(blocks.begin(), blocks.end(), random);
    std::vector<std::string> shuffled{rows[0]};
    for (auto& block : blocks) {
        std::shuffle(block.begin(), block.end(), random);
        shuffled.insert(shuffled.end(), block.begin(), block.end());
    }
    writeFile(c / "shuffled.tsv", joined(shuffled));
    const RunOutput reordered = runKinmatch(matchArgs(c, (c / "shuffled.tsv").string(), references, (c / "c.tsv").string()));
    REQUIRE(reordered.exitCode == 0);
    CHECK_THAT(reordered.err, Contains("case streamed"));
    CHECK(withoutComments(readFile(c / "c.tsv")) == withoutComments(readFile(c / "expected.tsv")));
}

TEST_CASE("A bad file gives the whole reading's error, and no output", "[cli][stream]") {
    SimulatedCase c;
    const std::string references = (c / "sim" / "references.csv").string();
    std::vector<std::string> rows = lines(readFile(c / "sim" / "pedigrees.tsv"));
    // Near the end: a streamed run meets it after most of the work.
    const std::vector<std::string> breakages = {"F-bad\tX\t0\t0\t7\t.\t1",    // sex 7
                                                 "F-bad\tX\t0\t0\t1\tNOPE\t1",  // unknown sample
                                                 "F-bad\tX\t0\t0\t1\t.\t0"};   // no missing person
    for (const std::string& broken : breakages) {
        std::vector<std::string> bad = rows;
        bad.insert(bad.end() - 3, broken);
        writeFile(c / "bad.tsv", joined(bad));
        auto streamed = matchArgs(c, (c / "bad.tsv").string(), references, (c / "out.tsv").string());
        auto whole = streamed;
        whole.push_back("--in-memory");
        streamed.push_back("-q");
        whole.push_back("-q");
        const RunOutput a = runKinmatch(whole);
        const RunOutput b = runKinmatch(streamed);
        INFO(broken);
        CHECK(a.exitCode == 1);
        CHECK(b.exitCode == a.exitCode);
        CHECK(b.err == a.err);
        CHECK_THAT(b.err, Contains("bad.tsv:"));
        CHECK_FALSE(std::filesystem::exists(c / "out.tsv"));
    }
}
