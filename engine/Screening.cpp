// SPDX-License-Identifier: MIT
#include "engine/Screening.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <limits>
#include <memory>
#include <new>

#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "engine/Errors.hpp"
#include "engine/ParallelSupport.hpp"

namespace kinmatch::engine {

namespace {

// Remains are scored in fixed blocks (one task each, so per-remains state needs no lock) and
// within a block in chunks, so cuts raised by one chunk's hits apply to the next.
constexpr std::size_t kRemainsBlock = 512;
constexpr std::size_t kRemainsChunk = 64;
constexpr std::int16_t kAcceptAll = std::numeric_limits<std::int16_t>::min();
constexpr std::int16_t kAcceptNone = std::numeric_limits<std::int16_t>::max();

struct FreeDeleter {
    void operator()(std::int16_t* p) const noexcept { std::free(p); }
};
using TileRows = std::unique_ptr<std::int16_t[], FreeDeleter>;

TileRows allocateTile(std::size_t values) {
    const std::size_t bytes = (values * sizeof(std::int16_t) + 63) / 64 * 64;
    auto* p = static_cast<std::int16_t*>(std::aligned_alloc(64, bytes));
    if (!p) throw std::bad_alloc();
    return TileRows(p);
}

// A run of consecutive families whose missing persons fill a few tiles.
struct Batch {
    std::size_t firstFamily = 0;
    std::size_t endFamily = 0;
    std::vector<MissingPersonTables> tables;  // the batch's missing persons, in family order
    std::vector<TileRows> tiles;              // tile t holds tables[t*width, (t+1)*width)
    std::vector<std::string> notes;
    std::exception_ptr error;
};

// The candidates that may still be among a list's best `keep`, with the exact value of the
// current keep-th best behind its cut.
struct TopList {
    std::vector<Candidate> kept;
    std::int16_t cut = kAcceptAll;
    // The exact value of the keep-th best once the list has been pruned: a pair whose
    // estimate lies clearly below it can never enter.
    double floor = -std::numeric_limits<double>::infinity();
};

// How far estimateLog10 may lie from the exact sum of logs (21 markers: ~1e-14), with room.
constexpr double kEstimateMargin = 1e-9;

class Screener {
public:
    Screener(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options)
        : prepared_(prepared),
          model_(model),
          options_(options),
          path_(resolveKernelPath(options.kernel)),
          width_(options.tileWidth),
          layout_(makeTileLayout(prepared.markers)),
          scale_(screeningScale(prepared.markers)),
          matrices_(buildMarkerMatrices(prepared.markers, model)) {
        if (!supportedTileWidth(width_)) throw Error("tile width must be 16, 32 or 64");
        const std::size_t markerCount = prepared.markers.size();
        const std::size_t remainsCount = prepared.remains.size();
        remainsRows_.resize(remainsCount * markerCount);
        typedMarkers_.resize(remainsCount, 0);
        for (std::size_t r = 0; r < remainsCount; ++r)
            for (std::size_t m = 0; m < markerCount; ++m) {
                const Genotype g = prepared.remains[r].genotypes[m];
                remainsRows_[r * markerCount + m] =
                    g.typed() ? layout_.markerRowStart[m] + static_cast<std::uint32_t>(genotypeIndex(g.allele1, g.allele2))
                              : layout_.zeroRow;
                typedMarkers_[r] += g.typed() ? 1 : 0;
            }
        maxTypedMarkers_ = typedMarkers_.empty() ? 0 : *std::max_element(typedMarkers_.begin(), typedMarkers_.end());
        byRemains_.resize(remainsCount);
        blockCount_ = (remainsCount + kRemainsBlock - 1) / kRemainsBlock;
        for (std::size_t f = 0; f < prepared.families.size(); ++f) missingPersonCount_ += prepared.families[f].missingPersons.size();
    }

    MatchResult run();

private:
    void buildBatch(Batch& batch) const;
    void scoreBatch(const Batch& batch);
    void scoreBlock(const Batch& batch, std::size_t block, std::vector<TopList>& byMissing);
    void offer(TopList& list, const Candidate& c, std::size_t keep, int typedMarkers, bool forRemains) const;

