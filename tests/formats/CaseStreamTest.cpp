// SPDX-License-Identifier: MIT
// The streaming readers must give what the whole-file readers give (and prepareCase resolves)
// for files laid out as labs write them, and must say so when a file is laid out otherwise.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Errors.hpp"
#include "engine/FamilySource.hpp"
#include "engine/ReferenceCensus.hpp"
#include "formats/CaseStream.hpp"
#include "formats/PedigreeReader.hpp"
#include "formats/ProfileChunks.hpp"
#include "formats/ProfileReader.hpp"
#include "tests/support/RunKinmatch.hpp"
#include "tests/support/SharedFixtures.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch;
using formats::detail::ChunkOptions;

namespace {

// ---- Profiles ----

const char* const kMarkers[] = {"D3S1358", "vWA",     "D16S539", "CSF1PO",  "TPOX",   "D8S1179", "D21S11",
                                "D18S51",  "D2S441",  "D19S433", "TH01",    "FGA",    "D22S1045", "D5S818",
                                "D13S317", "D7S820",  "SE33",    "D10S1248", "D1S1656", "D12S391", "D2S1338"};

// A references file with each sample's rows adjacent and most of what labs write besides:
// homozygotes written once, untyped markers, amelogenin, marker names in another case, blank
// lines, CRLF and trailing blanks.
std::string adjacentFile(unsigned seed, int samples) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::string out = "SampleName,Marker,Allele1,Allele2,Allele3\n";
    for (int s = 0; s < samples; ++s) {
        const std::string name = "S" + std::to_string(100000 + s * 7 % samples);
        for (int m = 0; m < 21; ++m) {
            std::string marker = kMarkers[m];
            if (pick(40) == 0) marker = formats::lowerAscii(marker);
            std::string a1 = std::to_string(8 + pick(12));
            std::string a2 = pick(5) == 0 ? "" : std::to_string(8 + pick(12)) + (pick(10) == 0 ? ".3" : "");
            if (pick(30) == 0) a1 = a2 = "";
            out += name + "," + marker + "," + a1 + "," + a2 + "," + (pick(7) == 0 ? " " : "") +
                   (pick(5) == 0 ? "\r\n" : "\n");
            if (pick(50) == 0) out += "\n";
            if (m == 10 && pick(3) == 0) out += name + "," + (pick(2) ? "AMEL" : "Amelogenin") + ",X," + (pick(2) ? "Y" : "") + "\n";
        }
    }
    return out;
}

std::vector<Profile> streamed(const std::string& path, const ChunkOptions& options, bool& complete) {
    std::vector<Profile> out;
    complete = formats::detail::streamProfileFile(path, [&](const Profile& p) { out.push_back(p); }, options);
    return out;
}


// Chunk and window sizes from a few rows to the default: at 64 bytes every sample's ~21 rows
// straddle chunk ends, at a window of 300 bytes they straddle windows too.
const std::initializer_list<ChunkOptions> kChunkSizes{ChunkOptions{64, 300}, ChunkOptions{64, 4096},
                                                      ChunkOptions{1000, 20000}, ChunkOptions{}};

