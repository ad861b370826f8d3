// SPDX-License-Identifier: MIT
#include "engine/Screening.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <limits>
#include <memory>
#include <new>

#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "engine/Errors.hpp"
#include "engine/ParallelSupport.hpp"
#include "engine/TableCache.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// rows[g * width + lane] = sources[lane][g] for g < count: each lane's screening row becomes a
// column of the tile. Eight lanes by eight genotypes at a time through SSE2 shuffles, so every
// store writes whole rows of eight lanes.
void transposeRows(const std::int16_t* const* sources, std::size_t count, std::int16_t* rows, std::size_t width) {
    std::size_t g = 0;
#if defined(__SSE2__)
    for (; g + 8 <= count; g += 8)
        for (std::size_t lane = 0; lane < width; lane += 8) {
            __m128i a[8];
            for (int i = 0; i < 8; ++i) a[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sources[lane + i] + g));
            const __m128i t0 = _mm_unpacklo_epi16(a[0], a[1]), t1 = _mm_unpackhi_epi16(a[0], a[1]);
            const __m128i t2 = _mm_unpacklo_epi16(a[2], a[3]), t3 = _mm_unpackhi_epi16(a[2], a[3]);
            const __m128i t4 = _mm_unpacklo_epi16(a[4], a[5]), t5 = _mm_unpackhi_epi16(a[4], a[5]);
            const __m128i t6 = _mm_unpacklo_epi16(a[6], a[7]), t7 = _mm_unpackhi_epi16(a[6], a[7]);
            const __m128i u0 = _mm_unpacklo_epi32(t0, t2), u1 = _mm_unpackhi_epi32(t0, t2);
            const __m128i u2 = _mm_unpacklo_epi32(t1, t3), u3 = _mm_unpackhi_epi32(t1, t3);
            const __m128i u4 = _mm_unpacklo_epi32(t4, t6), u5 = _mm_unpackhi_epi32(t4, t6);
            const __m128i u6 = _mm_unpacklo_epi32(t5, t7), u7 = _mm_unpackhi_epi32(t5, t7);
            const __m128i out[8] = {_mm_unpacklo_epi64(u0, u4), _mm_unpackhi_epi64(u0, u4),
                                    _mm_unpacklo_epi64(u1, u5), _mm_unpackhi_epi64(u1, u5),
                                    _mm_unpacklo_epi64(u2, u6), _mm_unpackhi_epi64(u2, u6),
                                    _mm_unpacklo_epi64(u3, u7), _mm_unpackhi_epi64(u3, u7)};
            for (int i = 0; i < 8; ++i)
                _mm_storeu_si128(reinterpret_cast<__m128i*>(rows + (g + i) * width + lane), out[i]);
        }
#endif
    for (; g < count; ++g)
        for (std::size_t lane = 0; lane < width; ++lane) rows[g * width + lane] = sources[lane][g];
}

// One missing person's table at one marker, resolved to where its numbers are: the blocks lie
// scattered over the cache, and the exact scores would otherwise read each block's header
// before its values, two trips to memory in a row.
struct TableRef {
    const double* ratio = nullptr;
    const std::uint8_t* possible = nullptr;
    bool relativeTyped = false;
};

// One missing person of a batch: its tables are entry `target` of its family's blocks.
struct LaneTables {
    int family = -1;  // in the case
    int person = -1;
    std::size_t target = 0;
    std::size_t firstBlock = 0;  // the family's blocks, one per marker, from Batch::blocks[firstBlock]
    std::size_t firstRef = 0;    // its tables, one per marker, from Batch::refs[firstRef]
};

