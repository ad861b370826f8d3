// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "formats/ProfileChunks.hpp"
#include "formats/ProfileReader.hpp"
#include "formats/TextLines.hpp"
#include "tests/support/SharedFixtures.hpp"

using Catch::Matchers::Contains;
using kinmatch::Profile;
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

// ---- The chunked reader against the serial one ----

namespace {

using kinmatch::formats::detail::ChunkOptions;
using kinmatch::formats::detail::readProfilesChunked;
using kinmatch::formats::detail::readProfilesSerial;

// A references file of `samples` samples with most of what labs write: homozygotes written
// once, untyped markers, amelogenin, marker names in another case, blank lines, CRLF and
// trailing blanks, and samples whose rows come in two groups far apart.
std::string bigFile(unsigned seed, int samples, bool tabs = false) {
    std::mt19937 rng(seed);
    const char* markers[] = {"D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51",
                             "D2S441", "D19S433", "TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820",
                             "SE33", "D10S1248", "D1S1656", "D12S391", "D2S1338"};
    const std::string sep = tabs ? "\t" : ",";
    std::string out = tabs ? "Sample File\tSample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\tHeight 1\r\n"
                           : "SampleName,Marker,Allele1,Allele2,Allele3\n";
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::vector<std::string> deferred;  // rows of split samples, written later
    for (int s = 0; s < samples; ++s) {
        const std::string name = "S" + std::to_string(100000 + s * 13 % samples);
        const bool split = pick(9) == 0;
        for (int m = 0; m < 21; ++m) {
            std::string marker = markers[m];
            if (pick(40) == 0) marker = kinmatch::formats::lowerAscii(marker);
            std::string a1 = std::to_string(8 + pick(12));
            std::string a2 = pick(5) == 0 ? "" : std::to_string(8 + pick(12)) + (pick(10) == 0 ? ".3" : "");
            if (pick(30) == 0) a1 = a2 = "";
            const std::string row = (tabs ? "A.fsa\t" : "") + name + sep + marker + sep + a1 + sep + a2 + sep +
                                    (tabs ? sep + "1200" : "") + (pick(7) == 0 ? " " : "") +
                                    (pick(5) == 0 ? "\r\n" : "\n");
            if (split && m >= 15)
                deferred.push_back(row);
            else
                out += row;
            if (pick(50) == 0) out += "\n";
        }
        if (pick(3) == 0) out += (tabs ? "A.fsa\t" : "") + name + sep + (pick(2) ? "AMEL" : "Amelogenin") + sep + "X" + sep + (pick(2) ? "Y" : "") + sep + "\n";
        if (deferred.size() > 40 || s + 1 == samples) {
            for (const auto& row : deferred) out += row;
            deferred.clear();
        }
    }
    return out;
}

// The start of line `line` (1-based) of `text`.
std::size_t lineStart(const std::string& text, std::size_t line) {
    std::size_t at = 0;
    for (std::size_t l = 1; l < line; ++l) at = text.find('\n', at) + 1;
    return at;
}

std::string withLine(const std::string& text, std::size_t line, const std::string& row) {
    std::string out = text;
    out.insert(lineStart(text, line), row + "\n");
    return out;
}

// The first row at or after `line` that is not blank, as "sample,marker"; `line` becomes its line.
std::string rowFrom(const std::string& text, std::size_t& line) {
    while (true) {
        const std::size_t at = lineStart(text, line);
        const std::string row = text.substr(at, text.find('\n', at) - at);
        const auto fields = kinmatch::formats::splitFields(row, ',');
        if (fields.size() > 1) return fields[0] + "," + fields[1];
        ++line;
    }
}

struct Outcome {
    std::optional<ProfileSet> set;
    std::string error;
};

template <typename Read>
Outcome outcomeOf(Read&& read) {
    try {
        return Outcome{read(), ""};
    } catch (const kinmatch::InputError& e) {
        return Outcome{std::nullopt, e.what()};
    }
}

void requireSameSets(const ProfileSet& a, const ProfileSet& b) {
    REQUIRE(a.source == b.source);
    kinmatch::test::requireSameProfiles(a.profiles, b.profiles);
}

// Chunked with several chunk and window sizes, against serial: same profiles or same error.
std::size_t compareReaders(const std::string& text, const std::string& name = "refs.csv") {
    std::istringstream serialIn(text);
    const Outcome serial = outcomeOf([&] { return readProfilesSerial(serialIn, name); });
    for (const ChunkOptions options : {ChunkOptions{64, 4096}, ChunkOptions{1000, 20000}, ChunkOptions{4096, 1 << 20},
                                       ChunkOptions{}}) {
        INFO("chunk " << options.chunkBytes << " window " << options.windowBytes);
        std::istringstream in(text);
        const Outcome chunked = outcomeOf([&] { return readProfilesChunked(in, name, options); });
        REQUIRE(chunked.error == serial.error);
        if (serial.set) requireSameSets(*chunked.set, *serial.set);
    }
    return serial.set ? serial.set->profiles.size() : 0;
}

}  // namespace