// The message of the InputError `read` throws, or "" when it throws none.
template <typename Read>
std::string errorOf(Read&& read) {
    try {
        read();
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("streamProfileFile hands on readProfileFile's profiles, one at a time in file order", "[casestream]") {
    test::TempDir dir;
    for (unsigned seed : {1u, 2u}) {
        const std::string path = (dir / ("refs" + std::to_string(seed) + ".csv")).string();
        test::writeFile(path, adjacentFile(seed, 300));
        const ProfileSet whole = formats::readProfileFile(path);
        REQUIRE(whole.profiles.size() == 300);
        for (const ChunkOptions& options : kChunkSizes) {
            INFO("chunk " << options.chunkBytes << " window " << options.windowBytes);
            bool complete = false;
            const auto profiles = streamed(path, options, complete);
            CHECK(complete);
            test::requireSameProfiles(profiles, whole.profiles);
        }
    }
    SECTION("the public entry point reads with the default sizes") {
        const std::string path = (dir / "small.csv").string();
        test::writeFile(path, "SampleName,Marker,Allele1,Allele2\nA,vWA,14,15\nA,AMEL,X,Y\nB,vWA,16,\n");
        std::vector<Profile> profiles;
        CHECK(formats::streamProfileFile(path, [&](const Profile& p) { profiles.push_back(p); }));
        test::requireSameProfiles(profiles, formats::readProfileFile(path).profiles);
    }
}

TEST_CASE("streamProfileFile reports the bytes read, ending at the file's size", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "refs.csv").string();
    test::writeFile(path, adjacentFile(3, 200));
    const auto fileBytes = static_cast<std::size_t>(std::filesystem::file_size(path));
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    ChunkOptions options;
    options.chunkBytes = 2000;
    options.windowBytes = 9000;
    std::size_t profiles = 0;
    CHECK(formats::detail::streamProfileFile(
        path, [&](const Profile&) { ++profiles; }, options,
        [&](std::size_t read, std::size_t total) { calls.emplace_back(read, total); }));
    CHECK(profiles == 200);
    REQUIRE(calls.size() > 10);
    for (std::size_t i = 0; i < calls.size(); ++i) {
        CHECK(calls[i].second == fileBytes);
        CHECK(calls[i].first <= fileBytes);
        if (i > 0) CHECK(calls[i].first >= calls[i - 1].first);
    }
    CHECK(calls.back().first == fileBytes);
    // Every chunk's bytes counted once: the call before the last is the file minus its header.
    CHECK(calls[calls.size() - 2].first == fileBytes - std::string("SampleName,Marker,Allele1,Allele2,Allele3\n").size());
}

TEST_CASE("A sample whose rows straddle a chunk end is handed on once, whole", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "refs.csv").string();
    // 30-byte chunks: B's six rows lie in several chunks and windows.
    test::writeFile(path,
                    "SampleName,Marker,Allele1,Allele2\n"
                    "A,vWA,14,15\n"
                    "B,vWA,16,17\n"
                    "B,TH01,6,\n"
                    "\n"
                    "B,FGA,,\n"
                    "B,Amelogenin,X,\n"
                    "B,D3S1358,15,16\n"
                    "B,TPOX,8,9\n"
                    "C,vWA,14,15\n");
    for (const ChunkOptions options : {ChunkOptions{30, 30}, ChunkOptions{13, 60}, ChunkOptions{30, 1000}}) {
        bool complete = false;
        const auto profiles = streamed(path, options, complete);
        CHECK(complete);
        test::requireSameProfiles(profiles, formats::readProfileFile(path).profiles);
        REQUIRE(profiles.size() == 3);
        CHECK(profiles[1].markers.size() == 4);
        CHECK(profiles[1].amelogenin.size() == 1);
        CHECK(profiles[1].markers.back().pos.line == 9);
    }
}

TEST_CASE("streamProfileFile returns false when a sample's rows are not adjacent", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "refs.csv").string();
    SECTION("a sample met again in the same chunk or a later one") {
        test::writeFile(path,
                        "SampleName,Marker,Allele1,Allele2\n"
                        "A,vWA,14,15\n"
                        "A,TH01,6,7\n"
                        "B,vWA,16,17\n"
                        "B,TH01,6,\n"
                        "C,vWA,16,17\n"
                        "A,FGA,20,21\n"
                        "D,vWA,16,17\n");
        for (const ChunkOptions options : {ChunkOptions{}, ChunkOptions{20, 40}, ChunkOptions{40, 1000}}) {
            INFO("chunk " << options.chunkBytes << " window " << options.windowBytes);
            bool complete = true;
            const auto profiles = streamed(path, options, complete);
            CHECK_FALSE(complete);
            for (const Profile& p : profiles) CHECK(p.sampleName != "D");  // stopped early
        }
    }
    SECTION("a large file with one sample's row moved far away") {
        std::string text = adjacentFile(5, 200);
        const std::size_t row = text.find("\nS100003,");
        const std::size_t rowEnd = text.find('\n', row + 1);
        const std::string moved = text.substr(row + 1, rowEnd - row);
        text.erase(row + 1, rowEnd - row);
        text += moved;
        test::writeFile(path, text);
        for (const ChunkOptions& options : kChunkSizes) {
            bool complete = true;
            streamed(path, options, complete);
            CHECK_FALSE(complete);
        }
        CHECK(formats::readProfileFile(path).profiles.size() == 200);  // which the whole reader reads
    }
}

