// SPDX-License-Identifier: MIT
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "formats/ReportData.hpp"

namespace kinmatch::formats {

/// The persons who share a lineage marker with `focus` (not `focus` itself): `maternal`
/// have the same maternal-line founder (following mothers up), so the same mtDNA; `paternal`
/// are males with the same paternal-line founder (following fathers up), so the same Y
/// chromosome, and is empty when `focus` is female (she has no Y line).
struct LineageRelatives {
    std::set<std::string> maternal;
    std::set<std::string> paternal;
};
LineageRelatives lineageRelatives(const ReportPedigree& pedigree, const std::string& focus);

/// Draws a pedigree as a standalone SVG element: one row per generation (a child sits below
/// both its parents; a founder who married in sits beside the spouse), couples joined by a
/// horizontal line, a line from each couple down to each child. Squares are males, circles
/// females, diamonds unknown sex; typed persons are filled, missing persons carry a "?",
/// `focus` (the candidate missing person) is outlined in red, and its maternal / paternal
/// line relatives in magenta / blue. Placeholder founders look like any untyped person.
///
/// Every person is a `<g class="person ..." data-id data-sex>` and every line carries the ids
/// it joins (`data-father data-mother`, plus `data-child` on descent lines), so the drawing
/// can be checked by reading the text. The output depends only on the arguments (same input,
/// same bytes); all ids are escaped.
///
/// Thread safety: pure function.
std::string pedigreeSvg(const ReportPedigree& pedigree, const std::string& focus);

/// `text` safe inside XML/HTML text and double- or single-quoted attributes: & < > " ' are
/// escaped and control characters (invalid in XML) become U+FFFD.
std::string escapeXml(std::string_view text);

}  // namespace kinmatch::formats
