// SPDX-License-Identifier: MIT
// The lineage simulator's promises: determinism for a seed and independence of slicing,
// maternal relatives sharing the missing person's mtDNA and paternal relatives his Y except
// for the recorded mutations, true remains matching their relatives, diversity in the
// documented band, the ranges and kits labs report, and files that read back unchanged.

#include <algorithm>
#include <cstring>
#include <memory>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/Lineage.hpp"
#include "engine/LineageEvidence.hpp"
#include "engine/LineageSimulation.hpp"
#include "engine/MtComparison.hpp"
#include "engine/MtStatistic.hpp"
#include "engine/Simulation.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/MtdnaReader.hpp"
#include "formats/MtdnaWriter.hpp"
#include "formats/PedigreeReader.hpp"
#include "formats/YstrReader.hpp"
#include "tests/support/RunKinmatch.hpp"
#include "tests/support/SharedFixtures.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

using kinmatch::test::norstr;

LineageSimulationOptions seeded(std::uint64_t seed) {
    LineageSimulationOptions o;
    o.seed = seed;
    return o;
}

// A simulated case without mutation (`markers` STR markers) and its lineage results.
struct LineageCase {
    static SimulationOptions optionsOf(std::size_t families, std::size_t remains, std::size_t markers,
                                       std::uint64_t seed) {
        SimulationOptions o;
        o.families = families;
        o.remains = remains;
        o.markers = markers;
        o.seed = seed;
        return o;
    }
    static MutationModel noMutation() {
        const MutationParameters none{MutationModelKind::kNone, 0.0, 0.0, 0.5};
        return MutationModel{none, none};
    }
    LineageCase(std::size_t families, std::size_t remainsCount, std::size_t markers, std::uint64_t seed)
        : options(optionsOf(families, remainsCount, markers, seed)),
          simulation(norstr(), noMutation(), options),
          lineages(seeded(seed)),
          references(lineages.caseReferences(simulation, 0, families)),
          remains(lineages.caseRemains(simulation, 0, remainsCount)) {}
    const SimulationOptions options;
    const Simulation simulation;
    const LineageSimulation lineages;
    const LineageProfiles references;
    const LineageProfiles remains;
};

PersonRecord person(std::string id, std::string father, std::string mother, Sex sex, std::string sample = ".",
                    bool missing = false) {
    return PersonRecord{std::move(id), std::move(father), std::move(mother), sex, std::move(sample), missing, {}};
}

// Three generations: a maternal grandmother, her daughter (the missing person's mother) and
// son, the missing man and his sister and brother, his father's father and his father. Every
// typed person is on one of the missing man's lines except the mother's brother's wife.
FamilyRecord threeGenerations() {
    const Sex m = Sex::kMale;
    const Sex f = Sex::kFemale;
    return FamilyRecord{
        "FAM",
        {person("grandfather", "0", "0", m), person("grandmother", "0", "0", f, "GM"),
         person("mother", "grandfather", "grandmother", f), person("uncle", "grandfather", "grandmother", m, "UNCLE"),
         person("paternal-grandfather", "0", "0", m, "PGF"), person("paternal-grandmother", "0", "0", f),
         person("father", "paternal-grandfather", "paternal-grandmother", m),
         person("MP", "father", "mother", m, ".", true), person("sister", "father", "mother", f, "SIS"),
         person("brother", "father", "mother", m, "BRO"), person("uncle-wife", "0", "0", f, "AUNT")}};
}

mt::Haplotype wholeGenome(const std::vector<mt::Variant>& variants) {
    return mt::Haplotype{"", mt::CoveredRange::whole(), variants, {}};
}

std::size_t index(const FamilyRecord& family, const std::string& id) {
    for (std::size_t i = 0; i < family.persons.size(); ++i)
        if (family.persons[i].id == id) return i;
    FAIL("no person " << id);
    return 0;
}

std::string mtText(const std::vector<mt::Haplotype>& haplotypes) {
    std::ostringstream out;
    formats::writeMtdnaTsv(out, haplotypes, {});
    return out.str();
}

}  // namespace

