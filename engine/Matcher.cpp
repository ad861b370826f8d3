// SPDX-License-Identifier: MIT
#include "engine/Matcher.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <optional>
#include <iterator>
#include <stdexcept>

#include "engine/ParallelSupport.hpp"
#include "engine/Screening.hpp"

namespace kinmatch::engine {

using detail::parallelForFirstError;
using detail::ProgressReporter;

std::vector<MissingPersonTables> buildAllTables(const PreparedCase& prepared, const MutationModel& model,
                                                std::vector<std::string>& warnings, const ProgressCallback& progress) {
    const std::vector<MarkerMatrices> matrices = buildMarkerMatrices(prepared.markers, model);
    const std::size_t markerCount = prepared.markers.size();
    const std::size_t familyCount = prepared.families.size();

    std::vector<std::vector<MissingPersonTables>> byFamily(familyCount);
    std::vector<std::vector<std::string>> notes(familyCount);
    ProgressReporter reporter(progress, "tables", familyCount * markerCount);
    parallelForFirstError(familyCount, [&](std::size_t f) {
        byFamily[f] = buildMissingPersonTables(prepared, static_cast<int>(f), matrices, model.isNone(), notes[f]);
        reporter.advance(markerCount);
    });
    reporter.finish();
    for (auto& n : notes)
        for (auto& s : n) warnings.push_back(std::move(s));
    std::vector<MissingPersonTables> tables;
    for (auto& family : byFamily) std::move(family.begin(), family.end(), std::back_inserter(tables));
    return tables;
}

namespace {

// Each table's place in the order betterForRemains breaks ties by (family name, then missing
// person id): comparing these integers instead of the names keeps string comparisons out of
// the per-pair ranking, where ties are common (every exclusion is -inf).
std::vector<int> tieOrdinals(const PreparedCase& prepared, const std::vector<MissingPersonTables>& tables) {
    std::vector<int> order(tables.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<int>(k);
    const detail::CaseNames names{prepared};
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const auto& ta = tables[static_cast<std::size_t>(a)];
        const auto& tb = tables[static_cast<std::size_t>(b)];
        return detail::compareMissingPersons(names, ta.family, ta.person, tb.family, tb.person) < 0;
    });
    std::vector<int> ordinal(tables.size());
    for (std::size_t i = 0; i < order.size(); ++i) ordinal[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
    return ordinal;
}

// Every table's log10 LRs laid out per (marker, genotype) as one row across all tables, so a
// remains adds one contiguous row per typed marker to every pair's sum at once: the exact
// path then streams memory instead of missing the cache on every lookup (20 ns each at 10^4
// families). The sums are those of detail::scorePair bit for bit: the same values, added in
// marker order, starting from 0.
class TransposedTables {
  public:
    TransposedTables(const PreparedCase& prepared, const std::vector<MissingPersonTables>& tables)
        : tableCount_(tables.size()), rows_(prepared.markers.size()) {
        tbb::parallel_for(std::size_t{0}, rows_.size(), [&](std::size_t m) {
            const std::size_t genotypes = genotypeCount(prepared.markers[m].alleleCount());
            auto& rows = rows_[m];
            rows.resize(genotypes * tableCount_);
            for (std::size_t t = 0; t < tableCount_; ++t) {
                const auto& values = tables[t].markers[m].log10Lr;
                for (std::size_t g = 0; g < genotypes; ++g) rows[g * tableCount_ + t] = values[g];
            }
        });
    }

    /// sums[t] = the exact log10 LR of `remains` against table t.
    void sums(const Sample& remains, std::vector<double>& sums) const {
        sums.assign(tableCount_, 0.0);
        double* out = sums.data();
        for (std::size_t m = 0; m < rows_.size(); ++m) {
            const Genotype g = remains.genotypes[m];
            if (!g.typed()) continue;
            const double* row = rows_[m].data() + genotypeIndex(g.allele1, g.allele2) * tableCount_;
            for (std::size_t t = 0; t < tableCount_; ++t) out[t] += row[t];
        }
    }

