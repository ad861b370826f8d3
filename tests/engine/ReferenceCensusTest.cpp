// SPDX-License-Identifier: MIT
// The census must build what prepareCase builds from the same input, value for value and
// warning for warning, although it sees the references one at a time and numbers their
// alleles before it knows the final, sorted alleles. Every case here runs both and compares.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Errors.hpp"
#include "engine/ReferenceCensus.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

MarkerFrequencies marker(const std::string& name, std::vector<std::string> alleles, std::vector<double> frequencies) {
    return MarkerFrequencies{name, std::move(alleles), std::move(frequencies), {"freqs.csv", 1}};
}

// Three markers; alleles start at 8 (so a rare 6 sorts first) and the second is not in
// numeric order in the file.
FrequencyTable standardTable() {
    return FrequencyTable{"freqs.csv",
                          {marker("D3S1358", {"8", "9", "10", "11"}, {0.1, 0.2, 0.3, 0.4}),
                           marker("vWA", {"14", "12", "13", "15.2"}, {0.25, 0.25, 0.25, 0.25}),
                           marker("FGA", {"20", "21", "22"}, {0.5, 0.3, 0.2})}};
}

MarkerCall call(const std::string& markerName, std::vector<std::string> alleles) {
    MarkerCall c{markerName, {}, {}};
    for (const auto& a : alleles) c.alleles.push_back(a);
    return c;
}

Profile profile(const std::string& name, std::vector<MarkerCall> calls) {
    Profile p;
    p.sampleName = name;
    p.markers = std::move(calls);
    return p;
}

void checkSameSample(const Sample& actual, const Sample& expected) {
    INFO("sample " << expected.name);
    CHECK(actual.name == expected.name);
    REQUIRE(actual.genotypes.size() == expected.genotypes.size());
    for (std::size_t m = 0; m < expected.genotypes.size(); ++m) {
        INFO("marker " << m);
        CHECK(actual.genotypes[m].allele1 == expected.genotypes[m].allele1);
        CHECK(actual.genotypes[m].allele2 == expected.genotypes[m].allele2);
    }
}

struct Both {
    PreparedCase expected;
    ReferenceCensus::Finished actual;
    std::vector<std::string> warnings;  // the census's (checked equal to prepareCase's)
};

// Runs prepareCase and the census on the same input and checks that they agree.
Both runBoth(const FrequencyTable& frequencies, const ProfileSet& references, const ProfileSet& remains,
             const PrepareOptions& options = {}) {
    Warnings expectedWarnings;
    PreparedCase expected =
        prepareCase(frequencies, references, PedigreeSet{"peds.tsv", {}}, remains, options, expectedWarnings);

    Warnings warnings;
    ReferenceCensus census(frequencies, options, warnings);
    for (const auto& p : references.profiles) census.add(p);
    ReferenceCensus::Finished actual = census.finish(remains, references.source);

    REQUIRE(actual.markers.size() == expected.markers.size());
    for (std::size_t m = 0; m < expected.markers.size(); ++m) {
        INFO("marker " << expected.markers[m].name);
        CHECK(actual.markers[m].name == expected.markers[m].name);
        CHECK(actual.markers[m].alleles == expected.markers[m].alleles);
        CHECK(actual.markers[m].frequencies == expected.markers[m].frequencies);
    }
    REQUIRE(actual.references.size() == expected.references.size());
    CHECK(actual.references.markerCount() == expected.markers.size());
    for (std::size_t i = 0; i < expected.references.size(); ++i)
        checkSameSample(actual.references.sample(i), expected.references[i]);
    REQUIRE(actual.remains.size() == expected.remains.size());
    for (std::size_t i = 0; i < expected.remains.size(); ++i) checkSameSample(actual.remains[i], expected.remains[i]);
    CHECK(warnings.messages() == expectedWarnings.messages());
    return Both{std::move(expected), std::move(actual), warnings.messages()};
}