// A run of consecutive families whose missing persons fill a few tiles.
struct Batch {
    std::size_t firstFamily = 0;  // the case index of piece.families[0]
    FamilyPiece piece;
    std::vector<LaneTables> tables;          // the batch's missing persons, in family order
    std::vector<const TableBlock*> blocks;   // per family of the batch, one per marker
    std::vector<TableRef> refs;              // per missing person of the batch, one per marker
    std::vector<TableBlock::Owned> owned;    // the blocks the cache did not take
    std::vector<TileRows> tiles;             // tile t holds tables[t*width, (t+1)*width)
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

// Each family's name and its missing persons' ids, kept after the family itself is dropped
// with its batch: ties are ordered by them, and the rows are written with them. One text
// arena, about 50 bytes a family.
class FamilyNames {
  public:
    void add(const Family& family) {
        firstText_.push_back(textStarts_.size());
        append(family.name);
        for (int person : family.missingPersons) {
            append(family.persons[static_cast<std::size_t>(person)].id);
            persons_.push_back(person);
        }
    }
    std::size_t size() const noexcept { return firstText_.size(); }
    // The names the tie orders read (detail::compareMissingPersons).
    std::string_view family(int f) const noexcept { return text(firstText_[static_cast<std::size_t>(f)]); }
    // The id of missing person `person` (an index in Family::persons) of family `f`.
    std::string_view missingPerson(int f, int person) const noexcept {
        const auto family = static_cast<std::size_t>(f);
        for (std::size_t t = firstText_[family] + 1;; ++t)
            if (persons_[t - family - 1] == person) return text(t);
    }

    // The family with only its name and missing persons, each at its index in Family::persons.
    Family skeleton(std::size_t family) const {
        const std::size_t first = firstText_[family];
        const std::size_t end = family + 1 < firstText_.size() ? firstText_[family + 1] : textStarts_.size();
        Family f{std::string(text(first)), {}, {}};
        for (std::size_t t = first + 1; t < end; ++t) {
            const int person = persons_[t - family - 1];
            if (f.persons.size() <= static_cast<std::size_t>(person)) f.persons.resize(static_cast<std::size_t>(person) + 1);
            f.persons[static_cast<std::size_t>(person)].id = std::string(text(t));
            f.persons[static_cast<std::size_t>(person)].missing = true;
            f.missingPersons.push_back(person);
        }
        return f;
    }

  private:
    void append(std::string_view value) {
        textStarts_.push_back(arena_.size());
        arena_.append(value);
    }
    std::string_view text(std::size_t t) const noexcept {
        const std::size_t end = t + 1 < textStarts_.size() ? textStarts_[t + 1] : arena_.size();
        return std::string_view(arena_).substr(textStarts_[t], end - textStarts_[t]);
    }
    std::string arena_;
    std::vector<std::size_t> textStarts_;  // text t is arena_[textStarts_[t], textStarts_[t + 1])
    std::vector<std::size_t> firstText_;   // family f: its name, then its missing persons' ids
    std::vector<int> persons_;             // the missing person of each id text, in text order minus names
};

class Screener {
public:
    Screener(const PreparedCase& prepared, FamilySource& source, const MutationModel& model, const MatchOptions& options)
        : prepared_(prepared),
          source_(source),
          model_(model),
          options_(options),
          path_(resolveKernelPath(options.kernel)),
          width_(options.tileWidth),
          layout_(makeTileLayout(prepared.markers)),
          scale_(screeningScale(prepared.markers)),
          matrices_(buildMarkerMatrices(prepared.markers, model)),
          cache_(options.tableCacheBytes, scale_) {
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
        std::size_t widest = 0;
        for (const Marker& marker : prepared.markers) widest = std::max(widest, genotypeCount(marker.alleleCount()));
        emptyLane_.assign(widest, kAcceptAll);
        blockCount_ = (remainsCount + kRemainsBlock - 1) / kRemainsBlock;
    }

    ScreenedFamilies run();

private:
    void buildBatch(Batch& batch);
    Candidate exactScore(const Batch& batch, std::size_t index, std::size_t r) const;
    double estimate(const Batch& batch, std::size_t index, std::size_t r) const;
    void prefetchPair(const Batch& batch, std::size_t index, std::size_t r) const;
    void scoreBatch(const Batch& batch);
    void scoreBlock(const Batch& batch, std::size_t block, std::vector<TopList>& byMissing);
    void offer(TopList& list, const Candidate& c, std::size_t keep, int typedMarkers, bool forRemains) const;
    // By the names kept in names_: the families themselves are gone by the time lists are ranked.
    bool betterForRemains(const Candidate& a, const Candidate& b) const { return detail::betterForRemains(names_, a, b); }