TEST_CASE("The chunked reader reads a large file exactly as the serial reader does", "[formats][chunks]") {
    for (unsigned seed : {1u, 2u}) {
        const std::string text = bigFile(seed, 700);
        REQUIRE(text.size() > 70 * 4096);  // many chunks at 4 KB, many windows at 20 KB
        CHECK(compareReaders(text) == 700);
        CHECK(compareReaders(bigFile(seed, 300, true), "export.txt") == 300);
    }
    // A sample whose rows straddle a chunk end: every chunk size above cuts some sample.
    const std::string text = bigFile(3, 200);
    const auto set = readProfilesSerial(*std::make_unique<std::istringstream>(text), "refs.csv");
    CHECK(std::any_of(set.profiles.begin(), set.profiles.end(), [](const Profile& p) {
        return p.markers.size() > 2 && p.markers.back().pos.line - p.markers.front().pos.line > 40;
    }));  // and some come in two groups far apart
}

namespace {

// The first data row whose text contains `part`, as "sample,marker"; `line` gets its line.
std::string findRow(const std::string& text, const std::string& part, std::size_t& line) {
    std::istringstream in(text);
    std::string row;
    for (line = 1; std::getline(in, row); ++line)
        if (line > 1 && row.find(part) != std::string::npos) {
            const auto fields = kinmatch::formats::splitFields(row, ',');
            return fields[0] + "," + fields[1];
        }
    FAIL("no row with " << part);
    return "";
}

// The error both readers report (they must agree), with the line it names.
std::string errorOf(const std::string& text) {
    std::istringstream in(text);
    const Outcome serial = outcomeOf([&] { return readProfilesSerial(in, "refs.csv"); });
    REQUIRE_FALSE(serial.error.empty());
    compareReaders(text);
    return serial.error;
}

std::string at(std::size_t line) { return "refs.csv:" + std::to_string(line) + ":"; }

}  // namespace

