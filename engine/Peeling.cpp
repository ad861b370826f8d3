// SPDX-License-Identifier: MIT
// Sum-product message passing on the tree of persons and matings of a loop-free pedigree:
// the structure (pruning, forest, rooted traversal), the dense fallback for wide matings and
// the public entry points. The other messages are in PeelingMessages.cpp.
#include "engine/Peeling.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "engine/PeelingDetail.hpp"

namespace kinmatch::engine {

namespace detail {


namespace {

int findRoot(std::vector<int>& parent, int x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

}  // namespace

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


PeelingStructure planStructure(std::span<const PedigreeMember> members, std::span<const int> targets) {
    PeelingStructure s;
    s.forest = buildForest(members, informativeMembers(members, targets));
    s.targets.assign(targets.begin(), targets.end());
    const Forest& forest = s.forest;
    const int persons = forest.persons;
    s.fathers.resize(persons);
    s.mothers.resize(persons);
    s.typed.resize(persons);
    for (int p = 0; p < persons; ++p) {
        s.fathers[p] = members[p].father;
        s.mothers[p] = members[p].mother;
        s.typed[p] = members[p].typed() ? 1 : 0;
    }
    if (!forest.loopFree) return s;
    const int nodes = static_cast<int>(forest.adjacent.size());
    // One root per connected part: its first target, else its first person, so the
    // traversal depends on the structure only.
    std::vector<int> rootOf(nodes, -1);
    for (int t : targets)
        if (rootOf[forest.component[t]] < 0 || t < rootOf[forest.component[t]]) rootOf[forest.component[t]] = t;
    for (int p = 0; p < persons; ++p)
        if (forest.keep[p] && rootOf[forest.component[p]] < 0) rootOf[forest.component[p]] = p;

    s.treeParent.assign(nodes, -1);
    std::vector<bool> seen(nodes, false);
    std::vector<int> stack;
    for (int c = 0; c < nodes; ++c) {
        if (rootOf[c] < 0) continue;
        s.roots.push_back(rootOf[c]);
        stack.assign(1, rootOf[c]);
        seen[rootOf[c]] = true;
        while (!stack.empty()) {
            const int x = stack.back();
            stack.pop_back();
            s.order.push_back(x);
            for (int y : forest.adjacent[x])
                if (!seen[y]) {
                    seen[y] = true;
                    s.treeParent[y] = x;
                    stack.push_back(y);
                }
        }
    }
    s.needDown.assign(nodes, 0);
    for (int t : targets)
        for (int x = t; s.treeParent[x] >= 0; x = s.treeParent[x]) s.needDown[x] = 1;
    s.silent.assign(persons, 0);
    s.plainFounder.assign(persons, 0);
    for (int p = 0; p < persons; ++p) {
        if (!forest.keep[p] || members[p].typed() || forest.adjacent[p].size() != 1) continue;
        // An untyped child with no other tie: its message is exactly 1 everywhere, and the
        // rows of a transmission sum to 1, so it contributes nothing to its parents.
        if (members[p].father >= 0) s.silent[p] = 1;
        // An untyped founder in one mating: its message into it is p_a p_b whichever way.
        else s.plainFounder[p] = 1;
    }
    for (int r : s.roots) {
        bool anyTyped = false;
        for (int p = 0; p < persons; ++p)
            anyTyped = anyTyped || (forest.keep[p] && forest.component[p] == forest.component[r] && members[p].typed());
        bool targetElsewhere = false;
        for (int t : targets) targetElsewhere = targetElsewhere || forest.component[t] != forest.component[r];
        s.rootNeeded.push_back(anyTyped && targetElsewhere ? 1 : 0);
    }
    return s;
}

// For matings whose children expand into too many terms (several untyped children with
// descendants): lambda_l(gF,gM) = ¼(K[a,a'] + K[a,b'] + K[b,a'] + K[b,b']) with
// K = M_F nu_l M_Mᵀ, multiplied out over both parents' genotypes: O(k n^4), still exact.
void Peeler::denseMessage(const Mating& m, int toPerson, const double* muF, const double* muM, std::size_t depth,
                          double* out) {
    const auto& mF = model_->maleMatrix;
    const auto& mM = model_->femaleMatrix;
    const int n = n_;
    std::vector<std::vector<double>> ks;
    for (std::size_t l = 0; l < depth; ++l) {
        const double* nu = nus_[l];
        std::vector<double> y(nn_, 0.0), k(nn_, 0.0);
        for (int c = 0; c < n; ++c)
            for (int yy = 0; yy < n; ++yy) {
                double s = 0.0;
                for (int d = 0; d < n; ++d) s += nu[c * n + d] * mM[yy * n + d];
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
    std::vector<double> row(nn_);
    std::vector<double> x(toChild ? nn_ * n : 0, 0.0);  // x[(a*n+b)*n + d]: mother's side transmitted
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            for (int a2 = 0; a2 < n; ++a2)
                for (int b2 = 0; b2 < n; ++b2) {
                    double lambda = 1.0;
                    for (const auto& k : ks)
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
                halfOfDense(row.data(), allRows_, half_.data());
                transmitFromHalf(half_.data(), mM, identityM_, x.data() + gF * n);
            }
        }
    if (!toChild) return;
    // out(c,d) = sum_{a,b} ½(M_F[a,c] + M_F[b,c]) x[(a,b), d], summed over b first.
    std::vector<double> half(nn_, 0.0);  // half[a*n + d] = ½ sum_b (x[(a,b),d] + x[(b,a),d])
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

struct PeelingPlanState {
    PeelingStructure structure;
};

}  // namespace detail

bool isLoopFree(std::span<const PedigreeMember> members) {
    return detail::buildForest(members, std::vector<bool>(members.size(), true)).loopFree;
}

bool isPeelable(std::span<const PedigreeMember> members, std::span<const int> targets) {
    for (int t : targets)
        if (t < 0 || t >= static_cast<int>(members.size())) return false;
    return detail::buildForest(members, informativeMembers(members, targets)).loopFree;
}

PeelingPlan::PeelingPlan(std::span<const PedigreeMember> members, std::span<const int> targets) {
    for (int t : targets)
        if (t < 0 || t >= static_cast<int>(members.size()))
            throw std::logic_error("jointsByPeeling: target index out of range");
    state_ = std::make_unique<detail::PeelingPlanState>();
    state_->structure = detail::planStructure(members, targets);
}

PeelingPlan::~PeelingPlan() = default;
PeelingPlan::PeelingPlan(PeelingPlan&&) noexcept = default;
PeelingPlan& PeelingPlan::operator=(PeelingPlan&&) noexcept = default;

bool PeelingPlan::peelable() const noexcept { return state_->structure.forest.loopFree; }

const std::vector<bool>& PeelingPlan::keptMembers() const noexcept { return state_->structure.forest.keep; }

bool PeelingPlan::fits(std::span<const PedigreeMember> members) const noexcept {
    const detail::PeelingStructure& s = state_->structure;
    if (members.size() != s.typed.size()) return false;
    for (std::size_t p = 0; p < members.size(); ++p)
        if (members[p].father != s.fathers[p] || members[p].mother != s.mothers[p] ||
            (members[p].typed() ? 1 : 0) != s.typed[p])
            return false;
    return true;
}

void PeelingPlan::run(std::span<const PedigreeMember> members, const MarkerModelView& model,
                      std::vector<std::vector<double>>& joints, const PeelingOptions& options) const {
    if (!peelable()) throw std::logic_error("jointsByPeeling: the pedigree has a loop (use jointWithTarget)");
    if (!fits(members)) throw std::logic_error("PeelingPlan::run: the members do not fit the plan");
    const std::size_t n = static_cast<std::size_t>(model.alleleCount);
    const std::size_t maxTerms = options.maxTermsPerMating > 0 ? options.maxTermsPerMating : n * n;
    // The buffers outlive the plan, one set per thread: families after the first allocate
    // nothing. A run leaves nothing behind that the next one reads.
    thread_local detail::Peeler peeler;
    peeler.run(state_->structure, members, model, maxTerms, options.identityMatrices, joints);
}

std::vector<std::vector<double>> jointsByPeeling(std::span<const PedigreeMember> members, std::span<const int> targets,
                                                 const MarkerModelView& model, const PeelingOptions& options) {
    PeelingPlan plan(members, targets);
    std::vector<std::vector<double>> joints;
    plan.run(members, model, joints, options);
    return joints;
}

}  // namespace kinmatch::engine
