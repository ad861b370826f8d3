// SPDX-License-Identifier: MIT
#include "engine/LrTable.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <limits>
#include <optional>

#include "engine/AlleleLumping.hpp"
#include "engine/Errors.hpp"
#include "engine/PedigreeLikelihood.hpp"
#include "engine/Peeling.hpp"

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

// What one family's markers share: the peeling plan of the current typed pattern (remade
// when the pattern changes) and the buffers of the joints.
struct FamilyScratch {
    std::optional<PeelingPlan> plan;
    std::vector<PedigreeMember> members;
    std::vector<std::vector<double>> peeled, unordered;
    std::vector<double> joint, possible;
    detail::LumpingScratch lumping;
    std::vector<std::vector<std::uint8_t>> mendelianSupport;
};

std::vector<MarkerTable> tablesAt(const PreparedCase& prepared, int familyIndex, int markerIndex,
                                  const MarkerMatrices& matrices, bool mutationModelIsNone,
                                  std::vector<std::string>& notes, TableValues values, FamilyScratch& scratch) {
    const Family& family = prepared.families[familyIndex];
    const Marker& marker = prepared.markers[markerIndex];
    const int n = marker.alleleCount();

    std::vector<PedigreeMember>& members = scratch.members;
    members.assign(family.persons.size(), PedigreeMember{});
    bool anyTyped = false;
    for (std::size_t i = 0; i < family.persons.size(); ++i) {
        const Person& p = family.persons[i];
        members[i].father = p.father;
        members[i].mother = p.mother;
        if (p.reference >= 0) {
            const Genotype g = prepared.references[p.reference].genotypes[markerIndex];
            if (g.typed()) {
                members[i].allele1 = g.allele1;
                members[i].allele2 = g.allele2;
                anyTyped = true;
            }
        }
    }
    std::vector<MarkerTable> tables(family.missingPersons.size());
    // Without mutation nothing typed means LR = 1 exactly: skip the work.
    if (!anyTyped && mutationModelIsNone) {
        for (auto& table : tables) {
            (values == TableValues::kLog10 ? table.log10Lr : table.ratio).assign(genotypeCount(n), values == TableValues::kLog10 ? 0.0 : 1.0);
            table.mendelianPossible.assign(genotypeCount(n), 1);
        }
        return tables;
    }

    const MarkerModelView model{n, marker.frequencies, matrices.male, matrices.female};
    const MarkerModelView mendel{n, marker.frequencies, matrices.identity, matrices.identity};
    // Loop-free pedigrees (nearly all) give every missing person's joint from one peeling
    // pass; pedigrees with loops run variable elimination once per missing person. The plan
    // depends on the typed pattern only, so consecutive markers mostly share it.
    if (!scratch.plan || !scratch.plan->fits(members)) scratch.plan.emplace(members, family.missingPersons);
    const bool peel = scratch.plan->peelable();
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
                notes.push_back("family " + family.name + ": the references at marker " + marker.name +
                                " are inconsistent without mutation; every remains counts this marker as inconsistent");
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
    return tables;
}

}  // namespace

std::vector<MarkerTable> buildMarkerTables(const PreparedCase& prepared, int familyIndex, int markerIndex,
                                           const MarkerMatrices& matrices, bool mutationModelIsNone,
                                           std::vector<std::string>& notes, TableValues values) {
    FamilyScratch scratch;
    return tablesAt(prepared, familyIndex, markerIndex, matrices, mutationModelIsNone, notes, values, scratch);
}

std::vector<std::vector<MarkerTable>> buildFamilyTables(const PreparedCase& prepared, int familyIndex,
                                                        const std::vector<MarkerMatrices>& matrices,
                                                        bool mutationModelIsNone, std::vector<std::string>& notes,
                                                        TableValues values) {
    FamilyScratch scratch;
    std::vector<std::vector<MarkerTable>> tables(prepared.markers.size());
    for (std::size_t m = 0; m < prepared.markers.size(); ++m)
        tables[m] = tablesAt(prepared, familyIndex, static_cast<int>(m), matrices[m], mutationModelIsNone, notes,
                             values, scratch);
    return tables;
}

std::vector<MissingPersonTables> buildMissingPersonTables(const PreparedCase& prepared, int familyIndex,
                                                          const std::vector<MarkerMatrices>& matrices,
                                                          bool mutationModelIsNone, std::vector<std::string>& notes,
                                                          TableValues values) {
    auto byMarker = buildFamilyTables(prepared, familyIndex, matrices, mutationModelIsNone, notes, values);
    const Family& family = prepared.families[familyIndex];
    std::vector<MissingPersonTables> tables;
    for (int person : family.missingPersons)
        tables.push_back(MissingPersonTables{familyIndex, person, std::vector<MarkerTable>(byMarker.size())});
    for (std::size_t m = 0; m < byMarker.size(); ++m)
        for (std::size_t k = 0; k < byMarker[m].size(); ++k) tables[k].markers[m] = std::move(byMarker[m][k]);
    return tables;
}

}  // namespace kinmatch::engine