TEST_CASE("Lineage simulation is a function of the seed, whatever the slicing", "[lineage-simulation]") {
    const LineageSimulation a(seeded(7));
    const LineageSimulation b(seeded(7));
    const LineageSimulation other(seeded(8));
    CHECK(mtText(a.mtDatabase(0, 300)) == mtText(b.mtDatabase(0, 300)));
    CHECK(mtText(a.mtDatabase(0, 300)) != mtText(other.mtDatabase(0, 300)));

    // A slice starting in the middle equals the tail of the whole.
    const auto whole = a.mtDatabase(0, 300);
    const auto tail = a.mtDatabase(120, 180);
    CHECK(mtText(tail) == mtText(std::vector<mt::Haplotype>(whole.begin() + 120, whole.end())));
    const auto yWhole = a.yDatabase(0, 50);
    const auto yTail = a.yDatabase(20, 30);
    for (std::size_t i = 0; i < yTail.size(); ++i) {
        CHECK(yTail[i].sample == yWhole[i + 20].sample);
        CHECK(yTail[i].loci == yWhole[i + 20].loci);
    }

    const FamilyRecord family = threeGenerations();
    const auto ta = a.familyTruth(family, 3);
    const auto tb = b.familyTruth(family, 3);
    REQUIRE(ta.size() == family.persons.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
        CHECK(ta[i].mt == tb[i].mt);
        CHECK(ta[i].y == tb[i].y);
    }
    // Another family key is another family.
    CHECK(a.familyTruth(family, 4)[index(family, "MP")].mt != ta[index(family, "MP")].mt);
}

TEST_CASE("Without germline mutation a line shares one haplotype", "[lineage-simulation]") {
    LineageSimulationOptions options = seeded(3);
    options.mtGermlineRate = 0.0;
    options.yRateScale = 0.0;
    const LineageSimulation simulation(options);
    const FamilyRecord family = threeGenerations();
    for (std::uint64_t key = 0; key < 50; ++key) {
        const auto truth = simulation.familyTruth(family, key);
        const auto& mp = truth[index(family, "MP")];
        // Heteroplasmies may segregate, never as a difference: compare counts none.
        for (const char* relative : {"grandmother", "mother", "uncle", "sister", "brother"}) {
            INFO(relative);
            CHECK(mt::compare(wholeGenome(mp.mt), wholeGenome(truth[index(family, relative)].mt), {}).differences == 0);
        }
        for (const char* man : {"paternal-grandfather", "father", "brother"}) {
            INFO(man);
            CHECK(truth[index(family, man)].y == mp.y);
        }
        CHECK(truth[index(family, "sister")].y == std::nullopt);
        // Founders are unrelated: the missing man's mother and father's mother differ.
        CHECK(truth[index(family, "paternal-grandmother")].mt != mp.mt);
    }
}

TEST_CASE("Maternal and paternal relatives differ from the missing person only by recorded mutations",
          "[lineage-simulation]") {
    LineageSimulationOptions options = seeded(11);
    options.mtGermlineRate = 0.05;  // high, so that many families carry one
    options.yRateScale = 3.0;
    const LineageSimulation simulation(options);
    const FamilyRecord family = threeGenerations();
    const std::size_t mp = index(family, "MP");
    const std::size_t mother = index(family, "mother");
    const std::size_t grandmother = index(family, "grandmother");
    const std::size_t father = index(family, "father");
    std::size_t transmissions = 0;
    std::size_t mutated = 0;
    std::size_t differingPairs = 0;
    for (std::uint64_t key = 0; key < 2000; ++key) {
        const auto truth = simulation.familyTruth(family, key);
        // MP - grandmother: two maternal transmissions (grandmother -> mother -> MP).
        const std::size_t events = truth[mother].mtMutations + truth[mp].mtMutations;
        const auto c = mt::compare(wholeGenome(truth[mp].mt), wholeGenome(truth[grandmother].mt), {});
        CHECK(c.differences <= events);
        differingPairs += c.differences > 0;
        for (std::size_t p = 0; p < truth.size(); ++p)
            if (family.persons[p].mother != "0") {
                ++transmissions;
                mutated += truth[p].mtMutations;
            }
        // Y: the son's alleles are within his recorded steps of his father's.
        int steps = 0;
        for (std::size_t s = 0; s < truth[mp].y->size(); ++s)
            steps += std::abs((*truth[mp].y)[s] - (*truth[father].y)[s]) / 10;
        // At most two steps per event, on two slots for DYS389I (which DYS389II includes).
        CHECK(steps <= 4 * truth[mp].yMutations);
        if (truth[mp].yMutations == 0) CHECK(steps == 0);
    }
    // 6 maternal transmissions per family at rate 0.05: 600 expected, sd ~24.
    CHECK(transmissions == 2000 * 6);
    CHECK(mutated > 500);
    CHECK(mutated < 700);
    // Most mutations are visible between MP and grandmother (some are heteroplasmies, which
    // match either base, or revert an earlier one).
    CHECK(differingPairs > 100);
}