bool anyWarningContains(const std::vector<std::string>& warnings, const std::string& text) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("Census: no rare allele, table order differs from sorted order", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"8", "11"}), call("vWA", {"14", "12"}), call("FGA", {"22", "20"})}),
                           profile("R2", {call("vWA", {"15.2", "13"})})}};
    const auto both = runBoth(standardTable(), refs, ProfileSet{"remains.csv", {}});
    // vWA is listed 14,12,13,15.2 in the file: the census's table numbering must be undone.
    CHECK(both.expected.markers[1].alleles == std::vector<std::string>{"12", "13", "14", "15.2"});
    CHECK(both.actual.references.genotypes(0)[1].allele1 == 0);
    CHECK(both.actual.references.genotypes(0)[1].allele2 == 2);
    CHECK(both.warnings.empty());
}

TEST_CASE("Census: rare alleles only in the references", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"12", "8"}), call("FGA", {"23", "24"})}),
                           profile("R2", {call("D3S1358", {"12", "13"}), call("FGA", {"20", "24"})}),
                           profile("R3", {call("D3S1358", {"9", "10"})})}};
    const ProfileSet remains{"remains.csv", {profile("U1", {call("D3S1358", {"11", "9"}), call("FGA", {"20", "21"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    CHECK(both.expected.markers[0].alleles == std::vector<std::string>{"8", "9", "10", "11", "12", "13"});
    CHECK(both.expected.markers[2].alleles == std::vector<std::string>{"20", "21", "22", "23", "24"});
    CHECK(both.warnings.size() == 4);
}

TEST_CASE("Census: rare alleles only in the remains", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"11", "8"}), call("FGA", {"22", "21"})}),
                           profile("R2", {call("D3S1358", {"10", "10"})})}};
    // 7 and 9.3 sort among the table's alleles, so the references' indices shift.
    const ProfileSet remains{"remains.csv",
                             {profile("U1", {call("D3S1358", {"7", "9.3"}), call("FGA", {"19", "21"})}),
                              profile("U2", {call("D3S1358", {"8", "9.3"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    CHECK(both.expected.markers[0].alleles == std::vector<std::string>{"7", "8", "9", "9.3", "10", "11"});
    CHECK(both.actual.references.genotypes(0)[0].allele1 == 1);
    CHECK(both.actual.references.genotypes(0)[0].allele2 == 5);
    CHECK(both.warnings.size() == 3);
}

TEST_CASE("Census: rare alleles in references and remains", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"14", "8"}), call("vWA", {"16", "11"})}),
                           profile("R2", {call("D3S1358", {"12", "14"})})}};
    const ProfileSet remains{"remains.csv",
                             {profile("U1", {call("D3S1358", {"12", "13"}), call("vWA", {"11", "17"})}),
                              profile("U2", {call("D3S1358", {"14"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    CHECK(both.expected.markers[0].alleles == std::vector<std::string>{"8", "9", "10", "11", "12", "13", "14"});
    CHECK(both.expected.markers[1].alleles == std::vector<std::string>{"11", "12", "13", "14", "15.2", "16", "17"});
    // 14 is carried by a reference and a remains: one warning naming both.
    CHECK(anyWarningContains(both.warnings, "allele 14 (in R1, R2, U2)"));
}

TEST_CASE("Census: a rare allele that sorts before the table's alleles", "[census]") {
    // 6 is seen first, so it gets the first provisional number after the table's; it must end
    // up as allele 0 and move every table allele up by one.
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"6", "11"})}),
                           profile("R2", {call("D3S1358", {"8", "9"})}),
                           profile("R3", {call("D3S1358", {"6", "6"})})}};
    const auto both = runBoth(standardTable(), refs, ProfileSet{"remains.csv", {}});
    CHECK(both.expected.markers[0].alleles.front() == "6");
    const auto r1 = both.actual.references.genotypes(0)[0];
    CHECK((r1.allele1 == 0 && r1.allele2 == 4));
    const auto r2 = both.actual.references.genotypes(1)[0];
    CHECK((r2.allele1 == 1 && r2.allele2 == 2));
}

