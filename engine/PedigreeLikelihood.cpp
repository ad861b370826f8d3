// SPDX-License-Identifier: MIT
#include "engine/PedigreeLikelihood.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "engine/Errors.hpp"

namespace kinmatch::engine {

// Pruning first keeps the elimination small; it never changes the value.
std::vector<bool> informativeMembers(std::span<const PedigreeMember> members, std::span<const int> targets) {
    const auto n = static_cast<int>(members.size());
    std::vector<bool> keep(n, true);
    std::vector<bool> isTarget(n, false);
    for (int t : targets) isTarget[t] = true;
    std::vector<int> childCount(n, 0);
    for (const auto& m : members) {
        if (m.father >= 0) ++childCount[m.father];
        if (m.mother >= 0) ++childCount[m.mother];
    }
    bool changed = true;
    while (changed) {
        changed = false;
        for (int i = 0; i < n; ++i) {
            if (!keep[i] || isTarget[i] || members[i].typed() || childCount[i] > 0) continue;
            keep[i] = false;
            changed = true;
            if (members[i].father >= 0) --childCount[members[i].father];
            if (members[i].mother >= 0) --childCount[members[i].mother];
        }
    }
    return keep;
}

namespace {

// A table over some allele variables; values are row-major with the last variable fastest.
struct Factor {
    std::vector<int> vars;
    std::vector<double> values;
};

struct Problem {
    std::vector<std::vector<int>> domains;  // per variable: allele indices it may take
    std::vector<Factor> factors;
};


Problem buildProblem(std::span<const PedigreeMember> members, int target, const MarkerModelView& model,
                     const std::vector<bool>& keep) {
    const int n = model.alleleCount;
    std::vector<int> allAlleles(n);
    for (int a = 0; a < n; ++a) allAlleles[a] = a;

    Problem problem;
    problem.domains.resize(2 * members.size());
    auto paternalVar = [](int person) { return 2 * person; };
    auto maternalVar = [](int person) { return 2 * person + 1; };

    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!keep[i]) continue;
        const auto& m = members[i];
        const bool typed = m.typed() && static_cast<int>(i) != target;
        std::vector<int> domain = allAlleles;
        if (typed) domain = m.allele1 == m.allele2 ? std::vector<int>{m.allele1} : std::vector<int>{m.allele1, m.allele2};
        problem.domains[paternalVar(static_cast<int>(i))] = domain;
        problem.domains[maternalVar(static_cast<int>(i))] = domain;
        if (typed && m.allele1 != m.allele2) {
            // Unordered genotype {a,b}: exactly one of the two phases.
            problem.factors.push_back({{paternalVar(static_cast<int>(i)), maternalVar(static_cast<int>(i))}, {0, 1, 1, 0}});
        }
    }

    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!keep[i]) continue;
        const auto& m = members[i];
        const int self = static_cast<int>(i);
        if (m.father < 0) {
            for (int var : {paternalVar(self), maternalVar(self)}) {
                Factor prior{{var}, {}};
                for (int a : problem.domains[var]) prior.values.push_back(model.frequencies[a]);
                problem.factors.push_back(std::move(prior));
            }
            continue;
        }
        // Meiosis: the parent passes either of its alleles with probability 1/2, then it
        // mutates by the parent's sex's matrix.
        auto addTransmission = [&](int childVar, int parent, std::span<const double> matrix) {
            const int pv = paternalVar(parent);
            const int mv = maternalVar(parent);
            Factor f{{childVar, pv, mv}, {}};
            const auto& dc = problem.domains[childVar];
            const auto& dp = problem.domains[pv];
            const auto& dm = problem.domains[mv];
            f.values.reserve(dc.size() * dp.size() * dm.size());
            for (int c : dc)
                for (int a : dp)
                    for (int b : dm) f.values.push_back(0.5 * (matrix[a * n + c] + matrix[b * n + c]));
            problem.factors.push_back(std::move(f));
        };
        addTransmission(paternalVar(self), m.father, model.maleMatrix);
        addTransmission(maternalVar(self), m.mother, model.femaleMatrix);
    }
    return problem;
}

double scopeSize(const Problem& p, const std::vector<int>& scope) {
    double size = 1.0;
    for (int v : scope) size *= static_cast<double>(p.domains[v].size());
    return size;
}