TEST_CASE("streamProfileFile reports a marker given twice across a chunk end at the second row", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "refs.csv").string();
    const std::string head =
        "SampleName,Marker,Allele1,Allele2,Allele3\n"
        "A,vWA,14,15\n"
        "B,D3S1358,15,16\n"  // line 3
        "B,vWA,16,17\n"
        "B,TH01,6,\n"
        "B,FGA,,\n"  // line 6: untyped, still a row of B's FGA
        "B,TPOX,8,9\n";
    const auto check = [&](const std::string& row, std::size_t first) {
        INFO(row);
        test::writeFile(path, head + row + "\nC,vWA,14,15\n");
        const std::string whole = errorOf([&] { formats::readProfileFile(path); });
        REQUIRE_THAT(whole, Contains(path + ":8:") && Contains("first at line " + std::to_string(first)));
        for (const ChunkOptions options : {ChunkOptions{30, 30}, ChunkOptions{40, 100}, ChunkOptions{}}) {
            INFO("chunk " << options.chunkBytes << " window " << options.windowBytes);
            bool complete = false;
            CHECK(errorOf([&] { streamed(path, options, complete); }) == whole);
        }
    };
    check("B,d3s1358,15,17", 3);
    check("B,FGA,20,21", 6);
    check("B,D3S1358,1,2,3", 3);  // too many alleles, but the duplicate is checked first
}

TEST_CASE("streamProfileFile rejects an empty or header-only file as readProfileFile does", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "refs.csv").string();
    for (const std::string text : {"", "\n\n", "SampleName,Marker,Allele1,Allele2\n\n", "Sample,Locus\nA,vWA\n"}) {
        test::writeFile(path, text);
        const std::string whole = errorOf([&] { formats::readProfileFile(path); });
        REQUIRE_FALSE(whole.empty());
        CHECK(errorOf([&] { formats::streamProfileFile(path, [](const Profile&) {}); }) == whole);
    }
    CHECK_THROWS_AS(formats::streamProfileFile((dir / "absent.csv").string(), [](const Profile&) {}), InputError);
}

namespace {

// ---- Pedigrees ----

const std::string kHeader = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";

std::string row(std::initializer_list<std::string> fields) {
    std::string line;
    for (const std::string& f : fields) line += (line.empty() ? "" : "\t") + f;
    return line + "\n";
}

FrequencyTable frequencies() {
    const auto marker = [](const std::string& name, std::vector<std::string> alleles, std::vector<double> f) {
        return MarkerFrequencies{name, std::move(alleles), std::move(f), {"freqs.csv", 1}};
    };
    return FrequencyTable{"freqs.csv",
                          {marker("D3S1358", {"8", "9", "10", "11"}, {0.1, 0.2, 0.3, 0.4}),
                           marker("vWA", {"14", "12", "13", "15"}, {0.25, 0.25, 0.25, 0.25}),
                           marker("FGA", {"20", "21", "22"}, {0.5, 0.3, 0.2})}};
}

struct PedigreeCase {
    std::string pedigrees;  // file text
    ProfileSet references;  // every sample the pedigrees name, and some they do not
};

// `families` families of four shapes: parents and a missing child; a person with one parent
// given (a placeholder founder and a warning); two missing children; children listed before
// their parents. Alleles include some rare ones (not in the table).
PedigreeCase makeCase(unsigned seed, int families) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    PedigreeCase c;
    c.references.source = "refs.csv";
    int samples = 0;
    const auto profile = [&](const std::string& name) {
        Profile p;
        p.sampleName = name;
        const auto allele = [&](int lo, int n) { return InternedString(std::to_string(lo + pick(n))); };
        p.markers.push_back(MarkerCall{"D3S1358", {allele(7, 5), allele(8, 4)}, {}});
        if (pick(4) != 0) p.markers.push_back(MarkerCall{"vWA", {allele(12, 5)}, {}});
        p.markers.push_back(MarkerCall{"FGA", {allele(20, 3), allele(20, 3)}, {}});
        c.references.profiles.push_back(std::move(p));
    };
    const auto sample = [&]() {
        const std::string name = "R" + std::to_string(samples++);
        profile(name);
        if (pick(5) == 0) profile("R" + std::to_string(samples++));  // a reference nobody names
        return name;
    };
    std::string& text = c.pedigrees;
    text = kHeader;
    for (int f = 0; f < families; ++f) {
        const std::string fam = "F" + std::to_string(1000 + f);
        const auto id = [&](const char* who) { return fam + "-" + who; };
        switch (f % 4) {
            case 0:
                text += row({fam, id("father"), "0", "0", "1", sample(), "0"});
                text += row({fam, id("mother"), "0", "0", "2", pick(2) ? sample() : ".", "0"});
                text += row({fam, id("mp"), id("father"), id("mother"), "1", ".", "1"});
                break;
            case 1:
                text += row({fam, id("gf"), "0", "0", "1", sample(), "0"});
                text += row({fam, id("dad"), id("gf"), "0", "1", ".", "0"});  // one parent
                text += row({fam, id("mp"), id("dad"), "0", "2", ".", "1"});   // one parent
                if (pick(2)) text += "\n";
                text += row({fam, id("aunt"), "0", "0", "2", sample(), "0"});
                break;
            case 2:
                text += row({fam, id("mother"), "0", "0", "2", sample(), "0"});
                text += row({fam, id("father"), "0", "0", "1", ".", "0"});
                text += row({fam, id("mp1"), id("father"), id("mother"), "1", ".", "1"});
                text += row({fam, id("mp2"), id("father"), id("mother"), "2", ".", "1"});
                text += row({fam, id("sib"), id("father"), id("mother"), "0", sample(), "0"});
                break;
            default:
                text += row({fam, id("z-child"), id("b-father"), id("a-mother"), "2", sample(), "0"});
                text += row({fam, id("mp"), id("b-father"), id("a-mother"), "1", ".", "1"});
                text += row({fam, id("b-father"), "0", "0", "1", ".", "0"});
                text += row({fam, id("a-mother"), "0", "0", "2", sample(), "0"});
                break;
        }
    }
    return c;
}

