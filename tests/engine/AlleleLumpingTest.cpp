// SPDX-License-Identifier: MIT
// Table building lumps the alleles no typed relative carries (engine/AlleleLumping.hpp).
// Here the results are checked against the same computations over every allele: the LR
// tables against a pass with lumping switched off, the Mendelian flags (which genotypes of a
// missing person need no mutation, and whether the references themselves do) against their
// plain definition, variable elimination with identity transmission matrices.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "engine/AlleleLumping.hpp"
#include "engine/Case.hpp"
#include "engine/LrTable.hpp"
#include "engine/PedigreeLikelihood.hpp"
#include "engine/Simulation.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

// Markers with many alleles, so that most are unseen in a family and really get lumped.
FrequencyTable manyAlleleFrequencies(int markers, bool distinct = false) {
    FrequencyTable table{"mendel", {}};
    for (int m = 0; m < markers; ++m) {
        MarkerFrequencies marker{"MEN" + std::to_string(m), {}, {}, {}};
        const int alleles = 5 + (m * 7) % 19;
        double total = 0.0;
        for (int a = 0; a < alleles; ++a) total += 1.0 + (a * 3 + m) % 7;
        for (int a = 0; a < alleles; ++a) {
            marker.alleles.push_back(std::to_string(8 + a));
            marker.frequencies.push_back((1.0 + (a * 3 + m) % 7) / total);
            // Distinct frequencies make the two representatives of the unseen alleles differ.
            if (distinct) marker.frequencies.back() *= 1.0 + 0.01 * a;
        }
        if (distinct) {
            double sum = 0.0;
            for (double f : marker.frequencies) sum += f;
            for (double& f : marker.frequencies) f /= sum;
        }
        table.markers.push_back(marker);
    }
    return table;
}

}  // namespace

TEST_CASE("Mendelian flags from lumped alleles equal those of variable elimination over all alleles",
          "[engine][lr][mutation]") {
    // A high mutation rate makes some families' references inconsistent without mutation and
    // some missing persons' genotypes impossible without it: both flags get exercised.
    const MutationParameters rate{MutationModelKind::kEqual, 0.05, 0.0, 0.5};
    const MutationModel model{rate, rate};
    SimulationOptions options;
    options.families = 17 * 4;  // every shape a few times
    options.remains = 1;
    options.markers = 8;
    options.seed = 77;
    const Simulation simulation(manyAlleleFrequencies(8), model, options);
    Warnings warnings;
    const auto prepared = prepareCase(simulation.frequencies(), simulation.references(0, options.families),
                                      simulation.pedigrees(0, options.families),
                                      simulation.remains(0, 1).profiles, PrepareOptions{}, warnings);
    const auto matrices = buildMarkerMatrices(prepared.markers, model);
    int impossibleGenotypes = 0, possibleGenotypes = 0, inconsistentFamilies = 0;
    for (std::size_t f = 0; f < prepared.families.size(); ++f) {
        const Family& family = prepared.families[f];
        for (std::size_t m = 0; m < prepared.markers.size(); ++m) {
            const Marker& marker = prepared.markers[m];
            const int n = marker.alleleCount();
            std::vector<PedigreeMember> members;
            for (const Person& p : family.persons) {
                PedigreeMember member{p.father, p.mother};
                if (p.reference >= 0) {
                    const Genotype g = prepared.references[p.reference].genotypes[m];
                    if (g.typed()) member.allele1 = g.allele1, member.allele2 = g.allele2;
                }
                members.push_back(member);
            }
            std::vector<std::string> notes;
            const auto tables = buildMarkerTables(prepared, static_cast<int>(f), static_cast<int>(m), matrices[m],
                                                  false, notes);
            INFO("family " << family.name << ", marker " << marker.name);
            bool referencesPossible = true;
            for (std::size_t k = 0; k < family.missingPersons.size(); ++k) {
                const auto mendel = jointWithTarget(members, family.missingPersons[k],
                                                    {n, marker.frequencies, matrices[m].identity, matrices[m].identity});
                double total = 0.0;
                for (double v : mendel) total += v;
                referencesPossible = referencesPossible && total > 0.0;
                for (int b = 0; b < n; ++b)
                    for (int a = 0; a <= b; ++a) {
                        const double joint = a == b ? mendel[a * n + a] : mendel[a * n + b] + mendel[b * n + a];
                        const int expected = joint > 0.0 ? 1 : 0;
                        CHECK(tables[k].mendelianPossible[genotypeIndex(a, b)] == expected);
                        (expected ? possibleGenotypes : impossibleGenotypes) += 1;
                    }
            }
            // The warning about references inconsistent without mutation follows the same flag.
            CHECK(notes.empty() == referencesPossible);
            if (!referencesPossible) ++inconsistentFamilies;
        }
    }
    // The comparison must have seen both kinds of genotype and some inconsistent references.
    CHECK(possibleGenotypes > 1000);
    CHECK(impossibleGenotypes > 1000);
    CHECK(inconsistentFamilies > 0);
}

