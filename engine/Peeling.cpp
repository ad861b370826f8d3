// SPDX-License-Identifier: MIT
// Sum-product message passing on the tree of persons and matings of a loop-free pedigree.
// Every message is a function of one person's ordered genotype (paternal a, maternal b),
// stored as an n x n row-major matrix [a*n + b]. A mating (father F, mother M, children)
// is the factor prod_l tF(c_l | gF) tM(d_l | gM); the work is in passing messages through
// it without ever forming the n^4 table over both parents' genotypes (see README.md).
#include "engine/Peeling.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace kinmatch::engine {

namespace {

using Matrix = std::vector<double>;

struct Mating {
    int father = -1;
    int mother = -1;
    std::vector<int> children;
};

// Nodes 0..persons-1 are persons, persons+k is mating k.
struct Forest {
    int persons = 0;
    std::vector<bool> keep;
    std::vector<Mating> matings;
    std::vector<std::vector<int>> adjacent;
    std::vector<int> component;  // per node: smallest node index of its connected part
    bool loopFree = true;
};

// The same pruning as jointWithTarget's, with every target kept: an untyped member without
// kept children integrates to exactly 1, so dropping it changes nothing and keeps the
// results identical to the VE path (which prunes the same members).
std::vector<bool> keptMembers(std::span<const PedigreeMember> members, std::span<const int> targets) {
    const auto count = static_cast<int>(members.size());
    std::vector<bool> keep(count, true);
    std::vector<bool> isTarget(count, false);
    for (int t : targets) isTarget[t] = true;
    std::vector<int> childCount(count, 0);
    for (const auto& m : members) {
        if (m.father >= 0) ++childCount[m.father];
        if (m.mother >= 0) ++childCount[m.mother];
    }
    bool changed = true;
    while (changed) {
        changed = false;
        for (int i = 0; i < count; ++i) {
            if (!keep[i] || isTarget[i] || members[i].typed() || childCount[i] > 0) continue;
            keep[i] = false;
            changed = true;
            if (members[i].father >= 0) --childCount[members[i].father];
            if (members[i].mother >= 0) --childCount[members[i].mother];
        }
    }
    return keep;
}

int findRoot(std::vector<int>& parent, int x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

Forest buildForest(std::span<const PedigreeMember> members, std::vector<bool> keep) {
    Forest forest;
    forest.persons = static_cast<int>(members.size());
    forest.keep = std::move(keep);
    // Matings in order of their first child's index: a function of the structure only.
    for (int c = 0; c < forest.persons; ++c) {
        const auto& m = members[c];
        if (!forest.keep[c] || m.father < 0) continue;
        auto it = std::find_if(forest.matings.begin(), forest.matings.end(),
                               [&](const Mating& x) { return x.father == m.father && x.mother == m.mother; });
        if (it == forest.matings.end()) {
            forest.matings.push_back({m.father, m.mother, {}});
            it = forest.matings.end() - 1;
        }
        it->children.push_back(c);
    }
    const int nodes = forest.persons + static_cast<int>(forest.matings.size());
    forest.adjacent.resize(nodes);
    std::vector<int> unionParent(nodes);
    std::iota(unionParent.begin(), unionParent.end(), 0);
    auto link = [&](int mating, int person) {
        forest.adjacent[mating].push_back(person);
        const int a = findRoot(unionParent, mating);
        const int b = findRoot(unionParent, person);
        if (a == b) forest.loopFree = false;  // a second path between them: a loop
        unionParent[std::max(a, b)] = std::min(a, b);
    };
    // A person's parental mating comes first in its adjacency, then the matings it parents.
    for (std::size_t k = 0; k < forest.matings.size(); ++k)
        for (int c : forest.matings[k].children) forest.adjacent[c].push_back(forest.persons + static_cast<int>(k));
    for (std::size_t k = 0; k < forest.matings.size(); ++k) {
        const int node = forest.persons + static_cast<int>(k);
        const Mating& m = forest.matings[k];
        forest.adjacent[m.father].push_back(node);
        forest.adjacent[m.mother].push_back(node);
        link(node, m.father);
        link(node, m.mother);
        for (int c : m.children) link(node, c);
    }
    forest.component.resize(nodes);
    for (int x = 0; x < nodes; ++x) forest.component[x] = findRoot(unionParent, x);
    return forest;
}

// Separable terms of one child's message into its mating, nu(c,d) = sum_r u_r(c) v_r(d),
// already pushed through the parents' matrices: pat_r = M_F u_r, mat_r = M_M v_r, so that
// sum_{c,d} tF(c|a,b) tM(d|a',b') nu(c,d) = sum_r ½(pat_r(a)+pat_r(b)) ½(mat_r(a')+mat_r(b')).
struct ChildTerms {
    std::size_t count = 0;
    Matrix pat;  // count x n
    Matrix mat;
};

class Peeler {
public:
    Peeler(std::span<const PedigreeMember> members, const MarkerModelView& model, const Forest& forest,
           std::size_t maxTerms)
        : members_(members), model_(model), forest_(forest), n_(model.alleleCount),
          nn_(static_cast<std::size_t>(model.alleleCount) * model.alleleCount), maxTerms_(maxTerms) {
        const std::size_t nodes = forest.adjacent.size();
        treeParent_.assign(nodes, -1);
        up_.resize(nodes);
        down_.resize(nodes);
        half_.resize(n_);
        allRows_.resize(n_);
        std::iota(allRows_.begin(), allRows_.end(), 0);
        leafF_.resize(n_);
        leafM_.resize(n_);
    }

    std::vector<std::vector<double>> run(std::span<const int> targets);

private:
    void localFactor(int person, bool withEvidence, double* out) const;
    const Matrix& messageInto(int node, int from) const {
        return treeParent_[node] == from ? down_[node] : up_[from];
    }
    bool silentChild(int c) const {
        // An untyped child with no other tie: its message is exactly 1 everywhere, and the
        // rows of a transmission sum to 1, so it contributes nothing to its parents.
        return !members_[c].typed() && members_[c].father >= 0 && forest_.adjacent[c].size() == 1;
    }
    Matrix personMessage(int person, int toMating) const;
    Matrix matingMessage(int mating, int toPerson) const;
    ChildTerms childTerms(const Matrix& nu) const;
    void transmitted(const double* weights, std::span<const double> matrix, double* out,
                     std::span<const int> rows) const;
    void separableMessage(const Mating& m, int toPerson, const double* muF, const double* muM,
                          const std::vector<ChildTerms>& terms, Matrix& out) const;
    void denseMessage(const Mating& m, int toPerson, const double* muF, const double* muM,
                      const std::vector<const Matrix*>& nus, Matrix& out) const;

    std::span<const PedigreeMember> members_;
    const MarkerModelView& model_;
    const Forest& forest_;
    int n_;
    std::size_t nn_;
    std::size_t maxTerms_;
    std::vector<int> treeParent_;
    std::vector<Matrix> up_;    // message from a node to its tree parent
    std::vector<Matrix> down_;  // message from a node's tree parent to the node
    mutable std::vector<double> half_, leafF_, leafM_;  // scratch of transmitted() and the leaves
    mutable std::vector<Matrix> runF_, runM_;           // scratch of separableMessage()
    mutable Matrix ones_;
    std::vector<int> allRows_;
};

void Peeler::localFactor(int person, bool withEvidence, double* out) const {
    const auto& m = members_[person];
    const auto& f = model_.frequencies;
    const bool founder = m.father < 0;
    if (withEvidence && m.typed()) {
        std::fill(out, out + nn_, 0.0);
        const int x = m.allele1;
        const int y = m.allele2;
        out[x * n_ + y] = founder ? f[x] * f[y] : 1.0;
        out[y * n_ + x] = founder ? f[y] * f[x] : 1.0;
        return;
    }
    for (int a = 0; a < n_; ++a)
        for (int b = 0; b < n_; ++b) out[a * n_ + b] = founder ? f[a] * f[b] : 1.0;
}

Matrix Peeler::personMessage(int person, int toMating) const {
    Matrix out(nn_);
    localFactor(person, true, out.data());
    for (int m : forest_.adjacent[person]) {
        if (m == toMating) continue;
        const Matrix& in = messageInto(person, m);
        for (std::size_t g = 0; g < nn_; ++g) out[g] *= in[g];
    }
    return out;
}

// T(c) = sum_{a,b} w(a,b) ½(M[a,c] + M[b,c]) = ½ (rowsum(w) + colsum(w))ᵀ M: O(n²). The
// row sums use four partial sums and the column sums run across a row, so both loops
// vectorise instead of waiting on one chain of dependent additions.
// Only `rows` (a superset of the non-zero rows of w) are read.
void Peeler::transmitted(const double* weights, std::span<const double> matrix, double* out,
                         std::span<const int> rows) const {
    double* half = half_.data();
    std::fill(half, half + n_, 0.0);
    for (int a : rows) {
        const double* row = weights + static_cast<std::size_t>(a) * n_;
        for (int b = 0; b < n_; ++b) half[b] += row[b];
    }
    for (int a : rows) {
        const double* row = weights + static_cast<std::size_t>(a) * n_;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        int b = 0;
        for (; b + 4 <= n_; b += 4) {
            s0 += row[b];
            s1 += row[b + 1];
            s2 += row[b + 2];
            s3 += row[b + 3];
        }
        for (; b < n_; ++b) s0 += row[b];
        half[a] += (s0 + s1) + (s2 + s3);
    }
    std::fill(out, out + n_, 0.0);
    for (int a = 0; a < n_; ++a) {
        const double h = 0.5 * half[a];
        if (h == 0.0) continue;
        const double* m = matrix.data() + static_cast<std::size_t>(a) * n_;
        for (int c = 0; c < n_; ++c) out[c] += h * m[c];
    }
}

// Chooses the fewest terms among: one per non-zero entry (typed children: 1 or 2), one per
// non-zero row, one per non-zero column (untyped children with descendants: at most n).
ChildTerms Peeler::childTerms(const Matrix& nu) const {
    const auto& mF = model_.maleMatrix;
    const auto& mM = model_.femaleMatrix;
    std::vector<bool> rowUsed(n_, false), colUsed(n_, false);
    std::size_t entries = 0;
    for (int c = 0; c < n_; ++c)
        for (int d = 0; d < n_; ++d)
            if (nu[c * n_ + d] != 0.0) {
                ++entries;
                rowUsed[c] = colUsed[d] = true;
            }
    const auto rows = static_cast<std::size_t>(std::count(rowUsed.begin(), rowUsed.end(), true));
    const auto cols = static_cast<std::size_t>(std::count(colUsed.begin(), colUsed.end(), true));
    ChildTerms terms;
    const std::size_t count = std::min({entries, rows, cols});
    terms.pat.assign(count * n_, 0.0);
    terms.mat.assign(count * n_, 0.0);
    // M x over the non-zero entries of x only: terms are mostly unit vectors.
    auto multiply = [&](std::span<const double> m, const std::vector<double>& x, double* to) {
        for (int c = 0; c < n_; ++c) {
            if (x[c] == 0.0) continue;
            for (int a = 0; a < n_; ++a) to[a] += m[a * n_ + c] * x[c];
        }
    };
    auto add = [&](const std::vector<double>& u, const std::vector<double>& v) {
        multiply(mF, u, terms.pat.data() + terms.count * n_);
        multiply(mM, v, terms.mat.data() + terms.count * n_);
        ++terms.count;
    };
    std::vector<double> u(n_), v(n_);
    if (entries <= std::min(rows, cols)) {
        for (int c = 0; c < n_; ++c)
            for (int d = 0; d < n_; ++d)
                if (nu[c * n_ + d] != 0.0) {
                    std::fill(u.begin(), u.end(), 0.0);
                    std::fill(v.begin(), v.end(), 0.0);
                    u[c] = nu[c * n_ + d];
                    v[d] = 1.0;
                    add(u, v);
                }
    } else if (rows <= cols) {
        for (int c = 0; c < n_; ++c) {
            if (!rowUsed[c]) continue;
            std::fill(u.begin(), u.end(), 0.0);
            u[c] = 1.0;
            for (int d = 0; d < n_; ++d) v[d] = nu[c * n_ + d];
            add(u, v);
        }
    } else {
        for (int d = 0; d < n_; ++d) {
            if (!colUsed[d]) continue;
            for (int c = 0; c < n_; ++c) u[c] = nu[c * n_ + d];
            std::fill(v.begin(), v.end(), 0.0);
            v[d] = 1.0;
            add(u, v);
        }
    }
    return terms;
}

Matrix Peeler::matingMessage(int mating, int toPerson) const {
    const int node = forest_.persons + mating;
    const Mating& m = forest_.matings[mating];
    const double* muF = m.father == toPerson ? nullptr : messageInto(node, m.father).data();
    const double* muM = m.mother == toPerson ? nullptr : messageInto(node, m.mother).data();
    std::vector<const Matrix*> nus;
    std::size_t tuples = 1;
    std::vector<ChildTerms> terms;
    for (int c : m.children) {
        if (c == toPerson || silentChild(c)) continue;
        nus.push_back(&messageInto(node, c));
        terms.push_back(childTerms(*nus.back()));
        tuples = terms.back().count == 0 ? 0 : std::min(tuples * terms.back().count, maxTerms_ + 1);
    }
    Matrix out(nn_, 0.0);
    if (tuples == 0) return out;  // a child's data are impossible: every message is zero
    if (tuples <= maxTerms_)
        separableMessage(m, toPerson, muF, muM, terms, out);
    else
        denseMessage(m, toPerson, muF, muM, nus, out);
    return out;
}

// The product over children of sum_r ½(pat_r(a)+pat_r(b)) ½(mat_r(a')+mat_r(b')) expands
// into one separable term per tuple (one r per child); each needs O(n²) work. A depth-first
// walk over the tuples keeps the running products of both sides, one level per child.
void Peeler::separableMessage(const Mating& m, int toPerson, const double* muF, const double* muM,
                              const std::vector<ChildTerms>& terms, Matrix& out) const {
    const std::size_t depth = terms.size();
    auto& runF = runF_;
    auto& runM = runM_;
    if (runF.size() < depth + 1) {
        runF.resize(depth + 1, Matrix(nn_));
        runM.resize(depth + 1, Matrix(nn_));
    }
    // Level 0 reads the parents' messages in place (all ones for the destination parent).
    if (ones_.empty()) ones_.assign(nn_, 1.0);
    const double* baseF = muF ? muF : ones_.data();
    const double* baseM = muM ? muM : ones_.data();
    auto levelF = [&](std::size_t level) { return level == 0 ? baseF : runF[level].data(); };
    auto levelM = [&](std::size_t level) { return level == 0 ? baseM : runM[level].data(); };
    // Rows that are zero in a parent's message stay zero through every product: a typed
    // parent has at most two non-zero rows, so its side costs O(n) per step, not O(n²).
    auto nonZeroRows = [&](const double* x) {
        std::vector<int> rows;
        for (int a = 0; a < n_; ++a)
            if (std::any_of(x + a * n_, x + (a + 1) * n_, [](double v) { return v != 0.0; })) rows.push_back(a);
        return rows;
    };
    const std::vector<int> rowsF = muF ? nonZeroRows(muF) : allRows_;
    const std::vector<int> rowsM = muM ? nonZeroRows(muM) : allRows_;
    auto sumRows = [&](const double* x, const std::vector<int>& rows) {
        double s = 0.0;
        for (int a : rows)
            for (int b = 0; b < n_; ++b) s += x[a * n_ + b];
        return s;
    };

    auto leaf = [&](const double* f, const double* mo) {
        if (toPerson == m.father) {
            const double s = sumRows(mo, rowsM);
            for (std::size_t g = 0; g < nn_; ++g) out[g] += s * f[g];
        } else if (toPerson == m.mother) {
            const double s = sumRows(f, rowsF);
            for (std::size_t g = 0; g < nn_; ++g) out[g] += s * mo[g];
        } else {
            transmitted(f, model_.maleMatrix, leafF_.data(), rowsF);
            transmitted(mo, model_.femaleMatrix, leafM_.data(), rowsM);
            for (int c = 0; c < n_; ++c) {
                const double tc = leafF_[c];
                if (tc == 0.0) continue;
                for (int d = 0; d < n_; ++d) out[c * n_ + d] += tc * leafM_[d];
            }
        }
    };
    auto scale = [&](const double* from, const double* vec, Matrix& to, const std::vector<int>& rows) {
        for (int a : rows)
            for (int b = 0; b < n_; ++b) to[a * n_ + b] = from[a * n_ + b] * 0.5 * (vec[a] + vec[b]);
    };
    auto walk = [&](auto& self, std::size_t level) -> void {
        if (level == depth) {
            leaf(levelF(level), levelM(level));
            return;
        }
        const ChildTerms& t = terms[level];
        for (std::size_t r = 0; r < t.count; ++r) {
            scale(levelF(level), t.pat.data() + r * n_, runF[level + 1], rowsF);
            scale(levelM(level), t.mat.data() + r * n_, runM[level + 1], rowsM);
            self(self, level + 1);
        }
    };
    walk(walk, 0);
}

// For matings whose children expand into too many terms (several untyped children with
// descendants): lambda_l(gF,gM) = ¼(K[a,a'] + K[a,b'] + K[b,a'] + K[b,b']) with
// K = M_F nu_l M_Mᵀ, multiplied out over both parents' genotypes: O(k n^4), still exact.
void Peeler::denseMessage(const Mating& m, int toPerson, const double* muF, const double* muM,
                          const std::vector<const Matrix*>& nus, Matrix& out) const {
    const auto& mF = model_.maleMatrix;
    const auto& mM = model_.femaleMatrix;
    const int n = n_;
    std::vector<Matrix> ks;
    for (const Matrix* nu : nus) {
        Matrix y(nn_, 0.0), k(nn_, 0.0);
        for (int c = 0; c < n; ++c)
            for (int yy = 0; yy < n; ++yy) {
                double s = 0.0;
                for (int d = 0; d < n; ++d) s += (*nu)[c * n + d] * mM[yy * n + d];
                y[c * n + yy] = s;
            }
        for (int x = 0; x < n; ++x)
            for (int yy = 0; yy < n; ++yy) {
                double s = 0.0;
                for (int c = 0; c < n; ++c) s += mF[x * n + c] * y[c * n + yy];
                k[x * n + yy] = s;
            }
        ks.push_back(std::move(k));
    }
    const bool toChild = toPerson != m.father && toPerson != m.mother;
    Matrix row(nn_);
    Matrix x(toChild ? nn_ * n : 0, 0.0);  // x[(a*n+b)*n + d]: mother's side transmitted
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            for (int a2 = 0; a2 < n; ++a2)
                for (int b2 = 0; b2 < n; ++b2) {
                    double lambda = 1.0;
                    for (const Matrix& k : ks)
                        lambda *= 0.25 * (k[a * n + a2] + k[a * n + b2] + k[b * n + a2] + k[b * n + b2]);
                    row[a2 * n + b2] = lambda;
                }
            const std::size_t gF = static_cast<std::size_t>(a) * n + b;
            if (toPerson == m.father) {
                double s = 0.0;
                for (std::size_t g = 0; g < nn_; ++g) s += muM[g] * row[g];
                out[gF] = s;
            } else if (toPerson == m.mother) {
                for (std::size_t g = 0; g < nn_; ++g) out[g] += muF[gF] * row[g];
            } else {
                for (std::size_t g = 0; g < nn_; ++g) row[g] *= muF[gF] * muM[g];
                transmitted(row.data(), mM, x.data() + gF * n, allRows_);
            }
        }
    if (!toChild) return;
    // out(c,d) = sum_{a,b} ½(M_F[a,c] + M_F[b,c]) x[(a,b), d], summed over b first.
    Matrix half(nn_, 0.0);  // half[a*n + d] = ½ sum_b (x[(a,b),d] + x[(b,a),d])
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b)
            for (int d = 0; d < n; ++d) {
                half[a * n + d] += 0.5 * x[(static_cast<std::size_t>(a) * n + b) * n + d];
                half[b * n + d] += 0.5 * x[(static_cast<std::size_t>(a) * n + b) * n + d];
            }
    for (int a = 0; a < n; ++a)
        for (int c = 0; c < n; ++c) {
            const double f = mF[a * n + c];
            if (f == 0.0) continue;
            for (int d = 0; d < n; ++d) out[c * n + d] += f * half[a * n + d];
        }
}

