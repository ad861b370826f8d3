// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "formats/ProfileReader.hpp"

using Catch::Matchers::Contains;
using kinmatch::ProfileSet;
using kinmatch::formats::readProfileFile;
using kinmatch::formats::readProfiles;

namespace {

using Labels = std::vector<std::string>;

ProfileSet readText(const std::string& text, const std::string& name = "references.csv") {
    std::istringstream in(text);
    return readProfiles(in, name);
}

}  // namespace

TEST_CASE("An LRmix profile CSV gives one profile per sample with its markers in row order", "[formats]") {
    const auto set = readText(
        "SampleName,Marker,Allele1,Allele2\n"
        "REF-0001,D3S1358,15,16\n"
        "REF-0001,vWA,17,17\n"
        "UR-0042,D3S1358,15,\n");
    REQUIRE(set.source == "references.csv");
    REQUIRE(set.profiles.size() == 2);
    const auto& ref = set.profiles[0];
    CHECK(ref.sampleName == "REF-0001");
    CHECK(ref.pos.file == "references.csv");
    CHECK(ref.pos.line == 2);
    REQUIRE(ref.markers.size() == 2);
    CHECK(ref.markers[0].marker == "D3S1358");
    CHECK(ref.markers[0].alleles == Labels{"15", "16"});
    CHECK(ref.markers[0].pos.file == "references.csv");
    CHECK(ref.markers[0].pos.line == 2);
    CHECK(ref.markers[1].alleles == Labels{"17", "17"});
    CHECK(ref.markers[1].pos.line == 3);
    CHECK(ref.amelogenin.empty());
    const auto& ur = set.profiles[1];
    CHECK(ur.sampleName == "UR-0042");
    REQUIRE(ur.markers.size() == 1);
    CHECK(ur.markers[0].alleles == Labels{"15"});  // homozygote written with one allele
}

TEST_CASE("The profile reader accepts the variations labs write", "[formats]") {
    SECTION("CRLF, a BOM, trailing spaces and header names in any case") {
        const auto set = readText(
            "\xEF\xBB\xBF"
            "samplename,MARKER,allele1,ALLELE2 \r\nS1, vWA ,14,15\r\n");
        REQUIRE(set.profiles.size() == 1);
        CHECK(set.profiles[0].markers[0].marker == "vWA");
        CHECK(set.profiles[0].markers[0].alleles == Labels{"14", "15"});
    }
    SECTION("rows of one sample need not be adjacent; order of first appearance is kept") {
        const auto set = readText(
            "SampleName,Marker,Allele1,Allele2\n"
            "B,vWA,14,15\n"
            "A,vWA,16,17\n"
            "B,TH01,6,7\n");
        REQUIRE(set.profiles.size() == 2);
        CHECK(set.profiles[0].sampleName == "B");
        REQUIRE(set.profiles[0].markers.size() == 2);
        CHECK(set.profiles[0].markers[1].marker == "TH01");
        CHECK(set.profiles[0].markers[1].pos.line == 4);
        CHECK(set.profiles[1].sampleName == "A");
    }
    SECTION("a marker without alleles is untyped and not stored") {
        const auto set = readText("SampleName,Marker,Allele1,Allele2\nS1,vWA,,\nS1,TH01,6,7\nS2,vWA\n");
        REQUIRE(set.profiles.size() == 2);
        REQUIRE(set.profiles[0].markers.size() == 1);
        CHECK(set.profiles[0].markers[0].marker == "TH01");
        CHECK(set.profiles[1].markers.empty());
    }
    SECTION("empty allele cells are skipped wherever they are") {
        const auto set = readText("SampleName,Marker,Allele1,Allele2,Allele3\nS1,vWA,,14,\nS1,TH01,6,,7\n");
        CHECK(set.profiles[0].markers[0].alleles == Labels{"14"});
        CHECK(set.profiles[0].markers[1].alleles == Labels{"6", "7"});
    }
    SECTION("amelogenin rows are sex information, not markers") {
        const auto set = readText("SampleName,Marker,Allele1,Allele2\nS1,AMEL,X,Y\nS1,vWA,14,15\nS2,Amelogenin,X,\n");
        CHECK(set.profiles[0].amelogenin == Labels{"X", "Y"});
        REQUIRE(set.profiles[0].markers.size() == 1);
        CHECK(set.profiles[0].markers[0].marker == "vWA");
        CHECK(set.profiles[1].amelogenin == Labels{"X"});
        CHECK(set.profiles[1].markers.empty());
    }
    SECTION("other columns are ignored and allele columns are taken in number order") {
        const auto set = readText("Allele2,SampleName,Height 1,Marker,Allele1\n15,S1,1200,vWA,14\n");
        CHECK(set.profiles[0].markers[0].alleles == Labels{"14", "15"});
    }
}