TEST_CASE("Census: non-numeric rare alleles sort the marker lexically", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"ol", "11"})}),
                           profile("R2", {call("D3S1358", {"8", "10"})})}};
    const ProfileSet remains{"remains.csv", {profile("U1", {call("D3S1358", {"X", "9"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    CHECK(both.expected.markers[0].alleles == std::vector<std::string>{"10", "11", "8", "9", "OL", "X"});
}

TEST_CASE("Census: alleles spelled differently are one allele", "[census]") {
    FrequencyTable table = standardTable();
    table.markers[0].alleles = {"08", "9.0", "10", "11"};
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"09", "8"}), call("FGA", {"023", "20.0"})}),
                           profile("R2", {call("D3S1358", {"9", "08"}), call("FGA", {"23", "23.0"})}),
                           profile("R3", {call("D3S1358", {" 11 ", "10.00"}), call("fga", {"23.10", "23.1"})})}};
    const ProfileSet remains{"remains.csv", {profile("U1", {call("FGA", {"0023", "23.1"})})}};
    const auto both = runBoth(table, refs, remains);
    CHECK(both.expected.markers[2].alleles == std::vector<std::string>{"20", "21", "22", "23", "23.1"});
    // Two rare alleles, each warned about once, whatever the spelling.
    CHECK(both.warnings.size() == 2);
    const auto r1 = both.actual.references.genotypes(0)[0];
    const auto r2 = both.actual.references.genotypes(1)[0];
    CHECK((r1.allele1 == r2.allele1 && r1.allele2 == r2.allele2));
    const auto r2fga = both.actual.references.genotypes(1)[2];
    CHECK((r2fga.allele1 == 3 && r2fga.allele2 == 3));
}

