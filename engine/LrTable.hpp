// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/MutationModel.hpp"

namespace kinmatch::engine {

class TableCache;

/// Per-marker mutation matrices of a run (n x n row-major), built once and shared.
struct MarkerMatrices {
    std::vector<double> male;
    std::vector<double> female;
    std::vector<double> identity;  // Mendelian transmission, for the consistency check
    /// Alleles nobody in a family carries may be lumped (equal, proportional, none; see
    /// engine/AlleleLumping.hpp). False leaves every allele explicit, as for stepwise.
    bool lumpable = false;
    /// The male and female matrices differ, so members' sexes enter a table cache key
    /// (TableCache.hpp). True unless known otherwise: sharing less is always safe.
    bool sexSpecific = true;
};

/// Throws: Error naming the marker when the model is undefined for it.
std::vector<MarkerMatrices> buildMarkerMatrices(const std::vector<Marker>& markers, const MutationModel& model);

/// log10 LR of every genotype the remains could have at one marker, for one missing person:
/// LR(g) = P(G_MP = g | references) / P_HW(g).
///
/// A table exists even where no relative is typed at the marker: under a mutation model that
/// is not stationary (equal, stepwise, ...) a missing person with parents in the pedigree has
/// genotype probabilities that differ from Hardy-Weinberg, so LR != 1 there (the pedsuite
/// computes it the same way). Such a marker is not counted in `loci`, being no comparison
/// with a relative.
/// How a table holds its values. The exact all-pairs path sums logs and wants them ready; the
/// screening path quantises straight from ratios and takes the log of the few entries that
/// reported pairs use (table building would otherwise spend much of its time in log10).
enum class TableValues { kLog10, kRatio };

/// The one function from a table's ratio to its log10 value, so that both representations
/// give bit-identical sums.
inline double log10OfRatio(double ratio) noexcept {
    return ratio > 0.0 ? std::log10(ratio) : -std::numeric_limits<double>::infinity();
}

struct MarkerTable {
    std::vector<double> log10Lr;                  // kLog10: indexed by genotypeIndex(a, b); -inf = exclusion
    std::vector<double> ratio;                    // kRatio: the LR itself; 0 = exclusion
    std::vector<std::uint8_t> mendelianPossible;  // 0 where the genotype needs a mutation
    bool relativeTyped = false;                   // some member of the family is typed here
};

/// One family with what its tables are built from: the case's markers and the references
/// its Person::reference indexes (the whole case's, or those of a FamilyPiece).
struct FamilyView {
    const std::vector<Marker>& markers;
    const Family& family;
    const std::vector<Sample>& references;
};

struct MissingPersonTables {
    int family = -1;
    int person = -1;                  // index in Family::persons
    std::vector<MarkerTable> markers;  // one per marker of the case
};

/// Builds one family's tables at one marker for each of its missing persons (the other
/// missing persons count as untyped). Warnings for the caller to report go to `notes`.
///
/// Thread safety: pure; safe to call concurrently for different (family, marker).
/// Throws: InputError when the references are impossible together under the model
/// (P(references) = 0), naming family and marker.
std::vector<MarkerTable> buildMarkerTables(const PreparedCase& prepared, int family, int marker,
                                           const MarkerMatrices& matrices, bool mutationModelIsNone,
                                           std::vector<std::string>& notes, TableValues values = TableValues::kLog10);

/// The same for every marker of the case at once: result[m][k] is buildMarkerTables(prepared,
/// family, m, matrices[m], ...)[k], value for value. Faster: the peeling plan (pruning,
/// forest, traversal) is made once per typed pattern of the family, not once per marker and
/// pass, and its buffers are reused. Notes come in marker order.
///
/// With a `cache`, a marker whose key (TableCache.hpp) is stored takes a copy of the stored
/// tables, and one that is not stores what it builds: the values are the same bit for bit
/// either way, and so are the notes. Pedigrees with a loop are never shared. The cache must
/// only serve calls with the same `prepared` markers and `matrices`.
///
/// Thread safety: pure apart from the cache, which is thread-safe; safe to call concurrently
/// for different families, also with one shared cache.
/// Throws: as buildMarkerTables, for the first marker that fails.
std::vector<std::vector<MarkerTable>> buildFamilyTables(const PreparedCase& prepared, int family,
                                                        const std::vector<MarkerMatrices>& matrices,
                                                        bool mutationModelIsNone, std::vector<std::string>& notes,
                                                        TableValues values = TableValues::kLog10,
                                                        TableCache* cache = nullptr);

/// The same tables arranged per missing person (family order), as the matchers use them.
std::vector<MissingPersonTables> buildMissingPersonTables(const PreparedCase& prepared, int family,
                                                          const std::vector<MarkerMatrices>& matrices,
                                                          bool mutationModelIsNone, std::vector<std::string>& notes,
                                                          TableValues values = TableValues::kLog10,
                                                          TableCache* cache = nullptr);

}  // namespace kinmatch::engine