    const PreparedCase& prepared_;  // its markers and remains; families come from source_
    FamilySource& source_;
    const MutationModel& model_;
    const MatchOptions& options_;
    const KernelPath path_;
    const int width_;
    const TileLayout layout_;
    const double scale_;
    const std::vector<MarkerMatrices> matrices_;
    TableCache cache_;
    std::vector<std::int16_t> emptyLane_;  // the screening row of a lane without a missing person
    std::vector<std::uint32_t> remainsRows_;
    std::vector<int> typedMarkers_;
    int maxTypedMarkers_ = 0;
    std::size_t blockCount_ = 0;
    std::size_t missingPersonCount_ = 0;
    FamilyNames names_;
    std::vector<std::string> sourceWarnings_;
    std::vector<TopList> byRemains_;
    std::vector<Candidate> byMissingPerson_;
    std::vector<std::string> warnings_;
    std::atomic<std::size_t> exactScores_{0};
};

void Screener::buildBatch(Batch& batch) {
    try {
        const std::size_t markerCount = prepared_.markers.size();
        std::vector<const TableBlock*> blocks;
        for (std::size_t i = 0; i < batch.piece.families.size(); ++i) {
            const Family& family = batch.piece.families[i];
            buildFamilyBlocks(FamilyView{prepared_.markers, family, batch.piece.references}, matrices_, model_.isNone(),
                              batch.notes, cache_, blocks, batch.owned);
            const std::size_t first = batch.blocks.size();
            batch.blocks.insert(batch.blocks.end(), blocks.begin(), blocks.end());
            const int caseFamily = static_cast<int>(batch.firstFamily + i);
            for (std::size_t k = 0; k < family.missingPersons.size(); ++k) {
                batch.tables.push_back(LaneTables{caseFamily, family.missingPersons[k], k, first, batch.refs.size()});
                for (const TableBlock* b : blocks)
                    batch.refs.push_back(TableRef{b->values(k), b->possible(k), b->relativeTyped()});
            }
        }
        // Rows are written whole, one lane from each of `width` blocks at a time: the lanes'
        // screening rows are read in order, and no tile line is written twice.
        const std::size_t tileCount = (batch.tables.size() + width_ - 1) / width_;
        std::vector<const std::int16_t*> sources(static_cast<std::size_t>(width_));
        for (std::size_t t = 0; t < tileCount; ++t) {
            TileRows rows = allocateTile(static_cast<std::size_t>(layout_.rowCount) * width_);
            const std::size_t first = t * width_;
            for (std::size_t m = 0; m < markerCount; ++m) {
                for (int lane = 0; lane < width_; ++lane) {
                    const std::size_t index = first + lane;
                    // An empty lane scores INT16_MIN everywhere and is skipped when it hits.
                    sources[lane] = index < batch.tables.size()
                                        ? batch.blocks[batch.tables[index].firstBlock + m]->quantised(batch.tables[index].target)
                                        : emptyLane_.data();
                }
                transposeRows(sources.data(), genotypeCount(prepared_.markers[m].alleleCount()),
                              rows.get() + static_cast<std::size_t>(layout_.markerRowStart[m]) * width_,
                              static_cast<std::size_t>(width_));
            }
            std::int16_t* zero = rows.get() + static_cast<std::size_t>(layout_.zeroRow) * width_;
            for (int lane = 0; lane < width_; ++lane) zero[lane] = first + lane < batch.tables.size() ? 0 : kAcceptAll;
            batch.tiles.push_back(std::move(rows));
        }
    } catch (...) {
        batch.error = std::current_exception();
    }
}

Candidate Screener::exactScore(const Batch& batch, std::size_t index, std::size_t r) const {
    struct Value {
        double value;
        bool possible;
        bool relativeTyped;
    };
    const LaneTables& t = batch.tables[index];
    const TableRef* refs = batch.refs.data() + t.firstRef;
    return detail::scoreEntries<TableValues::kRatio>(
        prepared_.remains[r], Candidate{static_cast<int>(r), t.family, t.person, 0.0, 0, 0, 0}, prepared_.markers.size(),
        [&](std::size_t m, std::size_t g) {
            return Value{refs[m].ratio[g], refs[m].possible[g] != 0, refs[m].relativeTyped};
        });
}

void Screener::prefetchPair(const Batch& batch, std::size_t index, std::size_t r) const {
    const TableRef* refs = batch.refs.data() + batch.tables[index].firstRef;
    const Sample& remains = prepared_.remains[r];
    for (std::size_t m = 0; m < prepared_.markers.size(); ++m) {
        const Genotype g = remains.genotypes[m];
        if (!g.typed()) continue;
        const std::size_t i = genotypeIndex(g.allele1, g.allele2);
        __builtin_prefetch(refs[m].ratio + i);
        __builtin_prefetch(refs[m].possible + i);
    }
}

double Screener::estimate(const Batch& batch, std::size_t index, std::size_t r) const {
    const TableRef* refs = batch.refs.data() + batch.tables[index].firstRef;
    return detail::estimateLog10(prepared_.remains[r], prepared_.markers.size(),
                                   [&](std::size_t m, std::size_t g) { return refs[m].ratio[g]; });
}

void Screener::offer(TopList& list, const Candidate& c, std::size_t keep, int typedMarkers, bool forRemains) const {
    list.kept.push_back(c);
    // Pruned at every entry beyond `keep`: the cut then always follows the current keep-th best,
    // and every pair it turns away is one exact score (21 log10 from scattered tables) saved; the
    // partial sort of keep + 1 candidates costs far less.
    if (list.kept.size() <= keep) return;
    auto better = [&](const Candidate& a, const Candidate& b) {
        return forRemains ? betterForRemains(a, b) : detail::betterForMissingPerson(prepared_, a, b);
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
            // While the lists are still empty (the first batches) every pair hits; taken best
            // first, the first few fill the lists and their cuts then turn most others away
            // before any exact work. The order changes no result: every cut is a proof.
            if (hitCount > static_cast<std::size_t>(width_))
                std::sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(hitCount),
                          [](const TileHit& a, const TileHit& b) {
                              if (a.score != b.score) return a.score > b.score;
                              return a.remains != b.remains ? a.remains < b.remains : a.lane < b.lane;
                          });
            // The tables' entries lie scattered over the cache: ask for all of them at once, so
            // the trips to memory overlap instead of following one another.
            for (std::size_t h = 0; h < hitCount; ++h) {
                const std::size_t index = firstTable + hits[h].lane;
                if (index < batch.tables.size()) prefetchPair(batch, index, chunk + hits[h].remains);
            }
            for (std::size_t h = 0; h < hitCount; ++h) {
                const std::size_t index = firstTable + hits[h].lane;
                if (index >= batch.tables.size()) continue;
                const std::size_t r = chunk + hits[h].remains;
                TopList& remainsList = byRemains_[r];
                // Cuts rise while a chunk's hits are taken: one that no longer reaches either
                // list cannot enter it, ever.
                if (hits[h].score < remainsList.cut &&
                    (keepPerMissing == 0 || hits[h].score < byMissing[index * blockCount_ + block].cut))
                    continue;
                // Most hits of a tight cut still fall short of the lists' exact floors: one log10
                // of the ratios' product tells, where the exact score takes one per marker.
                const double missingFloor = keepPerMissing == 0 ? std::numeric_limits<double>::infinity()
                                                                : byMissing[index * blockCount_ + block].floor;
                if (remainsList.floor > -std::numeric_limits<double>::infinity() &&
                    missingFloor > -std::numeric_limits<double>::infinity()) {
                    const double e = estimate(batch, index, r);
                    if (e < remainsList.floor - kEstimateMargin && e < missingFloor - kEstimateMargin) continue;
                }
                const Candidate c = exactScore(batch, index, r);
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

ScreenedFamilies Screener::run() {
    const std::size_t familyCount = source_.familyCount();
    const std::size_t batchCapacity = std::max<std::size_t>(1, options_.tilesPerBatch) * width_;
    detail::ProgressReporter reporter(options_.progress, "families", familyCount);
    std::size_t nextFamily = 0;
    bool sourceDone = false;
    const auto tokens = static_cast<std::size_t>(2 * tbb::this_task_arena::max_concurrency() + 1);
    std::exception_ptr firstError;  // written and read by the last stage only
    std::atomic<bool> failed{false};  // what the first stage may see of it

    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Batch* {
                                           if (sourceDone || failed.load(std::memory_order_relaxed)) {
                                               fc.stop();
                                               return nullptr;
                                           }
                                           auto batch = std::make_unique<Batch>();
                                           batch->firstFamily = nextFamily;
                                           // A source's error travels as the batch's, so that it
                                           // is reported after the errors of earlier families.
                                           try {
                                               if (!source_.next(batchCapacity, batch->piece)) {
                                                   fc.stop();
                                                   return nullptr;
                                               }
                                           } catch (...) {
                                               batch->error = std::current_exception();
                                               sourceDone = true;
                                           }
                                           nextFamily += batch->piece.families.size();
                                           return batch.release();
                                       }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [&](Batch* batch) {
                                                 if (!batch->error) buildBatch(*batch);
                                                 return batch;
                                             }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* owned) {
                std::unique_ptr<Batch> batch(owned);
                // Batches arrive in family order: the first error seen is the first in order.
                if (firstError) return;
                if (batch->error) {
                    firstError = batch->error;
                    failed.store(true, std::memory_order_relaxed);
                    return;
                }
                for (const Family& family : batch->piece.families) {
                    names_.add(family);
                    missingPersonCount_ += family.missingPersons.size();
                }
                for (auto& w : batch->piece.warnings) sourceWarnings_.push_back(std::move(w));
                for (auto& n : batch->notes) warnings_.push_back(std::move(n));
                scoreBatch(*batch);
                reporter.advance(batch->piece.families.size());
            }));
    if (firstError) std::rethrow_exception(firstError);
    reporter.finish();

