// SPDX-License-Identifier: MIT
#pragma once

// The columns of the long profile layout (formats.md §2), shared by the STR profile reader
// and the Y-STR reader: both accept `SampleName,Marker,Allele1,Allele2,...` and GeneMapper's
// `Sample Name, Marker, Allele 1, ...` alike.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/CaseInput.hpp"

namespace kinmatch::formats {

struct ProfileColumns {
    std::size_t sample = 0;
    std::size_t marker = 0;
    std::vector<std::size_t> alleles;  // in AlleleN order
    std::size_t width = 0;             // header cells, without trailing empty padding
};

/// Finds the sample, marker and AlleleN columns: `Sample Name`, `sample_name` and
/// `SampleName` are the same column, case does not matter.
/// Throws: InputError at `pos` for a missing or repeated column; `expected` ends the message.
ProfileColumns decodeProfileHeader(const std::vector<std::string>& header, const SourcePos& pos,
                                   std::string_view expected);

/// The cell of column `col`, empty when the row is shorter.
inline std::string_view cellAt(const std::vector<std::string_view>& cells, std::size_t col) {
    return col < cells.size() ? cells[col] : std::string_view();
}

}  // namespace kinmatch::formats
