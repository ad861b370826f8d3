// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>
#include <initializer_list>
#include <sstream>
#include <string>

#include "engine/Errors.hpp"
#include "formats/PedigreeReader.hpp"

using Catch::Matchers::Contains;
using kinmatch::PedigreeSet;
using kinmatch::Sex;
using kinmatch::Warnings;
using kinmatch::formats::readPedigreeFile;
using kinmatch::formats::readPedigrees;

namespace {

const std::string kHeader = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";

std::string row(std::initializer_list<const char*> fields) {
    std::string line;
    for (const char* f : fields) {
        if (!line.empty()) line += '\t';
        line += f;
    }
    return line + "\n";
}

PedigreeSet readText(const std::string& text, Warnings& warnings) {
    std::istringstream in(text);
    return readPedigrees(in, "pedigrees.tsv", warnings);
}

PedigreeSet readText(const std::string& text) {
    Warnings warnings;
    return readText(text, warnings);
}

}  // namespace

TEST_CASE("A pedigree TSV gives one family per family name with persons in file order", "[formats]") {
    Warnings warnings;
    const auto set = readText(kHeader + row({"F01", "F01-father", "0", "0", "1", "REF-0001", "0"}) +
                                  row({"F01", "F01-mother", "0", "0", "2", "REF-0002", "0"}) +
                                  row({"F01", "F01-MP", "F01-father", "F01-mother", "1", ".", "1"}) +
                                  row({"F01", "F01-sister", "F01-father", "F01-mother", "2", "REF-0003", "0"}),
                              warnings);
    REQUIRE(set.source == "pedigrees.tsv");
    REQUIRE(set.families.size() == 1);
    const auto& family = set.families[0];
    CHECK(family.name == "F01");
    REQUIRE(family.persons.size() == 4);
    const auto& mp = family.persons[2];
    CHECK(mp.id == "F01-MP");
    CHECK(mp.father == "F01-father");
    CHECK(mp.mother == "F01-mother");
    CHECK(mp.sex == Sex::kMale);
    CHECK(mp.sample == ".");
    CHECK(mp.missing);
    CHECK(mp.pos.file == "pedigrees.tsv");
    CHECK(mp.pos.line == 4);
    CHECK(family.persons[0].father == "0");
    CHECK(family.persons[1].sex == Sex::kFemale);
    CHECK(family.persons[3].sample == "REF-0003");
    CHECK_FALSE(family.persons[3].missing);
    CHECK(warnings.empty());
}

TEST_CASE("The pedigree reader accepts CRLF, header case, scattered families and late parents", "[formats]") {
    SECTION("CRLF line ends and an upper-case header") {
        const auto set = readText("FAMILY\tID\tFather\tMother\tSEX\tSample\tMissing\r\nF1\tMP\t0\t0\t0\t.\t1\r\n");
        REQUIRE(set.families.size() == 1);
        CHECK(set.families[0].persons[0].sex == Sex::kUnknown);
        CHECK(set.families[0].persons[0].missing);
    }
    SECTION("rows of one family need not be adjacent and a parent may come after the child") {
        const auto set = readText(
            kHeader + row({"F2", "child", "dad", "mum", "1", ".", "1"}) + row({"F1", "MP", "0", "0", "1", ".", "1"}) +
            row({"F2", "dad", "0", "0", "1", "R1", "0"}) + row({"F2", "mum", "0", "0", "2", "R2", "0"}));
        REQUIRE(set.families.size() == 2);
        CHECK(set.families[0].name == "F2");
        REQUIRE(set.families[0].persons.size() == 3);
        CHECK(set.families[0].persons[2].id == "mum");
        CHECK(set.families[0].persons[2].pos.line == 5);
        CHECK(set.families[1].name == "F1");
    }
    SECTION("the same id in two families is fine") {
        const auto set =
            readText(kHeader + row({"F1", "MP", "0", "0", "1", ".", "1"}) + row({"F2", "MP", "0", "0", "1", ".", "1"}));
        CHECK(set.families.size() == 2);
    }
    SECTION("several missing persons in a family") {
        const auto set = readText(kHeader + row({"F1", "MP1", "0", "0", "1", ".", "1"}) +
                                  row({"F1", "MP2", "0", "0", "2", ".", "1"}));
        CHECK(set.families[0].persons.size() == 2);
    }
}

