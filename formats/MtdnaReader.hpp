// SPDX-License-Identifier: MIT
#pragma once

// mtDNA haplotypes in text (formats.md §6): the EMPOP-style TSV, EMPOP .emp exports and
// HaploGrep .hsd files. Every row becomes an engine::mt::Haplotype, normalised (mt::normalise),
// so the notations of different labs compare equal. A population database is read the same way.

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/MtHaplotype.hpp"

namespace kinmatch::formats {

enum class MtdnaLayout {
    kAuto,   // from the file: .hsd -> kHsd; .emp -> kTable when its first row is such a header,
             // else kEmpop; anything else -> kTable
    kTable,  // header row required: sample, Range and Haplotype columns (EMPOP-style TSV)
    kHsd,    // HaploGrep: SampleID, Range, Haplogroup, then the variants; header row optional
    kEmpop,  // EMPOP's submission layout (empop.online, "Contribute"): free-text lines (title,
             // geographic origin) up to the first range line `#!<TAB>16024-16365 73-340`, which
             // holds for the haplotypes below it until the next; rows sample, haplogroup,
             // count (how many samples share the haplotype; may be left out), then the variants
};

/// Parses one variant of the notation EMPOP and HaploGrep write: `16069T`, `C16069T`, `16093Y`,
/// `249del` / `249d` / `249-` / `A249del`, `8281-8289del` (a deleted run), `315.1C`, `309.1CC`
/// (309.1C 309.2C). Case is ignored. Appends to `out`.
/// Throws: std::invalid_argument whose message says what is wrong (the caller adds file and line).
void parseMtVariant(std::string_view token, std::vector<engine::mt::Variant>& out);

/// Parses a Range field: `start-end` items separated by `;`, `,` or spaces; a single position
/// is allowed; start > end runs across the origin (16024-576).
/// Throws: std::invalid_argument with the reason.
engine::mt::CoveredRange parseMtRange(std::string_view text);

/// Reads every haplotype of a file. Rows whose first character is `#` and blank rows are skipped
/// (except EMPOP's `#!` range lines). An EMPOP row with a count of n gives n haplotypes, named
/// `ID`, `ID#2` ... `ID#n`, so that a population database counts each sample.
/// Throws: InputError naming file, line and field (bad range, bad variant, a variant outside
/// the range, a duplicate sample, a missing column, no haplotypes at all).
std::vector<engine::mt::Haplotype> readMtdnaHaplotypes(std::istream& in, const std::string& fileName,
                                                       MtdnaLayout layout = MtdnaLayout::kAuto);

/// Opens and reads `path` (layout chosen from its extension).
std::vector<engine::mt::Haplotype> readMtdnaFile(const std::string& path);

}  // namespace kinmatch::formats
