// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <vector>

namespace kinmatch::engine {

/// One marker's population model: n alleles, their frequencies and the per-meiosis
/// mutation matrices (n x n row-major, M[from*n + to]; identity without mutation).
struct MarkerModelView {
    int alleleCount = 0;
    std::span<const double> frequencies;
    std::span<const double> maleMatrix;    // paternal transmissions
    std::span<const double> femaleMatrix;  // maternal transmissions
};

/// A pedigree member at one marker. Parents are indices into the same vector (-1 = founder;
/// both or neither). A typed member carries its unordered genotype as allele indices.
struct PedigreeMember {
    int father = -1;
    int mother = -1;
    int allele1 = -1;  // -1 = untyped at this marker
    int allele2 = -1;
    bool typed() const noexcept { return allele1 >= 0; }
};

/// Which members to keep: an untyped member without kept children (and not a target)
/// integrates to exactly 1, so both the elimination and the peeling drop the same members
/// first — which also keeps their results identical.
std::vector<bool> informativeMembers(std::span<const PedigreeMember> members, std::span<const int> targets);

/// Joint probability of the typed members' genotypes and the ordered genotype of `target`:
/// result[a*n + b] = P(D, paternal allele of target = a, maternal allele = b), a plain
/// probability (not a log), for one marker. Exact for any pedigree, loops included: it is
/// variable elimination over every member's paternal and maternal allele, in an order
/// chosen greedily to keep the intermediate tables small. The target's own genotype is
/// ignored (treated as untyped).
///
/// Thread safety: pure function; safe to call concurrently.
/// Throws: Error when an intermediate table would exceed `maxTableEntries` (a pedigree too
/// densely looped for exact computation at this marker's allele count).
std::vector<double> jointWithTarget(std::span<const PedigreeMember> members, int target, const MarkerModelView& model,
                                    double maxTableEntries = 6e7);

}  // namespace kinmatch::engine
