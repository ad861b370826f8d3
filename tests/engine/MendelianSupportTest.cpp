// SPDX-License-Identifier: MIT
// The Mendelian flags of the LR tables (which genotypes of a missing person need no mutation,
// and whether the references themselves do) come from a peeling pass over lumped alleles.
// Here they are checked against the plain definition: variable elimination over every allele
// with identity transmission matrices.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/LrTable.hpp"
#include "engine/PedigreeLikelihood.hpp"
#include "engine/Simulation.hpp"

using namespace kinmatch;
using namespace kinmatch::engine;

namespace {

// Markers with many alleles, so that most are unseen in a family and really get lumped.
FrequencyTable manyAlleleFrequencies(int markers) {
    FrequencyTable table{"mendel", {}};
    for (int m = 0; m < markers; ++m) {
        MarkerFrequencies marker{"MEN" + std::to_string(m), {}, {}, {}};
        const int alleles = 5 + (m * 7) % 19;
        double total = 0.0;
        for (int a = 0; a < alleles; ++a) total += 1.0 + (a * 3 + m) % 7;
        for (int a = 0; a < alleles; ++a) {
            marker.alleles.push_back(std::to_string(8 + a));
            marker.frequencies.push_back((1.0 + (a * 3 + m) % 7) / total);
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
