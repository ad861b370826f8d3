// SPDX-License-Identifier: MIT
#include "formats/HtmlReport.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <system_error>
#include <vector>

#include "engine/Errors.hpp"
#include "formats/MatchTsvWriter.hpp"
#include "formats/PedigreeSvg.hpp"

namespace kinmatch::formats {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kLongestPageStem = 180;  // leaves room under the usual 255-byte name limit

const char* const kStyle = R"(
body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1400px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0 1em 0; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .hash { font-family: monospace; font-size: 0.9em; word-break: break-all; }
.warning { color: #8a4b00; } .warnings li { margin: 0.2em 0; }
tr.mutation td { background: #fff4d6; } tr.exclusion td { background: #fde0e0; }
tr.norelative td { color: #777; } tr.sum td { font-weight: bold; border-top: 2px solid #888; }
.candidate { border-top: 1px solid #bbb; margin-top: 2em; }
.legend span { margin-right: 1.5em; white-space: nowrap; }
.pedigree-box { overflow-x: auto; }
)";

std::string exactNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

void writeWholeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw Error(path.string() + ": could not be written (" + std::strerror(errno) + ")");
}

// Removes a temporary report unless it was committed.
struct TemporaryDirectory {
    fs::path path;
    bool keep = false;
    ~TemporaryDirectory() {
        if (keep || path.empty()) return;
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

fs::path makeTemporaryBeside(const fs::path& target, const char* kind) {
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string pattern = (parent / ("." + target.filename().string() + "." + kind + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr)
        throw Error(target.string() + ": cannot create a temporary directory beside it (" + std::strerror(errno) + ")");
    return pattern;
}

void renameOrThrow(const fs::path& from, const fs::path& to) {
    if (std::rename(from.c_str(), to.c_str()) != 0)
        throw Error(to.string() + ": cannot move the report into place (" + std::strerror(errno) + ")");
}

void appendRunTable(const ReportData& data, std::string& page) {
    const auto row = [&](const std::string& name, const std::string& value, bool code = false) {
        page += "<tr><th>" + escapeXml(name) + "</th><td>" + (code ? "<code>" : "") + escapeXml(value) +
                (code ? "</code>" : "") + "</td></tr>\n";
    };
    page += "<h2>Run</h2>\n<table class=\"run\">\n";
    row("results made by", data.run.version.empty() ? "(not recorded)" : data.run.version);
    if (!data.run.commandLine.empty()) row("command", data.run.commandLine, true);
    for (const auto& [name, value] : data.run.parameters) row(name.empty() ? "note" : name, value);
    row("report made by", data.run.reportVersion);
    if (!data.run.reportCommandLine.empty()) row("report command", data.run.reportCommandLine, true);
    page += "</table>\n<h2>Inputs</h2>\n<table class=\"inputs\">\n<tr><th>role</th><th>file</th><th>SHA-256</th></tr>\n";
    for (const auto& input : data.run.inputs)
        page += "<tr><td>" + escapeXml(input.role) + "</td><td><code>" + escapeXml(input.path) +
                "</code></td><td class=\"hash\">" + (input.sha256.empty() ? "unknown" : escapeXml(input.sha256)) +
                "</td></tr>\n";
    page += "</table>\n";
}

void appendWarnings(const std::string& title, const std::vector<std::string>& warnings, std::string& page) {
    if (warnings.empty()) return;
    page += "<h2>" + title + "</h2>\n<ul class=\"warnings\">\n";
    for (const auto& w : warnings) page += "<li class=\"warning\">" + escapeXml(w) + "</li>\n";
    page += "</ul>\n";
}

}  // namespace

namespace html {

std::string pageStart(const std::string& title) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escapeXml(title) +
           "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
}

std::string pageEnd() { return "</body>\n</html>\n"; }

std::string log10Text(double value) {
    if (std::isinf(value)) return value < 0 ? "\u2212\u221e" : "\u221e";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.3f", value == 0.0 ? 0.0 : value);
    return buffer;
}

std::string log10Exact(double value) { return MatchTsvWriter::formatLog10(value); }

std::string probabilityText(double value) {
    char buffer[64];
    // Six significant digits would print 0.99999999998 as "1", which a reviewer reads as
    // certainty; near 1 the distance from 1 is what tells posteriors apart.
    if (value >= 0.9999995 && value < 1.0)
        std::snprintf(buffer, sizeof buffer, "1 \u2212 %.3g", 1.0 - value);
    else if (value == 1.0)
        std::snprintf(buffer, sizeof buffer, "1 \u2212 &lt;1e-16");
    else
        std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

}  // namespace html

std::string remainsPageName(const std::string& id, std::size_t ordinal) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string stem;
    for (const char c : id) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                           c == '-';
        if (plain) {
            if (stem.size() + 1 > kLongestPageStem) return stem + "~~" + std::to_string(ordinal) + ".html";
            stem += c;
        } else {
            if (stem.size() + 3 > kLongestPageStem) return stem + "~~" + std::to_string(ordinal) + ".html";
            stem += '~';
            stem += kHex[byte >> 4];
            stem += kHex[byte & 0xF];
        }
    }
    return (stem.empty() ? "~" : stem) + ".html";  // "~" alone: the empty id, which no encoding yields
}

std::string lrDistributionSvg(const ReportData& data) {
    std::vector<double> best;
    std::vector<double> other;
    std::size_t excludedBest = 0;
    std::size_t excludedOther = 0;
    for (const auto& r : data.remains)
        for (const auto& c : r.candidates) {
            const bool isBest = c.rank == 1;
            if (std::isinf(c.log10Lr))
                ++(isBest ? excludedBest : excludedOther);
            else
                (isBest ? best : other).push_back(c.log10Lr);
        }
    double low = 0.0;
    double high = 1.0;
    if (!best.empty() || !other.empty()) {
        low = std::numeric_limits<double>::infinity();
        high = -low;
        for (const auto* values : {&best, &other})
            for (double v : *values) low = std::min(low, v), high = std::max(high, v);
        low = std::floor(low);
        high = std::max(std::ceil(high), low + 1.0);
    }
    // Whole log10 units per bin (one order of magnitude of LR), fewer bins for wide ranges.
    const double binWidth = std::max(1.0, std::ceil((high - low) / 60.0));
    const std::size_t bins = static_cast<std::size_t>(std::ceil((high - low) / binWidth));
    high = low + binWidth * static_cast<double>(bins);
    std::vector<std::size_t> bestCount(bins, 0), otherCount(bins, 0);
    const auto binOf = [&](double v) {
        return std::min(bins - 1, static_cast<std::size_t>(std::floor((v - low) / binWidth)));
    };
    for (double v : best) ++bestCount[binOf(v)];
    for (double v : other) ++otherCount[binOf(v)];
    std::size_t tallest = 1;
    for (std::size_t b = 0; b < bins; ++b) tallest = std::max(tallest, bestCount[b] + otherCount[b]);

    const double plotLeft = 60.0, plotTop = 20.0, plotHeight = 220.0;
    const double barWidth = std::max(8.0, std::min(40.0, 720.0 / static_cast<double>(bins)));
    const double plotWidth = barWidth * static_cast<double>(bins);
    const double width = plotLeft + plotWidth + 30.0, height = plotTop + plotHeight + 70.0;
    const auto xOf = [&](double v) { return plotLeft + (v - low) / binWidth * barWidth; };
    const auto yOf = [&](double count) { return plotTop + plotHeight * (1.0 - count / static_cast<double>(tallest)); };
    const auto n = [](double v) { return exactNumber(std::round(v * 10.0) / 10.0); };

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lr-distribution\" width=\"" + n(width) +
                      "\" height=\"" + n(height) + "\" viewBox=\"0 0 " + n(width) + " " + n(height) +
                      "\" role=\"img\" aria-label=\"Distribution of reported log10 LRs\" font-family=\"sans-serif\" "
                      "font-size=\"11\" data-excluded-best=\"" + std::to_string(excludedBest) +
                      "\" data-excluded-other=\"" + std::to_string(excludedOther) + "\">\n";
    for (std::size_t b = 0; b < bins; ++b) {
        const double x = xOf(low + binWidth * static_cast<double>(b));
        svg += "<g class=\"bin\" data-low=\"" + exactNumber(low + binWidth * static_cast<double>(b)) +
               "\" data-high=\"" + exactNumber(low + binWidth * static_cast<double>(b + 1)) + "\" data-best=\"" +
               std::to_string(bestCount[b]) + "\" data-other=\"" + std::to_string(otherCount[b]) + "\">";
        const double total = static_cast<double>(bestCount[b] + otherCount[b]);
        if (otherCount[b] > 0)
            svg += "<rect x=\"" + n(x + 1) + "\" y=\"" + n(yOf(total)) + "\" width=\"" + n(barWidth - 2) +
                   "\" height=\"" + n(yOf(static_cast<double>(bestCount[b])) - yOf(total)) + "\" fill=\"#9e9e9e\"/>";
        if (bestCount[b] > 0)
            svg += "<rect x=\"" + n(x + 1) + "\" y=\"" + n(yOf(static_cast<double>(bestCount[b]))) + "\" width=\"" +
                   n(barWidth - 2) + "\" height=\"" + n(plotTop + plotHeight - yOf(static_cast<double>(bestCount[b]))) +
                   "\" fill=\"#1976d2\"/>";
        svg += "</g>\n";
    }
    // Axes: x in log10 units, so equal distances are equal LR ratios; ticks every few units.
    const double axisY = plotTop + plotHeight;
    svg += "<line x1=\"" + n(plotLeft) + "\" y1=\"" + n(axisY) + "\" x2=\"" + n(plotLeft + plotWidth) + "\" y2=\"" +
           n(axisY) + "\" stroke=\"#222\"/>\n<line x1=\"" + n(plotLeft) + "\" y1=\"" + n(plotTop) + "\" x2=\"" +
           n(plotLeft) + "\" y2=\"" + n(axisY) + "\" stroke=\"#222\"/>\n";
    const double tickStep = binWidth * std::max(1.0, std::ceil(static_cast<double>(bins) / 12.0));
    for (double t = low; t <= high + 1e-9; t += tickStep) {
        svg += "<g class=\"tick\" data-log10=\"" + exactNumber(t) + "\"><line x1=\"" + n(xOf(t)) + "\" y1=\"" +
               n(axisY) + "\" x2=\"" + n(xOf(t)) + "\" y2=\"" + n(axisY + 5) + "\" stroke=\"#222\"/><text x=\"" +
               n(xOf(t)) + "\" y=\"" + n(axisY + 19) + "\" text-anchor=\"middle\">10<tspan dy=\"-5\" font-size=\"9\">" +
               exactNumber(t) + "</tspan></text></g>\n";
    }
    if (low < 0.0 && high > 0.0)
        svg += "<line class=\"lr-one\" x1=\"" + n(xOf(0.0)) + "\" y1=\"" + n(plotTop) + "\" x2=\"" + n(xOf(0.0)) +
               "\" y2=\"" + n(axisY) + "\" stroke=\"#d32f2f\" stroke-dasharray=\"4 3\"/>\n";
    svg += "<text x=\"" + n(plotLeft - 6) + "\" y=\"" + n(plotTop + 4) + "\" text-anchor=\"end\">" +
           std::to_string(tallest) + "</text><text x=\"" + n(plotLeft - 6) + "\" y=\"" + n(axisY) +
           "\" text-anchor=\"end\">0</text>\n<text x=\"" + n(plotLeft + plotWidth / 2) + "\" y=\"" + n(axisY + 40) +
           "\" text-anchor=\"middle\">LR (log scale; dashed line: LR = 1)</text>\n<text x=\"" + n(plotLeft) +
           "\" y=\"" + n(axisY + 58) + "\">excluded (LR = 0): " + std::to_string(excludedBest + excludedOther) +
           "</text>\n</svg>\n";
    return svg;
}

std::string indexPage(const ReportData& data) {
    bool posteriors = false;
    bool decisions = false;
    std::size_t pairs = 0;
    std::size_t withCandidates = 0;
    for (const auto& r : data.remains) {
        pairs += r.candidates.size();
        withCandidates += r.candidates.empty() ? 0 : 1;
        for (const auto& c : r.candidates) {
            posteriors = posteriors || c.posterior.has_value();
            decisions = decisions || !c.decision.empty();
        }
    }
    std::string page = html::pageStart("kinmatch identification report");
    page += "<h1>kinmatch identification report</h1>\n<p class=\"summary\">" + std::to_string(data.remains.size()) +
            " remains, " + std::to_string(withCandidates) + " with candidates; " + std::to_string(pairs) +
            " reported (remains, missing person) pairs from " + std::to_string(data.pedigrees.size()) +
            " families. log10 LR: log10 of the likelihood ratio (remains is this missing person vs unrelated), "
            "summed over the markers typed in the remains; rank 1 is the best candidate of a remains.</p>\n";
    appendRunTable(data, page);
    appendWarnings("Warnings of the run", data.runWarnings, page);
    appendWarnings("Warnings of the report", data.reportWarnings, page);
    page += "<h2>Distribution of reported log10 LRs</h2>\n<p class=\"legend\"><span style=\"color:#1976d2\">&#9632; "
            "best candidate (rank 1)</span> <span style=\"color:#9e9e9e\">&#9632; other reported candidates</span></p>\n";
    page += lrDistributionSvg(data);
    page += "<h2>Remains</h2>\n<table class=\"remains\">\n<tr><th>remains</th><th>candidates</th><th>best "
            "candidate</th><th>log10 LR</th><th>loci</th><th>inconsistent loci</th>";
    if (posteriors) page += "<th>posterior</th>";
    if (decisions) page += "<th>decision</th>";
    page += "</tr>\n";
    for (std::size_t i = 0; i < data.remains.size(); ++i) {
        const auto& r = data.remains[i];
        page += "<tr data-remains=\"" + escapeXml(r.id) + "\"><td><a href=\"remains/" + remainsPageName(r.id, i) +
                "\">" + escapeXml(r.id) + "</a></td><td class=\"num\">" + std::to_string(r.candidates.size()) + "</td>";
        if (r.candidates.empty()) {
            page += "<td colspan=\"" + std::to_string(4 + (posteriors ? 1 : 0) + (decisions ? 1 : 0)) +
                    "\">no candidate reported</td></tr>\n";
            continue;
        }
        const auto& c = r.candidates.front();
        std::size_t tied = 0;
        for (const auto& other : r.candidates) tied += other.rank == c.rank ? 1 : 0;
        page += "<td>" + escapeXml(c.family) + " / " + escapeXml(c.missing) +
                (tied > 1 ? " <span class=\"warning\">(tied with " + std::to_string(tied - 1) + " more)</span>" : "") +
                "</td><td class=\"num\" data-log10-lr=\"" + html::log10Exact(c.log10Lr) + "\">" +
                html::log10Text(c.log10Lr) + "</td><td class=\"num\">" + (c.loci ? std::to_string(*c.loci) : "") +
                "</td><td class=\"num\">" + (c.inconsistentLoci ? std::to_string(*c.inconsistentLoci) : "") + "</td>";
        if (posteriors) page += "<td class=\"num\">" + (c.posterior ? html::probabilityText(*c.posterior) : "") + "</td>";
        if (decisions) page += "<td>" + escapeXml(c.decision) + "</td>";
        page += "</tr>\n";
    }
    page += "</table>\n" + html::pageEnd();
    return page;
}

void writeHtmlReport(const ReportData& data, const fs::path& target, bool replace) {
    // "out/" names the directory "out": its temporary sibling must not land inside it.
    const fs::path directory = target.filename().empty() ? target.parent_path() : target;
    std::error_code error;
    const bool exists = fs::exists(directory, error);
    bool occupied = false;
    if (exists) {
        if (!fs::is_directory(directory, error)) throw Error(directory.string() + ": exists and is not a directory");
        occupied = !fs::is_empty(directory, error);
        if (occupied && !replace)
            throw Error(directory.string() + ": directory is not empty (use --force to replace a previous report)");
        if (occupied && !fs::exists(directory / "index.html", error))
            throw Error(directory.string() +
                        ": not replaced: it holds no index.html, so it is no kinmatch report (choose another directory)");
    }
    TemporaryDirectory temporary{makeTemporaryBeside(directory, "tmp")};
    fs::create_directory(temporary.path / "remains", error);
    if (error) throw Error((temporary.path / "remains").string() + ": cannot create (" + error.message() + ")");
    writeWholeFile(temporary.path / "index.html", indexPage(data));
    for (std::size_t i = 0; i < data.remains.size(); ++i)
        writeWholeFile(temporary.path / "remains" / remainsPageName(data.remains[i].id, i), remainsPage(data, i));

    if (!exists) {
        renameOrThrow(temporary.path, directory);
    } else if (!occupied) {
        // rename(2) replaces an empty directory in one step.
        renameOrThrow(temporary.path, directory);
    } else {
        // The old report moves aside first, so at every moment one whole report is in place
        // or being swapped; it is deleted only once the new one is there.
        TemporaryDirectory old{makeTemporaryBeside(directory, "old")};
        renameOrThrow(directory, old.path);
        try {
            renameOrThrow(temporary.path, directory);
        } catch (...) {
            std::rename(old.path.c_str(), directory.c_str());
            old.keep = true;
            throw;
        }
    }
    temporary.keep = true;
}

}  // namespace kinmatch::formats
