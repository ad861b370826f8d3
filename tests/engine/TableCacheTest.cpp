// SPDX-License-Identifier: MIT
// The table cache (engine/TableCache.hpp): a family that takes its tables from the cache must
// get exactly, bit for bit, the tables it would have built itself, and families whose tables
// may differ must never share an entry.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "engine/Case.hpp"
#include "engine/LrTable.hpp"
#include "engine/Matcher.hpp"
#include "engine/PedigreeLikelihood.hpp"
#include "engine/Screening.hpp"
#include "engine/ScreeningKernel.hpp"
#include "engine/Simulation.hpp"
#include "engine/TableCache.hpp"

using namespace kinmatch;
using engine::MutationModel;
using engine::PedigreeMember;
using engine::MutationModelKind;
using engine::MutationParameters;
using engine::TableValues;

namespace {

// Few alleles on most markers, so that genotypes repeat and families share; two wider markers
// so that alleles are lumped (equal, proportional, none need four unseen ones).
FrequencyTable testFrequencies() {
    FrequencyTable table{"cache-test", {}};
    const int alleleCounts[] = {3, 4, 5, 14, 18};
    for (int m = 0; m < 5; ++m) {
        MarkerFrequencies marker{"TC" + std::to_string(m), {}, {}, {}};
        double total = 0.0;
        for (int a = 0; a < alleleCounts[m]; ++a) total += 1.0 + (a * 5 + m) % 7;
        for (int a = 0; a < alleleCounts[m]; ++a) {
            marker.alleles.push_back(std::to_string(7 + a));
            marker.frequencies.push_back((1.0 + (a * 5 + m) % 7) / total);
        }
        table.markers.push_back(marker);
    }
    return table;
}

struct NamedModel {
    const char* name;
    MutationModel model;
};

std::vector<NamedModel> testModels() {
    const MutationParameters none{};
    const MutationParameters equal{MutationModelKind::kEqual, 0.005, 0.0, 0.5};
    const MutationParameters equalLow{MutationModelKind::kEqual, 0.001, 0.0, 0.5};
    const MutationParameters proportional{MutationModelKind::kProportional, 0.003, 0.0, 0.5};
    const MutationParameters stepwise{MutationModelKind::kStepwise, 0.004, 0.001, 0.5};
    const MutationParameters stepwiseLow{MutationModelKind::kStepwise, 0.001, 0.0005, 0.3};
    const MutationParameters onestep{MutationModelKind::kOnestep, 0.003, 0.0, 0.5};
    // MutationModel is {female, male}.
    return {{"none", {none, none}},
            {"equal", {equal, equal}},
            {"proportional", {proportional, proportional}},
            {"stepwise", {stepwise, stepwise}},
            {"onestep", {onestep, onestep}},
            {"equal, sex-specific rates", {equalLow, equal}},
            {"stepwise, sex-specific rates", {stepwiseLow, stepwise}}};
}

// Families of every simulated shape, several of each, and some remains.
engine::PreparedCase simulatedCase(const MutationModel& model, std::size_t families, std::uint64_t seed) {
    engine::SimulationOptions options;
    options.families = families;
    options.remains = 30;
    options.seed = seed;
    const engine::Simulation simulation(testFrequencies(), model, options);
    Warnings warnings;
    return engine::prepareCase(simulation.frequencies(), simulation.references(0, families),
                               simulation.pedigrees(0, families), simulation.remains(0, 30).profiles,
                               engine::PrepareOptions{}, warnings);
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool sameTables(const std::vector<std::vector<engine::MarkerTable>>& a,
                const std::vector<std::vector<engine::MarkerTable>>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t m = 0; m < a.size(); ++m) {
        if (a[m].size() != b[m].size()) return false;
        for (std::size_t k = 0; k < a[m].size(); ++k) {
            const auto& x = a[m][k];
            const auto& y = b[m][k];
            if (!sameBits(x.log10Lr, y.log10Lr) || !sameBits(x.ratio, y.ratio) ||
                x.mendelianPossible != y.mendelianPossible || x.relativeTyped != y.relativeTyped)
                return false;
        }
    }
    return true;
}

using FamilyTables = std::vector<std::vector<engine::MarkerTable>>;

std::vector<FamilyTables> buildAll(const engine::PreparedCase& p, const std::vector<engine::MarkerMatrices>& matrices,
                                   bool none, TableValues values, engine::TableCache* cache,
                                   std::vector<std::vector<std::string>>& notes) {
    std::vector<FamilyTables> all(p.families.size());
    notes.assign(p.families.size(), {});
    tbb::parallel_for(std::size_t{0}, p.families.size(), [&](std::size_t f) {
        all[f] = engine::buildFamilyTables(p, static_cast<int>(f), matrices, none, notes[f], values, cache);
    });
    return all;
}

// A copy of `family` whose pedigree also lists members that carry no information (an untyped
// child of two kept members, an unrelated untyped couple): the same key, the same tables.
FamilyRecord padded(const FamilyRecord& family, const std::string& name) {
    FamilyRecord copy = family;
    copy.name = name;
    const auto child = std::find_if(family.persons.begin(), family.persons.end(),
                                    [](const PersonRecord& p) { return p.father != "0"; });
    copy.persons.insert(copy.persons.begin(), PersonRecord{"stranger", "0", "0", Sex::kMale, ".", false, {}});
    copy.persons.push_back(PersonRecord{"stranger-wife", "0", "0", Sex::kFemale, ".", false, {}});
    if (child != family.persons.end())
        copy.persons.push_back(PersonRecord{"late-child", child->father, child->mother, Sex::kFemale, ".", false, {}});
    return copy;
}

bool sameCandidates(const std::vector<engine::Candidate>& a, const std::vector<engine::Candidate>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& x = a[i];
        const auto& y = b[i];
        if (std::memcmp(&x.log10Lr, &y.log10Lr, sizeof(double)) != 0 || x.remains != y.remains ||
            x.family != y.family || x.missingPerson != y.missingPerson || x.rank != y.rank || x.loci != y.loci ||
            x.inconsistentLoci != y.inconsistentLoci)
            return false;
    }
    return true;
}

}  // namespace

