// SPDX-License-Identifier: MIT
#include "engine/MtStatistic.hpp"

#include <cmath>
#include <limits>
#include <map>

#include "engine/HaplotypeFrequency.hpp"
#include "engine/MtIndex.hpp"

namespace kinmatch::engine::mt {

namespace {

bool covers(const CoveredRange& outer, const CoveredRange& inner) { return outer.intersect(inner) == inner; }

}  // namespace

Database::Database(std::vector<Haplotype> haplotypes, CompareOptions options, double confidence)
    : haplotypes_(std::move(haplotypes)), options_(std::move(options)), confidence_(confidence) {
    options_.validate();
    index_ = std::make_unique<Index>(haplotypes_, IndexOptions{.maxDifferences = 0, .hotspots = options_.hotspots});
    std::vector<std::pair<CoveredRange, std::size_t>> ranges;
    for (const auto& h : haplotypes_) {
        auto it = std::find_if(ranges.begin(), ranges.end(), [&](const auto& r) { return r.first == h.range; });
        if (it == ranges.end())
            ranges.emplace_back(h.range, 1);
        else
            ++it->second;
    }
    ranges_ = std::move(ranges);
}

Database::~Database() = default;

DatabaseCount Database::count(const Haplotype& query, const CoveredRange& range) const {
    DatabaseCount c;
    const Haplotype restricted = restrictTo(query, range);
    if (restricted.range.empty()) return c;
    for (const auto& [r, n] : ranges_)
        if (covers(r, restricted.range)) c.total += n;
    for (auto i : index_->candidates(restricted)) {
        const Haplotype& d = haplotypes_[i];
        if (!covers(d.range, restricted.range)) continue;
        if (compare(restricted, d, options_).differences == 0) ++c.matches;
    }
    c.upperBound = c.total == 0 ? 1.0 : clopperPearsonUpper(c.matches, c.total, confidence_);
    return c;
}

double log10LrOfCount(const DatabaseCount& count) noexcept {
    return count.upperBound >= 1.0 ? 0.0 : -std::log10(count.upperBound);
}

PairEvidence weigh(const Haplotype& query, const Haplotype& reference, Comparison comparison,
                   const Database* database) {
    PairEvidence e;
    e.comparison = std::move(comparison);
    switch (e.comparison.outcome) {
        case Outcome::kExclusion: e.log10Lr = -std::numeric_limits<double>::infinity(); break;
        case Outcome::kInconclusive:
        case Outcome::kInsufficientOverlap: e.log10Lr = 0.0; break;
        case Outcome::kCannotExclude:
            if (database) {
                e.count = database->count(query, query.range.intersect(reference.range));
                e.counted = true;
                e.log10Lr = log10LrOfCount(e.count);
            }
            break;
    }
    return e;
}

PairEvidence evaluatePair(const Haplotype& remains, const Haplotype& reference, const CompareOptions& options,
                          const Database* database) {
    return weigh(remains, reference, compare(remains, reference, options), database);
}

}  // namespace kinmatch::engine::mt
