// SPDX-License-Identifier: MIT
#pragma once

#include <istream>
#include <string>

#include "engine/CaseInput.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::formats {

/// Reads an allele frequency table (formats.md §1). The layout is detected from the first
/// non-blank line: EuroForMix/STRidER CSV when its first cell is `Allele` (any case) or it
/// holds a comma, else the Familias "list" layout (a marker name line, `allele<TAB>frequency`
/// lines, a blank line between markers). Frequencies and allele labels are kept as written
/// (labels trimmed); amelogenin markers are skipped. A marker whose frequencies do not sum
/// to 1 within 1e-6 gets a warning and is left as it is: normalising is the engine's job.
/// @param fileName names the input in error messages, warnings and `FrequencyTable::source`.
/// Throws: InputError (file, line) for every malformed value, duplicate or missing part.
/// Thread safety: reentrant; `warnings` must not be shared with another thread meanwhile.
FrequencyTable readFrequencies(std::istream& in, const std::string& fileName, Warnings& warnings);

/// Opens `path` and reads it with readFrequencies, naming it by `path`.
/// Throws: InputError when the file cannot be opened (with the system's reason) or is malformed.
FrequencyTable readFrequencyFile(const std::string& path, Warnings& warnings);

}  // namespace kinmatch::formats
