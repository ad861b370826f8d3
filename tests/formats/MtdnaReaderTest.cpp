// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/MtComparison.hpp"
#include "formats/MtdnaReader.hpp"

namespace mt = kinmatch::engine::mt;
using kinmatch::formats::MtdnaLayout;
using kinmatch::formats::parseMtRange;
using kinmatch::formats::parseMtVariant;
using kinmatch::formats::readMtdnaHaplotypes;

namespace {

std::vector<mt::Haplotype> read(const std::string& text, const std::string& name = "mt.tsv") {
    std::istringstream in(text);
    return readMtdnaHaplotypes(in, name);
}

std::vector<mt::Variant> parse(const std::string& token) {
    std::vector<mt::Variant> out;
    parseMtVariant(token, out);
    return out;
}

// The error message of reading `text`, which must fail.
std::string errorOf(const std::string& text, const std::string& name = "mt.tsv") {
    try {
        read(text, name);
    } catch (const kinmatch::InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("variant notation: every spelling of one difference parses to the same variant", "[mtdna]") {
    const std::vector<mt::Variant> deletion{{249, 0, '-'}};
    for (const char* t : {"249del", "249d", "249-", "249DEL", "249D", "A249del", "a249d"}) {
        INFO(t);
        CHECK(parse(t) == deletion);
    }
    CHECK(parse("16069T") == parse("C16069T"));
    CHECK(parse("16093Y") == std::vector<mt::Variant>{{16093, 0, 'Y'}});
    CHECK(parse("315.1C") == std::vector<mt::Variant>{{315, 1, 'C'}});
    CHECK(parse("309.1CC") == std::vector<mt::Variant>{{309, 1, 'C'}, {309, 2, 'C'}});
    CHECK(parse("8281-8289del").size() == 9);
    CHECK(parse("8281-8289d").back() == mt::Variant{8289, 0, '-'});
}

TEST_CASE("variant notation: malformed variants are rejected with the reason", "[mtdna]") {
    CHECK_THROWS_WITH(parse("T16069T"), Catch::Contains("not the rCRS base at 16069 (C)"));
    CHECK_THROWS_WITH(parse("16570A"), Catch::Contains("outside 1-16569"));
    CHECK_THROWS_WITH(parse("0A"), Catch::Contains("outside"));
    CHECK_THROWS_WITH(parse("16069N"), Catch::Contains("N is not a call"));
    CHECK_THROWS_WITH(parse("16069"), Catch::Contains("base is missing"));
    CHECK_THROWS_WITH(parse("16069TT"), Catch::Contains("one base"));
    CHECK_THROWS_WITH(parse("573.XC"), Catch::Contains("unknown count"));
    CHECK_THROWS_WITH(parse("315.1"), Catch::Contains("inserted base is missing"));
    CHECK_THROWS_WITH(parse("315.1-"), Catch::Contains("not a base"));
    CHECK_THROWS_WITH(parse("T"), Catch::Contains("no position"));
    CHECK_THROWS_WITH(parse("8289-8281del"), Catch::Contains("deleted run"));
    CHECK_THROWS_WITH(parse("16069B"), Catch::Contains("not a base"));
}

TEST_CASE("ranges: items, separators and origin-crossing", "[mtdna]") {
    CHECK(parseMtRange("16024-576") == parseMtRange("16024-16569;1-576;"));
    CHECK(parseMtRange("16024-576").size() == 546 + 576);
    CHECK(parseMtRange("73-340 16024-16365").size() == 268 + 342);
    CHECK(parseMtRange("16519").size() == 1);
    CHECK_THROWS_WITH(parseMtRange(""), Catch::Contains("no positions"));
    CHECK_THROWS_WITH(parseMtRange("16024-x"), Catch::Contains("16024-x"));
    CHECK_THROWS_WITH(parseMtRange("1-17000"), Catch::Contains("outside"));
}

TEST_CASE("EMPOP TSV, .emp and .hsd of the same haplotype read to equal haplotypes", "[mtdna]") {
    const auto tsv = read("SampleName\tRange\tHaplotype\nS1\t16024-576\t16069T 16126C 73G 249del 309.1C 315.1C 16093Y\n");
    const auto emp = read("EMPOP-ID\tRange\tHaplogroup\tHaplotype\nS1\t16024-16569;1-576\tJ\tC16069T T16126C "
                          "A73G 249d 303.1C 310.1C 16093Y\n",
                          "db.emp");
    const auto hsd = read("S1\t16024-16569;1-576;\tJ\t16069T\t16126C\t73G\t248-\t302.1C\t315.1C\t16093Y\n", "x.hsd");
    const auto hsdHeader = read("SampleID\tRange\tHaplogroup\tPolymorphisms\nS1\t16024-576\t?\t16069T 16126C 73G "
                                "249del 309.1C 315.1C\t16093Y\n",
                                "x.HSD");
    REQUIRE(tsv.size() == 1);
    for (const auto* other : {&emp, &hsd, &hsdHeader}) {
        REQUIRE(other->size() == 1);
        CHECK(other->front().variants == tsv.front().variants);
        CHECK(other->front().range == tsv.front().range);
    }
    CHECK(tsv.front().sample == "S1");
    CHECK(tsv.front().source.line == 2);
    // The canonical forms: 249del, 309.1C, 315.1C.
    CHECK(std::count(tsv.front().variants.begin(), tsv.front().variants.end(), mt::Variant{249, 0, '-'}) == 1);
    CHECK(std::count(tsv.front().variants.begin(), tsv.front().variants.end(), mt::Variant{309, 1, 'C'}) == 1);
    CHECK(mt::compare(tsv.front(), hsd.front(), mt::CompareOptions{.hotspots = {}}).differences == 0);
}

TEST_CASE("an empty haplotype field means rCRS within the range; comments and blank rows are skipped", "[mtdna]") {
    const auto hs = read("# lab export\nSampleName\tRange\tHaplotype\n\nS1\t16024-16365\t\nS2\t1-100\n");
    REQUIRE(hs.size() == 2);
    CHECK(hs[0].variants.empty());
    CHECK(hs[1].range.size() == 100);
}

TEST_CASE("malformed mtDNA files are rejected naming file, line and field", "[mtdna]") {
    const std::string header = "SampleName\tRange\tHaplotype\n";
    CHECK(errorOf(header + "S1\t16024-576\t16069T\nS2\t16024-576\t16069X\n") ==
          "mt.tsv:3: field Haplotype: \"16069X\": X is not a base (A, C, G, T, an IUPAC two-base heteroplasmy code R Y "
          "K M S W, or del for a deletion)");
    CHECK_THAT(errorOf(header + "S1\t16024-16365\t73G\n"),
               Catch::StartsWith("mt.tsv:2: field Haplotype: \"73G\" lies outside the Range"));
    CHECK_THAT(errorOf(header + "S1\tall\t73G\n"), Catch::StartsWith("mt.tsv:2: field Range:"));
    CHECK_THAT(errorOf(header + "S1\t16024-576\t\nS1\t16024-576\t\n"),
               Catch::StartsWith("mt.tsv:3: field SampleName: sample \"S1\" appears twice"));
    CHECK_THAT(errorOf(header + "\t16024-576\t\n"), Catch::StartsWith("mt.tsv:2: field SampleName: empty"));
    CHECK_THAT(errorOf("Sample\tHaplotype\nS1\t73G\n"), Catch::StartsWith("mt.tsv:1: header has no Range column"));
    CHECK_THAT(errorOf(""), Catch::StartsWith("mt.tsv: empty file"));
    CHECK_THAT(errorOf(header), Catch::StartsWith("mt.tsv: no haplotypes"));
    CHECK_THAT(errorOf(header + "S1\t16024-576\t16069T 16069A\n"),
               Catch::StartsWith("mt.tsv:2: sample \"S1\": variants 16069A and 16069T"));
    CHECK_THAT(errorOf(header + "S1\n"), Catch::StartsWith("mt.tsv:2: sample \"S1\": the row has no Range field"));
    CHECK_THAT(errorOf("S1\t16024-576\t?\t16069T\nS2\t16024-576\t?\t315.2C\n", "lab.hsd"),
               Catch::StartsWith("lab.hsd:2: sample \"S2\": insertion 315.2C without 315.1"));
}

TEST_CASE("EMPOP's submission layout: title lines, #! range lines, sample, haplogroup, count, variants", "[mtdna]") {
    // As empop.online describes its .emp files: two lines on the data set, then haplotypes
    // headed by a range line that holds until the next one; "#" lines are comments.
    const std::string emp =
        "Made-up control regions for kinmatch tests, a.author@example.org\n"
        "Nowhere (test data)\n"
        "#!\t16024-16365 73-340\n"
        "S1\tJ1c\t1\t16069T\t16126C\t73G\t315.1C\n"
        "# two more samples share the next haplotype\n"
        "S2\tH\t3\t16311C 263G\n"
        "S3\tH\t263G\t309.1C\t315.1C\n"
        "\n"
        "#!\t16024-576\n"
        "S4\tL3\t1\t16129A\t489C\n";
    const auto hs = read(emp, "lab.emp");
    REQUIRE(hs.size() == 6);
    std::vector<std::string> names;
    for (const auto& h : hs) names.push_back(h.sample);
    CHECK(names == std::vector<std::string>{"S1", "S2", "S2#2", "S2#3", "S3", "S4"});
    const auto hvs = parseMtRange("16024-16365;73-340");
    for (std::size_t i = 0; i < 5; ++i) CHECK(hs[i].range == hvs);
    CHECK(hs[5].range == parseMtRange("16024-576"));
    CHECK(hs[1].variants == hs[3].variants);
    CHECK(hs[4].source.line == 7);
    // The same haplotypes written as the TSV of formats.md §6.
    const auto tsv = read(
        "SampleName\tRange\tHaplotype\n"
        "S1\t16024-16365;73-340\t16069T 16126C 73G 315.1C\n"
        "S2\t16024-16365;73-340\t16311C 263G\n"
        "S3\t16024-16365;73-340\t263G 309.1C 315.1C\n"
        "S4\t16024-576\t16129A 489C\n");
    CHECK(hs[0].variants == tsv[0].variants);
    CHECK(hs[1].variants == tsv[1].variants);
    CHECK(hs[4].variants == tsv[2].variants);
    CHECK(hs[5].variants == tsv[3].variants);

    const std::string top = "Title\nOrigin\n#!\t16024-16365\n";
    CHECK_THAT(errorOf(top + "S1\tH\t1\t73G\n", "lab.emp"),
               Catch::StartsWith("lab.emp:4: field Haplotype: \"73G\" lies outside the Range"));
    CHECK_THAT(errorOf(top + "S1\tH\t0\t16069T\n", "lab.emp"), Catch::StartsWith("lab.emp:4: field Count"));
    CHECK_THAT(errorOf("Title\nOrigin\n#!\tall\n", "lab.emp"), Catch::StartsWith("lab.emp:3: range line (#!)"));
    CHECK_THAT(errorOf("Title\nOrigin\nS1\tH\t1\t16069T\n", "lab.emp"),
               Catch::StartsWith("lab.emp: EMPOP file without a range line"));
    CHECK_THAT(errorOf(top + "S1\tH\t2\t16069T\nS1#2\tH\t1\t16069T\n", "lab.emp"),
               Catch::StartsWith("lab.emp:5: field SampleName: sample \"S1#2\" appears twice"));
}
