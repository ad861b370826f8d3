// SPDX-License-Identifier: MIT
// The simulator's promises: determinism for a seed, valid families under the project's own
// readers and case preparation, Mendelian children without mutation, an answer key that
// points at real missing persons, and the asked shares of true remains and lost markers.

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Errors.hpp"
#include "engine/Matcher.hpp"
#include "engine/Simulation.hpp"
#include "formats/CaseWriter.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/PedigreeReader.hpp"
#include "formats/ProfileReader.hpp"
#include "tests/support/RunKinmatch.hpp"
#include "tests/support/SharedFixtures.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

using kinmatch::test::norstr;

MutationModel equalModel(double rate) {
    const MutationParameters p{MutationModelKind::kEqual, rate, 0.0, 0.5};
    return MutationModel{p, p};
}

SimulationOptions options(std::size_t families, std::size_t remains, std::uint64_t seed = 1) {
    SimulationOptions o;
    o.families = families;
    o.remains = remains;
    o.markers = 21;
    o.seed = seed;
    return o;
}

// The whole case as the text files `kinmatch simulate` writes (without headers).
struct CaseText {
    std::string pedigrees;
    std::string references;
    std::string remains;
    std::string truth;
    bool operator==(const CaseText&) const = default;
};

CaseText caseText(const Simulation& sim) {
    CaseText text;
    formats::appendPedigreeRows(text.pedigrees, sim.pedigrees(0, sim.familyCount()));
    formats::appendProfileRows(text.references, sim.references(0, sim.familyCount()));
    const SimulatedRemains remains = sim.remains(0, sim.remainsCount());
    formats::appendProfileRows(text.remains, remains.profiles);
    formats::appendTruthRows(text.truth, remains.truth);
    return text;
}

// sample -> marker -> sorted allele pair, from profiles.
using Genotypes = std::map<std::string, std::map<std::string, std::pair<std::string, std::string>>>;

void addGenotypes(Genotypes& genotypes, const ProfileSet& profiles) {
    for (const auto& p : profiles.profiles)
        for (const auto& call : p.markers)
            genotypes[p.sampleName][call.marker] = {call.alleles.front(), call.alleles.back()};
}

}  // namespace

TEST_CASE("A simulation is a function of its seed, whatever the slices it is generated in", "[engine][simulate]") {
    const Simulation a(norstr(), equalModel(0.001), options(60, 40, 7));
    const Simulation b(norstr(), equalModel(0.001), options(60, 40, 7));
    const Simulation c(norstr(), equalModel(0.001), options(60, 40, 8));
    const CaseText textA = caseText(a);

    SECTION("the same seed gives the same case") {
        CHECK(textA == caseText(b));
    }
    SECTION("another seed gives another case") {
        const CaseText textC = caseText(c);
        CHECK(textA.pedigrees != textC.pedigrees);
        CHECK(textA.references != textC.references);
        CHECK(textA.remains != textC.remains);
        CHECK(textA.truth != textC.truth);
    }
    SECTION("slices concatenate to the whole") {
        CaseText sliced;
        for (std::size_t first = 0; first < 60; first += 13) {
            const std::size_t count = std::min<std::size_t>(13, 60 - first);
            formats::appendPedigreeRows(sliced.pedigrees, a.pedigrees(first, count));
            formats::appendProfileRows(sliced.references, a.references(first, count));
        }
        for (std::size_t first = 0; first < 40; first += 9) {
            const SimulatedRemains r = a.remains(first, std::min<std::size_t>(9, 40 - first));
            formats::appendProfileRows(sliced.remains, r.profiles);
            formats::appendTruthRows(sliced.truth, r.truth);
        }
        CHECK(textA == sliced);
    }
    SECTION("a slice beyond the end is refused") {
        CHECK_THROWS_AS(a.pedigrees(50, 11), std::out_of_range);
        CHECK_THROWS_AS(a.remains(41, 0), std::out_of_range);
    }
}