TEST_CASE("Tables shared through the cache equal the tables each family builds itself", "[engine][cache]") {
    for (const auto& [name, model] : testModels()) {
        for (const std::uint64_t seed : {11u, 12u}) {
            const auto p = simulatedCase(model, 17 * 12, seed);
            const auto matrices = engine::buildMarkerMatrices(p.markers, model);
            for (const TableValues values : {TableValues::kLog10, TableValues::kRatio}) {
                INFO("model " << name << ", seed " << seed << ", values " << (values == TableValues::kRatio ? "ratio" : "log10"));
                std::vector<std::vector<std::string>> notesAlone, notesCached, notesAgain;
                const auto alone = buildAll(p, matrices, model.isNone(), values, nullptr, notesAlone);
                engine::TableCache cache;
                for (const int threads : {2, 1}) {
                    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
                    // First pass: misses store, later families of the same key hit. Second pass: all hit.
                    const auto cached = buildAll(p, matrices, model.isNone(), values, &cache, notesCached);
                    const auto again = buildAll(p, matrices, model.isNone(), values, &cache, notesAgain);
                    for (std::size_t f = 0; f < p.families.size(); ++f) {
                        INFO("family " << p.families[f].name << ", threads " << threads);
                        REQUIRE(sameTables(cached[f], alone[f]));
                        REQUIRE(sameTables(again[f], alone[f]));
                        REQUIRE(notesCached[f] == notesAlone[f]);
                        REQUIRE(notesAgain[f] == notesAlone[f]);
                    }
                }
                const auto stats = cache.stats();
                CHECK(stats.hits * 2 > stats.lookups);  // families really shared
                CHECK(stats.entries > 0);
                CHECK(stats.rejected == 0);
            }
        }
    }
}