TEST_CASE("Simulated mtDNA is about as diverse as control-region data", "[lineage-simulation]") {
    const LineageSimulation simulation(seeded(1));
    const auto database = simulation.mtDatabase(0, 3000);
    const MtDiversity hvs = mtDiversity(database, hvs1hvs2Range());
    mt::CoveredRange controlRegion;
    controlRegion.add(16024, 576);
    const MtDiversity cr = mtDiversity(database, controlRegion);
    INFO("HVS-I/II: " << hvs.haplotypes << " haplotypes, " << hvs.distinct << " distinct, " << hvs.singletons
                      << " singletons, commonest " << hvs.mostCommon << ", random match " << hvs.randomMatchFraction);
    INFO("CR: " << cr.haplotypes << " haplotypes, " << cr.distinct << " distinct, random match "
                << cr.randomMatchFraction);
    // The documented band (engine/README.md): 0.5-2% over HVS-I/II.
    CHECK(hvs.haplotypes == 3000);
    CHECK(hvs.randomMatchFraction > 0.005);
    CHECK(hvs.randomMatchFraction < 0.02);
    // Most haplotypes rare, the commonest a few per cent.
    CHECK(hvs.singletons > hvs.haplotypes / 3);
    CHECK(hvs.mostCommon > hvs.haplotypes / 50);
    CHECK(hvs.mostCommon < hvs.haplotypes / 10);
    // A longer range tells more apart (whole genomes and CR results cover it; HVS-only not).
    CHECK(cr.haplotypes > 2400);
    CHECK(cr.randomMatchFraction < hvs.randomMatchFraction);
    CHECK(cr.singletons > cr.haplotypes / 2);

    // Hot sites recur: 16519C and 152C each in a large share of lineages.
    std::size_t at16519 = 0;
    std::size_t at152 = 0;
    std::size_t heteroplasmic = 0;
    for (const auto& h : database) {
        for (const auto& v : h.variants) {
            at16519 += v.position == 16519 && v.insertion == 0;
            at152 += v.position == 152 && v.insertion == 0;
            heteroplasmic += mt::isHeteroplasmy(v.base);
        }
    }
    CHECK(at16519 > 300);
    CHECK(at152 > 100);
    // 3% of samples show a heteroplasmy of their own.
    CHECK(heteroplasmic > 45);
    CHECK(heteroplasmic < 150);

    // Y-STRs: Yfiler Plus haplotypes of unrelated men are nearly all distinct.
    const auto y = simulation.yDatabase(0, 2000);
    std::set<std::map<std::string, ystr::AlleleSet>> distinct;
    std::size_t full = 0;
    for (const auto& h : y)
        if (h.loci.size() == simulatedYLoci().size()) {
            ++full;
            distinct.insert(h.loci);
        }
    CHECK(full > 1300);  // a quarter of the database is the older 17-locus kit
    CHECK(full < 1700);
    CHECK(distinct.size() >= full * 99 / 100);
}

