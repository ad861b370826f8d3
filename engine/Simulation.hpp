// SPDX-License-Identifier: MIT
#pragma once

// A synthetic identification case with an answer key, for benchmarks and calibration:
// families of fixed shapes (see `familyShapes`), their typed relatives' STR profiles, and
// remains of which a chosen share truly are the families' missing persons.
//
// Everything is a pure function of (frequencies, model, options): each family draws from its
// own random stream, derived from (seed, family index), and each remains from (seed, remains
// index), so any slice can be generated on any thread and the result does not depend on how
// the work is split. The random numbers come from our own xoshiro256** and our own uniform
// helpers, never from std:: distributions, whose output differs between standard libraries.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/Case.hpp"
#include "engine/CaseInput.hpp"
#include "engine/MutationModel.hpp"

namespace kinmatch::engine {

/// What to simulate; the defaults are those of `kinmatch simulate`.
struct SimulationOptions {
    std::size_t families = 0;
    std::size_t remains = 0;
    /// Use the first `markers` STR markers of the frequency table, in table order; 0 = all.
    std::size_t markers = 0;
    /// Share of the remains that are missing persons, rounded to a whole number of remains
    /// and capped by the number of missing persons (each is used at most once).
    double trueFraction = 0.5;
    /// Probability that a remains marker is untyped (degradation), independently per marker.
    /// A remains keeps at least one marker, so that it still appears in a profile file.
    double missingMarkerRate = 0.0;
    std::uint64_t seed = 1;
};

/// Checks the ranges the options need (`trueFraction` in [0,1], `missingMarkerRate` in
/// [0,1)). Throws: UsageError naming the `kinmatch simulate` option.
void validateSimulationOptions(const SimulationOptions& options);

/// One person of a family shape. `father`/`mother` index earlier persons of the shape, -1
/// for a founder.
struct ShapePerson {
    std::string_view role;  // the id suffix: `F0000001-<role>`
    int father = -1;
    int mother = -1;
    Sex sex = Sex::kUnknown;
    bool typed = false;    // has a reference profile
    bool missing = false;  // a missing person (never typed)
};

struct FamilyShape {
    std::string_view name;             // a few words for documentation and tests
    std::vector<ShapePerson> persons;  // parents before children
};

/// The catalogue every family is drawn from, uniformly. Each shape has 1-4 typed
/// relatives and 1-2 missing persons; a person with parents has both in the shape.
/// Thread safety: built once on first use (a function-local static), read-only afterwards.
/// Throws: std::logic_error if the built-in catalogue breaks those promises (a bug).
const std::vector<FamilyShape>& familyShapes();

/// One row of the answer key: the remains and the missing person it truly is, or `.` and
/// `.` for an unrelated remains.
struct TruthRow {
    std::string remains;
    std::string family;
    std::string missing;
};

/// A slice of the remains, their profiles and their rows of the answer key (same order).
struct SimulatedRemains {
    ProfileSet profiles;
    std::vector<TruthRow> truth;
};

/// A planned simulation. Construction reads the frequency table, builds the per-sex mutation
/// matrices and decides which remains are which missing persons; the slices are generated on
/// demand, so a run of a million families never holds them all in memory.
///
/// Names: families `F0000001`..., persons `<family>-<role>`, a typed person's sample name is
/// their id (unique over the whole case), remains `R0000001`... in a shuffled order.
/// Genotypes: founders and unrelated remains draw both alleles from the frequencies (Hardy-
/// Weinberg); a child takes a random allele of each parent, then mutates it along the row of
/// the transmitting parent's mutation matrix (paternal: male, maternal: female).
///
/// Thread safety: after construction every member function is const and may be called from
/// several threads at once.
class Simulation {
  public:
    /// Throws: UsageError when `options.markers` exceeds the STR markers of the table or an
    /// option is out of range; Error/InputError when the table is unusable or the model is
    /// undefined for a marker (both name the marker).
    Simulation(const FrequencyTable& frequencies, const MutationModel& model, const SimulationOptions& options);

    /// The markers simulated, as given in the source table (spelling, order, frequencies), to
    /// be written next to the profiles.
    const FrequencyTable& frequencies() const noexcept { return frequencies_; }
    /// The same markers as the engine uses them (canonical labels in sorted order).
    const std::vector<Marker>& markers() const noexcept { return markers_; }
    /// Notes from reading the table (e.g. frequencies normalised), in a fixed order.
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }

    std::size_t familyCount() const noexcept { return options_.families; }
    std::size_t remainsCount() const noexcept { return plan_.size(); }
    std::size_t missingPersonCount() const noexcept { return missingPersons_; }
    std::size_t trueRemainsCount() const noexcept { return trueRemains_; }

    /// Pedigree records of families [first, first + count). Throws: std::out_of_range.
    PedigreeSet pedigrees(std::size_t first, std::size_t count) const;
    /// Reference profiles of the typed relatives of families [first, first + count), family by
    /// family in shape order, markers in table order. Throws: std::out_of_range.
    ProfileSet references(std::size_t first, std::size_t count) const;
    /// Remains [first, first + count) and their truth rows. Throws: std::out_of_range.
    SimulatedRemains remains(std::size_t first, std::size_t count) const;

    /// `F0000001` for index 0.
    static std::string familyName(std::size_t index);
    /// `R0000001` for index 0.
    static std::string remainsName(std::size_t index);

  private:
    // Per marker, the sampling tables: cumulative founder frequencies, and per sex the
    // probability to transmit an allele unchanged plus the cumulative off-diagonal rows.
    struct Transmission {
        std::vector<double> stay;        // M[i,i]
        std::vector<double> mutatedCdf;  // row i: cumulative M[i,j], j != i counted as 0 at i
    };
    struct MarkerTables {
        std::vector<double> founderCdf;
        Transmission female;
        Transmission male;
    };
    // Where a remains comes from: a missing person (family index, index in the shape) or,
    // with family == kUnrelated, nobody of the case.
    struct RemainsSource {
        std::uint64_t family = 0;
        int person = -1;
    };
    static constexpr std::uint64_t kUnrelated = ~std::uint64_t{0};

    std::size_t shapeOf(std::size_t family) const;
    // Genotypes of every person of a family, person-major: [(p * markers + m) * 2 + k].
    std::vector<std::int16_t> familyGenotypes(std::size_t family, std::size_t& shape) const;
    void checkRange(std::size_t first, std::size_t count, std::size_t size, const char* what) const;

    SimulationOptions options_;
    FrequencyTable frequencies_;
    std::vector<Marker> markers_;
    std::vector<MarkerTables> tables_;
    std::vector<std::string> warnings_;
    std::vector<RemainsSource> plan_;  // one per remains, in output order
    std::size_t missingPersons_ = 0;
    std::size_t trueRemains_ = 0;
};

}  // namespace kinmatch::engine
