// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/Lineage.hpp"
#include "formats/PedigreeReader.hpp"

namespace lineage = kinmatch::engine::lineage;
using kinmatch::FamilyRecord;
using lineage::Line;

namespace {

const FamilyRecord& familyOf(const kinmatch::PedigreeSet& set, const std::string& name) {
    for (const auto& family : set.families)
        if (family.name == name) return family;
    FAIL("no family " << name);
    throw;
}

kinmatch::PedigreeSet conformancePedigrees(const std::string& caseName) {
    kinmatch::Warnings warnings;
    const auto path = std::filesystem::path(KINMATCH_TEST_DATA_DIR) / "conformance" / caseName / "pedigrees.tsv";
    return kinmatch::formats::readPedigreeFile(path.string(), warnings);
}

// (id, meioses) pairs of a relative list, for readable comparisons.
std::vector<std::pair<std::string, int>> named(const FamilyRecord& family, const std::vector<lineage::Relative>& list) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& r : list) out.emplace_back(family.persons[static_cast<std::size_t>(r.person)].id, r.meioses);
    return out;
}

const lineage::MissingPersonLines& linesFor(const FamilyRecord& family,
                                            const std::vector<lineage::MissingPersonLines>& lines,
                                            const std::string& id) {
    for (const auto& entry : lines)
        if (family.persons[static_cast<std::size_t>(entry.missing)].id == id) return entry;
    FAIL("no missing person " << id);
    throw;
}

using Named = std::vector<std::pair<std::string, int>>;

}  // namespace

TEST_CASE("Lineage lines of the dvir grave pedigree, counted by hand", "[lineage]") {
    // Typed: R1, R2 (daughters of GF x GM), R3 (founder), R4 (daughter of FA4 x MO, MO a
    // daughter of R3), R5 (son of UN2 x MO3, UN2 a son of GF2 x R3).
    const auto set = conformancePedigrees("dvir_grave");
    const FamilyRecord& family = familyOf(set, "F1");
    const auto lines = lineage::linesOf(family);
    REQUIRE(lines.size() == 8);  // MP1..MP8

    // MP1 -> R1 -> GM: R1 1 meiosis; R2 up 2 to GM and 1 down.
    CHECK(named(family, linesFor(family, lines, "MP1").maternal) == Named{{"R1", 1}, {"R2", 3}});
    CHECK_FALSE(linesFor(family, lines, "MP1").paternalLineApplies);
    // MP2, MP1's brother: the same mothers; his father FA2 has no typed male line.
    const auto& mp2 = linesFor(family, lines, "MP2");
    CHECK(named(family, mp2.maternal) == Named{{"R1", 1}, {"R2", 3}});
    CHECK(mp2.paternalLineApplies);
    CHECK(mp2.paternal.empty());
    // MP3, sister of R1 and R2: 2 each, in file order.
    CHECK(named(family, linesFor(family, lines, "MP3").maternal) == Named{{"R1", 2}, {"R2", 2}});
    // MP4 -> MO -> R3: R3 2; R4 is MP4's maternal half-sister: 2. FA's sisters R1, R2 are
    // on MP4's paternal side and must not appear.
    CHECK(named(family, linesFor(family, lines, "MP4").maternal) == Named{{"R3", 2}, {"R4", 2}});
    CHECK(named(family, linesFor(family, lines, "MP5").maternal) == Named{{"R3", 2}, {"R4", 2}});
    // MP6 -> MP5 -> MO -> R3: one more generation.
    CHECK(named(family, linesFor(family, lines, "MP6").maternal) == Named{{"R3", 3}, {"R4", 3}});
    // MP7, full brother of R5: 2 meioses on both lines.
    const auto& mp7 = linesFor(family, lines, "MP7");
    CHECK(named(family, mp7.maternal) == Named{{"R5", 2}});
    CHECK(named(family, mp7.paternal) == Named{{"R5", 2}});
    // MP8, son of GF2 by GM3: R5 is his half-brother's son through fathers (R5 -> UN2 -> GF2
    // -> MP8: 3); his mother GM3 has no typed descendants.
    const auto& mp8 = linesFor(family, lines, "MP8");
    CHECK(mp8.maternal.empty());
    CHECK(named(family, mp8.paternal) == Named{{"R5", 3}});
}

