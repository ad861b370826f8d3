// SPDX-License-Identifier: MIT
#include "engine/LrTable.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <limits>
#include <memory>

#include "engine/AlleleLumping.hpp"
#include "engine/Errors.hpp"
#include "engine/PedigreeLikelihood.hpp"
#include "engine/Peeling.hpp"
#include "engine/TableCache.hpp"

namespace kinmatch::engine {

std::vector<MarkerMatrices> buildMarkerMatrices(const std::vector<Marker>& markers, const MutationModel& model) {
    std::vector<MarkerMatrices> all;
    all.reserve(markers.size());
    const MutationParameters none{};
    for (const auto& m : markers) {
        all.push_back(MarkerMatrices{buildMutationMatrix(model.male, m.name, m.alleles, m.frequencies),
                                     buildMutationMatrix(model.female, m.name, m.alleles, m.frequencies),
                                     buildMutationMatrix(none, m.name, m.alleles, m.frequencies)});
        MarkerMatrices& built = all.back();
        built.lumpable = detail::lumpableMatrices(built.male, built.female, m.frequencies, m.alleleCount());
        built.sexSpecific = built.male != built.female;
    }
    return all;
}

namespace {

// Posterior over unordered genotypes from the ordered joint: P(a/b) = J(a,b) + J(b,a).
void unorderedJoint(const std::vector<double>& joint, int n, std::vector<double>& out) {
    out.resize(genotypeCount(n));
    for (int b = 0; b < n; ++b) {
        double* to = out.data() + genotypeIndex(0, b);
        const double* rowB = joint.data() + static_cast<std::size_t>(b) * n;
        for (int a = 0; a < b; ++a) to[a] = joint[static_cast<std::size_t>(a) * n + b] + rowB[a];
        to[b] = rowB[b];
    }
}

double sum(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x;
    return s;
}

// Plans already made on this thread, by what a plan depends on: parents, typed pattern and
// missing persons. Families of one shape (and one typed pattern) then share a plan instead of
// each making its own; a plan is a function of exactly these, so a shared one gives the very
// same numbers. Bounded: forgotten all at once when full.
class PlanCache {
public:
    const PeelingPlan& planFor(std::span<const PedigreeMember> members, std::span<const int> targets) {
        words_.clear();
        words_.push_back(static_cast<std::int32_t>(members.size()));
        for (const PedigreeMember& m : members) {
            words_.push_back(m.father);
            words_.push_back(m.mother);
            words_.push_back(m.typed() ? 1 : 0);
        }
        words_.insert(words_.end(), targets.begin(), targets.end());
        std::uint64_t hash = words_.size();
        for (std::int32_t w : words_) hash = (hash ^ static_cast<std::uint32_t>(w)) * 0x9E3779B97F4A7C15ULL + (hash >> 31);
        for (const Entry& e : entries_)
            if (e.hash == hash && e.words == words_) return *e.plan;
        if (entries_.size() == kMaxPlans) entries_.clear();
        entries_.push_back(Entry{hash, words_, std::make_unique<PeelingPlan>(members, targets)});
        return *entries_.back().plan;
    }

private:
    static constexpr std::size_t kMaxPlans = 64;
    struct Entry {
        std::uint64_t hash;
        std::vector<std::int32_t> words;
        std::unique_ptr<PeelingPlan> plan;
    };
    std::vector<Entry> entries_;
    std::vector<std::int32_t> words_;
};

// What one family's markers share: the peeling plan of the current typed pattern (looked up
// again when the pattern changes), the buffers of the joints and of the cache key.
struct FamilyScratch {
    const PeelingPlan* plan = nullptr;
    PlanCache plans;
    std::vector<PedigreeMember> members;
    std::vector<std::vector<double>> peeled, unordered;
    std::vector<double> joint, possible;
    detail::LumpingScratch lumping;
    std::vector<std::vector<std::uint8_t>> mendelianSupport;
    std::vector<Sex> sexes;
    TableKey key;
};

// The family at one marker as the likelihood code sees it; returns whether anyone is typed.
bool membersAt(const FamilyView& view, int markerIndex, std::vector<PedigreeMember>& members) {
    const Family& family = view.family;
    members.assign(family.persons.size(), PedigreeMember{});
    bool anyTyped = false;
    for (std::size_t i = 0; i < family.persons.size(); ++i) {
        const Person& p = family.persons[i];
        members[i].father = p.father;
        members[i].mother = p.mother;
        if (p.reference >= 0) {
            const Genotype g = view.references[static_cast<std::size_t>(p.reference)].genotypes[markerIndex];
            if (g.typed()) {
                members[i].allele1 = g.allele1;
                members[i].allele2 = g.allele2;
                anyTyped = true;
            }
        }
    }
    return anyTyped;
}

// The cache key of the family at this marker into `key`, for a plan made from
// scratch.members. False where tables are not shared (a loop).
bool keyFor(const Family& family, int markerIndex, const MarkerMatrices& matrices, bool mutationModelIsNone,
            TableValues values, FamilyScratch& scratch, TableKey& key) {
    if (!scratch.plan->peelable()) return false;
    scratch.sexes.clear();
    if (matrices.sexSpecific)
        for (const Person& p : family.persons) scratch.sexes.push_back(p.sex);
    return makeTableKey(scratch.members, scratch.plan->keptMembers(), family.missingPersons, scratch.sexes,
                        markerIndex, values, mutationModelIsNone, key);
}

std::string mendelianNote(const Family& family, const Marker& marker) {
    return "family " + family.name + ": the references at marker " + marker.name +
           " are inconsistent without mutation; every remains counts this marker as inconsistent";
}

// What tablesAt did at one marker.
struct MarkerOutcome {
    const TableBlock* hit = nullptr;  // the tables are this stored block's (`tables` untouched)
    bool keyed = false;               // scratch.key holds the key of the tables built
    bool needMutation = false;        // the references need a mutation (a note was added)
};

// One family's tables at one marker into `tables` (one per missing person, each holding only
// the vector `values` names), or the cached block that holds them.
MarkerOutcome tablesAt(const FamilyView& view, int markerIndex, const MarkerMatrices& matrices,
                       bool mutationModelIsNone, std::vector<std::string>& notes, TableValues values,
                       FamilyScratch& scratch, TableCache* cache, std::vector<MarkerTable>& tables) {
    const Family& family = view.family;
    const Marker& marker = view.markers[static_cast<std::size_t>(markerIndex)];
    const int n = marker.alleleCount();
    MarkerOutcome outcome;

    std::vector<PedigreeMember>& members = scratch.members;
    const bool anyTyped = membersAt(view, markerIndex, members);
    // Without mutation nothing typed means LR = 1 exactly: skip the work.
    if (!anyTyped && mutationModelIsNone) {
        tables.resize(family.missingPersons.size());
        for (auto& table : tables) {
            (values == TableValues::kLog10 ? table.log10Lr : table.ratio).assign(genotypeCount(n), values == TableValues::kLog10 ? 0.0 : 1.0);
            table.mendelianPossible.assign(genotypeCount(n), 1);
            table.relativeTyped = false;
        }
        return outcome;
    }

    const MarkerModelView model{n, marker.frequencies, matrices.male, matrices.female};
    const MarkerModelView mendel{n, marker.frequencies, matrices.identity, matrices.identity};
    // Loop-free pedigrees (nearly all) give every missing person's joint from one peeling
    // pass; pedigrees with loops run variable elimination once per missing person. The plan
    // depends on the typed pattern only, so consecutive markers mostly share it.
    if (!scratch.plan || !scratch.plan->fits(members)) scratch.plan = &scratch.plans.planFor(members, family.missingPersons);
    const bool peel = scratch.plan->peelable();
    outcome.keyed = cache && cache->enabled() &&
                    keyFor(family, markerIndex, matrices, mutationModelIsNone, values, scratch, scratch.key);
    if (outcome.keyed) {
        if (const TableBlock* hit = cache->find(scratch.key)) {
            if (hit->referencesNeedMutation()) notes.push_back(mendelianNote(family, marker));
            outcome.hit = hit;
            outcome.needMutation = hit->referencesNeedMutation();
            return outcome;
        }
    }
    tables.resize(family.missingPersons.size());
    std::vector<std::vector<std::uint8_t>>& mendelianSupport = scratch.mendelianSupport;
    bool referencesMendelian = true;
    bool lumped = false;  // scratch.unordered holds the unordered joints already
    if (peel) {
        // Alleles no typed member carries are lumped where the model allows it (none, equal,
        // proportional): the pass then costs (seen + 3)^2 per message instead of n^2.
        lumped = matrices.lumpable &&
                 detail::peelWithLumpedAlleles(*scratch.plan, members, model, scratch.lumping, scratch.unordered);
        if (!lumped) scratch.plan->run(members, model, scratch.peeled);
        if (!mutationModelIsNone)
            detail::mendelianSupportByLumping(*scratch.plan, members, n, marker.frequencies, scratch.lumping,
                                              mendelianSupport, referencesMendelian);
    }
    std::vector<double>& joint = scratch.joint;
    std::vector<double>& possible = scratch.possible;
    bool warnedMendel = false;
    for (std::size_t k = 0; k < family.missingPersons.size(); ++k) {
        const int target = family.missingPersons[k];
        // P(D, G_MP = g) / P(D) is the posterior of the missing person; dividing by the
        // Hardy-Weinberg probability of g gives the LR of remains with genotype g.
        try {
            if (!lumped) unorderedJoint(peel ? scratch.peeled[k] : jointWithTarget(members, target, model), n, joint);
        } catch (const Error& e) {
            throw Error("family " + family.name + ", marker " + marker.name + ": " + e.what());
        }
        if (lumped) joint.swap(scratch.unordered[k]);
        const double likelihood = sum(joint);
        if (!(likelihood > 0.0))
            throw InputError("family " + family.name + ": the references' genotypes at marker " + marker.name +
                             " are impossible together under the mutation model (check the samples or use a mutation model)");

        if (!mutationModelIsNone && !peel) {
            unorderedJoint(jointWithTarget(members, target, mendel), n, possible);
            referencesMendelian = sum(possible) > 0.0;
        }
        if (!mutationModelIsNone) {
            if (!referencesMendelian && !warnedMendel) {
                notes.push_back(mendelianNote(family, marker));
                warnedMendel = true;
            }
        }

        MarkerTable& table = tables[k];
        table.relativeTyped = anyTyped;
        auto& stored = values == TableValues::kLog10 ? table.log10Lr : table.ratio;
        stored.resize(joint.size());
        table.mendelianPossible.resize(joint.size());
        // LR = joint / P(D) / P_HW(g), genotype by genotype in index order (b-major, a <= b),
        // in loops without branches so that the divisions vectorise.
        const double* f = marker.frequencies.data();
        double* lr = stored.data();
        for (int b = 0; b < n; ++b) {
            const std::size_t row = genotypeIndex(0, b);
            const double fb = f[b];
            for (int a = 0; a < b; ++a) lr[row + a] = joint[row + a] / likelihood / (2.0 * f[a] * fb);
            lr[row + b] = joint[row + b] / likelihood / (fb * fb);
        }
        if (values == TableValues::kLog10)
            for (double& v : stored) v = log10OfRatio(v);
        std::uint8_t* possibleOut = table.mendelianPossible.data();
        if (!mutationModelIsNone && peel) {
            std::copy(mendelianSupport[k].begin(), mendelianSupport[k].end(), possibleOut);
        } else {
            const std::vector<double>& support = mutationModelIsNone ? joint : possible;
            for (std::size_t g = 0; g < support.size(); ++g) possibleOut[g] = support[g] > 0.0 ? 1 : 0;
        }
    }
    outcome.needMutation = warnedMendel;
    return outcome;
}

}  // namespace

std::vector<MarkerTable> buildMarkerTables(const PreparedCase& prepared, int familyIndex, int markerIndex,
                                           const MarkerMatrices& matrices, bool mutationModelIsNone,
                                           std::vector<std::string>& notes, TableValues values) {
    FamilyScratch scratch;
    std::vector<MarkerTable> tables;
    tablesAt(FamilyView{prepared.markers, prepared.families[static_cast<std::size_t>(familyIndex)], prepared.references},
             markerIndex, matrices, mutationModelIsNone, notes, values, scratch, nullptr, tables);
    return tables;
}

std::vector<std::vector<MarkerTable>> buildFamilyTables(const PreparedCase& prepared, int familyIndex,
                                                        const std::vector<MarkerMatrices>& matrices,
                                                        bool mutationModelIsNone, std::vector<std::string>& notes,
                                                        TableValues values, TableCache* cache) {
    // The buffers and plans stay with the thread from family to family; the current plan is
    // looked up again for each family (a plan's `fits` checks parents and typed pattern, not
    // which members are missing persons).
    thread_local FamilyScratch scratch;
    scratch.plan = nullptr;
    const FamilyView view{prepared.markers, prepared.families[static_cast<std::size_t>(familyIndex)], prepared.references};
    std::vector<std::vector<MarkerTable>> tables(prepared.markers.size());
    for (std::size_t m = 0; m < prepared.markers.size(); ++m) {
        const MarkerOutcome o = tablesAt(view, static_cast<int>(m), matrices[m], mutationModelIsNone,
                                         notes, values, scratch, cache, tables[m]);
        if (o.hit) {
            o.hit->copyTo(tables[m]);
        } else if (o.keyed) {
            TableBlock::Owned block = TableBlock::make(&scratch.key, tables[m], values, o.needMutation, cache->quantiseScale());
            cache->insert(block);
        }
    }
    return tables;
}

void buildFamilyBlocks(const PreparedCase& prepared, int familyIndex, const std::vector<MarkerMatrices>& matrices,
                       bool mutationModelIsNone, std::vector<std::string>& notes, TableCache& cache,
                       std::vector<const TableBlock*>& blocks, std::vector<TableBlock::Owned>& owned) {
    buildFamilyBlocks(FamilyView{prepared.markers, prepared.families[static_cast<std::size_t>(familyIndex)], prepared.references},
                      matrices, mutationModelIsNone, notes, cache, blocks, owned);
}

void buildFamilyBlocks(const FamilyView& view, const std::vector<MarkerMatrices>& matrices, bool mutationModelIsNone,
                       std::vector<std::string>& notes, TableCache& cache, std::vector<const TableBlock*>& blocks,
                       std::vector<TableBlock::Owned>& owned) {
    thread_local FamilyScratch scratch;
    thread_local std::vector<MarkerTable> built;  // a miss's tables, until they are a block
    thread_local std::vector<TableKey> keys;
    thread_local std::vector<char> keyed;
    const Family& family = view.family;
    const std::size_t markerCount = view.markers.size();
    scratch.plan = nullptr;
    blocks.assign(markerCount, nullptr);
    keys.resize(markerCount);
    keyed.assign(markerCount, 0);
    // Every marker's key first, then one lookup for them all: most markers hit, and their
    // blocks then come from memory together.
    if (cache.enabled()) {
        // Markers keyed with the plan of the last keyed marker (no other plan looked up since)
        // share all of its key but the marker and the genotypes.
        std::size_t plansLookedUp = 0;
        std::size_t lastKeyed = markerCount;
        std::size_t lastKeyedPlans = 0;
        for (std::size_t m = 0; m < markerCount; ++m) {
            const bool anyTyped = membersAt(view, static_cast<int>(m), scratch.members);
            if (!anyTyped && mutationModelIsNone) continue;
            if (!scratch.plan || !scratch.plan->fits(scratch.members)) {
                scratch.plan = &scratch.plans.planFor(scratch.members, family.missingPersons);
                ++plansLookedUp;
            }
            if (lastKeyed < markerCount && lastKeyedPlans == plansLookedUp &&
                matrices[m].sexSpecific == matrices[lastKeyed].sexSpecific) {
                retargetTableKey(keys[lastKeyed], scratch.members, scratch.plan->keptMembers(), static_cast<int>(m),
                                 keys[m]);
                keyed[m] = 1;
            } else {
                keyed[m] = keyFor(family, static_cast<int>(m), matrices[m], mutationModelIsNone, TableValues::kRatio,
                                  scratch, keys[m]);
            }
            if (keyed[m]) {
                lastKeyed = m;
                lastKeyedPlans = plansLookedUp;
            }
        }
        cache.findAll(keys, keyed, blocks);
    }
    for (std::size_t m = 0; m < markerCount; ++m) {
        if (const TableBlock* hit = blocks[m]) {
            if (hit->referencesNeedMutation()) notes.push_back(mendelianNote(family, view.markers[m]));
            continue;
        }
        const MarkerOutcome o = tablesAt(view, static_cast<int>(m), matrices[m], mutationModelIsNone,
                                         notes, TableValues::kRatio, scratch, nullptr, built);
        TableBlock::Owned block =
            TableBlock::make(keyed[m] ? &keys[m] : nullptr, built, TableValues::kRatio, o.needMutation, cache.quantiseScale());
        const TableBlock* stored = keyed[m] ? cache.insert(block) : nullptr;
        if (!stored) {
            stored = block.get();
            owned.push_back(std::move(block));
        }
        blocks[m] = stored;
    }
}

std::vector<MissingPersonTables> buildMissingPersonTables(const PreparedCase& prepared, int familyIndex,
                                                          const std::vector<MarkerMatrices>& matrices,
                                                          bool mutationModelIsNone, std::vector<std::string>& notes,
                                                          TableValues values, TableCache* cache) {
    auto byMarker = buildFamilyTables(prepared, familyIndex, matrices, mutationModelIsNone, notes, values, cache);
    const Family& family = prepared.families[familyIndex];
    std::vector<MissingPersonTables> tables;
    for (int person : family.missingPersons)
        tables.push_back(MissingPersonTables{familyIndex, person, std::vector<MarkerTable>(byMarker.size())});
    for (std::size_t m = 0; m < byMarker.size(); ++m)
        for (std::size_t k = 0; k < byMarker[m].size(); ++k) tables[k].markers[m] = std::move(byMarker[m][k]);
    return tables;
}

bool familyTableKey(const PreparedCase& prepared, int familyIndex, int markerIndex, const MarkerMatrices& matrices,
                    bool mutationModelIsNone, TableValues values, TableKey& key) {
    FamilyScratch scratch;
    const Family& family = prepared.families[familyIndex];
    const bool anyTyped = membersAt(FamilyView{prepared.markers, family, prepared.references}, markerIndex, scratch.members);
    if (!anyTyped && mutationModelIsNone) return false;
    scratch.plan = &scratch.plans.planFor(scratch.members, family.missingPersons);
    return keyFor(family, markerIndex, matrices, mutationModelIsNone, values, scratch, key);
}

}  // namespace kinmatch::engine
