// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "formats/ReportData.hpp"

namespace kinmatch::formats {

/// Writes a static HTML report: `directory/index.html` (run summary, inputs with checksums,
/// parameters, warnings, the LR distribution plot, every remains with its best candidate)
/// and `directory/remains/<page>.html` for each remains (its ranked candidates, each with
/// the pedigree drawing, per-marker genotypes and log10 LRs, posterior and decision when
/// known). Pages are plain HTML with inline CSS and inline SVG: no script, no external
/// resource, so they open from a file system or an offline archive.
///
/// The report is written into a temporary directory beside `directory` and renamed into
/// place when complete, so a failed run leaves no half-written report. An existing
/// non-empty `directory` is refused, unless `replace` is set and it holds a previous report
/// (an index.html), which is then replaced as a whole.
///
/// Throws: Error naming the directory when it cannot be written or is refused.
void writeHtmlReport(const ReportData& data, const std::filesystem::path& directory, bool replace);

/// The file name (in `remains/`) of a remains' page: the id with every byte outside
/// [A-Za-z0-9_-] written as `~XX` (hex), so any id gives a safe, distinct name that needs
/// no escaping in a link; ids that would give over 180 bytes are cut and numbered by
/// `ordinal` (`~~N`), which no encoded id can contain.
std::string remainsPageName(const std::string& id, std::size_t ordinal);

/// The pages as text, for tests and for writers of other sources.
std::string indexPage(const ReportData& data);
std::string remainsPage(const ReportData& data, std::size_t remains);

/// The histogram of the reported log10 LRs (rank 1 and other candidates stacked) as inline
/// SVG, on a true-scale log10 axis (ticks labelled 10^k); exclusions are counted apart.
/// Every bin is a `<g class="bin" data-low data-high data-best data-other>`.
std::string lrDistributionSvg(const ReportData& data);

namespace html {

/// The shared start of every page (doctype, title, inline style) up to and including <body>.
std::string pageStart(const std::string& title);
std::string pageEnd();
/// log10 LR for reading: three decimals, "−∞" for an exclusion.
std::string log10Text(double value);
/// The exact value for machine reading (as in the results TSV: 15 significant digits, -inf).
std::string log10Exact(double value);
std::string probabilityText(double value);

}  // namespace html

}  // namespace kinmatch::formats