TEST_CASE("Lineage lines of the dvir exclusion example: paternal lines hold men only", "[lineage]") {
    const auto set = conformancePedigrees("dvir_exclusionExample");
    SECTION("F1: brothers on both lines, a daughter on neither") {
        const FamilyRecord& family = familyOf(set, "F1");
        const auto lines = lineage::linesOf(family);
        REQUIRE(lines.size() == 1);
        CHECK(named(family, lines[0].paternal) == Named{{"R1", 2}, {"R2", 2}});
        CHECK(named(family, lines[0].maternal) == Named{{"R1", 2}, {"R2", 2}});
    }
    SECTION("F5: a founder father's sons are 1 meiosis away; his wife's line is not his") {
        const FamilyRecord& family = familyOf(set, "F5");
        const auto lines = lineage::linesOf(family);
        REQUIRE(lines.size() == 1);
        CHECK(named(family, lines[0].paternal) == Named{{"R14", 1}, {"R16", 1}});
        CHECK(lines[0].maternal.empty());
    }
    SECTION("F14: a missing woman has no paternal line; her father's other wife's line is not hers") {
        const FamilyRecord& family = familyOf(set, "F14");
        const auto lines = lineage::linesOf(family);
        REQUIRE(lines.size() == 1);
        CHECK_FALSE(lines[0].paternalLineApplies);
        CHECK(lines[0].paternal.empty());
        CHECK(named(family, lines[0].maternal) == Named{{"R41", 2}});
    }
    SECTION("F15: siblings on both lines, a daughter of the missing man on neither") {
        const FamilyRecord& family = familyOf(set, "F15");
        const auto lines = lineage::linesOf(family);
        REQUIRE(lines.size() == 1);
        CHECK(named(family, lines[0].paternal) == Named{{"R42", 2}, {"R44", 2}, {"R45", 2}});
        CHECK(named(family, lines[0].maternal) == Named{{"R42", 2}, {"R43", 2}, {"R44", 2}, {"R45", 2}});
    }
}

TEST_CASE("Lineage lines of the KETP pedigrees: grandfathers, half-siblings, paternal aunts", "[lineage]") {
    SECTION("chap484 F2: the father at 1 meiosis, the grandfather at 2") {
        const auto set = conformancePedigrees("dvir_KETPchap484");
        const FamilyRecord& f2 = familyOf(set, "F2");
        const auto lines = lineage::linesOf(f2);
        REQUIRE(lines.size() == 2);
        CHECK(named(f2, linesFor(f2, lines, "M2").paternal) == Named{{"R2", 1}});
        CHECK(named(f2, linesFor(f2, lines, "M3").paternal) == Named{{"R2", 2}});
        CHECK(linesFor(f2, lines, "M2").maternal.empty());
        // F3: R3 is the daughter of M4's brother: on no line of M4.
        const FamilyRecord& f3 = familyOf(set, "F3");
        const auto f3Lines = lineage::linesOf(f3);
        REQUIRE(f3Lines.size() == 1);
        CHECK(f3Lines[0].maternal.empty());
        CHECK_FALSE(f3Lines[0].paternalLineApplies);
    }
    SECTION("exer498: a missing mother and her children share her typed son's maternal line") {
        const auto set = conformancePedigrees("dvir_KETPexer498");
        const FamilyRecord& family = familyOf(set, "F1");
        const auto lines = lineage::linesOf(family);
        REQUIRE(lines.size() == 3);
        CHECK(named(family, linesFor(family, lines, "M1").maternal) == Named{{"R1", 1}});
        CHECK(named(family, linesFor(family, lines, "M2").maternal) == Named{{"R1", 2}});
        CHECK(named(family, linesFor(family, lines, "M3").maternal) == Named{{"R1", 2}});
        // M2 and R1 have different fathers.
        CHECK(linesFor(family, lines, "M2").paternal.empty());
    }
    SECTION("exer497 am2: paternal half-sisters share no maternal line") {
        const auto set = conformancePedigrees("dvir_KETPexer497");
        const FamilyRecord& am2 = familyOf(set, "am2");
        const auto lines = lineage::linesOf(am2);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].maternal.empty());
        const FamilyRecord& am1 = familyOf(set, "am1");
        CHECK(named(am1, lineage::linesOf(am1)[0].maternal) == Named{{"C", 1}});
    }
}

