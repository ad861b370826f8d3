// SPDX-License-Identifier: MIT
// The inputs are read concurrently; what a user sees must not depend on which finished first.

#include <catch2/catch.hpp>

#include <string>

#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;

TEST_CASE("With several broken inputs the error is always the first in file order", "[cli]") {
    TempDir dir;
    writeFile(dir / "f.csv", "Allele,D3S1358\n10,0.5\n11,0.5\n");
    writeFile(dir / "p.tsv", "family\tid\tfather\tmother\tsex\tsample\tmissing\nF1\tA\t0\t0\t9\tR1\t0\n");
    writeFile(dir / "r.csv", "SampleName,Marker,Allele1,Allele2\nR1,D3S1358,10\n");
    writeFile(dir / "u.csv", "SampleName,Marker\n");
    for (const char* threads : {"1", "2", "2", "2"}) {
        const RunOutput run = runKinmatch({"match", "-f", (dir / "f.csv").string(), "-p", (dir / "p.tsv").string(), "-r",
                                           (dir / "r.csv").string(), "-u", (dir / "u.csv").string(), "-t", threads, "-q",
                                           "-o", (dir / "out.tsv").string()});
        INFO(run.err);
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("p.tsv:2"));
        CHECK_FALSE(std::filesystem::exists(dir / "out.tsv"));
    }
}
