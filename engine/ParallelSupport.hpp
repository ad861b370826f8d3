// SPDX-License-Identifier: MIT
#pragma once

// Internal helpers shared by the exact matcher and the screening pipeline.

#include <algorithm>
#include <limits>
#include <cmath>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string_view>
#include <vector>

#include <tbb/parallel_for.h>

#include "engine/Matcher.hpp"

namespace kinmatch::engine::detail {

/// Reports progress from parallel loops: whichever thread gets the lock reports, others skip.
/// The count shown is read under the lock, so it never goes backwards; the last line comes
/// from finish(), once, whichever thread did the last piece of work.
class ProgressReporter {
public:
    ProgressReporter(const ProgressCallback& callback, const char* stage, std::size_t total)
        : callback_(callback), stage_(stage), total_(total) {}
    void advance(std::size_t amount) {
        done_.fetch_add(amount);
        if (!callback_) return;
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock()) return;
        if (const std::size_t done = done_.load(); done < total_) callback_(stage_, done, total_);
    }
    /// Call once the work is done (not after an error).
    void finish() {
        if (callback_) callback_(stage_, total_, total_);
    }

private:
    const ProgressCallback& callback_;
    const char* stage_;
    std::size_t total_;
    std::atomic<std::size_t> done_{0};
    std::mutex mutex_;
};

/// Runs body(i) for i in [0, count) in parallel; if any throw, rethrows the exception of the
/// lowest i, so the error a user sees does not depend on scheduling.
template <typename Body>
void parallelForFirstError(std::size_t count, Body&& body) {
    std::vector<std::exception_ptr> errors(count);
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
        try {
            body(i);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    });
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

/// The exact score of one pair: the sum, in marker order, of the table entries of the
/// remains' typed markers. Both the exact matcher and the screening recomputation come here,
/// so a reported LR is bit-identical whichever path found it and however its tables are held.
/// `entry(m, index)` gives marker m's table entry at genotype `index` as {value, possible
/// without mutation, some relative typed}.
template <TableValues kValues, typename Entry>
Candidate scoreEntries(const Sample& remains, Candidate c, std::size_t markerCount, Entry&& entry) {
    for (std::size_t m = 0; m < markerCount; ++m) {
        const Genotype g = remains.genotypes[m];
        if (!g.typed()) continue;
        const auto [value, possible, relativeTyped] = entry(m, genotypeIndex(g.allele1, g.allele2));
        if constexpr (kValues == TableValues::kLog10)
            c.log10Lr += value;
        else
            c.log10Lr += log10OfRatio(value);
        if (!relativeTyped) continue;
        ++c.loci;
        c.inconsistentLoci += possible ? 0 : 1;
    }
    return c;
}

template <TableValues kValues = TableValues::kLog10>
Candidate scorePair(const Sample& remains, int remainsIndex, const MissingPersonTables& tables) {
    struct Value {
        double value;
        bool possible;
        bool relativeTyped;
    };
    return scoreEntries<kValues>(remains, Candidate{remainsIndex, tables.family, tables.person, 0.0, 0, 0, 0},
                                 tables.markers.size(), [&](std::size_t m, std::size_t index) {
                                     const MarkerTable& table = tables.markers[m];
                                     const double v = kValues == TableValues::kLog10 ? table.log10Lr[index]
                                                                                     : table.ratio[index];
                                     return Value{v, table.mendelianPossible[index] != 0, table.relativeTyped};
                                 });
}

/// log10 of the product of the pair's ratios, within 1e-12 of scorePair's sum of logs for any
/// realistic number of markers, at the cost of one log10 instead of one per marker. Screening
/// uses it to drop pairs that cannot reach a list before computing them exactly.
/// `ratio(m, index)` gives marker m's LR at genotype `index`.
template <typename Ratio>
double estimateLog10(const Sample& remains, std::size_t markerCount, Ratio&& ratio) {
    double product = 1.0;
    int exponent = 0;
    for (std::size_t m = 0; m < markerCount; ++m) {
        const Genotype g = remains.genotypes[m];
        if (!g.typed()) continue;
        product *= ratio(m, genotypeIndex(g.allele1, g.allele2));
        // Keep the running product far from overflow and underflow: single-marker ratios stay
        // within 1e-300..1e300, so renormalising outside 1e-150..1e150 is always in time.
        if (product < 1e-150 || product > 1e150) {
            if (!(product > 0.0)) return -std::numeric_limits<double>::infinity();
            int e = 0;
            product = std::frexp(product, &e);
            exponent += e;
        }
    }
    if (!(product > 0.0)) return -std::numeric_limits<double>::infinity();
    return std::log10(product) + exponent * 0.30102999566398120;
}

/// The names ties between missing persons are broken by, read from a case in memory. The
/// screening keeps its own (Screening.cpp FamilyNames: the families are gone by then); both
/// give `family(f)` and `missingPerson(f, person)`.
struct CaseNames {
    const PreparedCase& prepared;
    std::string_view family(int f) const { return prepared.families[static_cast<std::size_t>(f)].name; }
    std::string_view missingPerson(int f, int person) const {
        return prepared.families[static_cast<std::size_t>(f)].persons[static_cast<std::size_t>(person)].id;
    }
};

/// The order of missing persons wherever ties are broken: family name, then missing person
/// id. Negative, zero or positive, as std::string_view::compare.
template <typename Names>
int compareMissingPersons(const Names& names, int familyA, int personA, int familyB, int personB) {
    if (const int c = names.family(familyA).compare(names.family(familyB)); c != 0) return c;
    return names.missingPerson(familyA, personA).compare(names.missingPerson(familyB, personB));
}

/// Best first for one remains: higher LR, then family name, then missing person id.
template <typename Names>
bool betterForRemains(const Names& names, const Candidate& a, const Candidate& b) {
    if (a.log10Lr != b.log10Lr) return a.log10Lr > b.log10Lr;
    return compareMissingPersons(names, a.family, a.missingPerson, b.family, b.missingPerson) < 0;
}

/// Best first for one missing person: higher LR, then remains name.
inline bool betterForMissingPerson(const PreparedCase& prepared, const Candidate& a, const Candidate& b) {
    if (a.log10Lr != b.log10Lr) return a.log10Lr > b.log10Lr;
    return prepared.remains[a.remains].name < prepared.remains[b.remains].name;
}

/// Sorts best first, numbers ranks (ties share the lower rank) and keeps the first `keep`.
template <typename Better>
void rankAndTruncate(std::vector<Candidate>& candidates, std::size_t keep, Better&& better) {
    std::sort(candidates.begin(), candidates.end(), better);
    for (std::size_t i = 0; i < candidates.size(); ++i)
        candidates[i].rank = i > 0 && candidates[i].log10Lr == candidates[i - 1].log10Lr ? candidates[i - 1].rank
                                                                                         : static_cast<int>(i) + 1;
    if (candidates.size() > keep) candidates.resize(keep);
}

/// The order of MatchResult::byMissingPerson: family name, missing person id, rank, remains name.
template <typename Names>
void sortByMissingPerson(const Names& names, const std::vector<Sample>& remains, std::vector<Candidate>& candidates) {
    std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
        if (const int c = compareMissingPersons(names, a.family, a.missingPerson, b.family, b.missingPerson); c != 0)
            return c < 0;
        if (a.rank != b.rank) return a.rank < b.rank;
        return remains[static_cast<std::size_t>(a.remains)].name < remains[static_cast<std::size_t>(b.remains)].name;
    });
}

}  // namespace kinmatch::engine::detail