TEST_CASE("Lineage works on a prepared Family as on a pedigree record", "[lineage]") {
    // GM -> D1 -> MP (missing son); GM -> D2 -> C -> CS; GF x GM -> U (a son, typed).
    using kinmatch::Sex;
    kinmatch::engine::Family family{.name = "FX", .persons = {}, .missingPersons = {}};
    const auto add = [&](std::string id, int father, int mother, Sex sex, bool typed, bool missing) {
        family.persons.push_back(kinmatch::engine::Person{.id = std::move(id),
                                                          .father = father,
                                                          .mother = mother,
                                                          .sex = sex,
                                                          .reference = typed ? 0 : -1,
                                                          .missing = missing});
        return static_cast<int>(family.persons.size() - 1);
    };
    const int gf = add("GF", -1, -1, Sex::kMale, false, false);
    const int gm = add("GM", -1, -1, Sex::kFemale, true, false);
    const int d1 = add("D1", gf, gm, Sex::kFemale, false, false);
    const int d2 = add("D2", gf, gm, Sex::kFemale, false, false);
    const int u = add("U", gf, gm, Sex::kMale, true, false);
    const int fa = add("FA", -1, -1, Sex::kMale, false, false);
    const int mp = add("MP", fa, d1, Sex::kMale, false, true);
    const int c = add("C", -1, d2, Sex::kFemale, true, false);
    const int cs = add("CS", -1, c, Sex::kMale, true, false);
    const auto lines = lineage::linesOf(family);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].missing == mp);
    // GM 2 (MP -> D1 -> GM), U 3 (2 up, 1 down), C 4, CS 5.
    std::vector<std::pair<int, int>> maternal;
    for (const auto& r : lines[0].maternal) maternal.emplace_back(r.person, r.meioses);
    CHECK(maternal == std::vector<std::pair<int, int>>{{gm, 2}, {u, 3}, {c, 4}, {cs, 5}});
    CHECK(lines[0].paternal.empty());  // FA's line has no typed man
    const auto pedigree = lineage::pedigreeOf(family);
    CHECK(lineage::meiosesAlong(pedigree, Line::kMaternal, cs, u) == 4);
    CHECK(lineage::meiosesAlong(pedigree, Line::kPaternal, u, mp) == std::nullopt);
    CHECK(lineage::meiosesAlong(pedigree, Line::kPaternal, gf, u) == 1);
    CHECK(lineage::meiosesAlong(pedigree, Line::kPaternal, gm, u) == std::nullopt);  // a woman

    SECTION("a person their own ancestor is an error naming the family") {
        family.persons[static_cast<std::size_t>(gm)].mother = c;
        CHECK_THROWS_WITH(lineage::linesOf(family), Catch::Matchers::Contains("family FX"));
    }
}

TEST_CASE("References on one line that disagree give one warning per pair", "[lineage]") {
    const auto set = conformancePedigrees("dvir_grave");
    const FamilyRecord& family = familyOf(set, "F1");
    const auto pedigree = lineage::pedigreeOf(family);
    const auto lines = lineage::linesOf(pedigree);
    const auto id = [&](int person) { return family.persons[static_cast<std::size_t>(person)].id; };

    // R1/R2 share a maternal line with MP1, MP2 and MP3, R3/R4 with MP4, MP5 and MP6: each
    // pair is checked once, with the meioses between the two references.
    std::vector<std::string> checked;
    const auto disagreements = lineage::findDisagreements(
        pedigree, lines, Line::kMaternal, [&](int a, int b, int meioses) {
            checked.push_back(id(a) + "-" + id(b) + ":" + std::to_string(meioses));
            return id(a) != "R3";  // only R3 and R4 disagree
        });
    CHECK(checked == std::vector<std::string>{"R1-R2:2", "R3-R4:2"});
    REQUIRE(disagreements.size() == 1);
    CHECK(id(disagreements[0].first) == "R3");
    CHECK(id(disagreements[0].second) == "R4");
    CHECK(disagreements[0].meioses == 2);
    CHECK(disagreements[0].line == Line::kMaternal);
    const std::string warning = lineage::warningFor(pedigree, disagreements[0], "mtDNA");
    CHECK_THAT(warning, Catch::Matchers::Contains("family F1") && Catch::Matchers::Contains("R3 and R4") &&
                            Catch::Matchers::Contains("maternal line (2 meioses apart)") &&
                            Catch::Matchers::Contains("mtDNA"));

    // No paternal line holds two typed men here: nothing to check.
    bool called = false;
    CHECK(lineage::findDisagreements(pedigree, lines, Line::kPaternal, [&](int, int, int) {
              called = true;
              return false;
          }).empty());
    CHECK_FALSE(called);

    const auto brothers = conformancePedigrees("dvir_exclusionExample");
    const auto f1 = lineage::pedigreeOf(familyOf(brothers, "F1"));
    const auto paternal =
        lineage::findDisagreements(f1, lineage::linesOf(f1), Line::kPaternal, [](int, int, int) { return false; });
    REQUIRE(paternal.size() == 1);
    CHECK_THAT(lineage::warningFor(f1, paternal[0], "Y-STR"),
               Catch::Matchers::Contains("R1 and R2 on the paternal line (2 meioses apart) have inconsistent Y-STR"));
}

TEST_CASE("A pedigree record naming an unknown parent is rejected with its file and line", "[lineage]") {
    FamilyRecord family{.name = "F1", .persons = {}};
    family.persons.push_back(kinmatch::PersonRecord{.id = "A",
                                                    .father = "0",
                                                    .mother = "NOBODY",
                                                    .sex = kinmatch::Sex::kMale,
                                                    .sample = ".",
                                                    .missing = true,
                                                    .pos = {"pedigrees.tsv", 7}});
    CHECK_THROWS_WITH(lineage::pedigreeOf(family), Catch::Matchers::Contains("pedigrees.tsv:7") &&
                                                       Catch::Matchers::Contains("field mother"));
}