TEST_CASE("The chunked reader reports the first error in file order, worded as the serial reader words it",
          "[formats][chunks]") {
    const std::string text = bigFile(4, 400);
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    const std::size_t late = lines - 300;  // in a late chunk, far from the early rows
    std::size_t earlyLine = 3, amelLine = 0, untypedLine = 0;
    const std::string early = rowFrom(text, earlyLine);  // sample,marker of an early row
    const std::string amel = findRow(text, ",AMEL,", amelLine);
    const std::string untyped = findRow(text, ",,,", untypedLine);  // a marker row without alleles
    REQUIRE(amelLine < late - 400);
    REQUIRE(untypedLine < late - 400);
    SECTION("one error of each kind in a late chunk") {
        for (const std::string& row :
             {std::string("S9,vWA,14,15,16,17"), std::string(",vWA,14,15"), std::string("S9,,14,15"),
              std::string("S9,vWA,1,2,3"), early + ",11,12", early + ",11,12,13", amel + ",X,Y",
              amel.substr(0, amel.find(',')) + ",amelogenin,X,", untyped + ",8,9", untyped + ",8,9,10"}) {
            INFO(row);
            CHECK_THAT(errorOf(withLine(text, late, row)), Contains(at(late)));
            CHECK_THAT(errorOf(withLine(withLine(text, late, row), 2, "S1,TPOX,8,")), Contains(at(late + 1)));
        }
        CHECK_THAT(errorOf(withLine(text, late, early + ",11,12,13")),
                   Contains("twice") && Contains("first at line " + std::to_string(earlyLine)));
        CHECK_THAT(errorOf(withLine(text, late, untyped + ",8,9")),
                   Contains("twice") && Contains("first at line " + std::to_string(untypedLine)));
    }
    SECTION("two errors: the earlier line wins whichever chunk finds it") {
        CHECK_THAT(errorOf(withLine(withLine(text, late, "S9,,14,15"), late - 150, early + ",11,12")),
                   Contains(at(late - 150)) && Contains("twice"));
        CHECK_THAT(errorOf(withLine(withLine(text, late, early + ",11,12"), late - 150, "S9,,14,15")),
                   Contains(at(late - 150)) && Contains("no marker name"));
        CHECK_THAT(errorOf(withLine(withLine(text, late, early + ",11,12"), late + 1, "S9,vWA,1,2,3")),
                   Contains(at(late)) && Contains("twice"));
        CHECK_THAT(errorOf(withLine(withLine(text, late, "S9,vWA,1,2,3"), late + 1, early + ",11,12")),
                   Contains(at(late)) && Contains("3 alleles"));
        // Twice more in one late chunk: the first of them is reported, with the early line.
        CHECK_THAT(errorOf(withLine(withLine(text, late, early + ",11,12"), late + 3, early + ",13,14")),
                   Contains(at(late)) && Contains("first at line " + std::to_string(earlyLine)));
    }
    SECTION("a sample given again after others, markers compared ignoring case") {
        const auto marker = early.substr(early.find(',') + 1);
        const auto sample = early.substr(0, early.find(','));
        CHECK_THAT(errorOf(withLine(text, late, sample + "," + kinmatch::formats::lowerAscii(marker) + ",9,10")),
                   Contains(at(late)) && Contains("twice"));
        REQUIRE_THROWS_WITH(readText(withLine(text, late, early + ",11,12"), "refs.csv"),
                            Contains(at(late)) && Contains("twice") &&
                                Contains("first at line " + std::to_string(earlyLine)));
    }
}

TEST_CASE("FieldSplitter's 16-byte scan splits every line as a character-by-character scan does", "[formats][chunks]") {
    // The reference: the plain loop the fast path replaced (no quote: split and trim; a quote
    // anywhere: the unquoting path, which both share).
    const auto reference = [](std::string_view line, char delimiter) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= line.size(); ++i)
            if (i == line.size() || line[i] == delimiter) {
                fields.emplace_back(kinmatch::formats::trim(line.substr(start, i - start)));
                start = i + 1;
            }
        return fields;
    };
    std::mt19937 rng(9);
    const std::string alphabet = "ab1. \t,,\t";
    kinmatch::formats::FieldSplitter splitter;
    for (int i = 0; i < 20000; ++i) {
        std::string line;
        const int length = static_cast<int>(rng() % 70);
        for (int c = 0; c < length; ++c) line += alphabet[rng() % alphabet.size()];
        for (const char delimiter : {',', '\t'}) {
            const auto& fields = splitter.split(line, delimiter);
            const std::vector<std::string> got(fields.begin(), fields.end());
            INFO("line \"" << line << "\"");
            REQUIRE(got == reference(line, delimiter));
        }
    }
    // A quote anywhere, in the 16-byte blocks or in the tail, takes the unquoting path.
    for (const std::string& line : {std::string("\"S1\",vWA,14,15"), std::string("S1,vWA,14,\"15\""),
                                   std::string("SampleNumberOne,D3S1358,\"1\"\"5\",16"),
                                   std::string("0123456789abcdef,\"x\"")}) {
        const auto& fields = splitter.split(line, ',');
        CHECK(std::vector<std::string>(fields.begin(), fields.end()) == kinmatch::formats::splitFields(line, ','));
        CHECK(std::none_of(fields.begin(), fields.end(), [](std::string_view f) {
            return f.size() >= 2 && f.front() == '"' && f.back() == '"';
        }));
    }
}