TEST_CASE("A person with one known parent gets a placeholder founder and a warning", "[formats]") {
    Warnings warnings;
    const auto set =
        readText(kHeader + row({"F1", "dad", "0", "0", "1", "R1", "0"}) + row({"F1", "MP", "dad", "0", "2", ".", "1"}) +
                     row({"F1", "mum", "0", "0", "2", "R2", "0"}) + row({"F1", "sib", "0", "mum", "1", "R3", "0"}),
                 warnings);
    const auto& persons = set.families[0].persons;
    REQUIRE(persons.size() == 6);
    CHECK(persons[1].id == "MP~mother");
    CHECK(persons[1].sex == Sex::kFemale);
    CHECK(persons[1].father == "0");
    CHECK(persons[1].mother == "0");
    CHECK(persons[1].sample == ".");
    CHECK_FALSE(persons[1].missing);
    CHECK(persons[2].id == "MP");
    CHECK(persons[2].mother == "MP~mother");
    CHECK(persons[4].id == "sib~father");
    CHECK(persons[4].sex == Sex::kMale);
    CHECK(persons[5].father == "sib~father");
    REQUIRE(warnings.messages().size() == 2);
    CHECK_THAT(warnings.messages()[0], Contains("pedigrees.tsv:3") && Contains("MP~mother"));
    CHECK_THAT(warnings.messages()[1], Contains("pedigrees.tsv:5") && Contains("sib~father"));
}