    ScreenedFamilies screened;
    MatchResult& result = screened.result;
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
            return betterForRemains(a, b);
        });
        result.candidates.insert(result.candidates.end(), kept.begin(), kept.end());
    }
    result.byMissingPerson = std::move(byMissingPerson_);
    detail::sortByMissingPerson(names_, prepared_.remains, result.byMissingPerson);

    // Only the families the rows name are written: they are renumbered in case order.
    for (const auto* list : {&result.candidates, &result.byMissingPerson})
        for (const Candidate& c : *list) screened.caseIndex.push_back(static_cast<std::size_t>(c.family));
    std::sort(screened.caseIndex.begin(), screened.caseIndex.end());
    screened.caseIndex.erase(std::unique(screened.caseIndex.begin(), screened.caseIndex.end()), screened.caseIndex.end());
    for (std::size_t f : screened.caseIndex) screened.families.push_back(names_.skeleton(f));
    for (auto* list : {&result.candidates, &result.byMissingPerson})
        for (Candidate& c : *list)
            c.family = static_cast<int>(std::lower_bound(screened.caseIndex.begin(), screened.caseIndex.end(),
                                                         static_cast<std::size_t>(c.family)) -
                                        screened.caseIndex.begin());
    screened.familyCount = names_.size();
    screened.missingPersonCount = missingPersonCount_;
    screened.sourceWarnings = std::move(sourceWarnings_);
    return screened;
}

}  // namespace

static_assert(kDefaultTableCacheBytes == TableCache::kDefaultMaxBytes);

MatchResult screenCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options) {
    if (options.top == 0) throw Error("screening needs top >= 1");
    PreparedFamilies source(prepared);
    Screener screener(prepared, source, model, options);
    ScreenedFamilies screened = screener.run();
    for (auto* list : {&screened.result.candidates, &screened.result.byMissingPerson})
        for (Candidate& c : *list) c.family = static_cast<int>(screened.caseIndex[static_cast<std::size_t>(c.family)]);
    return std::move(screened.result);
}

ScreenedFamilies screenFamilies(const PreparedCase& markersAndRemains, FamilySource& source, const MutationModel& model,
                                const MatchOptions& options) {
    if (options.top == 0) throw Error("screening needs top >= 1");
    Screener screener(markersAndRemains, source, model, options);
    return screener.run();
}

}  // namespace kinmatch::engine
