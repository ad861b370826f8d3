// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>
#include <string>

#include "engine/Errors.hpp"
#include "formats/FrequencyReader.hpp"

using Catch::Matchers::Contains;
using kinmatch::FrequencyTable;
using kinmatch::InputError;
using kinmatch::Warnings;
using kinmatch::formats::readFrequencies;
using kinmatch::formats::readFrequencyFile;

namespace {

FrequencyTable readText(const std::string& text, Warnings& warnings, const std::string& name = "frequencies.csv") {
    std::istringstream in(text);
    return readFrequencies(in, name, warnings);
}

FrequencyTable readText(const std::string& text) {
    Warnings warnings;
    return readText(text, warnings);
}

// marker -> allele -> frequency, for comparing tables regardless of layout and row order.
std::map<std::string, std::map<std::string, double>> asMap(const FrequencyTable& table) {
    std::map<std::string, std::map<std::string, double>> out;
    for (const auto& m : table.markers) {
        for (std::size_t i = 0; i < m.alleles.size(); ++i) out[m.marker][m.alleles[i]] = m.frequencies[i];
    }
    return out;
}

}  // namespace

TEST_CASE("A EuroForMix frequency CSV gives one table per marker column with alleles in row order", "[formats]") {
    Warnings warnings;
    const auto table = readText(
        "Allele,D3S1358,vWA,FGA\n"
        "12,0.25,,\n"
        "14,0.25,0.5,\n"
        "16,0.5,0.5,0.75\n"
        "22.2,,,0.25\n",
        warnings);
    REQUIRE(table.source == "frequencies.csv");
    REQUIRE(table.markers.size() == 3);
    const auto& d3 = table.markers[0];
    CHECK(d3.marker == "D3S1358");
    CHECK(d3.alleles == std::vector<std::string>{"12", "14", "16"});
    CHECK(d3.frequencies == std::vector<double>{0.25, 0.25, 0.5});
    CHECK(d3.pos.file == "frequencies.csv");
    CHECK(d3.pos.line == 1);
    CHECK(table.markers[1].marker == "vWA");
    CHECK(table.markers[1].alleles == std::vector<std::string>{"14", "16"});
    CHECK(table.markers[2].alleles == std::vector<std::string>{"16", "22.2"});
    CHECK(table.markers[2].frequencies == std::vector<double>{0.75, 0.25});
    CHECK(warnings.empty());
}

TEST_CASE("The frequency CSV reader accepts CRLF, a BOM, padding and short rows", "[formats]") {
    SECTION("CRLF line ends, a UTF-8 BOM and trailing spaces are ignored") {
        const auto table = readText(
            "\xEF\xBB\xBF"
            "Allele,vWA \r\n14, 0.5 \r\n 15 ,0.5\r\n");
        REQUIRE(table.markers.size() == 1);
        CHECK(table.markers[0].marker == "vWA");
        CHECK(table.markers[0].alleles == std::vector<std::string>{"14", "15"});
        CHECK(table.markers[0].frequencies == std::vector<double>{0.5, 0.5});
    }
    SECTION("the first header cell matches in any case and a trailing comma is padding") {
        const auto table = readText("ALLELE,TH01,TPOX,\n6,1,,\n8,,1,\n");
        REQUIRE(table.markers.size() == 2);
        CHECK(table.markers[1].alleles == std::vector<std::string>{"8"});
    }
    SECTION("a row with fewer cells than the header leaves the missing cells empty") {
        const auto table = readText("Allele,TH01,TPOX\n6,1\n8,,1\n");
        CHECK(table.markers[0].alleles == std::vector<std::string>{"6"});
        CHECK(table.markers[1].alleles == std::vector<std::string>{"8"});
    }
    SECTION("blank lines between rows are skipped and line numbers still count them") {
        Warnings warnings;
        const auto table = readText("\nAllele,TH01\n\n6,0.5\n", warnings);
        CHECK(table.markers[0].pos.line == 2);
        REQUIRE(warnings.messages().size() == 1);
        CHECK_THAT(warnings.messages()[0], Contains("frequencies.csv:2"));
    }
    SECTION("quoted cells as written by R's write.csv lose their quotes") {
        const auto table = readText("\"Allele\",\"vWA\"\n\"14\",1\n");
        CHECK(table.markers[0].marker == "vWA");
        CHECK(table.markers[0].alleles == std::vector<std::string>{"14"});
    }
    SECTION("allele labels are kept as written, including non-numeric ones") {
        const auto table = readText("Allele,vWA\n09,0.5\nOL,0.5\n");
        CHECK(table.markers[0].alleles == std::vector<std::string>{"09", "OL"});
    }
}

