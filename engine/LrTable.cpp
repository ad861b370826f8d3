// SPDX-License-Identifier: MIT
#include "engine/LrTable.hpp"

#include <cmath>
#include <limits>

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
    }
    return all;
}

namespace {

// Posterior over unordered genotypes from the ordered joint: P(a/b) = J(a,b) + J(b,a).
std::vector<double> unorderedJoint(const std::vector<double>& joint, int n) {
    std::vector<double> out(genotypeCount(n));
    for (int b = 0; b < n; ++b)
        for (int a = 0; a <= b; ++a)
            out[genotypeIndex(a, b)] = a == b ? joint[a * n + a] : joint[a * n + b] + joint[b * n + a];
    return out;
}

double sum(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x;
    return s;
}

}  // namespace

std::vector<MarkerTable> buildMarkerTables(const PreparedCase& prepared, int familyIndex, int markerIndex,
                                           const MarkerMatrices& matrices, bool mutationModelIsNone,
                                           std::vector<std::string>& notes, TableValues values) {
    const Family& family = prepared.families[familyIndex];
    const Marker& marker = prepared.markers[markerIndex];
    const int n = marker.alleleCount();

    std::vector<PedigreeMember> members(family.persons.size());
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
    // pass; pedigrees with loops run variable elimination once per missing person.
    const bool peel = isPeelable(members, family.missingPersons);
    std::vector<std::vector<double>> peeled;
    std::vector<std::vector<double>> peeledMendel;
    if (peel) {
        peeled = jointsByPeeling(members, family.missingPersons, model);
        if (!mutationModelIsNone) peeledMendel = jointsByPeeling(members, family.missingPersons, mendel);
    }
    bool warnedMendel = false;
    for (std::size_t k = 0; k < family.missingPersons.size(); ++k) {
        const int target = family.missingPersons[k];
        // P(D, G_MP = g) / P(D) is the posterior of the missing person; dividing by the
        // Hardy-Weinberg probability of g gives the LR of remains with genotype g.
        std::vector<double> joint;
        try {
            joint = unorderedJoint(peel ? peeled[k] : jointWithTarget(members, target, model), n);
        } catch (const Error& e) {
            throw Error("family " + family.name + ", marker " + marker.name + ": " + e.what());
        }
        const double likelihood = sum(joint);
        if (!(likelihood > 0.0))
            throw InputError("family " + family.name + ": the references' genotypes at marker " + marker.name +
                             " are impossible together under the mutation model (check the samples or use a mutation model)");

        std::vector<double> possible;
        double mendelLikelihood = likelihood;
        if (!mutationModelIsNone) {
            possible = unorderedJoint(peel ? peeledMendel[k] : jointWithTarget(members, target, mendel), n);
            mendelLikelihood = sum(possible);
            if (!(mendelLikelihood > 0.0) && !warnedMendel) {
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
        for (int b = 0; b < n; ++b) {
            for (int a = 0; a <= b; ++a) {
                const std::size_t g = genotypeIndex(a, b);
                const double prior = a == b ? marker.frequencies[a] * marker.frequencies[a]
                                            : 2.0 * marker.frequencies[a] * marker.frequencies[b];
                const double lr = joint[g] / likelihood / prior;
                stored[g] = values == TableValues::kLog10 ? log10OfRatio(lr) : lr;
                table.mendelianPossible[g] = (mutationModelIsNone ? joint[g] : possible[g]) > 0.0 ? 1 : 0;
            }
        }
    }
    return tables;
}

}  // namespace kinmatch::engine