TEST_CASE("Simulated families read back through the readers, prepare and build LR tables", "[engine][simulate]") {
    const MutationModel model = equalModel(0.001);
    const Simulation sim(norstr(), model, options(200, 30));
    const CaseText text = caseText(sim);

    Warnings warnings;
    std::istringstream pedigreeText(std::string(formats::kPedigreeHeader) + text.pedigrees);
    std::istringstream referenceText(std::string(formats::kProfileHeader) + text.references);
    std::istringstream remainsText(std::string(formats::kProfileHeader) + text.remains);
    const PedigreeSet pedigrees = formats::readPedigrees(pedigreeText, "pedigrees.tsv", warnings);
    const ProfileSet references = formats::readProfiles(referenceText, "references.csv");
    const ProfileSet remains = formats::readProfiles(remainsText, "remains.csv");
    CHECK(warnings.empty());  // e.g. no placeholder parent had to be added
    REQUIRE(pedigrees.families.size() == 200);
    REQUIRE(remains.profiles.size() == 30);

    std::set<std::string> shapesSeen;
    for (const auto& family : pedigrees.families) {
        int typed = 0;
        int missing = 0;
        for (const auto& p : family.persons) {
            typed += p.sample != ".";
            missing += p.missing;
            CHECK(p.sex != Sex::kUnknown);
        }
        CHECK(typed >= 1);
        CHECK(typed <= 4);
        CHECK(missing >= 1);
        CHECK(missing <= 2);
        std::string roles;
        for (const auto& p : family.persons) roles += p.id.substr(family.name.size()) + p.sample.substr(0, 1);
        shapesSeen.insert(roles);
    }
    CHECK(shapesSeen.size() == familyShapes().size());

    const PreparedCase prepared =
        prepareCase(sim.frequencies(), references, pedigrees, remains, PrepareOptions{}, warnings);
    CHECK(warnings.empty());  // every simulated allele is in the table
    REQUIRE(prepared.markers.size() == 21);
    std::vector<std::string> tableWarnings;
    const auto tables = buildAllTables(prepared, model, tableWarnings);
    CHECK(tables.size() == sim.missingPersonCount());
}

TEST_CASE("Without mutation every typed child is Mendelian-consistent with its typed parents", "[engine][simulate]") {
    const Simulation sim(norstr(), MutationModel{}, options(300, 200));
    const PedigreeSet pedigrees = sim.pedigrees(0, sim.familyCount());
    Genotypes genotypes;
    addGenotypes(genotypes, sim.references(0, sim.familyCount()));
    // A true remains is its missing person, so its genotype must fit that person's parents.
    const SimulatedRemains remains = sim.remains(0, sim.remainsCount());
    for (std::size_t i = 0; i < remains.truth.size(); ++i)
        if (remains.truth[i].missing != ".")
            for (const auto& call : remains.profiles.profiles[i].markers)
                genotypes[remains.truth[i].missing][call.marker] = {call.alleles.front(), call.alleles.back()};

    std::size_t checkedPairs = 0;
    std::vector<std::string> failures;
    for (const auto& family : pedigrees.families) {
        for (const auto& child : family.persons) {
            if (child.father == "0" || !genotypes.count(child.id)) continue;
            for (const auto& [marker, g] : genotypes[child.id]) {
                const auto* father = genotypes.count(child.father) ? &genotypes[child.father][marker] : nullptr;
                const auto* mother = genotypes.count(child.mother) ? &genotypes[child.mother][marker] : nullptr;
                auto has = [](const std::pair<std::string, std::string>* parent, const std::string& allele) {
                    return !parent || parent->first == allele || parent->second == allele;
                };
                // One allele from each parent, in either order.
                const bool consistent =
                    (has(father, g.first) && has(mother, g.second)) || (has(father, g.second) && has(mother, g.first));
                checkedPairs += (father != nullptr) + (mother != nullptr);
                if (!consistent) failures.push_back(child.id + " at " + marker);
            }
        }
    }
    CHECK(checkedPairs > 1000);
    CHECK(failures == std::vector<std::string>{});
}

TEST_CASE("With a high mutation rate some typed children differ from their typed parents", "[engine][simulate]") {
    const Simulation sim(norstr(), equalModel(0.05), options(200, 1));
    Genotypes genotypes;
    addGenotypes(genotypes, sim.references(0, sim.familyCount()));
    std::size_t pairs = 0;
    std::size_t inconsistent = 0;
    for (const auto& family : sim.pedigrees(0, sim.familyCount()).families)
        for (const auto& child : family.persons)
            for (const auto& parent : {child.father, child.mother})
                if (genotypes.count(child.id) && genotypes.count(parent))
                    for (const auto& [marker, g] : genotypes[child.id]) {
                        const auto& p = genotypes[parent][marker];
                        ++pairs;
                        inconsistent +=
                            g.first != p.first && g.first != p.second && g.second != p.first && g.second != p.second;
                    }
    REQUIRE(pairs > 1000);
    // A mutation (5% per meiosis) is hidden when the child still shares an allele by chance.
    const double share = static_cast<double>(inconsistent) / static_cast<double>(pairs);
    CHECK(share > 0.01);
    CHECK(share < 0.05);
}

