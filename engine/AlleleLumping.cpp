// SPDX-License-Identifier: MIT
#include "engine/AlleleLumping.hpp"

#include <algorithm>
#include <cmath>

#include "engine/Case.hpp"

namespace kinmatch::engine::detail {

namespace {

// Matrices built from the same formula for every entry agree far closer than this; a
// stepwise matrix misses it by orders of magnitude.
constexpr double kLumpTolerance = 1e-12;

bool close(double value, double expected, double scale) {
    return std::fabs(value - expected) <= kLumpTolerance * scale;
}

bool lumpableMatrix(std::span<const double> m, std::span<const double> p, int n) {
    if (n < 2) return false;
    const auto at = [&](int i, int j) { return m[static_cast<std::size_t>(i) * n + j]; };
    std::vector<double> c(static_cast<std::size_t>(n));
    double largest = 0.0;
    for (int j = 0; j < n; ++j) {
        c[j] = at(j == 0 ? 1 : 0, j);
        largest = std::max(largest, std::fabs(c[j]));
    }
    const double excess = at(0, 0) - c[0];
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const double expected = c[j] + (i == j ? excess : 0.0);
            if (!close(at(i, j), expected, std::max(std::fabs(expected), 1.0 * (i == j)))) return false;
        }
    // c affine in p: fitted through the rarest and the commonest allele.
    const auto [low, high] = std::minmax_element(p.begin(), p.begin() + n);
    const auto lo = static_cast<int>(low - p.begin());
    const auto hi = static_cast<int>(high - p.begin());
    const double slope = p[hi] > p[lo] ? (c[hi] - c[lo]) / (p[hi] - p[lo]) : 0.0;
    for (int a = 0; a < n; ++a)
        if (!close(c[lo] + slope * (p[a] - p[lo]), c[a], std::max(largest, 1e-300))) return false;
    return true;
}

// Numbers the typed members' alleles 0..seen-1 in order of appearance (-1 elsewhere).
int numberSeenAlleles(std::span<const PedigreeMember> members, int n, LumpingScratch& s) {
    s.reducedOf.assign(static_cast<std::size_t>(n), -1);
    s.fullOfExplicit.clear();
    for (const auto& m : members)
        if (m.typed())
            for (int a : {m.allele1, m.allele2})
                if (s.reducedOf[a] < 0) {
                    s.reducedOf[a] = static_cast<int>(s.fullOfExplicit.size());
                    s.fullOfExplicit.push_back(a);
                }
    return static_cast<int>(s.fullOfExplicit.size());
}

void remapMembers(std::span<const PedigreeMember> members, LumpingScratch& s) {
    s.members.assign(members.begin(), members.end());
    for (auto& m : s.members)
        if (m.typed()) {
            m.allele1 = s.reducedOf[m.allele1];
            m.allele2 = s.reducedOf[m.allele2];
        }
}

}  // namespace

bool lumpableMatrices(std::span<const double> male, std::span<const double> female, std::span<const double> frequencies,
                      int n) {
    return lumpableMatrix(male, frequencies, n) && lumpableMatrix(female, frequencies, n);
}

