// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/LrTable.hpp"
#include "engine/MutationModel.hpp"
#include "engine/ScreeningKernel.hpp"

namespace kinmatch::engine {

/// Evidence from marker systems other than the autosomal STRs (the lineage markers,
/// engine/LineageEvidence.hpp) for every (remains, missing person) pair. The systems are taken
/// as independent, so their log10 LRs add to the autosomal one before pairs are ranked.
class PairEvidence {
  public:
    virtual ~PairEvidence() = default;
    /// Writes into `out[k]` the log10 LR of remains `remains` (index in PreparedCase::remains)
    /// against the k-th missing person, counted in family order and then in each family's
    /// `missingPersons` order (the order of buildAllTables); -inf for an exclusion.
    /// Thread safety: called concurrently for different remains.
    virtual void log10Lrs(int remains, std::span<double> out) const = 0;
};

/// (stage, work done, total work); called from one thread at a time.
using ProgressCallback = std::function<void(const char* stage, std::size_t done, std::size_t total)>;

/// The table cache's default size (TableCache::kDefaultMaxBytes, checked in Screening.cpp).
inline constexpr std::size_t kDefaultTableCacheBytes = std::size_t{512} << 20;

struct MatchOptions {
    std::size_t top = 10;  // candidates kept per remains
    bool all = false;      // keep every pair (overrides top)
    /// Also keep, for every missing person, its best remains (0 = off); see
    /// MatchResult::byMissingPerson.
    std::size_t topPerMissingPerson = 0;
    /// Without --all, pairs are screened in int16 fixed point and every reported pair is
    /// recomputed exactly; `exactScan` scores every pair in double instead (the reference the
    /// screening is tested against).
    bool exactScan = false;
    KernelPath kernel = KernelPath::kAuto;
    /// Other marker systems' evidence, added to every pair's log10 LR before ranking (may be
    /// null). Pairs are then scored exactly, without the int16 screening, which knows only the
    /// autosomal tables.
    const PairEvidence* otherSystems = nullptr;
    int tileWidth = 32;           // missing persons per tile: 16, 32 or 64
    std::size_t tilesPerBatch = 4;  // tiles built and scored together in the pipeline
    /// Screening shares LR tables between families that build the very same ones, in a cache
    /// of at most this many bytes (TableCache.hpp; 0 = none). Results are byte-identical with
    /// any size; only time and memory change.
    std::size_t tableCacheBytes = kDefaultTableCacheBytes;
    /// Lets the CLI print progress while tables are built and pairs scored, without the
    /// engine doing I/O. May be empty.
    ProgressCallback progress;
};

/// One (remains, missing person) pair of the output.
struct Candidate {
    int remains = -1;        // index in PreparedCase::remains
    int family = -1;         // index in PreparedCase::families
    int missingPerson = -1;  // index in Family::persons
    double log10Lr = 0.0;    // log10 of the LR over the compared markers; -inf = exclusion
    int rank = 0;  // 1 = best for this remains (for this missing person in byMissingPerson); ties share it
    int loci = 0;            // markers typed in the remains and in at least one relative
    int inconsistentLoci = 0;  // of those, markers where the remains' genotype needs a mutation
    /// The autosomal part of log10Lr: equal to it unless MatchOptions::otherSystems added
    /// evidence.
    double autosomalLog10Lr = 0.0;
};

struct MatchResult {
    /// Sorted by remains name, then rank, then family name, then missing person id: a total
    /// order, so the output does not depend on input order or thread count.
    std::vector<Candidate> candidates;
    /// With topPerMissingPerson: each missing person's best remains, sorted by family name,
    /// missing person id, rank, remains name; `rank` counts among the remains.
    std::vector<Candidate> byMissingPerson;
    std::vector<std::string> warnings;  // in a fixed order
    std::size_t pairsScored = 0;
    std::size_t exactScores = 0;  // pairs scored in double (all of them unless screened)
    KernelPath kernel = KernelPath::kAuto;  // the path that screened, when one did
};

/// Builds every family's LR tables (once per family, missing person and marker) and scores
/// every (remains, missing person) pair as a sum of log10 table entries over the markers
/// typed in the remains.
///
/// Thread safety: runs in parallel on the calling thread's TBB arena; the inputs are read only.
/// Throws: Error/InputError for a model undefined at a marker or contradictory references
/// (the first in family and marker order, whatever the thread count).
MatchResult matchCase(const PreparedCase& prepared, const MutationModel& model, const MatchOptions& options);

/// Scores every (remains, missing person) pair from prebuilt tables and ranks them: the
/// second half of `matchCase`, exposed so benchmarks time exactly the production loop.
/// Thread safety: runs in parallel; the inputs are read only.
std::vector<Candidate> scoreCandidates(const PreparedCase& prepared, const std::vector<MissingPersonTables>& tables,
                                       const MatchOptions& options);

/// The tables of every missing person of every family, in family then missing-person order.
/// Exposed for benchmarks, tests and the scale kernel.
std::vector<MissingPersonTables> buildAllTables(const PreparedCase& prepared, const MutationModel& model,
                                                std::vector<std::string>& warnings,
                                                const ProgressCallback& progress = {});

}  // namespace kinmatch::engine
