// SPDX-License-Identifier: MIT
#pragma once

#include <istream>
#include <string>

#include "engine/CaseInput.hpp"

namespace kinmatch::formats {

/// Reads single-source STR profiles (formats.md §2), one row per sample and marker. The
/// layout is detected from the header line: tab-separated (GeneMapper ID-X export:
/// `Sample Name`, `Marker`, `Allele 1`, ...) when it holds a tab, else comma-separated
/// (LRmix / EuroForMix: `SampleName,Marker,Allele1,Allele2,...`). Header names match
/// ignoring case, spaces and underscores in either layout; other columns (`Sample File`,
/// `Height 1`, ...) are ignored. Rows of one sample need not be adjacent; profiles keep the
/// order of first appearance. One allele is a homozygote (stored once; the engine doubles
/// it), empty allele cells are skipped and a marker without alleles is not stored.
/// Amelogenin rows go to `Profile::amelogenin`.
/// @param fileName names the input in error messages and every SourcePos.
/// Throws: InputError (file, line) for a bad header, a missing sample or marker, more than
/// two alleles, a sample+marker given twice, and for input without profiles; when a file has
/// several errors, the first in file order.
/// Large inputs are parsed in chunks of about 1 MB on the calling thread's TBB arena and
/// merged in file order (ProfileChunks.hpp); result and errors are those of reading row by row.
/// Thread safety: reentrant.
ProfileSet readProfiles(std::istream& in, const std::string& fileName);

/// Opens `path` and reads it with readProfiles, naming it by `path`.
/// Throws: InputError when the file cannot be opened (with the system's reason) or is malformed.
ProfileSet readProfileFile(const std::string& path);

}  // namespace kinmatch::formats
