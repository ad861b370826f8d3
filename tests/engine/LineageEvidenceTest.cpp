// SPDX-License-Identifier: MIT
// engine/LineageEvidence on a case built in memory: which relative a remains is compared
// with, and that the bulk values used for ranking are the per-pair values, bit for bit.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/LineageEvidence.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

Person person(const std::string& id, int father, int mother, Sex sex, int reference, bool missing = false) {
    return Person{id, father, mother, sex, reference, missing};
}

// FA: grandmother GM (typed), her daughter MO (typed), MO's son MP and daughter MP2 (both
// missing). FB: parents MOB and FAB typed, their son MPB missing.
PreparedCase twoFamilies() {
    PreparedCase prepared;
    for (const char* name : {"GM", "MO", "MOB", "FAB"}) prepared.references.push_back(Sample{name, {}});
    for (const char* name : {"R0", "R1", "R2"}) prepared.remains.push_back(Sample{name, {}});
    Family fa{"FA", {}, {}};
    fa.persons = {person("GF", -1, -1, Sex::kMale, -1),    person("GM", -1, -1, Sex::kFemale, 0),
                  person("MO", 0, 1, Sex::kFemale, 1),     person("FA", -1, -1, Sex::kMale, -1),
                  person("MP", 3, 2, Sex::kMale, -1, true), person("MP2", 3, 2, Sex::kFemale, -1, true)};
    fa.missingPersons = {4, 5};
    Family fb{"FB", {}, {}};
    fb.persons = {person("MOB", -1, -1, Sex::kFemale, 2), person("FAB", -1, -1, Sex::kMale, 3),
                  person("MPB", 1, 0, Sex::kMale, -1, true)};
    fb.missingPersons = {2};
    prepared.families = {fa, fb};
    return prepared;
}

mt::Haplotype mtHaplotype(const std::string& sample, int first, int last, const std::string& variants) {
    mt::Haplotype h;
    h.sample = sample;
    h.range.add(first, last);
    std::size_t at = 0;
    while (at < variants.size()) {
        std::size_t end = variants.find(' ', at);
        if (end == std::string::npos) end = variants.size();
        const std::string token = variants.substr(at, end - at);
        h.variants.push_back(mt::Variant{static_cast<std::uint16_t>(std::stoi(token)), 0, token.back()});
        at = end + 1;
    }
    mt::normalise(h);
    return h;
}

ystr::Haplotype yHaplotype(const std::string& sample, std::vector<std::pair<std::string, int>> loci) {
    ystr::Haplotype h;
    h.sample = sample;
    for (const auto& [locus, repeats] : loci) h.loci[locus] = {ystr::Allele{repeats, 0}};
    return h;
}

lineage::MtInputs mtInputs() {
    lineage::MtInputs mt;
    // MO was read over HVS-I only, GM over HVS-II only: remains read over HVS-II can only be
    // compared with the grandmother.
    mt.references = {mtHaplotype("GM", 1, 576, "73G 263G"), mtHaplotype("MO", 16024, 16365, "16129A 16223T"),
                     mtHaplotype("MOB", 16024, 576, "16311C 73G 152C 263G")};
    mt.remains = {mtHaplotype("R0", 1, 576, "73G 263G"), mtHaplotype("R1", 16024, 576, "16311C 73G 152C 263G")};
    return mt;
}

lineage::YstrInputs yInputs() {
    lineage::YstrInputs y;
    y.references = {yHaplotype("FAB", {{"DYS19", 14}, {"DYS390", 24}})};
    y.remains = {yHaplotype("R1", {{"DYS19", 14}, {"DYS390", 24}}), yHaplotype("R2", {{"DYS19", 15}, {"DYS390", 24}})};
    y.database = ystr::Database({yHaplotype("D1", {{"DYS19", 14}, {"DYS390", 23}}),
                                 yHaplotype("D2", {{"DYS19", 15}, {"DYS390", 23}}),
                                 yHaplotype("D3", {{"DYS19", 13}, {"DYS390", 24}})});
    return y;
}

}  // namespace