// Why two representatives suffice: with M[i][j] = c_j + k[i == j], an unseen allele a is
// reached only from a founder (weight p_a) or by mutation (weight c_a), and what happens
// after it (further transmissions, the data) is the same for every unseen allele, because
// nobody typed carries one and the chance of keeping it, c_a + k, differs between unseen
// alleles only through c_a. By induction over the pedigree every joint is linear in
// (p_a, c_a) for each unseen allele in it (bilinear for the target's two alleles, which
// in a loop-free pedigree come from different lines). With c affine in p, the pairs
// (p_a, c_a) lie on one line, so a = alpha * low + (1 - alpha) * high for the rarest and the
// commonest unseen alleles with alpha in [0, 1]: joints of the others are convex combinations
// of theirs (no cancellation). All remaining unseen alleles travel as one lumped allele, which
// is exact for lumpable matrices (every unseen allele reaches the lump with the same chance).
bool peelWithLumpedAlleles(const PeelingPlan& plan, std::span<const PedigreeMember> members,
                           const MarkerModelView& full, LumpingScratch& s, std::vector<std::vector<double>>& joints) {
    const int n = full.alleleCount;
    const int seen = numberSeenAlleles(members, n, s);
    if (n - seen < 4) return false;
    const auto& p = full.frequencies;
    int low = -1, high = -1;
    for (int a = 0; a < n; ++a) {
        if (s.reducedOf[a] >= 0) continue;
        if (low < 0 || p[a] < p[low]) low = a;
        if (high < 0 || p[a] > p[high]) high = a;
    }
    if (low == high)  // every unseen allele equally frequent: any other one will do
        for (int a = 0; a < n && low == high; ++a)
            if (s.reducedOf[a] < 0 && a != low) high = a;
    s.reducedOf[low] = seen;
    s.reducedOf[high] = seen + 1;
    s.fullOfExplicit.push_back(low);
    s.fullOfExplicit.push_back(high);
    const int lump = seen + 2;
    const int r = seen + 3;
    int lumpMember = -1;
    s.weightOfFirst.assign(static_cast<std::size_t>(n), 0.0);
    for (int a = 0; a < n; ++a) {
        if (s.reducedOf[a] >= 0) continue;
        s.reducedOf[a] = lump;
        if (lumpMember < 0) lumpMember = a;
        s.weightOfFirst[a] = p[low] < p[high] ? (p[high] - p[a]) / (p[high] - p[low]) : 1.0;
    }
    s.frequencies.assign(static_cast<std::size_t>(r), 0.0);
    for (int a = 0; a < n; ++a) s.frequencies[s.reducedOf[a]] += p[a];
    auto reduce = [&](std::span<const double> m, std::vector<double>& out) {
        out.assign(static_cast<std::size_t>(r) * r, 0.0);
        for (int i = 0; i < r; ++i) {
            const int from = i < lump ? s.fullOfExplicit[i] : lumpMember;
            const double* row = m.data() + static_cast<std::size_t>(from) * n;
            double* to = out.data() + static_cast<std::size_t>(i) * r;
            for (int a = 0; a < n; ++a) to[s.reducedOf[a]] += row[a];
        }
    };
    reduce(full.maleMatrix, s.male);
    reduce(full.femaleMatrix, s.female);
    remapMembers(members, s);
    plan.run(s.members, MarkerModelView{r, s.frequencies, s.male, s.female}, s.reduced);

    // Each allele as weights on at most two reduced alleles: itself, or its mix of the two
    // representatives. Then unordered(a, b) = w_a' (J + J') w_b for a < b and w_a' J w_a for
    // a == b, J the reduced ordered joint.
    s.firstIndex.resize(static_cast<std::size_t>(n));
    s.firstWeight.resize(static_cast<std::size_t>(n));
    for (int a = 0; a < n; ++a) {
        const bool lumped = s.reducedOf[a] == lump;
        s.firstIndex[a] = lumped ? seen : s.reducedOf[a];
        s.firstWeight[a] = lumped ? s.weightOfFirst[a] : 1.0;
    }
    const auto rr = static_cast<std::size_t>(r);
    s.symmetric.resize(rr * rr);
    s.column.resize(rr);
    joints.resize(s.reduced.size());
    for (std::size_t k = 0; k < s.reduced.size(); ++k) {
        const std::vector<double>& j = s.reduced[k];
        for (std::size_t i = 0; i < rr; ++i)
            for (std::size_t c = 0; c < rr; ++c) s.symmetric[i * rr + c] = j[i * rr + c] + j[c * rr + i];
        std::vector<double>& out = joints[k];
        out.resize(genotypeCount(n));
        for (int b = 0; b < n; ++b) {
            // column = (J + J') w_b
            const std::size_t ib = static_cast<std::size_t>(s.firstIndex[b]);
            const double wb = s.firstWeight[b];
            const double* col = s.column.data();
            if (wb == 1.0) {
                for (std::size_t i = 0; i < rr; ++i) s.column[i] = s.symmetric[i * rr + ib];
            } else {
                for (std::size_t i = 0; i < rr; ++i)
                    s.column[i] = wb * s.symmetric[i * rr + ib] + (1.0 - wb) * s.symmetric[i * rr + ib + 1];
            }
            // Most alleles are unseen: col[high] + w_a (col[low] - col[high]) for all of them in
            // one loop that vectorises, then the few seen ones and the representatives overwritten.
            double* to = out.data() + genotypeIndex(0, b);
            const double base = col[seen + 1];
            const double slope = col[seen] - col[seen + 1];
            const double* weight = s.weightOfFirst.data();
            for (int a = 0; a < b; ++a) to[a] = base + weight[a] * slope;
            for (int e = 0; e < seen + 2; ++e) {
                const int a = s.fullOfExplicit[e];
                if (a < b) to[a] = col[e];
            }
            const std::size_t ia = ib;
            const double w = wb;
            to[b] = w == 1.0 ? j[ia * rr + ia]
                             : w * w * j[ia * rr + ia] + w * (1.0 - w) * s.symmetric[ia * rr + ia + 1] +
                                   (1.0 - w) * (1.0 - w) * j[(ia + 1) * rr + ia + 1];
        }
    }
    return true;
}