engine::ReferenceStore storeOf(const engine::PreparedCase& prepared) {
    engine::ReferenceStore store(prepared.markers.size());
    for (const engine::Sample& s : prepared.references) store.add(s.name, s.genotypes);
    return store;
}

void checkSameSample(const engine::Sample& actual, const engine::Sample& expected) {
    CHECK(actual.name == expected.name);
    REQUIRE(actual.genotypes.size() == expected.genotypes.size());
    for (std::size_t m = 0; m < expected.genotypes.size(); ++m) {
        CHECK(actual.genotypes[m].allele1 == expected.genotypes[m].allele1);
        CHECK(actual.genotypes[m].allele2 == expected.genotypes[m].allele2);
    }
}

void checkSamePiece(const engine::FamilyPiece& actual, const engine::FamilyPiece& expected) {
    REQUIRE(actual.families.size() == expected.families.size());
    CHECK(actual.references.size() == expected.references.size());
    for (std::size_t f = 0; f < expected.families.size(); ++f) {
        const engine::Family& x = actual.families[f];
        const engine::Family& y = expected.families[f];
        INFO("family " << y.name);
        CHECK(x.name == y.name);
        CHECK(x.missingPersons == y.missingPersons);
        REQUIRE(x.persons.size() == y.persons.size());
        for (std::size_t p = 0; p < y.persons.size(); ++p) {
            const engine::Person& a = x.persons[p];
            const engine::Person& b = y.persons[p];
            INFO("person " << b.id);
            CHECK(a.id == b.id);
            CHECK(a.father == b.father);
            CHECK(a.mother == b.mother);
            CHECK(a.sex == b.sex);
            CHECK(a.missing == b.missing);
            REQUIRE((a.reference < 0) == (b.reference < 0));
            if (b.reference >= 0) {
                REQUIRE(static_cast<std::size_t>(a.reference) < actual.references.size());
                checkSameSample(actual.references[static_cast<std::size_t>(a.reference)],
                                expected.references[static_cast<std::size_t>(b.reference)]);
            }
        }
    }
}

}  // namespace

TEST_CASE("StreamedFamilies gives prepareCase's families piece by piece, with their references and warnings",
          "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "pedigrees.tsv").string();
    const PedigreeCase c = makeCase(7, 41);
    test::writeFile(path, c.pedigrees);
    Warnings readWarnings;
    const PedigreeSet pedigrees = formats::readPedigreeFile(path, readWarnings);
    REQUIRE(readWarnings.messages().size() >= 10);  // two placeholders in every fourth family
    Warnings prepareWarnings;
    const engine::PreparedCase prepared =
        engine::prepareCase(frequencies(), c.references, pedigrees, ProfileSet{"remains.csv", {}}, {}, prepareWarnings);
    const engine::ReferenceStore store = storeOf(prepared);

    for (std::size_t batch : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{1000}}) {
        INFO("batch of " << batch << " missing persons");
        formats::StreamedFamilies streamed(path, store, "refs.csv");
        CHECK(streamed.adjacent());
        CHECK(streamed.familyCount() == 41);
        engine::PreparedFamilies whole(prepared);
        engine::FamilyPiece actual, expected;
        std::vector<std::string> warnings;
        std::size_t pieces = 0;
        while (whole.next(batch, expected)) {
            REQUIRE(streamed.next(batch, actual));
            checkSamePiece(actual, expected);
            warnings.insert(warnings.end(), actual.warnings.begin(), actual.warnings.end());
            ++pieces;
        }
        actual.families.resize(1);
        CHECK_FALSE(streamed.next(batch, actual));
        CHECK(actual.families.empty());
        CHECK(warnings == readWarnings.messages());
        if (batch <= 1) CHECK(pieces == 41);
        if (batch == 1000) CHECK(pieces == 1);
    }
}

