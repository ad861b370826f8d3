// SPDX-License-Identifier: MIT
// Internals of LrTable.cpp: peeling over fewer alleles than the marker has. A family's typed
// members carry at most a handful of a marker's 10-50 alleles; the others ("unseen") enter
// only as founder alleles or mutation targets, and for the models where they are
// interchangeable they can be lumped without changing any result. Not part of the API.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/Peeling.hpp"

namespace kinmatch::engine::detail {

/// True when both matrices have the lumpable form M[i][j] = c_j (i != j), M[i][i] = c_i + k
/// (k the same for every allele), and c is an affine function of the allele frequencies: the
/// `equal` and `proportional` models. Then an unseen allele a enters every joint through the
/// pair (p_a, c_a) only, linearly, so two representatives give every other (see
/// peelWithLumpedAlleles). Checked numerically, once per marker.
bool lumpableMatrices(std::span<const double> male, std::span<const double> female, std::span<const double> frequencies,
                      int n);

/// Buffers reused from marker to marker by one thread.
struct LumpingScratch {
    std::vector<int> reducedOf;        // full allele -> reduced index
    std::vector<int> fullOfExplicit;   // reduced index -> full allele (explicit ones)
    std::vector<double> weightOfFirst;  // per unseen allele: its weight on the first representative
    std::vector<int> firstIndex;        // per allele: the first reduced allele it weighs on
    std::vector<double> firstWeight;    // and the weight there (the rest on the next one)
    std::vector<double> symmetric, column;
    std::vector<std::uint8_t> possible;
    std::vector<double> frequencies, male, female, identity;
    std::vector<PedigreeMember> members;
    std::vector<std::vector<double>> reduced;
};

/// joints[k] = the unordered joint of target k, P(data, genotype a/b) in genotypeIndex order,
/// that `plan.run(members, full, ...)` gives (summed over both orders), computed on (seen alleles + two representatives of the unseen + one lump of the
/// rest). Requires lumpableMatrices(full...) and a peelable plan. Returns false, touching
/// nothing, when fewer than four alleles are unseen (no saving).
bool peelWithLumpedAlleles(const PeelingPlan& plan, std::span<const PedigreeMember> members,
                           const MarkerModelView& full, LumpingScratch& scratch,
                           std::vector<std::vector<double>>& joints);

/// Which genotypes of each target are possible without mutation (support[k], unordered,
/// genotypeIndex order, 1 = possible), and whether the data are (`dataPossible`), from one
/// identity-matrix pass over the seen alleles plus one lump of all the others. Requires a
/// peelable plan.
void mendelianSupportByLumping(const PeelingPlan& plan, std::span<const PedigreeMember> members, int n,
                               std::span<const double> frequencies, LumpingScratch& scratch,
                               std::vector<std::vector<std::uint8_t>>& support, bool& dataPossible);

}  // namespace kinmatch::engine::detail