    const PreparedCase& prepared_;
    const MutationModel& model_;
    const MatchOptions& options_;
    const KernelPath path_;
    const int width_;
    const TileLayout layout_;
    const double scale_;
    const std::vector<MarkerMatrices> matrices_;
    std::vector<std::uint32_t> remainsRows_;
    std::vector<int> typedMarkers_;
    int maxTypedMarkers_ = 0;
    std::size_t blockCount_ = 0;
    std::size_t missingPersonCount_ = 0;
    std::vector<TopList> byRemains_;
    std::vector<Candidate> byMissingPerson_;
    std::vector<std::string> warnings_;
    std::atomic<std::size_t> exactScores_{0};
};

void Screener::buildBatch(Batch& batch) const {
    try {
        const std::size_t markerCount = prepared_.markers.size();
        for (std::size_t f = batch.firstFamily; f < batch.endFamily; ++f) {
            auto built = buildMissingPersonTables(prepared_, static_cast<int>(f), matrices_, model_.isNone(),
                                                  batch.notes, TableValues::kRatio);
            std::move(built.begin(), built.end(), std::back_inserter(batch.tables));
        }
        const std::size_t tileCount = (batch.tables.size() + width_ - 1) / width_;
        for (std::size_t t = 0; t < tileCount; ++t) {
            TileRows rows = allocateTile(static_cast<std::size_t>(layout_.rowCount) * width_);
            for (int lane = 0; lane < width_; ++lane) {
                const std::size_t index = t * width_ + lane;
                if (index >= batch.tables.size()) {
                    // An empty lane scores INT16_MIN everywhere and is skipped when it hits.
                    for (std::uint32_t row = 0; row < layout_.rowCount; ++row) rows[row * width_ + lane] = kAcceptAll;
                    continue;
                }
                const MissingPersonTables& tables = batch.tables[index];
                for (std::size_t m = 0; m < markerCount; ++m) {
                    const auto& values = tables.markers[m].ratio;
                    quantiseRatios(values.data(), values.size(), scale_,
                                   rows.get() + static_cast<std::size_t>(layout_.markerRowStart[m]) * width_ + lane,
                                   static_cast<std::size_t>(width_));
                }
                rows[static_cast<std::size_t>(layout_.zeroRow) * width_ + lane] = 0;
            }
            batch.tiles.push_back(std::move(rows));
        }
    } catch (...) {
        batch.error = std::current_exception();
    }
}

void Screener::offer(TopList& list, const Candidate& c, std::size_t keep, int typedMarkers, bool forRemains) const {
    list.kept.push_back(c);
    if (list.kept.size() < 2 * keep) return;
    auto better = [&](const Candidate& a, const Candidate& b) {
        return forRemains ? detail::betterForRemains(prepared_, a, b) : detail::betterForMissingPerson(prepared_, a, b);
    };
    std::nth_element(list.kept.begin(), list.kept.begin() + static_cast<std::ptrdiff_t>(keep - 1), list.kept.end(), better);
    // The order is total (names break ties), so whatever follows the keep-th best can never
    // come back: keeping exactly `keep` bounds the list even when thousands of pairs tie.
    list.kept.resize(keep);
    const double kthBest = list.kept[keep - 1].log10Lr;
    list.floor = std::max(list.floor, kthBest);
    // The cut admits every pair that could still tie the keep-th best (its name may be better).
    list.cut = std::max(list.cut, screeningCut(kthBest, typedMarkers, scale_));
}

void Screener::scoreBlock(const Batch& batch, std::size_t block, std::vector<TopList>& byMissing) {
    const std::size_t markerCount = prepared_.markers.size();
    const std::size_t begin = block * kRemainsBlock;
    const std::size_t end = std::min(prepared_.remains.size(), begin + kRemainsBlock);
    const std::size_t keep = options_.top;
    const std::size_t keepPerMissing = options_.topPerMissingPerson;
    std::vector<TileHit> hits(kRemainsChunk * static_cast<std::size_t>(width_));
    std::vector<std::int16_t> cutRemains(kRemainsChunk);
    std::vector<std::int16_t> cutLanes(static_cast<std::size_t>(width_));
    std::size_t exact = 0;
    for (std::size_t t = 0; t < batch.tiles.size(); ++t) {
        const std::size_t firstTable = t * width_;
        for (int lane = 0; lane < width_; ++lane) {
            const std::size_t index = firstTable + lane;
            cutLanes[lane] = keepPerMissing == 0 || index >= batch.tables.size()
                                 ? kAcceptNone
                                 : byMissing[index * blockCount_ + block].cut;
        }
        for (std::size_t chunk = begin; chunk < end; chunk += kRemainsChunk) {
            const std::size_t count = std::min(kRemainsChunk, end - chunk);
            for (std::size_t i = 0; i < count; ++i) cutRemains[i] = byRemains_[chunk + i].cut;
            const std::size_t hitCount =
                screenTile(path_, width_, batch.tiles[t].get(), remainsRows_.data() + chunk * markerCount, markerCount,
                           count, cutRemains.data(), cutLanes.data(), hits.data());
            for (std::size_t h = 0; h < hitCount; ++h) {
                const std::size_t index = firstTable + hits[h].lane;
                if (index >= batch.tables.size()) continue;
                const std::size_t r = chunk + hits[h].remains;
                TopList& remainsList = byRemains_[r];
                // Most hits of a tight cut still fall short of the lists' exact floors: one log10
                // of the ratios' product tells, where the exact score takes one per marker.
                const double missingFloor = keepPerMissing == 0 ? std::numeric_limits<double>::infinity()
                                                                : byMissing[index * blockCount_ + block].floor;
                if (remainsList.floor > -std::numeric_limits<double>::infinity() &&
                    missingFloor > -std::numeric_limits<double>::infinity()) {
                    const double estimate = detail::estimateLog10(prepared_.remains[r], batch.tables[index]);
                    if (estimate < remainsList.floor - kEstimateMargin && estimate < missingFloor - kEstimateMargin)
                        continue;
                }
                const Candidate c = detail::scorePair<TableValues::kRatio>(prepared_.remains[r], static_cast<int>(r), batch.tables[index]);
                ++exact;
                if (hits[h].score >= remainsList.cut) offer(remainsList, c, keep, typedMarkers_[r], true);
                if (keepPerMissing == 0) continue;
                TopList& missingList = byMissing[index * blockCount_ + block];
                if (hits[h].score >= missingList.cut) {
                    offer(missingList, c, keepPerMissing, maxTypedMarkers_, false);
                    cutLanes[hits[h].lane] = missingList.cut;
                }
            }
        }
    }
    exactScores_ += exact;
}

void Screener::scoreBatch(const Batch& batch) {
    std::vector<TopList> byMissing(options_.topPerMissingPerson > 0 ? batch.tables.size() * blockCount_ : 0);
    tbb::parallel_for(std::size_t{0}, blockCount_, [&](std::size_t block) { scoreBlock(batch, block, byMissing); });
    if (options_.topPerMissingPerson == 0) return;
    for (std::size_t k = 0; k < batch.tables.size(); ++k) {
        std::vector<Candidate> merged;
        for (std::size_t b = 0; b < blockCount_; ++b) {
            const auto& kept = byMissing[k * blockCount_ + b].kept;
            merged.insert(merged.end(), kept.begin(), kept.end());
        }
        detail::rankAndTruncate(merged, options_.topPerMissingPerson, [&](const Candidate& a, const Candidate& b) {
            return detail::betterForMissingPerson(prepared_, a, b);
        });
        byMissingPerson_.insert(byMissingPerson_.end(), merged.begin(), merged.end());
    }
}

MatchResult Screener::run() {
    const std::size_t familyCount = prepared_.families.size();
    const std::size_t batchCapacity = std::max<std::size_t>(1, options_.tilesPerBatch) * width_;
    detail::ProgressReporter reporter(options_.progress, "families", familyCount);
    std::size_t nextFamily = 0;
    const auto tokens = static_cast<std::size_t>(2 * tbb::this_task_arena::max_concurrency() + 1);
    std::exception_ptr firstError;

    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Batch* {
                                           if (nextFamily >= familyCount || firstError) {
                                               fc.stop();
                                               return nullptr;
                                           }
                                           auto* batch = new Batch;
                                           batch->firstFamily = nextFamily;
                                           std::size_t persons = 0;
                                           // Whole families per batch; at least one family.
                                           while (nextFamily < familyCount) {
                                               const std::size_t n = prepared_.families[nextFamily].missingPersons.size();
                                               if (persons > 0 && persons + n > batchCapacity) break;
                                               persons += n;
                                               ++nextFamily;
                                           }
                                           batch->endFamily = nextFamily;
                                           return batch;
                                       }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [&](Batch* batch) {
                                                 buildBatch(*batch);
                                                 return batch;
                                             }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* owned) {
                std::unique_ptr<Batch> batch(owned);
                // Batches arrive in family order: the first error seen is the first in order.
                if (firstError) return;
                if (batch->error) {
                    firstError = batch->error;
                    return;
                }
                for (auto& n : batch->notes) warnings_.push_back(std::move(n));
                scoreBatch(*batch);
                reporter.advance(batch->endFamily - batch->firstFamily);
            }));
    if (firstError) std::rethrow_exception(firstError);

    MatchResult result;
    result.kernel = path_;
    result.pairsScored = prepared_.remains.size() * missingPersonCount_;
    result.exactScores = exactScores_.load();
    result.warnings = std::move(warnings_);

    std::vector<std::size_t> order(prepared_.remains.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return prepared_.remains[a].name < prepared_.remains[b].name; });
    for (std::size_t r : order) {
        auto& kept = byRemains_[r].kept;
        detail::rankAndTruncate(kept, options_.top, [&](const Candidate& a, const Candidate& b) {
            return detail::betterForRemains(prepared_, a, b);
        });
        result.candidates.insert(result.candidates.end(), kept.begin(), kept.end());
    }
    result.byMissingPerson = std::move(byMissingPerson_);
    return result;
}

}  // namespace

MatchResult screenCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options) {
    if (options.top == 0) throw Error("screening needs top >= 1");
    Screener screener(prepared, model, options);
    MatchResult result = screener.run();
    detail::sortByMissingPerson(prepared, result.byMissingPerson);
    return result;
}

}  // namespace kinmatch::engine