TEST_CASE("StreamedFamilies counts families and tells when a family's rows are not adjacent", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "pedigrees.tsv").string();
    const engine::ReferenceStore store(0);
    const auto family = [](const std::string& name, const std::string& who) {
        return row({name, name + who, "0", "0", "1", ".", "1"});
    };
    test::writeFile(path, "\n" + kHeader + family("A", "1") + family("A", "2") + "\n" + family("B", "1") +
                              family("C", "1") + family("C", "2"));
    formats::StreamedFamilies adjacent(path, store, "refs.csv");
    CHECK(adjacent.adjacent());
    CHECK(adjacent.familyCount() == 3);

    test::writeFile(path, kHeader + family("A", "1") + family("B", "1") + family("A", "2") + family("C", "1"));
    formats::StreamedFamilies interleaved(path, store, "refs.csv");
    CHECK_FALSE(interleaved.adjacent());
    engine::FamilyPiece piece;
    CHECK_THROWS_AS(interleaved.next(10, piece), std::logic_error);

    SECTION("a header-only file or a bad header is an error at once, as for the whole reader") {
        for (const std::string& text : {kHeader, std::string(""), "family\tid\tsex\n" + family("A", "1")}) {
            test::writeFile(path, text);
            Warnings warnings;
            const std::string whole = errorOf([&] { formats::readPedigreeFile(path, warnings); });
            REQUIRE_FALSE(whole.empty());
            CHECK(errorOf([&] { formats::StreamedFamilies(path, store, "refs.csv"); }) == whole);
        }
    }
}

TEST_CASE("StreamedFamilies rejects bad rows, samples named twice and samples not in the references", "[casestream]") {
    test::TempDir dir;
    const std::string path = (dir / "pedigrees.tsv").string();
    engine::ReferenceStore store(1);
    for (const char* name : {"R1", "R2", "R3"}) store.add(name, std::vector<engine::Genotype>{{0, 1}});
    const auto errorOfNext = [&](const std::string& text) {
        test::writeFile(path, text);
        return errorOf([&] {
            formats::StreamedFamilies families(path, store, "refs.csv");
            engine::FamilyPiece piece;
            while (families.next(1, piece)) {
            }
        });
    };
    const std::string first = kHeader + row({"A", "a1", "0", "0", "1", "R1", "0"}) +  // line 2
                              row({"A", "a2", "0", "0", "2", "R2", "1"});
    SECTION("a sample named by a second person, in the same family or a later one") {
        CHECK_THAT(errorOfNext(first + row({"A", "a3", "0", "0", "2", "R1", "1"})),
                   Contains(path + ":4:") && Contains("sample R1 of person a3"));
        CHECK_THAT(errorOfNext(first + row({"B", "b1", "0", "0", "1", "R3", "1"}) + row({"C", "c1", "0", "0", "1", ".", "1"}) +
                               row({"C", "c2", "0", "0", "1", "R2", "0"})),
                   Contains(path + ":6:") && Contains("sample R2 of person c2"));
    }
    SECTION("a sample not in the references") {
        CHECK_THAT(errorOfNext(first + row({"B", "b1", "0", "0", "1", "R9", "1"})),
                   Contains(path + ":4:") && Contains("R9") && Contains("not in the references refs.csv"));
    }
    SECTION("rows and families the whole reader rejects, with its message") {
        for (const std::string& bad : {row({"B", "b1", "0", "0", "1", "1"}), row({"B", "b1", "0", "0", "3", ".", "1"}),
                                      row({"B", "b1", "0", "0", "1", ".", "0"}),
                                      row({"B", "b1", "0", "0", "1", ".", "1"}) + row({"B", "b1", "0", "0", "2", ".", "0"}),
                                      row({"B", "b1", "x", "0", "1", ".", "1"})}) {
            INFO(bad);
            Warnings warnings;
            test::writeFile(path, first + bad);
            const std::string whole = errorOf([&] { formats::readPedigreeFile(path, warnings); });
            REQUIRE_FALSE(whole.empty());
            CHECK(errorOfNext(first + bad) == whole);
        }
    }
}