std::vector<std::vector<double>> Peeler::run(std::span<const int> targets) {
    const int nodes = static_cast<int>(forest_.adjacent.size());
    // One root per connected part: its first target, else its first person, so the
    // traversal depends on the structure only.
    std::vector<int> rootOf(nodes, -1);
    for (int t : targets)
        if (rootOf[forest_.component[t]] < 0 || t < rootOf[forest_.component[t]]) rootOf[forest_.component[t]] = t;
    for (int p = 0; p < forest_.persons; ++p)
        if (forest_.keep[p] && rootOf[forest_.component[p]] < 0) rootOf[forest_.component[p]] = p;

    std::vector<int> order;
    std::vector<int> roots;
    std::vector<bool> seen(nodes, false);
    for (int c = 0; c < nodes; ++c) {
        if (rootOf[c] < 0) continue;
        roots.push_back(rootOf[c]);
        std::vector<int> stack{rootOf[c]};
        seen[rootOf[c]] = true;
        while (!stack.empty()) {
            const int x = stack.back();
            stack.pop_back();
            order.push_back(x);
            for (int y : forest_.adjacent[x])
                if (!seen[y]) {
                    seen[y] = true;
                    treeParent_[y] = x;
                    stack.push_back(y);
                }
        }
    }

    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const int x = *it;
        const int p = treeParent_[x];
        if (p < 0 || (x < forest_.persons && silentChild(x))) continue;
        up_[x] = x < forest_.persons ? personMessage(x, p) : matingMessage(x - forest_.persons, p);
    }

    std::vector<bool> needDown(nodes, false);
    for (int t : targets)
        for (int x = t; treeParent_[x] >= 0; x = treeParent_[x]) needDown[x] = true;
    for (int x : order) {
        if (!needDown[x]) continue;
        const int p = treeParent_[x];
        down_[x] = x < forest_.persons ? matingMessage(p - forest_.persons, x) : personMessage(p, x);
    }

    // Each part's likelihood with all its data: the constant it contributes to the other
    // parts' targets (exactly 1 when it holds no data, as VE's pruning makes it).
    std::vector<double> partLikelihood(roots.size(), 1.0);
    Matrix scratch(nn_);
    for (std::size_t k = 0; k < roots.size(); ++k) {
        const int r = roots[k];
        bool anyTyped = false;
        for (int p = 0; p < forest_.persons; ++p)
            anyTyped = anyTyped || (forest_.keep[p] && forest_.component[p] == forest_.component[r] && members_[p].typed());
        if (!anyTyped) continue;
        localFactor(r, true, scratch.data());
        for (int m : forest_.adjacent[r])
            for (std::size_t g = 0; g < nn_; ++g) scratch[g] *= up_[m][g];
        partLikelihood[k] = std::accumulate(scratch.begin(), scratch.end(), 0.0);
    }

    std::vector<std::vector<double>> result;
    result.reserve(targets.size());
    for (int t : targets) {
        Matrix belief(nn_);
        localFactor(t, false, belief.data());
        for (int m : forest_.adjacent[t]) {
            const Matrix& in = messageInto(t, m);
            for (std::size_t g = 0; g < nn_; ++g) belief[g] *= in[g];
        }
        double others = 1.0;
        for (std::size_t k = 0; k < roots.size(); ++k)
            if (forest_.component[roots[k]] != forest_.component[t]) others *= partLikelihood[k];
        if (others != 1.0)
            for (double& v : belief) v *= others;
        result.push_back(std::move(belief));
    }
    return result;
}

}  // namespace

bool isLoopFree(std::span<const PedigreeMember> members) {
    return buildForest(members, std::vector<bool>(members.size(), true)).loopFree;
}

bool isPeelable(std::span<const PedigreeMember> members, std::span<const int> targets) {
    for (int t : targets)
        if (t < 0 || t >= static_cast<int>(members.size())) return false;
    return buildForest(members, keptMembers(members, targets)).loopFree;
}

std::vector<std::vector<double>> jointsByPeeling(std::span<const PedigreeMember> members, std::span<const int> targets,
                                                 const MarkerModelView& model, const PeelingOptions& options) {
    for (int t : targets)
        if (t < 0 || t >= static_cast<int>(members.size()))
            throw std::logic_error("jointsByPeeling: target index out of range");
    const Forest forest = buildForest(members, keptMembers(members, targets));
    if (!forest.loopFree) throw std::logic_error("jointsByPeeling: the pedigree has a loop (use jointWithTarget)");
    const std::size_t n = static_cast<std::size_t>(model.alleleCount);
    const std::size_t maxTerms = options.maxTermsPerMating > 0 ? options.maxTermsPerMating : n * n;
    Peeler peeler(members, model, forest, maxTerms);
    return peeler.run(targets);
}

}  // namespace kinmatch::engine
