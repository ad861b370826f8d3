// SPDX-License-Identifier: MIT
// The messages of the peeling pass. Every message is a function of one person's ordered
// genotype (paternal a, maternal b), stored as an n x n row-major matrix [a*n + b]. A mating
// (father F, mother M, children) is the factor prod_l tF(c_l | gF) tM(d_l | gM); the work is
// in passing messages through it without ever forming the n^4 table over both parents'
// genotypes (see README.md). Buffers live in the Peeler and are reused from marker to marker.
#include <algorithm>
#include <bit>
#include <numeric>

#include "engine/PeelingDetail.hpp"

namespace kinmatch::engine::detail {

namespace {

bool isIdentity(std::span<const double> m, int n) {
    for (int a = 0; a < n; ++a)
        for (int c = 0; c < n; ++c)
            if (m[static_cast<std::size_t>(a) * n + c] != (a == c ? 1.0 : 0.0)) return false;
    return true;
}

// out = sum_a h[a] m[a, .] over the non-zero h[a] (h = ½ half).
void transmitDense(const double* half, const double* matrix, int n, double* out) {
    std::fill(out, out + n, 0.0);
    for (int a = 0; a < n; ++a) {
        const double h = 0.5 * half[a];
        if (h == 0.0) continue;
        const double* m = matrix + static_cast<std::size_t>(a) * n;
        for (int c = 0; c < n; ++c) out[c] += h * m[c];
    }
}

// out(c, d) += tf[c] tm[d] over the non-zero tf[c].
void accumulateOuter(const double* tf, const double* tm, int n, double* out) {
    for (int c = 0; c < n; ++c) {
        const double tc = tf[c];
        if (tc == 0.0) continue;
        double* row = out + static_cast<std::size_t>(c) * n;
        for (int d = 0; d < n; ++d) row[d] += tc * tm[d];
    }
}

// to(a, b) = from(a, b) ½(vec[a] + vec[b]) over `rows`.
void scaleRows(const double* from, const double* vec, const int* rows, std::size_t rowCount, int n, double* to) {
    for (std::size_t i = 0; i < rowCount; ++i) {
        const int a = rows[i];
        const double va = vec[a];
        const double* src = from + static_cast<std::size_t>(a) * n;
        double* dst = to + static_cast<std::size_t>(a) * n;
        for (int b = 0; b < n; ++b) dst[b] = src[b] * 0.5 * (va + vec[b]);
    }
}

template <class T>
void growTo(std::vector<T>& v, std::size_t size, T value = T{}) {
    if (v.size() < size) v.resize(size, value);
}

}  // namespace

void Peeler::localFactor(int person, bool withEvidence, double* out) const {
    const auto& m = members_[person];
    const auto& f = model_->frequencies;
    const bool founder = m.father < 0;
    if (withEvidence && m.typed()) {
        std::fill(out, out + nn_, 0.0);
        const int x = m.allele1;
        const int y = m.allele2;
        out[x * n_ + y] = founder ? f[x] * f[y] : 1.0;
        out[y * n_ + x] = founder ? f[y] * f[x] : 1.0;
        return;
    }
    if (!founder) {
        std::fill(out, out + nn_, 1.0);
        return;
    }
    for (int a = 0; a < n_; ++a) {
        const double fa = f[a];
        double* row = out + static_cast<std::size_t>(a) * n_;
        for (int b = 0; b < n_; ++b) row[b] = fa * f[b];
    }
}

void Peeler::personMessage(int person, int toMating, std::size_t slot) {
    double* out = message(slot);
    const auto& m = members_[person];
    const auto& adjacent = plan_->forest.adjacent[person];
    // An untyped non-founder's local factor is 1 everywhere: start from its first message.
    int skip = -1;
    if (!m.typed() && m.father >= 0) {
        skip = adjacent[0] == toMating ? (adjacent.size() > 1 ? adjacent[1] : -1) : adjacent[0];
        if (skip >= 0) {
            const double* in = messageInto(person, skip);
            std::copy(in, in + nn_, out);
        }
    }
    if (skip < 0) localFactor(person, true, out);
    isAdditive_[slot] = 0;
    if (!m.typed() && m.father >= 0 && adjacent.size() == 2 && toMating == adjacent[0]) {
        // An untyped child passing on its one mating's message (times 1) keeps its form.
        const std::size_t in = slotInto(person, adjacent[1]);
        if (isAdditive_[in]) {
            std::copy(additive(in), additive(in) + n_, additive(slot));
            isAdditive_[slot] = 1;
        }
    }
    for (int mating : adjacent) {
        if (mating == toMating || mating == skip) continue;
        const double* in = messageInto(person, mating);
        if (m.typed()) {
            // Only the genotype's two ordered entries are non-zero.
            const std::size_t xy = static_cast<std::size_t>(m.allele1) * n_ + m.allele2;
            const std::size_t yx = static_cast<std::size_t>(m.allele2) * n_ + m.allele1;
            out[xy] *= in[xy];
            if (yx != xy) out[yx] *= in[yx];
            continue;
        }
        for (std::size_t g = 0; g < nn_; ++g) out[g] *= in[g];
    }
}

// Half the transmitted-allele weights: half[a] = rowsum_a(w) + colsum_a(w), so that
// T(c) = sum_{a,b} w(a,b) ½(M[a,c] + M[b,c]) = sum_a ½ half[a] M[a,c]. The row sums use four
// partial sums and the column sums run across a row, so both loops vectorise. Only `rows`
// (a superset of the non-zero rows of w) are read.
void Peeler::halfOfDense(const double* weights, std::span<const int> rows, double* half) const {
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
}

// The same for a plain founder's W(a,b) = p_a p_b prod_l ½(v_l[a] + v_l[b]) (one v per level,
// depth <= kFounderDepth), in O(2^depth n) instead of O(n²): the product expands into
// 2^-depth sum over subsets S of the levels of P_S(a) Q_S(b), P_S = prod_{l in S} v_l and Q_S
// the product over the other levels, so, W being symmetric,
// half[a] = 2 rowsum[a] = 2^(1-depth) p_a sum_S P_S(a) (p . Q_S). Every term is >= 0, so an
// entry is zero exactly when the dense sums would make it zero. Returns sum_{a,b} W(a,b).
double Peeler::halfOfFounder(const double* const* vecs, std::size_t depth, double* half) {
    const double* p = model_->frequencies.data();
    const std::size_t subsets = std::size_t{1} << depth;
    // product[S] = prod_{l in S} v_l, built from the subset without its highest level.
    double dots[std::size_t{1} << kFounderDepth];
    double* product = founderProduct_.data();
    dots[0] = frequencySum_;
    for (std::size_t set = 1; set < subsets; ++set) {
        const std::size_t top = static_cast<std::size_t>(std::bit_width(set)) - 1;
        const std::size_t rest = set & ~(std::size_t{1} << top);
        const double* v = vecs[top];
        double* to = product + set * n_;
        double dot = 0.0;
        if (rest == 0) {
            for (int a = 0; a < n_; ++a) {
                to[a] = v[a];
                dot += p[a] * v[a];
            }
        } else {
            const double* from = product + rest * n_;
            for (int a = 0; a < n_; ++a) {
                to[a] = from[a] * v[a];
                dot += p[a] * to[a];
            }
        }
        dots[set] = dot;
    }
    double total = 0.0;
    for (std::size_t set = 0; set < subsets; ++set) total += dots[set] * dots[subsets - 1 - set];
    if (half) {
        // P_empty = 1: its term is the constant p . Q_all.
        const double base = dots[subsets - 1];
        for (int a = 0; a < n_; ++a) half[a] = base;
        for (std::size_t set = 1; set < subsets; ++set) {
            const double q = dots[subsets - 1 - set];
            const double* from = product + set * n_;
            for (int a = 0; a < n_; ++a) half[a] += from[a] * q;
        }
        const double scale = 2.0 / static_cast<double>(subsets);
        for (int a = 0; a < n_; ++a) half[a] *= scale * p[a];
    }
    return total / static_cast<double>(subsets);
}

void Peeler::transmitFromHalf(const double* half, std::span<const double> matrix, bool identity, double* out) const {
    if (identity) {
        for (int c = 0; c < n_; ++c) out[c] = 0.5 * half[c];
        return;
    }
    transmitDense(half, matrix.data(), n_, out);
}

// The rows a parent's side of a mating reads: a superset of the non-zero rows of its message.
void Peeler::parentRows(int parent, const double* mu, bool plain, std::vector<int>& rows) const {
    rows.clear();
    if (plain) return;  // never formed
    if (!mu) {
        rows.assign(allRows_.begin(), allRows_.end());
        return;
    }
    const PedigreeMember& m = members_[parent];
    if (m.typed()) {
        // Zero outside the genotype's two ordered entries.
        rows.push_back(std::min(m.allele1, m.allele2));
        if (m.allele1 != m.allele2) rows.push_back(std::max(m.allele1, m.allele2));
        return;
    }
    for (int a = 0; a < n_; ++a)
        if (std::any_of(mu + a * n_, mu + (a + 1) * n_, [](double v) { return v != 0.0; })) rows.push_back(a);
}

// Chooses the fewest terms among: one per non-zero entry (typed children: 1 or 2), one per
// non-zero row, one per non-zero column (untyped children with descendants: at most n).
void Peeler::childTerms(int child, std::size_t slot, ChildTerms& terms) {
    const auto& mF = model_->maleMatrix;
    const auto& mM = model_->femaleMatrix;
    const double* nu = message(slot);
    const PedigreeMember& typed = members_[child];
    if (isAdditive_[slot]) {
        // nu(c,d) = ½X(c)·1 + 1·½X(d): two terms, pushed through the matrices densely.
        const double* x = additive(slot);
        terms.count = 2;
        terms.pat.resize(2 * static_cast<std::size_t>(n_));
        terms.mat.resize(2 * static_cast<std::size_t>(n_));
        auto push = [&](std::span<const double> m, bool identity, double* to) {
            for (int a = 0; a < n_; ++a) {
                if (identity) {
                    to[a] = 0.5 * x[a];
                    continue;
                }
                const double* row = m.data() + static_cast<std::size_t>(a) * n_;
                double sum = 0.0;
                for (int c = 0; c < n_; ++c) sum += row[c] * (0.5 * x[c]);
                to[a] = sum;
            }
        };
        // M 1: the matrices' row sums (1 up to rounding), once per marker.
        if (!rowSumsReady_) {
            for (int a = 0; a < n_; ++a) {
                double sf = 0.0, sm = 0.0;
                for (int c = 0; c < n_; ++c) {
                    sf += mF[static_cast<std::size_t>(a) * n_ + c];
                    sm += mM[static_cast<std::size_t>(a) * n_ + c];
                }
                rowSumsF_[a] = identityF_ ? 1.0 : sf;
                rowSumsM_[a] = identityM_ ? 1.0 : sm;
            }
            rowSumsReady_ = true;
        }
        push(mF, identityF_, terms.pat.data());
        std::copy(rowSumsM_.begin(), rowSumsM_.begin() + n_, terms.mat.data());
        std::copy(rowSumsF_.begin(), rowSumsF_.begin() + n_, terms.pat.data() + n_);
        push(mM, identityM_, terms.mat.data() + n_);
        return;
    }
    if (typed.typed()) {
        // A typed child's message is zero outside its genotype's two ordered entries, so
        // the scan below would pick one term per non-zero entry among them, in row order.
        const int lo = std::min(typed.allele1, typed.allele2);
        const int hi = std::max(typed.allele1, typed.allele2);
        terms.count = 0;
        terms.pat.resize(2 * static_cast<std::size_t>(n_));
        terms.mat.resize(2 * static_cast<std::size_t>(n_));
        auto entry = [&](int c, int d) {
            const double value = nu[c * n_ + d];
            if (value == 0.0) return;
            double* pat = terms.pat.data() + terms.count * n_;
            double* mat = terms.mat.data() + terms.count * n_;
            if (identityF_) {
                std::fill(pat, pat + n_, 0.0);
                pat[c] = value;
            } else {
                for (int a = 0; a < n_; ++a) pat[a] = 0.0 + mF[a * n_ + c] * value;
            }
            if (identityM_) {
                std::fill(mat, mat + n_, 0.0);
                mat[d] = 1.0;
            } else {
                for (int a = 0; a < n_; ++a) mat[a] = 0.0 + mM[a * n_ + d] * 1.0;
            }
            ++terms.count;
        };
        entry(lo, hi);
        if (hi != lo) entry(hi, lo);
        return;
    }
    std::fill(rowUsed_.begin(), rowUsed_.begin() + n_, 0);
    std::fill(colUsed_.begin(), colUsed_.begin() + n_, 0);
    std::size_t entries = 0;
    for (int c = 0; c < n_; ++c)
        for (int d = 0; d < n_; ++d)
            if (nu[c * n_ + d] != 0.0) {
                ++entries;
                rowUsed_[c] = colUsed_[d] = 1;
            }
    const auto rows = static_cast<std::size_t>(std::count(rowUsed_.begin(), rowUsed_.begin() + n_, 1));
    const auto cols = static_cast<std::size_t>(std::count(colUsed_.begin(), colUsed_.begin() + n_, 1));
    const std::size_t count = std::min({entries, rows, cols});
    terms.count = 0;
    terms.pat.assign(count * n_, 0.0);
    terms.mat.assign(count * n_, 0.0);
    // M x over the non-zero entries of x only: terms are mostly unit vectors.
    auto multiply = [&](std::span<const double> m, bool identity, const double* x, double* to) {
        for (int c = 0; c < n_; ++c) {
            if (x[c] == 0.0) continue;
            if (identity) {
                to[c] += x[c];
                continue;
            }
            for (int a = 0; a < n_; ++a) to[a] += m[a * n_ + c] * x[c];
        }
    };
    double* u = u_.data();
    double* v = v_.data();
    auto add = [&] {
        multiply(mF, identityF_, u, terms.pat.data() + terms.count * n_);
        multiply(mM, identityM_, v, terms.mat.data() + terms.count * n_);
        ++terms.count;
    };
    if (entries <= std::min(rows, cols)) {
        for (int c = 0; c < n_; ++c)
            for (int d = 0; d < n_; ++d)
                if (nu[c * n_ + d] != 0.0) {
                    std::fill(u, u + n_, 0.0);
                    std::fill(v, v + n_, 0.0);
                    u[c] = nu[c * n_ + d];
                    v[d] = 1.0;
                    add();
                }
    } else if (rows <= cols) {
        for (int c = 0; c < n_; ++c) {
            if (!rowUsed_[c]) continue;
            std::fill(u, u + n_, 0.0);
            u[c] = 1.0;
            for (int d = 0; d < n_; ++d) v[d] = nu[c * n_ + d];
            add();
        }
    } else {
        for (int d = 0; d < n_; ++d) {
            if (!colUsed_[d]) continue;
            for (int c = 0; c < n_; ++c) u[c] = nu[c * n_ + d];
            std::fill(v, v + n_, 0.0);
            v[d] = 1.0;
            add();
        }
    }
}

void Peeler::matingMessage(int mating, int toPerson, std::size_t slot) {
    const int node = plan_->forest.persons + mating;
    const Mating& m = plan_->forest.matings[mating];
    double* out = message(slot);
    std::size_t depth = 0;
    std::size_t tuples = 1;
    for (int c : m.children) {
        if (c == toPerson || plan_->silent[c]) continue;
        if (terms_.size() <= depth) terms_.resize(depth + 1);
        if (nus_.size() <= depth) nus_.resize(depth + 1);
        const std::size_t in = slotInto(node, c);
        nus_[depth] = message(in);
        childTerms(c, in, terms_[depth]);
        tuples = terms_[depth].count == 0 ? 0 : std::min(tuples * terms_[depth].count, maxTerms_ + 1);
        ++depth;
    }
    std::fill(out, out + nn_, 0.0);
    isAdditive_[slot] = 0;
    if (tuples == 0) {  // a child's data are impossible: every message is zero
        std::fill(additive(slot), additive(slot) + n_, 0.0);
        isAdditive_[slot] = 1;
        return;
    }
    const bool separable = tuples <= maxTerms_;
    // A plain founder's message (p_a p_b) is left out of the passes and formed here only
    // when the sums of separableMessage cannot take it as a vector.
    auto parentMessage = [&](int parent, bool& plain) -> const double* {
        plain = false;
        if (parent == toPerson) return nullptr;
        double* mu = message(slotInto(node, parent));
        if (!plan_->plainFounder[parent]) return mu;
        plain = separable && depth <= kFounderDepth;
        if (!plain) localFactor(parent, true, mu);
        return mu;
    };
    bool plainF = false, plainM = false;
    const double* muF = parentMessage(m.father, plainF);
    const double* muM = parentMessage(m.mother, plainM);
    if (separable) {
        // Towards a parent with at most one child's terms, the message is additive.
        double* x = nullptr;
        if (depth <= 1 && (toPerson == m.father || toPerson == m.mother)) {
            x = additive(slot);
            std::fill(x, x + n_, 0.0);
            isAdditive_[slot] = 1;
        }
        separableMessage(m, toPerson, muF, muM, plainF, plainM, depth, out, x);
    } else
        denseMessage(m, toPerson, muF, muM, depth, out);
}

// The product over children of sum_r ½(pat_r(a)+pat_r(b)) ½(mat_r(a')+mat_r(b')) expands
// into one separable term per tuple (one r per child); each needs O(n²) work. A depth-first
// walk over the tuples keeps the running products of both sides, one level per child. A
// plain founder's side (p_a p_b times the products) is never formed: its sums take
// O(2^depth n) (halfOfFounder). Towards a parent with at most one level, the message is
// additive: its X (when `additive` is given) is sum over tuples of the sum times the vector.
void Peeler::separableMessage(const Mating& m, int toPerson, const double* muF, const double* muM, bool plainF,
                              bool plainM, std::size_t depth, double* out, double* additive) {
    growTo(runF_, (depth + 1) * nn_);
    growTo(runM_, (depth + 1) * nn_);
    growTo(chosenPat_, depth);
    growTo(chosenMat_, depth);
    // Level 0 reads the parents' messages in place (all ones for the destination parent).
    const double* baseF = muF ? muF : ones_.data();
    const double* baseM = muM ? muM : ones_.data();
    auto levelF = [&](std::size_t level) { return level == 0 ? baseF : runF_.data() + level * nn_; };
    auto levelM = [&](std::size_t level) { return level == 0 ? baseM : runM_.data() + level * nn_; };
    // Rows that are zero in a parent's message stay zero through every product: a typed
    // parent has at most two non-zero rows, so its side costs O(n) per step, not O(n²).
    parentRows(m.father, muF, plainF, rowsF_);
    parentRows(m.mother, muM, plainM, rowsM_);
    auto sumRows = [&](const double* x, const std::vector<int>& rows) {
        double s = 0.0;
        for (int a : rows)
            for (int b = 0; b < n_; ++b) s += x[a * n_ + b];
        return s;
    };
    const double* const* pats = chosenPat_.data();
    const double* const* mats = chosenMat_.data();

    auto leaf = [&](const double* f, const double* mo) {
        if (toPerson == m.father) {
            const double s = plainM ? halfOfFounder(mats, depth, nullptr) : sumRows(mo, rowsM_);
            for (std::size_t g = 0; g < nn_; ++g) out[g] += s * f[g];
            if (additive)
                for (int a = 0; a < n_; ++a) additive[a] += s * (depth ? pats[0][a] : 1.0);
        } else if (toPerson == m.mother) {
            const double s = plainF ? halfOfFounder(pats, depth, nullptr) : sumRows(f, rowsF_);
            for (std::size_t g = 0; g < nn_; ++g) out[g] += s * mo[g];
            if (additive)
                for (int a = 0; a < n_; ++a) additive[a] += s * (depth ? mats[0][a] : 1.0);
        } else {
            if (plainF) halfOfFounder(pats, depth, halfF_.data());
            else halfOfDense(f, rowsF_, halfF_.data());
            if (plainM) halfOfFounder(mats, depth, halfM_.data());
            else halfOfDense(mo, rowsM_, halfM_.data());
            transmitFromHalf(halfF_.data(), model_->maleMatrix, identityF_, leafF_.data());
            transmitFromHalf(halfM_.data(), model_->femaleMatrix, identityM_, leafM_.data());
            accumulateOuter(leafF_.data(), leafM_.data(), n_, out);
        }
    };
    auto scale = [&](const double* from, const double* vec, double* to, const std::vector<int>& rows) {
        scaleRows(from, vec, rows.data(), rows.size(), n_, to);
    };
    auto walk = [&](auto& self, std::size_t level) -> void {
        if (level == depth) {
            leaf(levelF(level), levelM(level));
            return;
        }
        const ChildTerms& t = terms_[level];
        for (std::size_t r = 0; r < t.count; ++r) {
            const double* pat = t.pat.data() + r * n_;
            const double* mat = t.mat.data() + r * n_;
            chosenPat_[level] = pat;
            chosenMat_[level] = mat;
            if (!plainF) scale(levelF(level), pat, runF_.data() + (level + 1) * nn_, rowsF_);
            if (!plainM) scale(levelM(level), mat, runM_.data() + (level + 1) * nn_, rowsM_);
            self(self, level + 1);
        }
    };
    walk(walk, 0);
}

void Peeler::run(const PeelingStructure& plan, std::span<const PedigreeMember> members, const MarkerModelView& model,
                 std::size_t maxTerms, bool identityMatrices, std::vector<std::vector<double>>& joints) {
    plan_ = &plan;
    members_ = members;
    model_ = &model;
    n_ = model.alleleCount;
    nn_ = static_cast<std::size_t>(n_) * n_;
    maxTerms_ = maxTerms;
    identityF_ = identityMatrices || isIdentity(model.maleMatrix, n_);
    identityM_ = identityMatrices || isIdentity(model.femaleMatrix, n_);
    rowSumsReady_ = false;
    frequencySum_ = 0.0;
    for (int a = 0; a < n_; ++a) frequencySum_ += model.frequencies[a];
    const Forest& forest = plan.forest;
    const int persons = forest.persons;
    const std::size_t nodes = forest.adjacent.size();
    nodes_ = nodes;
    growTo(messages_, 2 * nodes * nn_);
    growTo(additive_, 2 * nodes * static_cast<std::size_t>(n_));
    isAdditive_.assign(2 * nodes, 0);
    for (auto* v : {&half_, &halfF_, &halfM_, &leafF_, &leafM_, &u_, &v_, &rowSumsF_, &rowSumsM_})
        growTo(*v, static_cast<std::size_t>(n_));
    growTo(founderProduct_, (std::size_t{1} << kFounderDepth) * static_cast<std::size_t>(n_));
    growTo(rowUsed_, static_cast<std::size_t>(n_));
    growTo(colUsed_, static_cast<std::size_t>(n_));
    growTo(ones_, nn_, 1.0);
    growTo(scratch_, nn_);
    allRows_.resize(n_);
    std::iota(allRows_.begin(), allRows_.end(), 0);

    for (auto it = plan.order.rbegin(); it != plan.order.rend(); ++it) {
        const int x = *it;
        const int p = plan.treeParent[x];
        if (p < 0 || (x < persons && (plan.silent[x] || plan.plainFounder[x]))) continue;
        if (x < persons) personMessage(x, p, static_cast<std::size_t>(x));
        else matingMessage(x - persons, p, static_cast<std::size_t>(x));
    }
    for (int x : plan.order) {
        if (!plan.needDown[x]) continue;
        const int p = plan.treeParent[x];
        if (x < persons) matingMessage(p - persons, x, nodes + x);
        else if (!plan.plainFounder[p]) personMessage(p, x, nodes + x);
    }

    // Each part's likelihood with all its data: the constant it contributes to the other
    // parts' targets (exactly 1 when it holds no data, as VE's pruning makes it).
    partLikelihood_.assign(plan.roots.size(), 1.0);
    double* scratch = scratch_.data();
    for (std::size_t k = 0; k < plan.roots.size(); ++k) {
        if (!plan.rootNeeded[k]) continue;
        const int r = plan.roots[k];
        localFactor(r, true, scratch);
        for (int m : forest.adjacent[r]) {
            const double* in = message(static_cast<std::size_t>(m));
            for (std::size_t g = 0; g < nn_; ++g) scratch[g] *= in[g];
        }
        partLikelihood_[k] = std::accumulate(scratch, scratch + nn_, 0.0);
    }

    joints.resize(plan.targets.size());
    for (std::size_t k = 0; k < plan.targets.size(); ++k) {
        const int t = plan.targets[k];
        std::vector<double>& belief = joints[k];
        belief.resize(nn_);
        const auto& adjacent = forest.adjacent[t];
        std::size_t first = 0;
        if (members_[t].father >= 0 && !adjacent.empty()) {
            // The local factor is 1 everywhere: start from the first message itself.
            const double* in = messageInto(t, adjacent[0]);
            std::copy(in, in + nn_, belief.begin());
            first = 1;
        } else {
            localFactor(t, false, belief.data());
        }
        for (std::size_t i = first; i < adjacent.size(); ++i) {
            const double* in = messageInto(t, adjacent[i]);
            for (std::size_t g = 0; g < nn_; ++g) belief[g] *= in[g];
        }
        double others = 1.0;
        for (std::size_t r = 0; r < plan.roots.size(); ++r)
            if (forest.component[plan.roots[r]] != forest.component[t]) others *= partLikelihood_[r];
        if (others != 1.0)
            for (double& v : belief) v *= others;
    }
}

}  // namespace kinmatch::engine::detail
