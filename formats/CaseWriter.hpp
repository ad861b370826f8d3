// SPDX-License-Identifier: MIT
#pragma once

// Writers for the input formats kinmatch reads (formats.md §1-3), and for the answer key of a
// simulated case. What they write, the readers read back to the same values.
//
// The `append*` functions format rows into a caller's string instead of a stream: a
// parallel stage can format one slice of a large case while a serial stage writes the
// previous one, and building a buffer with plain appends is several times faster than
// formatting cell by cell through an ostream.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"
#include "engine/Simulation.hpp"

namespace kinmatch::formats {

/// Header lines, with their line end.
inline constexpr std::string_view kPedigreeHeader = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";
inline constexpr std::string_view kProfileHeader = "SampleName,Marker,Allele1,Allele2\n";
inline constexpr std::string_view kTruthHeader = "remains\tfamily\tmissing\n";

/// Writes `table` in the EuroForMix layout (§1): `Allele,<marker>,...` then one row per
/// allele of any marker (numeric alleles in numeric order, then the others), an empty cell
/// where a marker lacks the allele. Frequencies are written in the shortest form that reads
/// back to the same double. Amelogenin markers are written like any other.
/// Throws: Error when a marker name or allele label holds a comma or a line break, or when
/// one marker spells the same allele twice.
/// Thread safety: reentrant.
void writeFrequencies(std::ostream& out, const FrequencyTable& table);

/// Appends one pedigree row (§3) per person, family by family, without the header. Sex is
/// written 0/1/2. Throws: Error when a field is empty or holds a tab or line break.
/// Thread safety: reentrant.
void appendPedigreeRows(std::string& out, const PedigreeSet& pedigrees);

/// Appends one LRmix row (§2) `SampleName,Marker,Allele1,Allele2` per typed marker of every
/// profile, without the header; a homozygote given once is written `17,17`, amelogenin as a
/// marker `AMEL`. Throws: Error when a field holds a comma or line break. Thread safety: reentrant.
void appendProfileRows(std::string& out, const ProfileSet& profiles);

/// Appends the answer-key rows `remains<TAB>family<TAB>missing`, without the header.
/// Thread safety: reentrant.
void appendTruthRows(std::string& out, const std::vector<engine::TruthRow>& rows);

}  // namespace kinmatch::formats
