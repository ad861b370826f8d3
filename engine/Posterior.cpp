// SPDX-License-Identifier: MIT
#include "engine/Posterior.hpp"

#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace kinmatch::engine {

const char* decisionName(Decision decision) noexcept {
    switch (decision) {
        case Decision::kIdentification: return "identification";
        case Decision::kCandidate: return "candidate";
        case Decision::kExcluded: return "excluded";
    }
    return "candidate";
}

double posteriorProbability(double log10Lr, double prior) {
    if (!(prior > 0.0 && prior <= 1.0)) throw std::invalid_argument("prior must be in (0, 1]");
    if (std::isnan(log10Lr)) throw std::invalid_argument("log10 LR is NaN");
    if (log10Lr == -INFINITY) return 0.0;  // LR = 0 excludes whatever the prior
    // log1p keeps 1 − prior exact for the tiny priors of national-scale jobs.
    const double log10PriorOdds = prior == 1.0 ? INFINITY : std::log10(prior) - std::log1p(-prior) / std::log(10.0);
    const double x = log10Lr + log10PriorOdds;  // log10 posterior odds
    if (x == INFINITY) return 1.0;
    if (x >= 0.0) return 1.0 / (1.0 + std::pow(10.0, -x));
    const double odds = std::pow(10.0, x);  // < 1: no overflow
    return odds / (1.0 + odds);
}

double defaultPrior(std::size_t missingPersons) {
    if (missingPersons == 0) throw std::invalid_argument("a job without missing persons has no prior");
    return 1.0 / static_cast<double>(missingPersons);
}

std::vector<Assessment> assessCandidates(const std::vector<Candidate>& candidates, double prior,
                                         const DecisionThresholds& thresholds) {
    std::vector<Assessment> assessed(candidates.size());
    std::size_t begin = 0;
    while (begin < candidates.size()) {
        std::size_t end = begin;
        std::size_t rankOnes = 0;
        while (end < candidates.size() && candidates[end].remains == candidates[begin].remains) {
            if (candidates[end].rank == 1) ++rankOnes;
            ++end;
        }
        for (std::size_t i = begin; i < end; ++i) {
            const Candidate& c = candidates[i];
            Assessment& a = assessed[i];
            a.posterior = posteriorProbability(c.log10Lr, prior);
            if (c.log10Lr == -INFINITY)
                a.decision = Decision::kExcluded;
            else if (c.rank == 1 && rankOnes == 1 && c.log10Lr >= thresholds.identifyLog10Lr &&
                     a.posterior >= thresholds.identifyPosterior)
                a.decision = Decision::kIdentification;
            else
                a.decision = Decision::kCandidate;
        }
        begin = end;
    }
    return assessed;
}

std::vector<Assessment> assessByMissingPerson(const std::vector<Candidate>& byMissingPerson,
                                              const std::vector<Candidate>& candidates,
                                              const std::vector<Assessment>& assessedCandidates, double prior) {
    using PairKey = std::tuple<int, int, int>;  // remains, family, missing person
    std::map<PairKey, Decision> identified;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (assessedCandidates.at(i).decision == Decision::kIdentification)
            identified[{candidates[i].remains, candidates[i].family, candidates[i].missingPerson}] =
                Decision::kIdentification;
    std::vector<Assessment> assessed(byMissingPerson.size());
    for (std::size_t i = 0; i < byMissingPerson.size(); ++i) {
        const Candidate& c = byMissingPerson[i];
        assessed[i].posterior = posteriorProbability(c.log10Lr, prior);
        if (c.log10Lr == -INFINITY)
            assessed[i].decision = Decision::kExcluded;
        else if (identified.count({c.remains, c.family, c.missingPerson}))
            assessed[i].decision = Decision::kIdentification;
        else
            assessed[i].decision = Decision::kCandidate;
    }
    return assessed;
}

}  // namespace kinmatch::engine