TEST_CASE("Amelogenin columns and blocks are not read as STR markers", "[formats]") {
    SECTION("CSV") {
        const auto table = readText("Allele,AMEL,vWA,amelogenin\nX,0.5,,0.5\n14,,1,\n");
        REQUIRE(table.markers.size() == 1);
        CHECK(table.markers[0].marker == "vWA");
    }
    SECTION("Familias list") {
        const auto table = readText("Amelogenin\nX\t0.5\nY\t0.5\n\nvWA\n14\t1\n");
        REQUIRE(table.markers.size() == 1);
        CHECK(table.markers[0].marker == "vWA");
    }
}

TEST_CASE("A marker whose frequencies do not sum to 1 is warned about and left as it is", "[formats]") {
    Warnings warnings;
    const auto table = readText("Allele,vWA,TH01\n14,0.5,0.5\n15,0.3,0.5\n", warnings);
    CHECK(table.markers[0].frequencies == std::vector<double>{0.5, 0.3});
    REQUIRE(warnings.messages().size() == 1);
    CHECK_THAT(warnings.messages()[0], Contains("frequencies.csv") && Contains("vWA") && Contains("0.8"));
}

TEST_CASE("A sum within 1e-6 of 1 gives no warning", "[formats]") {
    Warnings warnings;
    readText("Allele,vWA\n14,0.5\n15,0.5000005\n", warnings);
    CHECK(warnings.empty());
}