TEST_CASE("Typed samples have the ranges and kits labs report", "[lineage-simulation]") {
    const LineageSimulation simulation(seeded(5));
    mt::CoveredRange controlRegion;
    controlRegion.add(16024, 576);
    std::map<std::string, int> database;
    for (const auto& h : simulation.mtDatabase(0, 2000))
        ++database[h.range == controlRegion               ? "CR"
                   : h.range == mt::CoveredRange::whole() ? "whole"
                   : h.range == hvs1hvs2Range()           ? "HVS"
                                                          : "other"];
    CHECK(database["CR"] > 1550);
    CHECK(database["whole"] > 90);
    CHECK(database["HVS"] > 140);
    CHECK(database["other"] == 0);

    // Remains: a third degraded, with partial control-region ranges.
    const LineageTruth truth = simulation.populationDraw(1, true);
    int partial = 0;
    int yPartial = 0;
    for (std::uint64_t key = 0; key < 900; ++key) {
        const auto h = simulation.typeMt(truth, "UR", LineageSampleKind::kRemains, key);
        partial += h.range.size() < controlRegion.size();
        CHECK(h.range.size() >= 89 + 95);  // the two shortest amplicons
        const auto y = simulation.typeY(truth, "UR", LineageSampleKind::kRemains, key);
        REQUIRE(y);
        yPartial += y->loci.size() < simulatedYLoci().size();
        // One allele per single-copy locus; DYS385 one or two.
        for (const auto& [locus, alleles] : y->loci) CHECK(alleles.size() <= ystr::maxCopies(locus));
    }
    CHECK(partial > 240);
    CHECK(partial < 360);
    CHECK(yPartial > 240);
    CHECK(yPartial < 360);
    CHECK_FALSE(simulation.typeY(simulation.populationDraw(1, false), "W", LineageSampleKind::kReference, 0));
}

TEST_CASE("Simulated mtDNA files read back through the mtDNA reader unchanged", "[lineage-simulation]") {
    const LineageSimulation simulation(seeded(2));
    auto written = simulation.mtDatabase(0, 500);
    const FamilyRecord family = threeGenerations();
    for (std::uint64_t key = 0; key < 40; ++key)
        for (auto& h : simulation.familyReferences(family, key).mtdna) written.push_back(std::move(h));
    for (std::size_t i = 500; i < written.size(); ++i) written[i].sample += "-" + std::to_string(i);
    std::istringstream in(mtText(written));
    test::checkSameMt(formats::readMtdnaHaplotypes(in, "simulated.tsv"), written);
}

TEST_CASE("A simulated case's true remains carry their missing person's lineages", "[lineage-simulation]") {
    const LineageCase sim(300, 200, 5, 4);
    const Simulation& simulation = sim.simulation;
    const LineageSimulation& lineages = sim.lineages;
    const LineageProfiles& references = sim.references;
    const LineageProfiles& remains = sim.remains;
    // A slice agrees with the whole.
    const auto tail = lineages.caseRemains(simulation, 150, 50).mtdna;
    CHECK(mtText(tail) ==
          mtText(std::vector<mt::Haplotype>(remains.mtdna.end() - std::ssize(tail), remains.mtdna.end())));

    std::map<std::string, const mt::Haplotype*> mtBySample;
    for (const auto& h : references.mtdna) mtBySample[h.sample] = &h;
    std::map<std::string, const ystr::Haplotype*> yBySample;
    for (const auto& h : references.ystr) yBySample[h.sample] = &h;
    CHECK(remains.mtdna.size() > 160);
    CHECK(remains.ystr.size() > 40);

    std::map<std::string, TruthRow> truth;
    for (const auto& row : simulation.remains(0, 200).truth) truth[row.remains] = row;
    const PedigreeSet pedigrees = simulation.pedigrees(0, 300);
    std::map<std::string, const FamilyRecord*> families;
    for (const auto& f : pedigrees.families) families[f.name] = &f;

    // Calls visit(haplotype) for each typed relative on the line `relatives` picks (maternal or
    // paternal) of the missing person a true remains is.
    auto forEachLineRelative = [&](const std::string& remainsSample, auto relatives, const auto& bySample,
                                   auto&& visit) {
        const TruthRow& row = truth.at(remainsSample);
        const FamilyRecord& family = *families.at(row.family);
        for (const auto& lines : lineage::linesOf(family)) {
            if (family.persons[static_cast<std::size_t>(lines.missing)].id != row.missing) continue;
            for (const auto& relative : lines.*relatives) {
                const auto it = bySample.find(family.persons[static_cast<std::size_t>(relative.person)].sample);
                if (it != bySample.end()) visit(*it->second);
            }
        }
    };

    int compared = 0;
    int excluded = 0;
    int unrelatedCompared = 0;
    int unrelatedMatching = 0;
    for (const auto& h : remains.mtdna) {
        const TruthRow& row = truth.at(h.sample);
        if (row.family == ".") {
            // Against every reference of a fixed family: unrelated remains rarely match.
            for (const auto& r : references.mtdna) {
                if (r.sample.rfind("F0000001", 0) != 0 && r.sample.rfind("F0000002", 0) != 0) continue;
                ++unrelatedCompared;
                unrelatedMatching += mt::compare(h, r, {}).outcome == mt::Outcome::kCannotExclude;
            }
            continue;
        }
        forEachLineRelative(h.sample, &lineage::MissingPersonLines::maternal, mtBySample,
                            [&](const mt::Haplotype& relative) {
                                ++compared;
                                excluded += mt::compare(h, relative, {}).outcome == mt::Outcome::kExclusion;
                            });
    }
    // Germline rate 0.01 over 1-3 meioses: almost never two differences.
    CHECK(compared > 60);
    CHECK(excluded <= 1);
    CHECK(unrelatedCompared > 50);
    CHECK(unrelatedMatching * 10 < unrelatedCompared);

    // Y: a man's remains and his paternal relatives differ at few loci.
    int yCompared = 0;
    int yExcluded = 0;
    for (const auto& h : remains.ystr) {
        if (truth.at(h.sample).family == ".") continue;
        forEachLineRelative(h.sample, &lineage::MissingPersonLines::paternal, yBySample,
                            [&](const ystr::Haplotype& relative) {
                                ++yCompared;
                                int differing = 0;
                                for (const auto& locus : ystr::compare(h, relative)) differing += locus.differs();
                                yExcluded += differing >= 2;
                            });
    }
    CHECK(yCompared > 10);
    CHECK(yExcluded * 10 <= yCompared);
}