TEST_CASE("Census: a homozygote written with one allele", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"9"}), call("FGA", {"25"})}),
                           profile("R2", {call("D3S1358", {"9", "9"}), call("FGA", {"25", "25"})})}};
    const ProfileSet remains{"remains.csv", {profile("U1", {call("vWA", {"13"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    const auto r1 = both.actual.references.genotypes(0)[2];
    CHECK((r1.allele1 == 3 && r1.allele2 == 3));
    CHECK(both.actual.remains[0].genotypes[1].allele1 == 1);
    CHECK(both.actual.remains[0].genotypes[1].allele2 == 1);
}

TEST_CASE("Census: unknown markers in references and remains", "[census]") {
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("Penta E", {"10", "11"}), call("VWA", {"12", "13"}), call("TH01", {"6"})}),
                           profile("R2", {call("PENTA E", {"12", "13"}), call("AMEL", {"X", "Y"}), call("Penta E", {"7", "7"})}),
                           profile("R3", {call("D3S1358", {}), call("TH01", {"9.3", "7"})})}};
    const ProfileSet remains{"remains.csv",
                             {profile("U1", {call("Penta E", {"10", "10"}), call("D16S539", {"11", "12"})}),
                              profile("U2", {call(" vwa ", {"12", "17"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    // References' unknown markers (sorted spellings) first, then the remains', then rare alleles.
    REQUIRE(both.warnings.size() == 7);
    CHECK(both.warnings[0] == "refs.csv: marker AMEL is not in the frequency table freqs.csv; it is ignored");
    CHECK(both.warnings[1] == "refs.csv: marker PENTA E is not in the frequency table freqs.csv; it is ignored");
    CHECK(both.warnings[2] == "refs.csv: marker Penta E is not in the frequency table freqs.csv; it is ignored");
    CHECK(both.warnings[3] == "refs.csv: marker TH01 is not in the frequency table freqs.csv; it is ignored");
    CHECK(both.warnings[4] == "remains.csv: marker D16S539 is not in the frequency table freqs.csv; it is ignored");
    CHECK(both.warnings[5] == "remains.csv: marker Penta E is not in the frequency table freqs.csv; it is ignored");
    CHECK(both.warnings[6].find("marker vWA: allele 17 (in U2)") == 0);
    CHECK_FALSE(both.actual.references.genotypes(2)[0].typed());  // a call without alleles
}

TEST_CASE("Census: frequencies that do not sum to 1 are warned about at construction", "[census]") {
    FrequencyTable table = standardTable();
    table.markers[0].frequencies = {0.1, 0.2, 0.3, 0.3};
    table.markers[2].frequencies = {0.5, 0.0, 0.6};  // the 0 also makes 21 a rare allele
    table.markers.insert(table.markers.begin() + 1, marker("Amelogenin", {"X", "Y"}, {0.5, 0.6}));

    Warnings early;
    const ReferenceCensus census(table, PrepareOptions{}, early);
    REQUIRE(early.messages().size() == 2);
    CHECK(early.messages()[0] == "freqs.csv: marker D3S1358: frequencies sum to 0.9; normalised to 1");
    CHECK(early.messages()[1] == "freqs.csv: marker FGA: frequencies sum to 1.1; normalised to 1");

    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("D3S1358", {"8", "11"}), call("FGA", {"21", "22"})}),
                           profile("R2", {call("FGA", {"20", "21"})})}};
    const auto both = runBoth(table, refs, ProfileSet{"remains.csv", {}});
    CHECK(both.expected.markers.size() == 3);
    CHECK(both.expected.markers[2].alleles == std::vector<std::string>{"20", "21", "22"});
    CHECK(both.warnings.size() == 3);
}

TEST_CASE("Census: amelogenin-only profiles and a profile without markers", "[census]") {
    Profile amelogeninOnly = profile("R2", {});
    amelogeninOnly.amelogenin = {"X", "Y"};
    Profile remainsAmelogenin = profile("U1", {});
    remainsAmelogenin.amelogenin = {"X"};
    const ProfileSet refs{"refs.csv",
                          {profile("R1", {call("FGA", {"26", "20"})}), amelogeninOnly, profile("R3", {}),
                           profile("R4", {call("D3S1358", {"10", "8"})})}};
    const ProfileSet remains{"remains.csv", {remainsAmelogenin, profile("U2", {})}};
    const auto both = runBoth(standardTable(), refs, remains);
    for (std::size_t i = 1; i <= 2; ++i)
        for (const Genotype& g : both.actual.references.genotypes(i)) CHECK_FALSE(g.typed());
}

TEST_CASE("Census: more than six carriers of one rare allele", "[census]") {
    std::vector<Profile> refProfiles;
    for (const char* name : {"R9", "R3", "R7", "R1", "R8", "R5"})
        refProfiles.push_back(profile(name, {call("D3S1358", {"5", "8"})}));
    const ProfileSet refs{"refs.csv", refProfiles};
    const ProfileSet remains{"remains.csv",
                             {profile("Q2", {call("D3S1358", {"05"})}), profile("R0", {call("D3S1358", {"5", "5"})}),
                              profile("R4", {call("D3S1358", {"5", "9"})})}};
    const auto both = runBoth(standardTable(), refs, remains);
    REQUIRE(both.warnings.size() == 1);
    CHECK(both.warnings[0].find("allele 5 (in Q2, R0, R1, R3, R4, ...)") != std::string::npos);
}

TEST_CASE("Census: a marker with more alleles than kinmatch supports", "[census]") {
    FrequencyTable table{"big.csv", {marker("D3S1358", {}, {})}};
    for (int a = 0; a < 32760; ++a) {
        table.markers[0].alleles.push_back(std::to_string(100 + a));
        table.markers[0].frequencies.push_back(1.0 / 32760);
    }
    // Ten rare alleles in the references push the provisional numbers past int16.
    ProfileSet refs{"refs.csv", {}};
    for (int k = 0; k < 10; ++k)
        refs.profiles.push_back(profile("R" + std::to_string(k), {call("D3S1358", {std::to_string(k), "100"})}));

    Warnings expectedWarnings;
    std::string expectedError;
    try {
        prepareCase(table, refs, PedigreeSet{}, ProfileSet{}, PrepareOptions{}, expectedWarnings);
    } catch (const InputError& e) {
        expectedError = e.what();
    }
    REQUIRE(expectedError == "big.csv: marker D3S1358 has more alleles than kinmatch supports");

    Warnings warnings;
    ReferenceCensus census(table, PrepareOptions{}, warnings);
    for (const auto& p : refs.profiles) census.add(p);
    CHECK_THROWS_WITH(census.finish(ProfileSet{}, refs.source), expectedError);
    CHECK(warnings.messages() == expectedWarnings.messages());
}

TEST_CASE("Census: randomized profiles with rare alleles and odd spellings", "[census]") {
    const std::uint64_t seed = GENERATE(7u, 2024u);
    std::mt19937_64 rng(seed);
    const auto draw = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };

    FrequencyTable table{"random.csv", {}};
    std::vector<std::string> markerNames;
    for (int m = 0; m < 8; ++m) {
        markerNames.push_back("M" + std::to_string(m));
        MarkerFrequencies mf = marker(markerNames.back(), {}, {});
        const int first = 8 + draw(4);
        const int count = 4 + draw(6);
        for (int a = 0; a < count; ++a) {
            mf.alleles.push_back(std::to_string(first + a));
            mf.frequencies.push_back(1.0 / count);
        }
        std::shuffle(mf.alleles.begin(), mf.alleles.end(), rng);
        if (m == 3) mf.frequencies[0] = 0.0;  // a table allele that counts as rare
        table.markers.push_back(mf);
    }
    // Mostly table alleles, sometimes a rare one (below, between and above the table's, some
    // non-numeric), sometimes a spelling with leading or trailing zeros.
    const auto randomAllele = [&](const MarkerFrequencies& mf) -> std::string {
        const int kind = draw(20);
        if (kind == 0) return std::to_string(3 + draw(5));
        if (kind == 1) return std::to_string(8 + draw(12)) + ".3";
        if (kind == 2) return std::to_string(30 + draw(40));
        if (kind == 3) return draw(2) ? "OL" : "x";
        const std::string& label = mf.alleles[static_cast<std::size_t>(draw(static_cast<int>(mf.alleles.size())))];
        if (kind == 4) return "0" + label;
        if (kind == 5) return label + ".0";
        return label;
    };
    const auto randomProfile = [&](const std::string& name) {
        Profile p = profile(name, {});
        if (draw(30) == 0) return p;
        for (std::size_t m = 0; m < table.markers.size(); ++m) {
            if (draw(8) == 0) continue;
            const std::string spelling = draw(10) == 0 ? "m" + std::to_string(m) : markerNames[m];
            if (draw(6) == 0)
                p.markers.push_back(call(spelling, {randomAllele(table.markers[m])}));
            else
                p.markers.push_back(call(spelling, {randomAllele(table.markers[m]), randomAllele(table.markers[m])}));
        }
        if (draw(40) == 0) p.markers.push_back(call("Unknown" + std::to_string(draw(3)), {"1", "2"}));
        if (draw(3) == 0) p.amelogenin = {"X", "Y"};
        return p;
    };
    ProfileSet refs{"refs.csv", {}};
    for (int i = 0; i < 400; ++i) refs.profiles.push_back(randomProfile("R" + std::to_string(100000 + 7919 * i % 100003)));
    ProfileSet remains{"remains.csv", {}};
    for (int i = 0; i < 60; ++i) remains.profiles.push_back(randomProfile("U" + std::to_string(i)));

    const auto both = runBoth(table, refs, remains);
    // The case must really exercise renumbering: rare alleles were added to the markers.
    CHECK(anyWarningContains(both.warnings, "is not in the frequency table; given frequency"));
    CHECK(anyWarningContains(both.warnings, "marker Unknown"));
}

TEST_CASE("ReferenceStore::find finds every name and -1 for an absent one", "[census]") {
    ReferenceStore store(2);
    std::vector<std::string> names;
    for (int i = 0; i < 3000; ++i) {  // several growths of the name index
        names.push_back("S" + std::to_string(i * 37 % 3001));
        const std::vector<Genotype> g{Genotype{static_cast<std::int16_t>(i % 5), static_cast<std::int16_t>(i % 5 + 1)}, Genotype{}};
        store.add(names.back(), g);
    }
    names.push_back("");
    store.add("", std::vector<Genotype>(2));
    REQUIRE(store.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        INFO(names[i]);
        CHECK(store.find(names[i]) == static_cast<long>(i));
        CHECK(store.name(i) == names[i]);
    }
    CHECK(store.genotypes(7)[0].allele1 == 2);
    CHECK(store.find("S3001") == -1);
    CHECK(store.find("S") == -1);
    CHECK(store.find("s1") == -1);
    CHECK(ReferenceStore(3).find("S1") == -1);
}

TEST_CASE("ReferenceStore keeps allele numbers past one byte, added or renumbered", "[census]") {
    const auto g = [](int a, int b) { return Genotype{static_cast<std::int16_t>(a), static_cast<std::int16_t>(b)}; };
    const auto same = [](const std::vector<Genotype>& x, const std::vector<Genotype>& y) {
        REQUIRE(x.size() == y.size());
        for (std::size_t m = 0; m < x.size(); ++m) {
            CHECK(x[m].allele1 == y[m].allele1);
            CHECK(x[m].allele2 == y[m].allele2);
        }
    };
    SECTION("a sample added with allele 254, then one with 300") {
        ReferenceStore store(2);
        store.add("A", std::vector<Genotype>{g(3, 254), Genotype{}});
        same(store.genotypes(0), {g(3, 254), Genotype{}});
        store.add("B", std::vector<Genotype>{g(0, 300), g(255, 1000)});
        same(store.genotypes(0), {g(3, 254), Genotype{}});
        same(store.genotypes(1), {g(0, 300), g(255, 1000)});
    }
    SECTION("renumbering to numbers past 254 (alleles only the remains carry)") {
        ReferenceStore store(1);
        store.add("A", std::vector<Genotype>{g(0, 1)});
        store.add("B", std::vector<Genotype>{Genotype{}});
        store.add("C", std::vector<Genotype>{g(1, 1)});
        store.renumberAlleles({{400, 7}});
        same(store.genotypes(0), {g(7, 400)});  // put back in order
        same(store.genotypes(1), {Genotype{}});
        same(store.genotypes(2), {g(7, 7)});
    }
    SECTION("renumbering within one byte stays exact") {
        ReferenceStore store(1);
        store.add("A", std::vector<Genotype>{g(0, 2)});
        store.renumberAlleles({{254, 0, 1}});
        same(store.genotypes(0), {g(1, 254)});
    }
}

TEST_CASE("ReferenceStore holds about 80 bytes a sample at 21 markers while alleles fit a byte", "[census]") {
    ReferenceStore store(21);
    std::vector<Genotype> genotypes(21, Genotype{3, 17});
    const std::size_t samples = 20000;
    for (std::size_t i = 0; i < samples; ++i) store.add("REF-" + std::to_string(100000 + i), genotypes);
    store.shrinkToFit();  // as the census leaves it
    const double perSample = static_cast<double>(store.memoryBytes()) / static_cast<double>(samples);
    INFO(perSample);
    // 10-byte names, 8-byte offsets, 42 bytes of genotypes and 8-byte slots at a load of 1/4
    // to 1/2: well under the 84 bytes the genotypes alone took as int16.
    CHECK(perSample < 84.0 + 10.0);
    CHECK(perSample > 42.0 + 10.0 + 8.0);
    store.add("WIDE", std::vector<Genotype>(21, Genotype{3, 300}));
    CHECK(static_cast<double>(store.memoryBytes()) / static_cast<double>(samples) > perSample + 40.0);
}
