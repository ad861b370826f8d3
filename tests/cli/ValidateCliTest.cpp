// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/RunKinmatch.hpp"

using namespace kinmatch::test;
using Catch::Matchers::Contains;

TEST_CASE("kinmatch validate names every contradicting marker of every family, whatever the threads", "[cli]") {
    TempDir dir;
    writeFile(dir / "frequencies.csv", "Allele,M1,M2,M3\n10,0.5,0.5,0.5\n11,0.3,0.3,0.3\n12,0.2,0.2,0.2\n");
    // Family A: father and son share no allele at M1 and M3 (impossible without mutation);
    // family B is consistent; family C contradicts at M2.
    writeFile(dir / "pedigrees.tsv",
              "family\tid\tfather\tmother\tsex\tsample\tmissing\n"
              "A\tA-F\t0\t0\t1\tA1\t0\n"
              "A\tA-M\t0\t0\t2\t.\t0\n"
              "A\tA-S\tA-F\tA-M\t1\tA2\t0\n"
              "A\tA-X\tA-F\tA-M\t1\t.\t1\n"
              "B\tB-F\t0\t0\t1\tB1\t0\n"
              "B\tB-X\tB-F\t0\t1\t.\t1\n"
              "C\tC-F\t0\t0\t1\tC1\t0\n"
              "C\tC-M\t0\t0\t2\t.\t0\n"
              "C\tC-S\tC-F\tC-M\t2\tC2\t0\n"
              "C\tC-X\tC-F\tC-M\t1\t.\t1\n");
    writeFile(dir / "references.csv",
              "SampleName,Marker,Allele1,Allele2\n"
              "A1,M1,10,10\nA1,M2,10,11\nA1,M3,12,12\n"
              "A2,M1,11,12\nA2,M2,10,12\nA2,M3,10,11\n"
              "B1,M1,10,11\n"
              "C1,M1,10,11\nC1,M2,11,11\n"
              "C2,M1,10,12\nC2,M2,10,12\n");
    writeFile(dir / "remains.csv", "SampleName,Marker,Allele1,Allele2\nR1,M1,10,11\n");
    std::vector<std::string> args{"validate", "-f", (dir / "frequencies.csv").string(), "-p",
                                  (dir / "pedigrees.tsv").string(), "-r", (dir / "references.csv").string(),
                                  "-u", (dir / "remains.csv").string()};
    std::string firstErr;
    for (const char* threads : {"1", "2"}) {
        auto withThreads = args;
        withThreads.insert(withThreads.end(), {"-t", threads});
        const RunOutput run = runKinmatch(withThreads);
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("family A") && Contains("marker M1"));
        CHECK_THAT(run.err, Contains("family A") && Contains("marker M3"));
        CHECK_THAT(run.err, Contains("family C") && Contains("marker M2"));
        CHECK_THAT(run.err, !Contains("family B"));
        CHECK_THAT(run.err, Contains("3 error(s)"));
        // Family order, not finishing order: A's problems come before C's.
        CHECK(run.err.find("family A") < run.err.find("family C"));
        if (firstErr.empty()) firstErr = run.err;
        CHECK(run.err == firstErr);
    }
}

TEST_CASE("kinmatch validate checks mtDNA and Y-STR files as a match reads them", "[cli][lineage]") {
    auto data = [](const std::string& name) { return (testDataDir() / "lineage-match" / name).string(); };
    const std::vector<std::string> autosomal{"-f", data("frequencies.csv"), "-r", data("references.csv"), "-u",
                                             data("remains.csv")};
    auto validate = [&](std::vector<std::string> parts, const std::string& mtReferences,
                        const std::string& mtRemains, const std::string& remains) {
        std::vector<std::string> args{"validate", "-p", data("pedigrees.tsv"), "--mtdna-references", mtReferences,
                                      "--mtdna-remains", mtRemains, "--ystr-references", data("ystr-references.csv"),
                                      "--ystr-remains", data("ystr-remains.csv")};
        if (!parts.empty()) {
            parts[5] = remains;
            args.insert(args.end(), parts.begin(), parts.end());
        }
        return runKinmatch(args);
    };
    TempDir dir;
    SECTION("the hand-made lineage case is clean, with or without the autosomal files") {
        for (const auto& parts : {autosomal, std::vector<std::string>{}}) {
            const RunOutput run = validate(parts, data("mtdna-references.tsv"), data("mtdna-remains.tsv"),
                                           data("remains.csv"));
            CHECK(run.exitCode == 0);
            CHECK_THAT(run.err, Contains("0 error(s)"));
        }
    }
    SECTION("references on one maternal line that exclude each other are a warning") {
        std::string references = readFile(data("mtdna-references.tsv"));
        const auto at = references.find("R-F1-si");
        REQUIRE(at != std::string::npos);
        for (const std::string variant : {"16069T ", "16126C "}) {
            const auto v = references.find(variant, at);
            REQUIRE(v != std::string::npos);
            references.erase(v, variant.size());
        }
        writeFile(dir / "mt.tsv", references);
        const RunOutput run = validate(autosomal, (dir / "mt.tsv").string(), data("mtdna-remains.tsv"),
                                       data("remains.csv"));
        CHECK(run.exitCode == 0);
        CHECK_THAT(run.err, Contains("warning") && Contains("F1-mo and F1-si") && Contains("maternal line"));
        // Said once, not once per reading and once per resolving.
        CHECK(run.err.find("F1-mo and F1-si") == run.err.rfind("F1-mo and F1-si"));
    }
    SECTION("a bad mtDNA line and a bad STR line are both listed, each with file and line") {
        writeFile(dir / "mt-remains.tsv", readFile(data("mtdna-remains.tsv")) + "U9\t16024-16365\t16129Z\n");
        writeFile(dir / "remains.csv", readFile(data("remains.csv")) + "U9,vWA,15,16,17\n");
        const RunOutput run = validate(autosomal, data("mtdna-references.tsv"), (dir / "mt-remains.tsv").string(),
                                       (dir / "remains.csv").string());
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("2 error(s)"));
        CHECK_THAT(run.err, Contains("mt-remains.tsv:") && Contains("16129Z"));
        CHECK_THAT(run.err, Contains("/remains.csv:4: row has 5 cells"));
    }
}
