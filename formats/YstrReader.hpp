// SPDX-License-Identifier: MIT
#pragma once

#include <istream>
#include <string>

#include "engine/YStr.hpp"

namespace kinmatch::formats {

/// Reads Y-STR haplotypes (formats.md §7): the profile CSV of §2 (LRmix `SampleName,Marker,
/// Allele1,Allele2,...` or the tab-separated GeneMapper ID-X export, detected from the header
/// as ProfileReader does), one row per sample and locus. A single-copy locus has one allele
/// (`17` or `17,17`); a multi-copy locus (engine::ystr::maxCopies) an unordered set of up to
/// its copy number (`DYS385,13,16`; repeated alleles are one: `14,14` == `14,`). Alleles are
/// repeat numbers, optionally with partial bases (`13.2`). Locus names are compared by
/// engine::ystr::locusKey, so `DYS389 II` and `DYS389II` are one locus. A row without
/// alleles leaves the locus untyped; `AMEL` rows are skipped (sex, not a Y-STR). A population
/// database is the same format with many samples.
/// @param fileName names the input in error messages and every SourcePos.
/// Throws: InputError (file, line, field) for a bad header, a row without sample or locus,
/// an allele that is not a repeat number, two different alleles at a single-copy locus, more
/// alleles than a multi-copy locus has copies, a sample+locus given twice, cells beyond the
/// header, and for input without haplotypes.
/// Thread safety: reentrant.
engine::ystr::HaplotypeSet readYstrHaplotypes(std::istream& in, const std::string& fileName);

/// Opens `path` and reads it with readYstrHaplotypes, naming it by `path`.
/// Throws: InputError when the file cannot be opened (with the system's reason) or is malformed.
engine::ystr::HaplotypeSet readYstrFile(const std::string& path);

}  // namespace kinmatch::formats