TEST_CASE("Blocks for screening hold the same values, flags, notes and screening rows", "[engine][cache]") {
    for (const auto& [name, model] : testModels()) {
        INFO("model " << name);
        const auto p = simulatedCase(model, 17 * 8, 21);
        const auto matrices = engine::buildMarkerMatrices(p.markers, model);
        const double scale = engine::screeningScale(p.markers);
        for (const std::size_t bytes : {std::size_t{0}, std::size_t{1} << 30}) {
            engine::TableCache cache(bytes, scale);
            for (int pass = 0; pass < 2; ++pass)
                for (std::size_t f = 0; f < p.families.size(); ++f) {
                    std::vector<std::string> notesAlone, notesBlocks;
                    const auto alone = engine::buildFamilyTables(p, static_cast<int>(f), matrices, model.isNone(),
                                                                 notesAlone, TableValues::kRatio);
                    std::vector<const engine::TableBlock*> blocks;
                    std::vector<engine::TableBlock::Owned> owned;
                    engine::buildFamilyBlocks(p, static_cast<int>(f), matrices, model.isNone(), notesBlocks, cache,
                                              blocks, owned);
                    REQUIRE(notesBlocks == notesAlone);
                    REQUIRE(blocks.size() == alone.size());
                    for (std::size_t m = 0; m < blocks.size(); ++m) {
                        std::vector<engine::MarkerTable> copied;
                        blocks[m]->copyTo(copied);
                        REQUIRE(sameTables({copied}, {alone[m]}));
                        for (std::size_t k = 0; k < alone[m].size(); ++k) {
                            const auto& ratio = alone[m][k].ratio;
                            std::vector<std::int16_t> expected(ratio.size());
                            engine::quantiseRatios(ratio.data(), ratio.size(), scale, expected.data(), 1);
                            REQUIRE(std::equal(expected.begin(), expected.end(), blocks[m]->quantised(k)));
                        }
                    }
                    if (bytes == 0) CHECK(owned.size() == blocks.size());
                }
            if (bytes > 0) CHECK(cache.stats().hits > 0);
        }
    }
}

TEST_CASE("Families padded with uninformative members share the entry of the plain family", "[engine][cache]") {
    const auto models = testModels();
    for (const auto& [name, model] : {models[1], models[6]}) {
        INFO("model " << name);
        engine::SimulationOptions options;
        options.families = 17 * 3;
        options.remains = 1;
        options.seed = 5;
        const engine::Simulation simulation(testFrequencies(), model, options);
        PedigreeSet pedigrees = simulation.pedigrees(0, options.families);
        const std::size_t plain = pedigrees.families.size();
        for (std::size_t f = 0; f < plain; ++f)
            pedigrees.families.push_back(padded(pedigrees.families[f], pedigrees.families[f].name + "-padded"));
        Warnings warnings;
        const auto p = engine::prepareCase(simulation.frequencies(), simulation.references(0, options.families),
                                           pedigrees, simulation.remains(0, 1).profiles, engine::PrepareOptions{},
                                           warnings);
        const auto matrices = engine::buildMarkerMatrices(p.markers, model);
        for (std::size_t f = 0; f < plain; ++f)
            for (std::size_t m = 0; m < p.markers.size(); ++m) {
                engine::TableKey a, b;
                REQUIRE(engine::familyTableKey(p, static_cast<int>(f), static_cast<int>(m), matrices[m], false,
                                               TableValues::kRatio, a));
                REQUIRE(engine::familyTableKey(p, static_cast<int>(plain + f), static_cast<int>(m), matrices[m], false,
                                               TableValues::kRatio, b));
                REQUIRE(a.words == b.words);
            }
        // And what the padded family takes from the cache is what it would build itself. (One
        // family after the other: run together, a family and its copy may both miss.)
        engine::TableCache cache;
        for (std::size_t f = 0; f < p.families.size(); ++f) {
            std::vector<std::string> notesAlone, notesCached;
            const auto alone = engine::buildFamilyTables(p, static_cast<int>(f), matrices, model.isNone(), notesAlone,
                                                         TableValues::kRatio);
            const auto cached = engine::buildFamilyTables(p, static_cast<int>(f), matrices, model.isNone(),
                                                          notesCached, TableValues::kRatio, &cache);
            REQUIRE(sameTables(cached, alone));
            REQUIRE(notesCached == notesAlone);
        }
        CHECK(cache.stats().hits >= plain * p.markers.size());
    }
}