TEST_CASE("Malformed frequency CSVs are rejected with file, line and the offending value", "[formats]") {
    SECTION("empty file") {
        REQUIRE_THROWS_WITH(readText(""), Contains("frequencies.csv") && Contains("empty"));
        REQUIRE_THROWS_WITH(readText("\n\r\n  \n"), Contains("frequencies.csv") && Contains("empty"));
    }
    SECTION("first header cell is not Allele") {
        REQUIRE_THROWS_WITH(readText("Marker,vWA\n14,1\n"),
                            Contains("frequencies.csv:1:") && Contains("\"Marker\"") && Contains("Allele"));
    }
    SECTION("semicolon-separated header") {
        REQUIRE_THROWS_WITH(readText("Allele;vWA\n14;1\n"), Contains("frequencies.csv:1:") && Contains("semicolons"));
    }
    SECTION("header without markers") {
        REQUIRE_THROWS_WITH(readText("Allele\n14\n"), Contains("frequencies.csv:1:") && Contains("no marker columns"));
    }
    SECTION("empty marker name inside the header") {
        REQUIRE_THROWS_WITH(readText("Allele,,vWA\n14,,1\n"),
                            Contains("frequencies.csv:1:") && Contains("column 2") && Contains("no marker name"));
    }
    SECTION("duplicate marker column, compared case-insensitively after trimming") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA,TH01, VWA \n14,1,1,1\n"),
                            Contains("frequencies.csv:1:") && Contains("\"VWA\"") && Contains("repeats"));
    }
    SECTION("duplicate allele in a marker") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,0.5\n15,0.25\n14,0.25\n"),
                            Contains("frequencies.csv:4:") && Contains("\"14\"") && Contains("vWA") &&
                                Contains("twice") && Contains("line 2"));
    }
    SECTION("two spellings of one allele") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n9,0.5\n09,0.5\n"),
                            Contains("frequencies.csv:3:") && Contains("\"09\"") && Contains("same allele"));
    }
    SECTION("the same allele label in different markers is no duplicate") {
        REQUIRE_NOTHROW(readText("Allele,vWA,TH01\n14,1,\n14,,1\n"));
    }
    SECTION("non-numeric frequency") {
        REQUIRE_THROWS_WITH(readText("Allele,D3S1358,vWA\n12,0.5,\n14,0.5,0.x1\n"),
                            Contains("frequencies.csv:3:") && Contains("frequency \"0.x1\"") && Contains("allele 14") &&
                                Contains("marker vWA") && Contains("not a number") && Contains("between 0 and 1"));
    }
    SECTION("negative frequency") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,-0.1\n"),
                            Contains("frequencies.csv:2:") && Contains("\"-0.1\"") && Contains("negative"));
    }
    SECTION("frequency above 1") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,1.5\n"),
                            Contains("frequencies.csv:2:") && Contains("\"1.5\"") && Contains("greater than 1"));
    }
    SECTION("NaN and infinity") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,nan\n"),
                            Contains("frequencies.csv:2:") && Contains("\"nan\"") && Contains("not a number"));
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,NaN\n"),
                            Contains("frequencies.csv:2:") && Contains("not a number"));
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,inf\n"),
                            Contains("frequencies.csv:2:") && Contains("greater than 1"));
    }
    SECTION("row with more cells than the header") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,0.5\n15,0.5,0.1\n"),
                            Contains("frequencies.csv:3:") && Contains("3 cells") && Contains("header has 2"));
    }
    SECTION("empty allele label with a frequency") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n14,0.5\n,0.5\n"),
                            Contains("frequencies.csv:3:") && Contains("vWA") && Contains("no allele label"));
    }
    SECTION("marker with no alleles at all") {
        REQUIRE_THROWS_WITH(readText("Allele,vWA,TH01\n14,1,\n"),
                            Contains("frequencies.csv:1:") && Contains("TH01") && Contains("no alleles"));
        REQUIRE_THROWS_WITH(readText("Allele,vWA\n"), Contains("frequencies.csv:1:") && Contains("no alleles"));
    }
    SECTION("errors are InputErrors carrying file and line") {
        try {
            readText("Allele,vWA\n14,x\n");
            FAIL("expected an InputError");
        } catch (const InputError& e) {
            CHECK(e.file() == "frequencies.csv");
            CHECK(e.line() == 2);
        }
    }
}

TEST_CASE("A Familias list file gives one table per marker block", "[formats]") {
    Warnings warnings;
    const auto table = readText("D3S1358\n12\t0.25\n14\t0.75\n\nvWA\n14\t1\n", warnings, "freq.txt");
    REQUIRE(table.markers.size() == 2);
    CHECK(table.markers[0].marker == "D3S1358");
    CHECK(table.markers[0].alleles == std::vector<std::string>{"12", "14"});
    CHECK(table.markers[0].frequencies == std::vector<double>{0.25, 0.75});
    CHECK(table.markers[0].pos.line == 1);
    CHECK(table.markers[1].marker == "vWA");
    CHECK(table.markers[1].pos.line == 5);
    CHECK(warnings.empty());

    SECTION("with CRLF line ends, several blank lines and a marker name with a space") {
        const auto crlf = readText("Penta E\r\n5\t1\r\n\r\n\r\nvWA\r\n14\t0.5\r\n15\t0.5\r\n\r\n");
        REQUIRE(crlf.markers.size() == 2);
        CHECK(crlf.markers[0].marker == "Penta E");
        CHECK(crlf.markers[1].frequencies == std::vector<double>{0.5, 0.5});
    }
}

