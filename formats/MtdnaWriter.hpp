// SPDX-License-Identifier: MIT
#pragma once

// The EMPOP-style mtDNA TSV of spec/formats.md §6, written from engine::mt values. The
// notation is the one formats/MtdnaReader parses, so a written file reads back unchanged.

#include <ostream>
#include <string>
#include <vector>

#include "engine/MtHaplotype.hpp"

namespace kinmatch::formats {

inline constexpr const char* kMtdnaHeader = "SampleName\tRange\tHaplotype\n";

/// One difference in EMPOP notation: `16069T`, `16093Y` (IUPAC heteroplasmy), `249del`,
/// `315.1C`. Throws std::logic_error for a variant no notation can express (position 0,
/// a deletion of an inserted base), which the readers and callers never produce.
std::string formatMtVariant(const engine::mt::Variant& variant);

/// The range as `;`-separated linear `start-end` items. A partial range (at most half the
/// genome) that runs across the origin (covers both 16569 and 1) starts with the item that
/// ends at 16569, as EMPOP and HaploGrep list a control region (`16024-16569;1-576`);
/// otherwise items are in ascending order (`1-149;151-16569`).
/// Origin-crossing pairs are never merged into one `16024-576` item, so tools that read only
/// linear items (HaploGrep's .hsd range) read the same positions. Empty range: "".
std::string formatMtRange(const engine::mt::CoveredRange& range);

/// The differences, space-separated, in the order the range is printed (for a control
/// region: 16xxx first, then 1-576), each position's own base before its insertions.
std::string formatMtVariants(const engine::mt::Haplotype& haplotype);

/// Writes `#` comment lines (each given without its `# `), the header, and one row per
/// haplotype in the given order. Tabs or line breaks inside a sample name would break the
/// row, so they are rejected (kinmatch::Error naming the sample).
void writeMtdnaTsv(std::ostream& out, const std::vector<engine::mt::Haplotype>& haplotypes,
                   const std::vector<std::string>& commentLines);

}  // namespace kinmatch::formats