namespace {

// One family: father, mother, the missing child, a sibling, a paternal grandmother.
struct Variant {
    std::string fatherGenotype = "8,9";  // marker TC0 has alleles 7, 8, 9
    std::string motherGenotype;  // empty = untyped
    std::string siblingGenotype;
    Sex childSex = Sex::kMale;
    bool grandmother = false;    // the typed relative is the father's mother, not the father
    std::string prefix = "V";
};

FamilyRecord variantFamily(const Variant& v, const std::string& name, ProfileSet& references) {
    auto sample = [&](const std::string& role, const std::string& genotype) {
        if (genotype.empty()) return std::string(".");
        const std::string id = name + "-" + role;
        const auto comma = genotype.find(',');
        references.profiles.push_back(
            Profile{id, {MarkerCall{"TC0", {genotype.substr(0, comma), genotype.substr(comma + 1)}, {}}}, {}, {}});
        return id;
    };
    const std::string p = v.prefix;
    FamilyRecord f{name, {}};
    if (v.grandmother) {
        f.persons.push_back({p + "gf", "0", "0", Sex::kMale, ".", false, {}});
        f.persons.push_back({p + "gm", "0", "0", Sex::kFemale, sample("gm", v.fatherGenotype), false, {}});
        f.persons.push_back({p + "father", p + "gf", p + "gm", Sex::kMale, ".", false, {}});
    } else {
        f.persons.push_back({p + "father", "0", "0", Sex::kMale, sample("father", v.fatherGenotype), false, {}});
    }
    f.persons.push_back({p + "mother", "0", "0", Sex::kFemale, sample("mother", v.motherGenotype), false, {}});
    f.persons.push_back({p + "child", p + "father", p + "mother", v.childSex, ".", true, {}});
    f.persons.push_back({p + "sib", p + "father", p + "mother", Sex::kFemale, sample("sib", v.siblingGenotype), false, {}});
    return f;
}

struct KeyedCase {
    engine::PreparedCase prepared;
    std::vector<engine::MarkerMatrices> matrices;
};

KeyedCase keyedCase(const std::vector<Variant>& variants, const MutationModel& model) {
    FrequencyTable frequencies = testFrequencies();
    frequencies.markers.resize(1);
    ProfileSet references{"refs", {}};
    PedigreeSet pedigrees{"peds", {}};
    for (std::size_t i = 0; i < variants.size(); ++i)
        pedigrees.families.push_back(variantFamily(variants[i], "F" + std::to_string(i), references));
    Warnings warnings;
    KeyedCase c;
    c.prepared = engine::prepareCase(frequencies, references, pedigrees, ProfileSet{"remains", {}},
                                     engine::PrepareOptions{}, warnings);
    c.matrices = engine::buildMarkerMatrices(c.prepared.markers, model);
    return c;
}

std::vector<std::uint32_t> keyOf(const KeyedCase& c, int family) {
    engine::TableKey key;
    REQUIRE(engine::familyTableKey(c.prepared, family, 0, c.matrices[0], false, TableValues::kRatio, key));
    return key.words;
}

}  // namespace

TEST_CASE("A difference that can change the tables gives another key", "[engine][cache]") {
    const MutationParameters equal{MutationModelKind::kEqual, 0.005, 0.0, 0.5};
    const MutationParameters equalLow{MutationModelKind::kEqual, 0.001, 0.0, 0.5};
    const MutationModel sexSpecific{equalLow, equal};
    const MutationModel sameRates{equal, equal};

    Variant base;
    base.siblingGenotype = "7,9";
    Variant genotype = base;
    genotype.fatherGenotype = "7,8";
    Variant typing = base;
    typing.motherGenotype = "7,7";
    Variant untypedSibling = base;
    untypedSibling.siblingGenotype.clear();
    Variant shape = base;
    shape.grandmother = true;
    Variant sex = base;
    sex.childSex = Sex::kFemale;
    Variant renamed = base;
    renamed.prefix = "Other-";

    const auto c = keyedCase({base, genotype, typing, untypedSibling, shape, sex, renamed}, sexSpecific);
    const auto k = [&](int f) { return keyOf(c, f); };
    CHECK(k(0) != k(1));  // a relative's genotype
    CHECK(k(0) != k(2));  // one more typed relative
    CHECK(k(0) != k(3));  // one relative fewer typed
    CHECK(k(0) != k(4));  // the typed relative one generation up
    CHECK(k(0) != k(5));  // the missing person's sex, under sex-specific rates
    CHECK(k(0) == k(6));  // ids and names never enter

    engine::TableKey other;
    REQUIRE(engine::familyTableKey(c.prepared, 0, 0, c.matrices[0], false, TableValues::kLog10, other));
    CHECK(other.words != k(0));  // how values are held

    // With equal rates for both sexes the sex cannot change a table, so it is left out...
    const auto same = keyedCase({base, sex}, sameRates);
    CHECK(keyOf(same, 0) == keyOf(same, 1));
    // ...and sharing is exact there, while the sex-specific case keeps two entries.
    for (const auto* kc : {&same, &c}) {
        engine::TableCache cache;
        std::vector<std::string> notes;
        std::vector<FamilyTables> alone, cached;
        for (int f = 0; f < static_cast<int>(kc->prepared.families.size()); ++f) {
            alone.push_back(engine::buildFamilyTables(kc->prepared, f, kc->matrices, false, notes, TableValues::kRatio));
            cached.push_back(
                engine::buildFamilyTables(kc->prepared, f, kc->matrices, false, notes, TableValues::kRatio, &cache));
            REQUIRE(sameTables(cached.back(), alone.back()));
        }
        CHECK(cache.stats().entries == (kc == &same ? 1u : 6u));
    }
}

