// SPDX-License-Identifier: MIT
// Internals of Peeling.cpp (the structure: forest, pruning, traversal plan) and
// PeelingMessages.cpp (the numbers: messages over ordered genotypes). Not part of the API.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "engine/PedigreeLikelihood.hpp"

namespace kinmatch::engine::detail {

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

Forest buildForest(std::span<const PedigreeMember> members, std::vector<bool> keep);

// Everything about a pass that depends on the pedigree's structure and typed pattern only,
// never on the marker: computed once and reused for every marker with the same pattern.
struct PeelingStructure {
    Forest forest;
    std::vector<int> targets;
    std::vector<int> fathers, mothers;  // of every member, to recognise the same structure
    std::vector<char> typed;            // of every member, to recognise the same pattern
    std::vector<int> treeParent;        // per node, -1 at a root
    std::vector<int> order;             // pre-order of the rooted forest, parts in node order
    std::vector<int> roots;             // one per connected part holding a kept person
    std::vector<char> rootNeeded;       // per root: its part has data and a target is elsewhere
    std::vector<char> needDown;         // per node: on a path from a target to its root
    std::vector<char> silent;           // per person: its message into its mating is all ones
    std::vector<char> plainFounder;     // per person: its message into its one mating is p (x) p
};

PeelingStructure planStructure(std::span<const PedigreeMember> members, std::span<const int> targets);

// Separable terms of one child's message into its mating, nu(c,d) = sum_r u_r(c) v_r(d),
// already pushed through the parents' matrices: pat_r = M_F u_r, mat_r = M_M v_r, so that
// sum_{c,d} tF(c|a,b) tM(d|a',b') nu(c,d) = sum_r ½(pat_r(a)+pat_r(b)) ½(mat_r(a')+mat_r(b')).
struct ChildTerms {
    std::size_t count = 0;
    std::vector<double> pat;  // count x n
    std::vector<double> mat;
};

// The numeric pass over a planned structure. Holds every buffer it needs, so that running it
// for marker after marker allocates nothing once the buffers have grown to the largest n.
class Peeler {
public:
    // A plain founder's side stays a vector through this many children's products.
    static constexpr std::size_t kFounderDepth = 3;

    void run(const PeelingStructure& plan, std::span<const PedigreeMember> members, const MarkerModelView& model,
             std::size_t maxTerms, bool identityMatrices, std::vector<std::vector<double>>& joints);

private:
    // Slot x holds node x's message to its tree parent, slot nodes + x its tree parent's
    // message to node x.
    std::size_t slotInto(int node, int from) const {
        return plan_->treeParent[node] == from ? nodes_ + node : static_cast<std::size_t>(from);
    }
    double* message(std::size_t slot) { return messages_.data() + slot * nn_; }
    const double* messageInto(int node, int from) { return message(slotInto(node, from)); }
    // A message marked symmetric-additive is nu(a,b) = ½(X[a] + X[b]) with X stored aside:
    // two separable terms where the general split of childTerms would take up to n.
    double* additive(std::size_t slot) { return additive_.data() + slot * n_; }
    void localFactor(int person, bool withEvidence, double* out) const;
    void personMessage(int person, int toMating, std::size_t slot);
    void matingMessage(int mating, int toPerson, std::size_t slot);
    void childTerms(int child, std::size_t slot, ChildTerms& terms);
    void halfOfDense(const double* weights, std::span<const int> rows, double* half) const;
    double halfOfFounder(const double* const* vecs, std::size_t depth, double* half);
    void transmitFromHalf(const double* half, std::span<const double> matrix, bool identity, double* out) const;
    void parentRows(int parent, const double* mu, bool plain, std::vector<int>& rows) const;
    void separableMessage(const Mating& m, int toPerson, const double* muF, const double* muM, bool plainF,
                          bool plainM, std::size_t depth, double* out, double* additive);
    void denseMessage(const Mating& m, int toPerson, const double* muF, const double* muM, std::size_t depth,
                      double* out);

    const PeelingStructure* plan_ = nullptr;
    std::span<const PedigreeMember> members_;
    const MarkerModelView* model_ = nullptr;
    int n_ = 0;
    std::size_t nn_ = 0;
    std::size_t maxTerms_ = 0;
    bool identityF_ = false;  // the matrices are the identity (no mutation, or the Mendelian pass)
    bool identityM_ = false;
    double frequencySum_ = 0.0;
    std::size_t nodes_ = 0;
    std::vector<double> messages_;  // 2 * nodes slots of n x n
    std::vector<double> additive_;  // 2 * nodes slots of n: X of an additive message
    std::vector<char> isAdditive_;  // per slot
    std::vector<double> half_, halfF_, halfM_, leafF_, leafM_, ones_, runF_, runM_, scratch_, u_, v_;
    std::vector<int> rowsF_, rowsM_, allRows_;
    std::vector<char> rowUsed_, colUsed_;
    std::vector<ChildTerms> terms_;
    std::vector<const double*> nus_;
    std::vector<const double*> chosenPat_, chosenMat_;  // the walk's current term per level
    std::vector<double> founderProduct_;
    std::vector<double> rowSumsF_, rowSumsM_;  // M 1 per sex, when rowSumsReady_
    bool rowSumsReady_ = false;
    std::vector<double> partLikelihood_;
};

}  // namespace kinmatch::engine::detail