TEST_CASE("The answer key names existing missing persons, once each, in the asked share", "[engine][simulate]") {
    std::size_t families = 200;
    std::size_t remainsCount = 100;
    double fraction = 0.5;
    std::size_t expectedTrue = 50;
    bool capped = false;
    SECTION("half of the remains") {}
    SECTION("a share that does not divide evenly rounds to the nearest") {
        fraction = 0.333;
        expectedTrue = 33;
    }
    SECTION("none") {
        fraction = 0.0;
        expectedTrue = 0;
    }
    SECTION("more than there are missing persons is capped") {
        families = 10;
        fraction = 1.0;
        capped = true;
    }
    SimulationOptions o = options(families, remainsCount);
    o.trueFraction = fraction;
    const Simulation sim(norstr(), MutationModel{}, o);
    if (capped) expectedTrue = sim.missingPersonCount();
    REQUIRE(sim.trueRemainsCount() == expectedTrue);

    std::set<std::pair<std::string, std::string>> missingPersons;
    for (const auto& family : sim.pedigrees(0, families).families)
        for (const auto& p : family.persons)
            if (p.missing) missingPersons.insert({family.name, p.id});
    CHECK(missingPersons.size() == sim.missingPersonCount());

    const SimulatedRemains remains = sim.remains(0, remainsCount);
    REQUIRE(remains.truth.size() == remainsCount);
    std::set<std::pair<std::string, std::string>> used;
    std::size_t trueRows = 0;
    std::size_t trueInFirstHalf = 0;
    for (std::size_t i = 0; i < remainsCount; ++i) {
        const TruthRow& row = remains.truth[i];
        CHECK(row.remains == Simulation::remainsName(i));
        CHECK(remains.profiles.profiles[i].sampleName == row.remains);
        if (row.family == ".") {
            CHECK(row.missing == ".");
            continue;
        }
        ++trueRows;
        trueInFirstHalf += i < remainsCount / 2;
        CHECK(missingPersons.count({row.family, row.missing}) == 1);
        CHECK(used.insert({row.family, row.missing}).second);
    }
    CHECK(trueRows == expectedTrue);
    if (expectedTrue > 0 && expectedTrue < remainsCount) {
        // Shuffled: the true remains are not simply the first ones.
        CHECK(trueInFirstHalf < expectedTrue);
        CHECK(trueInFirstHalf > 0);
    }
}

TEST_CASE("The missing-marker rate is honoured and every remains keeps a marker", "[engine][simulate]") {
    SimulationOptions o = options(50, 400);
    double rate = 0.0;
    SECTION("no loss") {
        rate = 0.0;
    }
    SECTION("30% loss") {
        rate = 0.3;
    }
    SECTION("95% loss") {
        rate = 0.95;
    }
    o.missingMarkerRate = rate;
    const Simulation sim(norstr(), MutationModel{}, o);
    const SimulatedRemains remains = sim.remains(0, sim.remainsCount());
    std::size_t typed = 0;
    for (const auto& p : remains.profiles.profiles) {
        CHECK(!p.markers.empty());
        typed += p.markers.size();
    }
    const double cells = 400.0 * 21.0;
    const double lost = 1.0 - static_cast<double>(typed) / cells;
    // 8400 cells: the binomial standard deviation is at most 0.55 percentage points, so
    // +-3 points is over five deviations (and the seed is fixed anyway). At 95% loss the
    // "keep one marker" rule adds up to 0.95^21 ~ 0.34 of a marker per remains.
    CHECK(lost == Approx(rate).margin(0.03));
}

TEST_CASE("Simulation options out of range are refused naming the option", "[engine][simulate]") {
    SimulationOptions o = options(10, 10);
    std::string option;
    SECTION("more markers than the table has") {
        o.markers = 41;
        option = "--markers";
    }
    SECTION("a true fraction above 1") {
        o.trueFraction = 1.5;
        option = "--true-fraction";
    }
    SECTION("a missing-marker rate of 1") {
        o.missingMarkerRate = 1.0;
        option = "--missing-marker-rate";
    }
    CHECK_THROWS_WITH(Simulation(norstr(), MutationModel{}, o), Catch::Matchers::Contains(option));
    CHECK_THROWS_AS(Simulation(norstr(), MutationModel{}, o), UsageError);
}

TEST_CASE("Every family shape keeps the catalogue's promises", "[engine][simulate]") {
    for (const FamilyShape& shape : familyShapes()) {
        INFO(shape.name);
        int typed = 0;
        int missing = 0;
        for (std::size_t i = 0; i < shape.persons.size(); ++i) {
            const ShapePerson& p = shape.persons[i];
            typed += p.typed;
            missing += p.missing;
            CHECK(!(p.typed && p.missing));
            CHECK((p.father < 0) == (p.mother < 0));
            if (p.father >= 0) {
                CHECK(static_cast<std::size_t>(p.father) < i);
                CHECK(static_cast<std::size_t>(p.mother) < i);
                CHECK(shape.persons[static_cast<std::size_t>(p.father)].sex == Sex::kMale);
                CHECK(shape.persons[static_cast<std::size_t>(p.mother)].sex == Sex::kFemale);
            }
        }
        CHECK(typed >= 1);
        CHECK(typed <= 4);
        CHECK(missing >= 1);
        CHECK(missing <= 2);
    }
}