// Without mutation an allele nobody carries can only come from founders, whose alleles are
// interchangeable, so a lumped joint is zero exactly where every joint it sums is zero. In a
// loop-free pedigree a target's two alleles come from different founder alleles, so a
// possible lumped (u, u) means every pair of unseen alleles is possible.
void mendelianSupportByLumping(const PeelingPlan& plan, std::span<const PedigreeMember> members, int n,
                               std::span<const double> frequencies, LumpingScratch& s,
                               std::vector<std::vector<std::uint8_t>>& support, bool& dataPossible) {
    const int seen = numberSeenAlleles(members, n, s);
    const int r = seen < n ? seen + 1 : seen;
    s.frequencies.assign(static_cast<std::size_t>(r), 0.0);
    for (int a = 0; a < n; ++a) {
        if (s.reducedOf[a] < 0) s.reducedOf[a] = seen;
        s.frequencies[s.reducedOf[a]] += frequencies[a];
    }
    s.identity.assign(static_cast<std::size_t>(r) * r, 0.0);
    for (int a = 0; a < r; ++a) s.identity[static_cast<std::size_t>(a) * r + a] = 1.0;
    remapMembers(members, s);
    PeelingOptions options;
    options.identityMatrices = true;
    plan.run(s.members, MarkerModelView{r, s.frequencies, s.identity, s.identity}, s.reduced, options);
    support.resize(s.reduced.size());
    dataPossible = true;
    for (std::size_t k = 0; k < s.reduced.size(); ++k) {
        const std::vector<double>& joint = s.reduced[k];
        double total = 0.0;
        for (double v : joint) total += v;
        if (!(total > 0.0)) dataPossible = false;
        const auto rr = static_cast<std::size_t>(r);
        s.possible.resize(rr * rr);
        for (std::size_t i = 0; i < rr; ++i)
            for (std::size_t j = 0; j < rr; ++j) s.possible[i * rr + j] = joint[i * rr + j] + joint[j * rr + i] > 0.0 ? 1 : 0;
        auto& out = support[k];
        out.resize(genotypeCount(n));
        for (int b = 0; b < n; ++b) {
            // Unseen alleles all read the lump's entry: fill, then set the seen ones.
            const std::uint8_t* column = s.possible.data() + static_cast<std::size_t>(s.reducedOf[b]) * rr;
            std::uint8_t* to = out.data() + genotypeIndex(0, b);
            std::fill(to, to + b + 1, column[seen < n ? seen : 0]);
            for (int e = 0; e < seen; ++e) {
                const int a = s.fullOfExplicit[e];
                if (a <= b) to[a] = column[e];
            }
        }
    }
}

}  // namespace kinmatch::engine::detail