// Sums `var` out of the product of `factors`, returning a factor over the union of their
// other variables (sorted by id, so the result does not depend on factor order).
Factor sumOut(const Problem& p, const std::vector<const Factor*>& factors, int var) {
    std::vector<int> scope;
    for (const Factor* f : factors)
        for (int v : f->vars)
            if (v != var) scope.push_back(v);
    std::sort(scope.begin(), scope.end());
    scope.erase(std::unique(scope.begin(), scope.end()), scope.end());

    const std::size_t k = factors.size();
    const std::size_t d = scope.size();
    std::vector<std::size_t> dims(d);
    for (std::size_t i = 0; i < d; ++i) dims[i] = p.domains[scope[i]].size();
    const std::size_t varDim = var >= 0 ? p.domains[var].size() : 1;

    // strides[f][i]: how far factor f's offset moves when scope variable i steps by one.
    std::vector<std::vector<std::size_t>> strides(k, std::vector<std::size_t>(d, 0));
    std::vector<std::size_t> varStride(k, 0);
    for (std::size_t f = 0; f < k; ++f) {
        std::size_t stride = 1;
        const auto& fv = factors[f]->vars;
        for (std::size_t j = fv.size(); j-- > 0;) {
            if (fv[j] == var) {
                varStride[f] = stride;
            } else {
                const auto pos = static_cast<std::size_t>(std::lower_bound(scope.begin(), scope.end(), fv[j]) - scope.begin());
                strides[f][pos] = stride;
            }
            stride *= p.domains[fv[j]].size();
        }
    }

    Factor result{scope, {}};
    std::size_t total = 1;
    for (std::size_t dim : dims) total *= dim;
    result.values.resize(total);
    std::vector<std::size_t> digit(d, 0);
    std::vector<std::size_t> offset(k, 0);
    for (std::size_t out = 0; out < total; ++out) {
        double sum = 0.0;
        for (std::size_t x = 0; x < varDim; ++x) {
            double product = 1.0;
            for (std::size_t f = 0; f < k; ++f) product *= factors[f]->values[offset[f] + x * varStride[f]];
            sum += product;
        }
        result.values[out] = sum;
        // Odometer over the scope, last variable fastest, moving every factor's offset along.
        for (std::size_t i = d; i-- > 0;) {
            if (++digit[i] < dims[i]) {
                for (std::size_t f = 0; f < k; ++f) offset[f] += strides[f][i];
                break;
            }
            digit[i] = 0;
            for (std::size_t f = 0; f < k; ++f) offset[f] -= strides[f][i] * (dims[i] - 1);
        }
    }
    return result;
}

}  // namespace

std::vector<double> jointWithTarget(std::span<const PedigreeMember> members, int target, const MarkerModelView& model,
                                    double maxTableEntries) {
    const int n = model.alleleCount;
    const std::vector<bool> keep = informativeMembers(members, std::span<const int>(&target, 1));
    Problem problem = buildProblem(members, target, model, keep);
    const int targetPaternal = 2 * target;
    const int targetMaternal = 2 * target + 1;

    std::vector<int> pending;
    for (std::size_t v = 0; v < problem.domains.size(); ++v)
        if (!problem.domains[v].empty() && static_cast<int>(v) != targetPaternal && static_cast<int>(v) != targetMaternal)
            pending.push_back(static_cast<int>(v));

    while (!pending.empty()) {
        // Greedy min-size order: eliminate the variable whose combined table is smallest.
        std::size_t bestIndex = 0;
        double bestSize = 0.0;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            std::vector<int> scope{pending[i]};
            for (const auto& f : problem.factors)
                if (std::find(f.vars.begin(), f.vars.end(), pending[i]) != f.vars.end())
                    scope.insert(scope.end(), f.vars.begin(), f.vars.end());
            std::sort(scope.begin(), scope.end());
            scope.erase(std::unique(scope.begin(), scope.end()), scope.end());
            const double size = scopeSize(problem, scope);
            if (i == 0 || size < bestSize) {
                bestSize = size;
                bestIndex = i;
            }
        }
        if (bestSize > maxTableEntries)
            throw Error("pedigree too densely looped for exact computation (a table of " +
                        std::to_string(static_cast<long long>(bestSize)) + " entries would be needed)");
        const int var = pending[bestIndex];
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(bestIndex));

        std::vector<Factor> kept;
        std::vector<Factor> involved;
        for (auto& f : problem.factors)
            (std::find(f.vars.begin(), f.vars.end(), var) != f.vars.end() ? involved : kept).push_back(std::move(f));
        std::vector<const Factor*> pointers;
        for (const auto& f : involved) pointers.push_back(&f);
        if (!pointers.empty()) kept.push_back(sumOut(problem, pointers, var));
        problem.factors = std::move(kept);
    }

    // Everything left is over the target's two alleles (or a constant from parts of the
    // pedigree not connected to the target): multiply it out into the n x n joint.
    std::vector<const Factor*> rest;
    for (const auto& f : problem.factors) rest.push_back(&f);
    std::vector<double> joint(static_cast<std::size_t>(n) * n, 1.0);
    const Factor combined = sumOut(problem, rest, -1);
    // `combined` is over a subset of {targetPaternal, targetMaternal} (sorted): broadcast it.
    const bool hasPaternal = std::find(combined.vars.begin(), combined.vars.end(), targetPaternal) != combined.vars.end();
    const bool hasMaternal = std::find(combined.vars.begin(), combined.vars.end(), targetMaternal) != combined.vars.end();
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            std::size_t index = 0;
            if (hasPaternal && hasMaternal)
                index = static_cast<std::size_t>(a) * n + b;
            else if (hasPaternal)
                index = static_cast<std::size_t>(a);
            else if (hasMaternal)
                index = static_cast<std::size_t>(b);
            joint[static_cast<std::size_t>(a) * n + b] = combined.values[index];
        }
    return joint;
}

}  // namespace kinmatch::engine

