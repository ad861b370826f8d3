// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <filesystem>
#include <initializer_list>
#include <sstream>
#include <string>

#include "engine/Errors.hpp"
#include "formats/YstrReader.hpp"

namespace ystr = kinmatch::engine::ystr;
using Catch::Matchers::Contains;
using kinmatch::formats::readYstrFile;
using kinmatch::formats::readYstrHaplotypes;

namespace {

ystr::HaplotypeSet readText(const std::string& text) {
    std::istringstream in(text);
    return readYstrHaplotypes(in, "ystr.csv");
}

ystr::AlleleSet alleles(std::initializer_list<const char*> labels) {
    ystr::AlleleSet set;
    for (const char* label : labels) set.push_back(ystr::tryParseAllele(label).value());
    return set;
}

std::string dataFile(const char* name) {
    return (std::filesystem::path(KINMATCH_TEST_DATA_DIR) / "ystr" / name).string();
}

const std::string kHeader = "SampleName,Marker,Allele1,Allele2,Allele3,Allele4,Allele5\n";

}  // namespace

TEST_CASE("A Y-STR CSV gives one haplotype per sample with loci keyed across spellings", "[ystr][formats]") {
    const auto set = readYstrFile(dataFile("haplotypes.csv"));
    CHECK(set.source == dataFile("haplotypes.csv"));
    REQUIRE(set.haplotypes.size() == 3);

    const auto& ref = set.haplotypes[0];
    CHECK(ref.sample == "REF-Y01");
    CHECK(ref.source.line == 2);
    // 8 rows of REF-Y01 minus AMEL, plus DYS391 at the end of the file.
    REQUIRE(ref.loci.size() == 8);
    CHECK(ref.loci.at("DYS19") == alleles({"14"}));
    CHECK(ref.loci.at("DYS385") == alleles({"11", "14"}));
    CHECK(ref.loci.at("YGATAH4") == alleles({"12"}));
    CHECK(ref.loci.at("DYF387S1") == alleles({"35", "37"}));
    CHECK(ref.loci.at("DYS391") == alleles({"10"}));
    CHECK(ref.loci.count("AMEL") == 0);

    const auto& remains = set.haplotypes[1];
    CHECK(remains.sample == "UR-Y01");
    CHECK(remains.loci.at("DYS389I") == alleles({"13"}));
    CHECK(remains.loci.at("DYS389II") == alleles({"29"}));
    CHECK(remains.loci.at("DYS385") == alleles({"11", "14"}));
    CHECK(remains.loci.at("YGATAH4") == alleles({"12"}));
    CHECK(remains.loci.at("DYS458") == alleles({"17.2"}));
    CHECK(remains.loci.at("DYS464") == alleles({"12", "13", "15", "16"}));

    // `15,15` at a single-copy locus and `14,14` at DYS385 are one allele; DYS390 is untyped.
    const auto& second = set.haplotypes[2];
    CHECK(second.loci.at("DYS19") == alleles({"15"}));
    CHECK(second.loci.at("DYS385") == alleles({"14"}));
    CHECK(second.loci.count("DYS390") == 0);

    // The reader's output feeds the comparison directly: one step at DYS390 across spellings.
    const auto loci = ystr::compare(remains, ref);
    int differing = 0;
    for (const auto& locus : loci) differing += locus.differs() ? 1 : 0;
    CHECK(loci.size() == 6);  // DYS19, DYS385, DYS389I, DYS389II, DYS390, YGATAH4
    CHECK(differing == 1);
}

TEST_CASE("A GeneMapper Y-STR export reads as a database", "[ystr][formats]") {
    const auto set = readYstrFile(dataFile("database.tsv"));
    REQUIRE(set.haplotypes.size() == 3);
    const ystr::Database database(set.haplotypes);
    const auto query = set.haplotypes[0];
    // DB-001 and DB-003 agree at DYS19 and DYS385 but not at DYS390.
    CHECK(database.count(query, {"DYS19", "DYS385"}).matches == 2);
    CHECK(database.count(query, {"DYS19", "DYS385", "DYS390"}).matches == 1);
}

TEST_CASE("Malformed Y-STR files are rejected with file, line and field", "[ystr][formats]") {
    SECTION("an allele that is not a repeat number names its column") {
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,14\nS1,DYS390,24,x\n"),
                          Contains("ystr.csv:3") && Contains("field Allele2") && Contains("\"x\"") &&
                              Contains("expected e.g. 13 or 13.2"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,13.x\n"), Contains("ystr.csv:2") && Contains("field Allele1"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,OL\n"), Contains("ystr.csv:2"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,-1\n"), Contains("ystr.csv:2"));
    }
    SECTION("a locus given twice for a sample, also under another spelling") {
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,14\nS2,DYS19,15\nS1,DYS19,14\n"),
                          Contains("ystr.csv:4") && Contains("field Marker") && Contains("first at line 2"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS389II,29\nS1,DYS389 II,29\n"),
                          Contains("ystr.csv:3") && Contains("first at line 2"));
        // An untyped row still claims the locus.
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,\nS1,DYS19,14\n"), Contains("ystr.csv:3"));
    }
    SECTION("missing fields") {
        CHECK_THROWS_WITH(readText(kHeader + ",DYS19,14\n"), Contains("ystr.csv:2") && Contains("field SampleName"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,,14\n"), Contains("ystr.csv:2") && Contains("field Marker"));
    }
    SECTION("too many alleles for the locus") {
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS19,14,15\n"),
                          Contains("ystr.csv:2") && Contains("field Allele2") && Contains("single-copy locus DYS19"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS385,11,14,15\n"),
                          Contains("ystr.csv:2") && Contains("field Allele3") && Contains("at most 2"));
        CHECK_THROWS_WITH(readText(kHeader + "S1,DYS464,11,12,13,14,15\n"),
                          Contains("field Allele5") && Contains("at most 4"));
        CHECK_NOTHROW(readText(kHeader + "S1,DYS464,11,12,13,14,14\n"));
    }
    SECTION("cells beyond the header") {
        CHECK_THROWS_WITH(readText("SampleName,Marker,Allele1\nS1,DYS19,14,15\n"),
                          Contains("ystr.csv:2") && Contains("column 4"));
    }
    SECTION("bad headers and empty input") {
        CHECK_THROWS_WITH(readText(""), Contains("ystr.csv") && Contains("empty file"));
        CHECK_THROWS_WITH(readText(kHeader), Contains("no rows"));
        CHECK_THROWS_WITH(readText("Sample,Marker,Allele1\nS1,DYS19,14\n"),
                          Contains("ystr.csv:1") && Contains("no SampleName column"));
        CHECK_THROWS_WITH(readText("SampleName,Marker\nS1,DYS19\n"), Contains("no Allele1 column"));
        CHECK_THROWS_WITH(readText("SampleName,Marker,Allele1,Allele1\nS1,DYS19,14,\n"), Contains("repeats column"));
    }
    SECTION("a file that cannot be opened") {
        CHECK_THROWS_AS(readYstrFile(dataFile("no-such-file.csv")), kinmatch::InputError);
    }
}