TEST_CASE("Only matrices of the equal, proportional and no-mutation models are lumpable", "[engine][lr][mutation]") {
    const std::vector<std::string> labels{"10", "11", "12", "12.2", "13", "14"};
    const std::vector<double> p{0.1, 0.25, 0.05, 0.2, 0.3, 0.1};
    auto lumpable = [&](MutationModelKind kind, double rate) {
        const auto m = buildMutationMatrix(MutationParameters{kind, rate, kind == MutationModelKind::kStepwise ? 0.001 : 0.0, 0.5},
                                           "M", labels, p);
        return detail::lumpableMatrices(m, m, p, 6);
    };
    CHECK(lumpable(MutationModelKind::kNone, 0.0));
    CHECK(lumpable(MutationModelKind::kEqual, 0.003));
    CHECK(lumpable(MutationModelKind::kProportional, 0.003));
    CHECK_FALSE(lumpable(MutationModelKind::kStepwise, 0.003));
    const std::vector<std::string> integers{"10", "11", "12", "13", "14", "15"};
    const auto onestep = buildMutationMatrix(MutationParameters{MutationModelKind::kOnestep, 0.003, 0.0, 0.5}, "M",
                                             integers, p);
    CHECK_FALSE(detail::lumpableMatrices(onestep, onestep, p, 6));
}

TEST_CASE("LR tables with unseen alleles lumped equal those over every allele", "[engine][lr][mutation]") {
    for (const auto kind : {MutationModelKind::kEqual, MutationModelKind::kProportional, MutationModelKind::kNone}) {
        // Different rates per sex, so a wrong matrix for either side would show.
        const MutationParameters female{kind, kind == MutationModelKind::kNone ? 0.0 : 0.02, 0.0, 0.5};
        const MutationParameters male{kind, kind == MutationModelKind::kNone ? 0.0 : 0.05, 0.0, 0.5};
        // The simulation mutates with the equal model; without mutation, data stay consistent.
        const MutationParameters simulated{kind == MutationModelKind::kNone ? kind : MutationModelKind::kEqual,
                                           kind == MutationModelKind::kNone ? 0.0 : 0.01, 0.0, 0.5};
        SimulationOptions options;
        options.families = 17 * 3;
        options.remains = 1;
        options.markers = 8;
        options.seed = 5;
        const Simulation simulation(manyAlleleFrequencies(8, true), MutationModel{simulated, simulated}, options);
        Warnings warnings;
        const auto prepared = prepareCase(simulation.frequencies(), simulation.references(0, options.families),
                                          simulation.pedigrees(0, options.families),
                                          simulation.remains(0, 1).profiles, PrepareOptions{}, warnings);
        const MutationModel model{female, male};
        const auto lumped = buildMarkerMatrices(prepared.markers, model);
        auto explicitAlleles = lumped;
        for (auto& m : explicitAlleles) {
            REQUIRE(m.lumpable);
            m.lumpable = false;
        }
        INFO("model " << mutationModelName(kind));
        int compared = 0;
        for (std::size_t f = 0; f < prepared.families.size(); ++f) {
            std::vector<std::string> notes;
            const auto fast = buildFamilyTables(prepared, static_cast<int>(f), lumped, model.isNone(), notes);
            const auto slow = buildFamilyTables(prepared, static_cast<int>(f), explicitAlleles, model.isNone(), notes);
            for (std::size_t m = 0; m < fast.size(); ++m)
                for (std::size_t k = 0; k < fast[m].size(); ++k) {
                    REQUIRE(fast[m][k].log10Lr.size() == slow[m][k].log10Lr.size());
                    for (std::size_t g = 0; g < fast[m][k].log10Lr.size(); ++g) {
                        const double a = fast[m][k].log10Lr[g];
                        const double b = slow[m][k].log10Lr[g];
                        if (std::isinf(b)) {
                            CHECK(a == b);
                        } else {
                            CHECK(a == Approx(b).margin(1e-12));
                            ++compared;
                        }
                    }
                    CHECK(fast[m][k].mendelianPossible == slow[m][k].mendelianPossible);
                }
        }
        CHECK(compared > 5000);
    }
}