TEST_CASE("Malformed pedigree files are rejected with file, line and the offending value", "[formats]") {
    const std::string founders =
        row({"F1", "dad", "0", "0", "1", "R1", "0"}) + row({"F1", "mum", "0", "0", "2", "R2", "0"});
    SECTION("empty file and header only") {
        REQUIRE_THROWS_WITH(readText(""), Contains("pedigrees.tsv") && Contains("empty"));
        REQUIRE_THROWS_WITH(readText(kHeader), Contains("pedigrees.tsv") && Contains("no persons"));
    }
    SECTION("wrong header") {
        REQUIRE_THROWS_WITH(readText("family\tid\tmother\tfather\tsex\tsample\tmissing\n"),
                            Contains("pedigrees.tsv:1:") && Contains("header"));
        REQUIRE_THROWS_WITH(readText("family id father mother sex sample missing\n"),
                            Contains("pedigrees.tsv:1:") && Contains("header"));
        REQUIRE_THROWS_WITH(readText("family\tid\tfather\tmother\tsex\tsample\n"),
                            Contains("pedigrees.tsv:1:") && Contains("header"));
    }
    SECTION("wrong number of fields") {
        REQUIRE_THROWS_WITH(
            readText(kHeader + founders + "F1\tMP\tdad\tmum\t1\t.\n"),
            Contains("pedigrees.tsv:4:") && Contains("6 tab-separated fields") && Contains("expected 7"));
        REQUIRE_THROWS_WITH(readText(kHeader + "F1\tMP\t0\t0\t1\t.\t1\textra\n"),
                            Contains("pedigrees.tsv:2:") && Contains("8 tab-separated fields"));
    }
    SECTION("an empty field") {
        REQUIRE_THROWS_WITH(readText(kHeader + row({"F1", "MP", "", "0", "1", ".", "1"})),
                            Contains("pedigrees.tsv:2:") && Contains("father") && Contains("empty"));
    }
    SECTION("duplicate id within a family") {
        REQUIRE_THROWS_WITH(readText(kHeader + founders + row({"F1", "dad", "0", "0", "1", ".", "1"})),
                            Contains("pedigrees.tsv:4:") && Contains("dad") && Contains("twice") && Contains("line 2"));
    }
    SECTION("unknown parent") {
        REQUIRE_THROWS_WITH(
            readText(kHeader + founders + row({"F1", "MP", "dad", "mom", "1", ".", "1"})),
            Contains("pedigrees.tsv:4:") && Contains("\"mom\"") && Contains("not a person of family F1"));
    }
    SECTION("a parent from another family is unknown") {
        REQUIRE_THROWS_WITH(
            readText(kHeader + founders + row({"F2", "MP", "dad", "mum", "1", ".", "1"}) +
                     row({"F1", "MP", "dad", "mum", "1", ".", "1"})),
            Contains("pedigrees.tsv:4:") && Contains("\"dad\"") && Contains("not a person of family F2"));
    }
    SECTION("one given parent that is unknown is an error, not a placeholder") {
        Warnings warnings;
        REQUIRE_THROWS_WITH(readText(kHeader + founders + row({"F1", "MP", "dda", "0", "1", ".", "1"}), warnings),
                            Contains("pedigrees.tsv:4:") && Contains("\"dda\""));
        CHECK(warnings.empty());
    }
    SECTION("parent of the wrong sex") {
        REQUIRE_THROWS_WITH(
            readText(kHeader + founders + row({"F1", "MP", "mum", "dad", "1", ".", "1"})),
            Contains("pedigrees.tsv:4:") && Contains("father mum") && Contains("sex") && Contains("expected male"));
        REQUIRE_THROWS_WITH(
            readText(kHeader + row({"F1", "dad", "0", "0", "0", "R1", "0"}) +
                     row({"F1", "mum", "0", "0", "2", "R2", "0"}) + row({"F1", "MP", "dad", "mum", "1", ".", "1"})),
            Contains("pedigrees.tsv:4:") && Contains("unknown (0)"));
    }
    SECTION("a person their own ancestor") {
        REQUIRE_THROWS_WITH(
            readText(kHeader + row({"F1", "a", "b", "m", "1", ".", "1"}) + row({"F1", "b", "a", "m", "1", ".", "0"}) +
                     row({"F1", "m", "0", "0", "2", ".", "0"})),
            Contains("pedigrees.tsv:") && Contains("own ancestor") && Contains("a -> b -> a"));
        REQUIRE_THROWS_WITH(
            readText(kHeader + row({"F1", "a", "a", "m", "1", ".", "1"}) + row({"F1", "m", "0", "0", "2", ".", "0"})),
            Contains("pedigrees.tsv:2:") && Contains("own ancestor"));
    }
    SECTION("sex not 0, 1 or 2") {
        REQUIRE_THROWS_WITH(readText(kHeader + row({"F1", "MP", "0", "0", "M", ".", "1"})),
                            Contains("pedigrees.tsv:2:") && Contains("sex \"M\"") && Contains("expected 1 male"));
    }
    SECTION("missing not 0 or 1") {
        REQUIRE_THROWS_WITH(readText(kHeader + row({"F1", "MP", "0", "0", "1", ".", "yes"})),
                            Contains("pedigrees.tsv:2:") && Contains("missing \"yes\""));
    }
    SECTION("a family with no missing person reports the family's first row") {
        REQUIRE_THROWS_WITH(readText(kHeader + row({"F0", "MP", "0", "0", "1", ".", "1"}) + founders +
                                     row({"F1", "kid", "dad", "mum", "1", "R3", "0"})),
                            Contains("pedigrees.tsv:3:") && Contains("F1") && Contains("no missing person"));
    }
    SECTION("the same sample name for two persons") {
        REQUIRE_THROWS_WITH(readText(kHeader + founders + row({"F1", "MP", "dad", "mum", "1", "R1", "1"})),
                            Contains("pedigrees.tsv:4:") && Contains("sample R1") && Contains("dad at line 2"));
        REQUIRE_THROWS_WITH(readText(kHeader + founders + row({"F2", "MP", "0", "0", "1", "R2", "1"})),
                            Contains("pedigrees.tsv:4:") && Contains("sample R2"));
    }
}

TEST_CASE("An unreadable pedigree file is an error naming the path and the reason", "[formats]") {
    Warnings warnings;
    REQUIRE_THROWS_WITH(readPedigreeFile("/nonexistent/pedigrees.tsv", warnings),
                        Contains("/nonexistent/pedigrees.tsv") && Contains("No such file or directory"));
}

TEST_CASE("The sample-data pedigrees read without errors", "[formats]") {
    // sample-data/ sits beside tests/; its pedigrees are the README quick-start input.
    Warnings warnings;
    const auto set =
        readPedigreeFile(std::string(KINMATCH_TEST_DATA_DIR) + "/../../sample-data/pedigrees.tsv", warnings);
    CHECK_FALSE(set.families.empty());
}