TEST_CASE("A GeneMapper ID-X tab-separated export is read by its named columns", "[formats]") {
    const auto set = readText(
        "Sample File\tSample Name\tPanel\tMarker\tDye\tAllele 1\tAllele 2\tAllele 3\tSize 1\tSize 2\tHeight 1\tHeight "
        "2\r\n"
        "A01.fsa\tREF-0001\tGlobalFiler\tD3S1358\tB\t15\t16\t\t120.1\t124.3\t1500\t1430\r\n"
        "A01.fsa\tREF-0001\tGlobalFiler\tAMEL\tB\tX\tY\t\t80.0\t86.1\t2100\t2000\r\n"
        "A02.fsa\tUR-0042\tGlobalFiler\tvWA\tG\t17\t\t\t160.0\t\t3000\t\r\n"
        "A01.fsa\tREF-0001\tGlobalFiler\tvWA\tG\tOL\t18\t\t158.2\t166.0\t900\t950\r\n",
        "export.txt");
    REQUIRE(set.profiles.size() == 2);
    const auto& ref = set.profiles[0];
    CHECK(ref.sampleName == "REF-0001");
    REQUIRE(ref.markers.size() == 2);
    CHECK(ref.markers[0].marker == "D3S1358");
    CHECK(ref.markers[0].alleles == Labels{"15", "16"});
    CHECK(ref.markers[1].marker == "vWA");
    CHECK(ref.markers[1].alleles == Labels{"OL", "18"});
    CHECK(ref.markers[1].pos.line == 5);
    CHECK(ref.amelogenin == Labels{"X", "Y"});
    CHECK(set.profiles[1].markers[0].alleles == Labels{"17"});
}

TEST_CASE("Malformed profile files are rejected with file, line and the offending value", "[formats]") {
    SECTION("empty file and header only") {
        REQUIRE_THROWS_WITH(readText(""), Contains("references.csv") && Contains("no profiles"));
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\n\n"),
                            Contains("references.csv") && Contains("no profiles"));
    }
    SECTION("header without the required columns") {
        REQUIRE_THROWS_WITH(readText("Sample,Marker,Allele1\nS1,vWA,14\n"),
                            Contains("references.csv:1:") && Contains("SampleName"));
        REQUIRE_THROWS_WITH(readText("SampleName,Locus,Allele1\nS1,vWA,14\n"),
                            Contains("references.csv:1:") && Contains("Marker"));
        REQUIRE_THROWS_WITH(readText("SampleName,Marker\nS1,vWA\n"),
                            Contains("references.csv:1:") && Contains("Allele1"));
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele 1\nS1,vWA,14,15\n"),
                            Contains("references.csv:1:") && Contains("repeats"));
    }
    SECTION("more than two alleles in a single-source profile") {
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2,Allele3\nS1,vWA,14,15,\nS1,TH01,6,7,8\n"),
                            Contains("references.csv:3:") && Contains("S1") && Contains("TH01") &&
                                Contains("3 alleles") && Contains("single-source"));
    }
    SECTION("the same sample and marker twice, markers compared case-insensitively") {
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\nS1,vWA,14,15\nS2,vWA,14,15\nS1,VWA,14,15\n"),
                            Contains("references.csv:4:") && Contains("S1") && Contains("twice") && Contains("line 2"));
    }
    SECTION("amelogenin twice for one sample") {
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\nS1,AMEL,X,Y\nS1,Amelogenin,X,Y\n"),
                            Contains("references.csv:3:") && Contains("twice"));
    }
    SECTION("missing sample name or marker") {
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\n,vWA,14,15\n"),
                            Contains("references.csv:2:") && Contains("no sample name"));
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\nS1,,14,15\n"),
                            Contains("references.csv:2:") && Contains("S1") && Contains("no marker name"));
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\nS1\n"),
                            Contains("references.csv:2:") && Contains("no marker name"));
    }
    SECTION("row with more cells than the header") {
        REQUIRE_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele2\nS1,vWA,14,15,16\n"),
                            Contains("references.csv:2:") && Contains("5 cells") && Contains("\"16\""));
    }
    SECTION("a UTF-16 file") {
        REQUIRE_THROWS_WITH(readText(std::string("\xFF\xFE"
                                                 "S\0",
                                                 4)),
                            Contains("references.csv:1:") && Contains("UTF-16"));
    }
}

TEST_CASE("An unreadable profile file is an error naming the path and the reason", "[formats]") {
    REQUIRE_THROWS_WITH(readProfileFile("/nonexistent/references.csv"),
                        Contains("/nonexistent/references.csv") && Contains("No such file or directory"));
}
