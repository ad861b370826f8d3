// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"
#include "engine/MutationModel.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::engine {

/// A marker as the engine uses it: canonical allele labels in sorted order (database alleles
/// plus any rare allele seen in a profile), frequencies summing to 1.
struct Marker {
    std::string name;  // spelling of the frequency file
    std::vector<std::string> alleles;
    std::vector<double> frequencies;
    int alleleCount() const noexcept { return static_cast<int>(alleles.size()); }
};

/// Unordered genotype as allele indices, allele1 <= allele2; {-1,-1} = untyped.
struct Genotype {
    std::int16_t allele1 = -1;
    std::int16_t allele2 = -1;
    bool typed() const noexcept { return allele1 >= 0; }
};

/// Index of an unordered genotype a <= b in a marker's genotype table.
inline std::size_t genotypeIndex(int a, int b) noexcept {
    return static_cast<std::size_t>(b) * (static_cast<std::size_t>(b) + 1) / 2 + static_cast<std::size_t>(a);
}
inline std::size_t genotypeCount(int alleleCount) noexcept {
    return static_cast<std::size_t>(alleleCount) * (static_cast<std::size_t>(alleleCount) + 1) / 2;
}

/// A typed sample: one genotype per marker of the case, in marker order.
struct Sample {
    std::string name;
    std::vector<Genotype> genotypes;
};

struct Person {
    std::string id;
    int father = -1;  // index in Family::persons
    int mother = -1;
    Sex sex = Sex::kUnknown;
    int reference = -1;  // index in PreparedCase::references, -1 = untyped
    bool missing = false;
};

struct Family {
    std::string name;
    std::vector<Person> persons;
    std::vector<int> missingPersons;  // indices into persons, in person (id) order
};

/// Everything a match needs, resolved and checked; built by `prepareCase`.
struct PreparedCase {
    std::vector<Marker> markers;
    std::vector<Family> families;
    std::vector<Sample> references;
    std::vector<Sample> remains;
};

struct PrepareOptions {
    /// Frequency of an allele seen in a profile but absent from the table. 0 = the default:
    /// 5/(2N) with N = databaseSize when given, else 0.001.
    double rareAlleleFrequency = 0.0;
    long databaseSize = 0;
    /// A run on lineage markers alone: an empty frequency table is then no error.
    bool withoutAutosomalMarkers = false;
    /// How messages name the files a pedigree's sample names are looked up in, when the
    /// references come from more than one file (autosomal and lineage); "" = the references'
    /// own source.
    std::string referenceFiles;
    double effectiveRareAlleleFrequency() const noexcept {
        if (rareAlleleFrequency > 0.0) return rareAlleleFrequency;
        if (databaseSize > 0) return 5.0 / (2.0 * static_cast<double>(databaseSize));
        return 0.001;
    }
};

/// Resolves marker names and allele labels, adds rare alleles (spec §1), normalises
/// frequencies, links pedigree members to their reference profiles and checks that every
/// named sample exists. Warnings (unknown markers, rare alleles, renormalisation) go to
/// `warnings`.
///
/// Thread safety: pure function of its arguments.
/// Throws: InputError naming file and line (a pedigree sample missing from the references,
/// an allele spelled twice in the frequency table, ...).
PreparedCase prepareCase(const FrequencyTable& frequencies, const ProfileSet& references, const PedigreeSet& pedigrees,
                         const ProfileSet& remains, const PrepareOptions& options, Warnings& warnings);

/// One pedigree family resolved as prepareCase resolves every family: persons in id order,
/// parents linked, each named sample looked up with `findReference` (its index, or -1 when
/// absent; Person::reference takes that index). `referenceSource` names the references in
/// the error for an absent sample.
/// Throws: InputError naming file and line (duplicate person, unknown parent, one parent,
/// absent sample, no missing person).
Family resolveFamily(const FamilyRecord& record, const std::function<long(std::string_view)>& findReference,
                     const std::string& referenceSource);

}  // namespace kinmatch::engine