TEST_CASE("Malformed Familias list files are rejected with file and line", "[formats]") {
    SECTION("frequency line before any marker name") {
        Warnings warnings;
        REQUIRE_THROWS_WITH(readText("12\t0.5\nvWA\n14\t1\n", warnings, "freq.txt"),
                            Contains("freq.txt:1:") && Contains("before any marker name"));
    }
    SECTION("frequency line after a blank line without a new marker name") {
        REQUIRE_THROWS_WITH(readText("vWA\n14\t1\n\n15\t0.5\n"),
                            Contains("frequencies.csv:4:") && Contains("before any marker name"));
    }
    SECTION("a marker name without a blank line before it") {
        REQUIRE_THROWS_WITH(readText("vWA\n14\t1\nTH01\n6\t1\n"),
                            Contains("frequencies.csv:3:") && Contains("\"TH01\"") && Contains("blank line"));
    }
    SECTION("marker with no alleles") {
        REQUIRE_THROWS_WITH(readText("vWA\n\nTH01\n6\t1\n"), Contains("frequencies.csv:1:") && Contains("no alleles"));
    }
    SECTION("duplicate marker") {
        REQUIRE_THROWS_WITH(readText("vWA\n14\t1\n\nVWA\n14\t1\n"),
                            Contains("frequencies.csv:4:") && Contains("repeats") && Contains("line 1"));
    }
    SECTION("duplicate allele") {
        REQUIRE_THROWS_WITH(readText("vWA\n14\t0.5\n14\t0.5\n"), Contains("frequencies.csv:3:") && Contains("twice"));
    }
    SECTION("bad frequency") {
        REQUIRE_THROWS_WITH(readText("vWA\n14\t0,5\n"),
                            Contains("frequencies.csv:2:") && Contains("\"0,5\"") && Contains("not a number"));
        REQUIRE_THROWS_WITH(readText("vWA\n14\t2\n"), Contains("frequencies.csv:2:") && Contains("greater than 1"));
    }
    SECTION("three fields on a frequency line") {
        REQUIRE_THROWS_WITH(readText("vWA\n14\t0.5\t0.1\n"),
                            Contains("frequencies.csv:2:") && Contains("3 tab-separated fields"));
    }
    SECTION("empty allele label") {
        REQUIRE_THROWS_WITH(readText("vWA\n\t1\n"), Contains("frequencies.csv:2:") && Contains("no allele label"));
    }
}

TEST_CASE("The norSTR East Asian table reads the same from its CSV and its Familias file", "[formats]") {
    const std::string dir = std::string(KINMATCH_TEST_DATA_DIR) + "/frequencies/";
    Warnings csvWarnings;
    Warnings listWarnings;
    const auto csv = readFrequencyFile(dir + "norstr-east-asia-2023.csv", csvWarnings);
    const auto list = readFrequencyFile(dir + "norstr-east-asia-2023.familias.txt", listWarnings);
    CHECK(csv.source == dir + "norstr-east-asia-2023.csv");
    REQUIRE(csv.markers.size() == 40);
    REQUIRE(list.markers.size() == 40);
    for (std::size_t i = 0; i < csv.markers.size(); ++i) CHECK(csv.markers[i].marker == list.markers[i].marker);
    CHECK(asMap(csv) == asMap(list));
    CHECK(csv.markers[0].marker == "D1S1656");
    CHECK(list.markers[0].alleles.front() == "9");
    CHECK(list.markers[0].frequencies.front() == 0.001);
    CHECK(csvWarnings.empty());
    CHECK(listWarnings.empty());
}

TEST_CASE("An unreadable frequency file is an error naming the path and the reason", "[formats]") {
    Warnings warnings;
    REQUIRE_THROWS_WITH(readFrequencyFile("/nonexistent/dir/frequencies.csv", warnings),
                        Contains("/nonexistent/dir/frequencies.csv") && Contains("No such file or directory"));
    REQUIRE_THROWS_WITH(readFrequencyFile(KINMATCH_TEST_DATA_DIR, warnings), Contains("is a directory"));
}