  private:
    std::size_t tableCount_;
    std::vector<std::vector<double>> rows_;  // per marker: genotype-major, one value per table
};

}  // namespace

std::vector<Candidate> scoreCandidates(const PreparedCase& prepared, const std::vector<MissingPersonTables>& tables,
                                       const MatchOptions& options) {
    const std::size_t remainsCount = prepared.remains.size();
    const std::vector<int> ordinal = tieOrdinals(prepared, tables);
    std::vector<std::vector<Candidate>> perRemains(remainsCount);
    // Keeping every pair, each is scored on its own anyway (for its loci): the transposed
    // copy of the tables would only compute every sum a second time.
    std::optional<TransposedTables> transposed;
    if (!options.all) transposed.emplace(prepared, tables);
    ProgressReporter reporter(options.progress, "pairs", remainsCount * tables.size());
    tbb::parallel_for(std::size_t{0}, remainsCount, [&](std::size_t r) {
        const Sample& remains = prepared.remains[r];
        std::vector<double> autosomal;
        std::vector<Candidate> scored;  // every pair, when all are kept
        if (transposed) {
            transposed->sums(remains, autosomal);
        } else {
            scored.reserve(tables.size());
            for (const MissingPersonTables& t : tables) {
                scored.push_back(detail::scorePair(remains, static_cast<int>(r), t));
                autosomal.push_back(scored.back().log10Lr);
            }
        }
        std::vector<double> combined = autosomal;
        if (options.otherSystems) {
            std::vector<double> other(tables.size());
            options.otherSystems->log10Lrs(static_cast<int>(r), other);
            for (std::size_t k = 0; k < combined.size(); ++k) combined[k] += other[k];
        }
        // The order of betterForRemains. Only the first `keep` need sorting: the rank of a
        // row depends only on the rows above it.
        struct Key {
            double log10Lr;
            int ordinal;
            int index;
        };
        std::vector<Key> keys(combined.size());
        for (std::size_t k = 0; k < combined.size(); ++k) keys[k] = {combined[k], ordinal[k], static_cast<int>(k)};
        const auto better = [](const Key& a, const Key& b) {
            return a.log10Lr != b.log10Lr ? a.log10Lr > b.log10Lr : a.ordinal < b.ordinal;
        };
        const std::size_t keep = options.all ? keys.size() : std::min(options.top, keys.size());
        if (keep < keys.size()) {
            std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(keep), keys.end(), better);
            keys.resize(keep);
        }
        std::sort(keys.begin(), keys.end(), better);
        std::vector<Candidate>& candidates = perRemains[r];
        candidates.reserve(keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            // The kept pairs' loci and inconsistent loci from the tables themselves; their sum
            // is the transposed one, bit for bit (checked in tests/engine/ScreeningTest.cpp).
            const auto k = static_cast<std::size_t>(keys[i].index);
            Candidate c = transposed ? detail::scorePair(remains, static_cast<int>(r), tables[k]) : scored[k];
            if (c.log10Lr != autosomal[k])  // never: same values, same order of additions
                throw std::logic_error("scoreCandidates: transposed and per-pair sums differ");
            c.autosomalLog10Lr = c.log10Lr;
            c.log10Lr = combined[k];
            c.rank = i > 0 && c.log10Lr == candidates.back().log10Lr ? candidates.back().rank : static_cast<int>(i) + 1;
            candidates.push_back(c);
        }
        reporter.advance(tables.size());
    });
    reporter.finish();

    std::vector<std::size_t> order(remainsCount);
    for (std::size_t i = 0; i < remainsCount; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return prepared.remains[a].name < prepared.remains[b].name; });
    std::vector<Candidate> candidates;
    for (std::size_t r : order) candidates.insert(candidates.end(), perRemains[r].begin(), perRemains[r].end());
    return candidates;
}

namespace {

// Each missing person's best remains, from a list holding every pair.
std::vector<Candidate> bestRemainsPerMissingPerson(const PreparedCase& prepared, const std::vector<Candidate>& all,
                                                   std::size_t keep) {
    std::vector<Candidate> sorted = all;
    detail::sortByMissingPerson(detail::CaseNames{prepared}, prepared.remains, sorted);  // groups each missing person's pairs together
    std::vector<Candidate> result;
    for (std::size_t begin = 0; begin < sorted.size();) {
        std::size_t end = begin;
        while (end < sorted.size() && sorted[end].family == sorted[begin].family &&
               sorted[end].missingPerson == sorted[begin].missingPerson)
            ++end;
        std::vector<Candidate> group(sorted.begin() + static_cast<std::ptrdiff_t>(begin),
                                     sorted.begin() + static_cast<std::ptrdiff_t>(end));
        detail::rankAndTruncate(group, keep, [&](const Candidate& a, const Candidate& b) {
            return detail::betterForMissingPerson(prepared, a, b);
        });
        result.insert(result.end(), group.begin(), group.end());
        begin = end;
    }
    return result;
}

}  // namespace

MatchResult matchCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options) {
    if (!options.all && !options.exactScan && !options.otherSystems) {
        MatchResult screened = screenCase(prepared, model, options);
        for (auto* list : {&screened.candidates, &screened.byMissingPerson})
            for (auto& c : *list) c.autosomalLog10Lr = c.log10Lr;
        return screened;
    }
    MatchResult result;
    const std::vector<MissingPersonTables> tables = buildAllTables(prepared, model, result.warnings, options.progress);
    // One scoring serves both lists: every pair when a per-missing-person list is wanted,
    // then each remains' first `top` rows (they come ranked) for the per-remains list.
    MatchOptions scoring = options;
    scoring.all = options.all || options.topPerMissingPerson > 0;
    const std::vector<Candidate> scored = scoreCandidates(prepared, tables, scoring);
    if (options.topPerMissingPerson > 0)
        result.byMissingPerson = bestRemainsPerMissingPerson(prepared, scored, options.topPerMissingPerson);
    std::size_t rowOfRemains = 0;
    for (std::size_t i = 0; i < scored.size(); ++i) {
        rowOfRemains = i > 0 && scored[i].remains == scored[i - 1].remains ? rowOfRemains + 1 : 0;
        if (options.all || rowOfRemains < options.top) result.candidates.push_back(scored[i]);
    }
    result.pairsScored = prepared.remains.size() * tables.size();
    result.exactScores = result.pairsScored;
    return result;
}

}  // namespace kinmatch::engine