TEST_CASE("Lineage simulation options out of range are refused", "[lineage-simulation]") {
    LineageSimulationOptions options;
    options.mtGermlineRate = 1.5;
    CHECK_THROWS_AS(LineageSimulation(options), UsageError);
    options.mtGermlineRate = 0.01;
    options.mtHeteroplasmyRate = -0.1;
    CHECK_THROWS_AS(validateLineageSimulationOptions(options), UsageError);
    options.mtHeteroplasmyRate = 0.0;
    options.yRateScale = 1e9;
    CHECK_THROWS_AS(validateLineageSimulationOptions(options), UsageError);
}

TEST_CASE("The sample case's Y-STRs: paternal relatives agree except for the one planted step",
          "[lineage-simulation][sample]") {
    const auto sample = test::testDataDir() / ".." / ".." / "sample-data";
    Warnings warnings;
    const PedigreeSet pedigrees = formats::readPedigreeFile((sample / "pedigrees.tsv").string(), warnings);
    std::map<std::string, const ystr::Haplotype*> bySample;
    const auto references = formats::readYstrFile((sample / "ystr-references.csv").string());
    const auto remains = formats::readYstrFile((sample / "ystr-remains.csv").string());
    for (const auto& h : references.haplotypes) bySample[h.sample] = &h;
    std::map<std::string, std::string> missingOf;  // remains -> missing person
    std::istringstream truth(test::readFile(sample / "truth.tsv"));
    for (std::string line; std::getline(truth, line);) {
        const auto fields = test::tabFields(line);
        missingOf[fields.at(0)] = fields.at(2);
    }
    int compared = 0;
    int planted = 0;
    for (const auto& h : remains.haplotypes) {
        const auto mp = missingOf.find(h.sample);
        if (mp == missingOf.end()) continue;
        for (const auto& family : pedigrees.families)
            for (const auto& lines : lineage::linesOf(family)) {
                if (family.persons[static_cast<std::size_t>(lines.missing)].id != mp->second) continue;
                for (const auto& relative : lines.paternal) {
                    const auto it = bySample.find(family.persons[static_cast<std::size_t>(relative.person)].sample);
                    if (it == bySample.end()) continue;
                    ++compared;
                    std::vector<ystr::LocusComparison> differing;
                    for (const auto& locus : ystr::compare(h, *it->second))
                        if (locus.differs()) differing.push_back(locus);
                    INFO(h.sample << " vs " << it->first);
                    if (h.sample == "UR-0030") {
                        // FAM-03-MP: one DYS576 step from his father REF-0004.
                        ++planted;
                        CHECK(it->first == "REF-0004");
                        REQUIRE(differing.size() == 1);
                        CHECK(differing[0].locus == "DYS576");
                        CHECK(differing[0].steps == 1);
                    } else {
                        CHECK(differing.empty());
                    }
                }
            }
    }
    CHECK(planted == 1);
    CHECK(compared >= 5);
    // Remains and database are typed with the kits the files promise: DYS385 with two copies.
    const auto database = formats::readYstrFile((sample / "ystr-database.csv").string());
    CHECK(database.haplotypes.size() == 1500);
    std::size_t twoCopies = 0;
    for (const auto& h : database.haplotypes) twoCopies += h.loci.count("DYS385") && h.loci.at("DYS385").size() == 2;
    CHECK(twoCopies > 1000);
}