TEST_CASE("Lineage evidence: bulk values are the per-pair values, in table order", "[lineage][engine]") {
    const PreparedCase prepared = twoFamilies();
    const lineage::LineageEvidence evidence(prepared, mtInputs(), yInputs());
    for (int r = 0; r < 3; ++r) {
        std::vector<double> bulk(3);
        evidence.log10Lrs(r, bulk);
        std::size_t k = 0;
        for (std::size_t f = 0; f < prepared.families.size(); ++f)
            for (int p : prepared.families[f].missingPersons) {
                INFO("remains " << r << ", pair " << k);
                const double single = evidence.evaluate(r, static_cast<int>(f), p).log10Lr();
                CHECK(std::memcmp(&single, &bulk[k], sizeof single) == 0);
                ++k;
            }
    }
    std::vector<double> wrongSize(2);
    CHECK_THROWS_AS(evidence.log10Lrs(0, wrongSize), std::invalid_argument);
    CHECK_THROWS_AS(evidence.evaluate(0, 0, 0), std::out_of_range);  // GF is not missing
}

TEST_CASE("Lineage evidence: the nearest relative the remains can be compared with", "[lineage][engine]") {
    const PreparedCase prepared = twoFamilies();
    const lineage::LineageEvidence evidence(prepared, mtInputs(), yInputs());

    // R0 (HVS-II) shares no position with MO (HVS-I), so the grandmother answers for MP.
    const auto r0 = evidence.evaluate(0, 0, 4);
    REQUIRE(r0.mtdna);
    CHECK(r0.mtdna->reference == "GM");
    CHECK(r0.mtdna->meioses == 2);
    CHECK(r0.mtdna->outcome == "cannot_exclude");
    CHECK(r0.mtdna->compared == 576);
    CHECK(r0.mtdna->log10Lr == 0.0);  // no database: no weight
    // R1 against MO, the nearest: over HVS-I, 16129A 16223T against 16311C: three differences.
    const auto r1 = evidence.evaluate(1, 0, 4);
    CHECK(r1.mtdna->reference == "MO");
    CHECK(r1.mtdna->outcome == "exclusion");
    CHECK(r1.mtdna->differences == 3);
    CHECK(r1.mtdna->log10Lr == -INFINITY);
    CHECK(r1.mtdna->differing == std::vector<std::string>{"16129:G/A", "16223:C/T", "16311:C/T"});

    // Y-STRs: FB's father for MPB; MP has no typed paternal relative; MP2 is female.
    const auto rb = evidence.evaluate(1, 1, 2);
    REQUIRE(rb.ystr);
    CHECK(rb.ystr->reference == "FAB");
    CHECK(rb.ystr->outcome == "cannot_exclude");
    const double mu19 = 2.20e-3, mu390 = 2.08e-3;  // YHRD release 61
    const double log10Bound = std::log10(1 - std::pow(0.05, 1.0 / 3));  // seen 0 times in 3
    // Father and son, no difference: (1 - mu) per locus.
    CHECK(rb.ystr->log10Lr == Approx(std::log10((1 - mu19) * (1 - mu390)) - log10Bound).margin(1e-12));
    CHECK(evidence.evaluate(1, 0, 4).ystr->outcome == lineage::kNoRelative);
    CHECK(evidence.evaluate(1, 0, 5).ystr->outcome == lineage::kNoRelative);
    CHECK(evidence.evaluate(0, 1, 2).ystr->outcome == lineage::kNotTyped);  // R0 has no Y profile
    // R2 differs by one step after one meiosis: P = mu/2 (1 - mu) at DYS19; not in the database.
    const auto r2 = evidence.evaluate(2, 1, 2);
    CHECK(r2.ystr->outcome == "inconclusive");
    CHECK(r2.ystr->log10Lr == Approx(std::log10(mu19 / 2 * (1 - mu390)) - log10Bound).margin(1e-12));
}

TEST_CASE("Lineage evidence: sample names twice and unused samples", "[lineage][engine]") {
    const PreparedCase prepared = twoFamilies();
    auto mt = mtInputs();
    mt.remains.push_back(mtHaplotype("R0", 1, 576, "73G"));
    CHECK_THROWS_AS(lineage::LineageEvidence(prepared, mt, std::nullopt), InputError);

    mt = mtInputs();
    mt.references.push_back(mtHaplotype("GM-typo", 1, 576, "73G"));
    const lineage::LineageEvidence evidence(prepared, mt, std::nullopt);
    REQUIRE(evidence.warnings().size() == 1);
    CHECK_THAT(evidence.warnings()[0], Catch::Contains("1 of 4 mtDNA reference") && Catch::Contains("GM-typo"));
    CHECK_FALSE(evidence.evaluate(0, 0, 4).ystr.has_value());
}
