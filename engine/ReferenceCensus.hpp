// SPDX-License-Identifier: MIT
#pragma once

// prepareCase for a national references file, without the file's parsed rows in memory.
//
// Parsed, a reference profile costs about 900 bytes (a MarkerCall of 40 bytes per marker,
// source positions included); resolved, 42 bytes of genotypes at 21 markers. prepareCase
// needs every profile before it can number a marker's alleles, because alleles missing from
// the frequency table join the marker and the alleles are then sorted. The census instead
// takes the profiles one at a time, in file order, numbers their alleles provisionally (in
// order of first sight) and renumbers the stored genotypes once the markers are finished.
// What it returns is what prepareCase returns, warnings included, value for value.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/Case.hpp"
#include "engine/CaseInput.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::engine {

/// Resolved reference profiles in two flat arrays (names, genotypes) and a name index:
/// about 80 bytes a sample at 21 markers (genotypes take one byte an allele while every
/// allele number stays below 255, else two).
/// Thread safety: const members may be called from any number of threads.
class ReferenceStore {
  public:
    explicit ReferenceStore(std::size_t markerCount = 0);
    ReferenceStore(ReferenceStore&&) noexcept;
    ReferenceStore& operator=(ReferenceStore&&) noexcept;
    ~ReferenceStore();

    std::size_t size() const noexcept;
    std::size_t markerCount() const noexcept;
    std::string_view name(std::size_t sample) const noexcept;
    /// Sample `sample`'s genotypes, one per marker (stored packed, so returned by value).
    std::vector<Genotype> genotypes(std::size_t sample) const;
    /// The sample as prepareCase would have it in PreparedCase::references.
    Sample sample(std::size_t index) const;
    /// The index of the sample named `name`, or -1.
    long find(std::string_view name) const;
    /// The bytes the store holds (its arrays' capacities): what a streamed run pays per sample.
    std::size_t memoryBytes() const noexcept;

    /// Appends a sample; its name must not be in the store yet. `genotypes` has markerCount()
    /// entries.
    void add(std::string_view name, std::span<const Genotype> genotypes);
    /// Gives back the arrays' growth slack (up to half of them) once no sample is added.
    void shrinkToFit();
    /// Renumbers every stored allele: allele a at marker m becomes alleleMap[m][a] (and a
    /// genotype's two alleles are put back in order).
    void renumberAlleles(const std::vector<std::vector<std::int16_t>>& alleleMap);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Builds what prepareCase builds (markers, references, remains) from references given one
/// profile at a time. Families are resolved later, piece by piece, with resolveFamily.
class ReferenceCensus {
  public:
    /// Reads the frequency table's markers now (its warnings go to `warnings` at once, as in
    /// prepareCase). `warnings` must outlive the census.
    /// Throws: InputError as prepareCase does for the frequency table.
    ReferenceCensus(const FrequencyTable& frequencies, const PrepareOptions& options, Warnings& warnings);
    ~ReferenceCensus();

    /// Takes the next reference profile in file order. Its sample name must be new.
    void add(const Profile& reference);

    struct Finished {
        std::vector<Marker> markers;  // == prepareCase(...).markers
        ReferenceStore references;    // sample i == prepareCase(...).references[i]
        std::vector<Sample> remains;  // == prepareCase(...).remains
    };
    /// Finishes the markers (rare alleles of the references and of `remains`), renumbers the
    /// stored alleles and resolves the remains. The warnings then added are prepareCase's, in
    /// its order. Call once. `referenceSource` names the references file in warnings.
    /// Throws: InputError as prepareCase does (a marker with too many alleles).
    Finished finish(const ProfileSet& remains, const std::string& referenceSource);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kinmatch::engine