TEST_CASE("On a simulated case, the lineage values ranking uses are the per-pair values, bit for bit",
          "[lineage-simulation][lineage]") {
    // Ranking takes each remains' values in bulk (LineageEvidence::log10Lrs: quick outcomes,
    // database weights kept per compared range); reports take them pair by pair (evaluate:
    // full comparison). On realistic data, with every outcome present, they must agree.
    const LineageCase sim(150, 120, 3, 9);
    const Simulation& simulation = sim.simulation;
    const LineageProfiles& references = sim.references;
    const LineageProfiles& remains = sim.remains;
    ProfileSet referenceProfiles = simulation.references(0, 150);
    ProfileSet remainsProfiles = simulation.remains(0, 120).profiles;
    // Samples typed only for mtDNA join as untyped profiles, as `kinmatch match` adds them.
    auto addUntyped = [](ProfileSet& profiles, const std::vector<mt::Haplotype>& haplotypes) {
        std::set<std::string> names;
        for (const auto& p : profiles.profiles) names.insert(p.sampleName);
        for (const auto& h : haplotypes)
            if (names.insert(h.sample).second) profiles.profiles.push_back(Profile{h.sample, {}, {}, h.source});
    };
    addUntyped(referenceProfiles, references.mtdna);
    addUntyped(remainsProfiles, remains.mtdna);
    Warnings warnings;
    const PreparedCase prepared =
        prepareCase(norstr(), referenceProfiles, simulation.pedigrees(0, 150), remainsProfiles, {}, warnings);
    lineage::MtInputs mt;
    mt.references = references.mtdna;
    mt.remains = remains.mtdna;
    mt.database = std::make_shared<const mt::Database>(sim.lineages.mtDatabase(1u << 30, 3000), mt.options, 0.95);
    const lineage::LineageEvidence evidence(prepared, std::move(mt), std::nullopt);

    std::map<std::string, int> outcomes;
    int weighed = 0;
    std::size_t missingCount = 0;
    for (const auto& f : prepared.families) missingCount += f.missingPersons.size();
    for (int r = 0; r < static_cast<int>(prepared.remains.size()); ++r) {
        std::vector<double> bulk(missingCount);
        evidence.log10Lrs(r, bulk);
        std::size_t k = 0;
        for (std::size_t f = 0; f < prepared.families.size(); ++f)
            for (int p : prepared.families[f].missingPersons) {
                const lineage::PairLineage pair = evidence.evaluate(r, static_cast<int>(f), p);
                const double single = pair.log10Lr();
                INFO("remains " << prepared.remains[static_cast<std::size_t>(r)].name << ", family "
                                << prepared.families[f].name << ": " << single << " vs " << bulk[k]);
                REQUIRE(std::memcmp(&single, &bulk[k], sizeof single) == 0);
                ++outcomes[std::string(pair.mtdna->outcome)];
                weighed += pair.mtdna->log10Lr > 0.0;
                ++k;
            }
    }
    CHECK(outcomes["exclusion"] > 1000);
    CHECK(outcomes["cannot_exclude"] > 50);
    CHECK(outcomes["inconclusive"] > 5);
    CHECK(weighed > 50);
}