TEST_CASE("A key retargeted to another marker equals the key made for that marker", "[engine][cache]") {
    const auto models = testModels();
    for (const auto& [name, model] : {models[0], models[1], models[6]}) {
        INFO("model " << name);
        const auto p = simulatedCase(model, 17 * 4, 51);
        const auto matrices = engine::buildMarkerMatrices(p.markers, model);
        for (std::size_t f = 0; f < p.families.size(); ++f) {
            engine::TableKey first;
            if (!engine::familyTableKey(p, static_cast<int>(f), 0, matrices[0], model.isNone(), TableValues::kRatio, first))
                continue;
            for (std::size_t m = 1; m < p.markers.size(); ++m) {
                engine::TableKey made, retargeted;
                REQUIRE(engine::familyTableKey(p, static_cast<int>(f), static_cast<int>(m), matrices[m], model.isNone(),
                                               TableValues::kRatio, made));
                // The simulated relatives are typed at every marker: one typed pattern throughout.
                std::vector<PedigreeMember> members;
                for (const auto& person : p.families[f].persons) {
                    PedigreeMember member{person.father, person.mother, -1, -1};
                    if (person.reference >= 0) {
                        const auto g = p.references[static_cast<std::size_t>(person.reference)].genotypes[m];
                        member.allele1 = g.allele1;
                        member.allele2 = g.allele2;
                    }
                    members.push_back(member);
                }
                const auto kept = engine::informativeMembers(members, p.families[f].missingPersons);
                engine::retargetTableKey(first, members, kept, static_cast<int>(m), retargeted);
                REQUIRE(retargeted.words == made.words);
                REQUIRE(retargeted.hash == made.hash);
            }
        }
    }
}

TEST_CASE("A full cache stores no more and changes nothing", "[engine][cache]") {
    const auto model = testModels()[1].model;
    const auto p = simulatedCase(model, 17 * 6, 31);
    const auto matrices = engine::buildMarkerMatrices(p.markers, model);
    std::vector<std::vector<std::string>> notesAlone, notesCached;
    const auto alone = buildAll(p, matrices, false, TableValues::kRatio, nullptr, notesAlone);
    engine::TableCache cache(20000);
    const auto cached = buildAll(p, matrices, false, TableValues::kRatio, &cache, notesCached);
    for (std::size_t f = 0; f < p.families.size(); ++f) REQUIRE(sameTables(cached[f], alone[f]));
    CHECK(notesCached == notesAlone);
    const auto stats = cache.stats();
    CHECK(stats.bytes <= 20000);
    CHECK(stats.entries > 0);
    CHECK(stats.rejected > 0);
}

TEST_CASE("Screening output is the same with and without the cache, for 1 and 2 threads", "[engine][cache][screening]") {
    for (const auto& [name, model] : testModels()) {
        const auto p = simulatedCase(model, 17 * 10, 41);
        engine::MatchOptions o;
        o.top = 3;
        o.topPerMissingPerson = 2;
        o.tilesPerBatch = 1;
        o.tileWidth = 16;
        o.tableCacheBytes = 0;
        const auto reference = engine::screenCase(p, model, o);
        REQUIRE(reference.candidates.size() == 30 * o.top);
        for (const int threads : {1, 2}) {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
            for (const std::size_t bytes : {std::size_t{30000}, engine::TableCache::kDefaultMaxBytes}) {
                INFO("model " << name << ", threads " << threads << ", cache " << bytes);
                o.tableCacheBytes = bytes;
                const auto cached = engine::screenCase(p, model, o);
                REQUIRE(sameCandidates(cached.candidates, reference.candidates));
                REQUIRE(sameCandidates(cached.byMissingPerson, reference.byMissingPerson));
                REQUIRE(cached.warnings == reference.warnings);
            }
        }
    }
}
