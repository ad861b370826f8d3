// SPDX-License-Identifier: MIT
// The page of one remains: its ranked candidates, each with the family drawing and the
// per-marker comparison that makes up its LR.

#include <cmath>
#include <optional>
#include <string>

#include "formats/HtmlReport.hpp"
#include "formats/MatchTsvWriter.hpp"
#include "formats/PedigreeSvg.hpp"

namespace kinmatch::formats {

namespace {

const char* sexWord(Sex sex) { return sex == Sex::kMale ? "male" : sex == Sex::kFemale ? "female" : "sex unknown"; }

// "exclusion, −∞", "compared, 1.204" or "" when the system was not compared.
std::string systemText(const ReportSystemResult& r) {
    std::string text = r.outcome ? escapeXml(*r.outcome) : std::string();
    if (r.log10Lr) text += (text.empty() ? "" : ", ") + html::log10Text(*r.log10Lr);
    return text;
}

// Machine-readable attributes of a system's result, empty when absent.
std::string systemAttributes(const char* system, const ReportSystemResult& r) {
    std::string text;
    if (r.outcome) text += " data-" + std::string(system) + "-outcome=\"" + escapeXml(*r.outcome) + "\"";
    if (r.log10Lr) text += " data-" + std::string(system) + "-log10-lr=\"" + html::log10Exact(*r.log10Lr) + "\"";
    return text;
}

void appendCandidateTable(const ReportRemains& remains, std::string& page) {
    bool posteriors = false;
    bool decisions = false;
    bool lineage = false;
    for (const auto& c : remains.candidates) {
        posteriors = posteriors || c.posterior.has_value();
        decisions = decisions || !c.decision.empty();
        lineage = lineage || c.hasLineage();
    }
    page += "<table class=\"candidates\">\n<tr><th>rank</th><th>family</th><th>missing person</th><th>log10 "
            "LR</th><th>loci</th><th>inconsistent loci</th>";
    // Only a lineage run splits the LR into systems; an autosomal run's columns stay as they were.
    if (lineage) page += "<th>autosomal log10 LR</th><th>mtDNA</th><th>Y-STR</th>";
    if (posteriors) page += "<th>posterior</th>";
    if (decisions) page += "<th>decision</th>";
    page += "</tr>\n";
    for (std::size_t k = 0; k < remains.candidates.size(); ++k) {
        const auto& c = remains.candidates[k];
        page += "<tr class=\"candidate-row\" data-family=\"" + escapeXml(c.family) + "\" data-missing=\"" +
                escapeXml(c.missing) + "\" data-rank=\"" + std::to_string(c.rank) + "\" data-log10-lr=\"" +
                html::log10Exact(c.log10Lr) + "\"" +
                (c.autosomalLog10Lr ? " data-autosomal-log10-lr=\"" + html::log10Exact(*c.autosomalLog10Lr) + "\""
                                    : std::string()) +
                systemAttributes("mtdna", c.mtdna) + systemAttributes("ystr", c.ystr) +
                (c.posterior ? " data-posterior=\"" + MatchTsvWriter::formatProbability(*c.posterior) + "\""
                             : std::string()) +
                (c.decision.empty() ? std::string() : " data-decision=\"" + escapeXml(c.decision) + "\"") +
                "><td class=\"num\">" + std::to_string(c.rank) + "</td><td>" +
                escapeXml(c.family) + "</td><td><a href=\"#candidate-" + std::to_string(k + 1) + "\">" +
                escapeXml(c.missing) + "</a></td><td class=\"num\">" + html::log10Text(c.log10Lr) +
                "</td><td class=\"num\">" + (c.loci ? std::to_string(*c.loci) : "") + "</td><td class=\"num\">" +
                (c.inconsistentLoci ? std::to_string(*c.inconsistentLoci) : "") + "</td>";
        if (lineage)
            page += "<td class=\"num\">" + (c.autosomalLog10Lr ? html::log10Text(*c.autosomalLog10Lr) : std::string()) +
                    "</td><td>" + systemText(c.mtdna) + "</td><td>" + systemText(c.ystr) + "</td>";
        if (posteriors) page += "<td class=\"num\">" + (c.posterior ? html::probabilityText(*c.posterior) : "") + "</td>";
        if (decisions) page += "<td>" + escapeXml(c.decision) + "</td>";
        page += "</tr>\n";
    }
    page += "</table>\n";
}

void appendMarkerTable(const ReportRemains& remains, const ReportCandidate& c, const ReportPedigree& pedigree,
                       std::string& page) {
    page += "<h3>Markers</h3>\n<table class=\"markers\">\n<tr><th>marker</th><th>remains " + escapeXml(remains.id) +
            "</th>";
    for (const auto& id : c.relatives) {
        std::string sample;
        for (const auto& p : pedigree.persons)
            if (p.id == id) sample = p.sample;
        page += "<th>" + escapeXml(id) + "<br><small>" + escapeXml(sample) + "</small></th>";
    }
    page += "<th>log10 LR</th><th>note</th></tr>\n";
    for (const auto& row : c.markers) {
        const bool excluded = row.log10Lr && std::isinf(*row.log10Lr) && *row.log10Lr < 0;
        std::string rowClass = excluded ? "exclusion" : row.needsMutation ? "mutation" : !row.relativeTyped ? "norelative" : "";
        std::string note;
        if (!row.log10Lr)
            note = "remains untyped: not in the LR";
        else if (excluded)
            note = "exclusion";
        else if (row.needsMutation)
            note = "needs a mutation";
        if (row.log10Lr && !row.relativeTyped)
            note = "no relative typed (LR from the model alone; not counted in loci)";
        page += "<tr class=\"marker-row" + (rowClass.empty() ? "" : " " + rowClass) + "\" data-marker=\"" +
                escapeXml(row.marker) + "\"" +
                (row.log10Lr ? " data-log10-lr=\"" + html::log10Exact(*row.log10Lr) + "\"" : std::string()) + "><td>" +
                escapeXml(row.marker) + "</td><td>" + escapeXml(row.remainsGenotype) + "</td>";
        for (const auto& g : row.relativeGenotypes) page += "<td>" + escapeXml(g) + "</td>";
        page += "<td class=\"num\">" + (row.log10Lr ? html::log10Text(*row.log10Lr) : std::string()) + "</td><td>" +
                note + "</td></tr>\n";
    }
    const bool agrees = markerSumAgrees(c);
    // A lineage run's log10 LR adds the mtDNA and Y-STR parts: the markers make up the autosomal one.
    const std::string reported = c.autosomalLog10Lr ? "reported autosomal log10 LR" : "reported log10 LR";
    page += "<tr class=\"sum\"><td colspan=\"" + std::to_string(2 + c.relatives.size()) +
            "\">sum over the markers typed in the remains</td><td class=\"num\" data-log10-lr=\"" +
            html::log10Exact(c.markerSum) + "\">" + html::log10Text(c.markerSum) + "</td><td>" +
            (agrees ? "equals the " + reported
                    : "<span class=\"warning\">differs from the " + reported + " " +
                          html::log10Text(c.autosomalOrReported()) +
                          ": see the warnings on the index page</span>") +
            "</td></tr>\n</table>\n";
}

// The lineage comparisons: which relative, how far, what differs. mtDNA differences are
// written position:remains/relative base, Y-STR ones locus:steps from the remains.
void appendLineageTable(const ReportCandidate& c, std::string& page) {
    if (c.lineageComparisons.empty()) return;
    page += "<h3>Lineage markers</h3>\n<table class=\"lineage\">\n<tr><th>system</th><th>relative compared</th>"
            "<th>meioses</th><th>outcome</th><th>differences / compared</th><th>differing</th><th>log10 LR</th></tr>\n";
    for (const auto& l : c.lineageComparisons) {
        const bool mtdna = l.system == "mtDNA";
        std::string differing;
        for (const auto& d : l.differing) differing += (differing.empty() ? "" : " ") + escapeXml(d);
        page += std::string("<tr data-system=\"") + (mtdna ? "mtdna" : "ystr") + "\"><td>" + escapeXml(l.system) +
                "</td><td>" +
                (!l.relative.empty()          ? escapeXml(l.relativeId) + " (" + escapeXml(l.relative) + ")"
                 : l.outcome == "not_typed" ? std::string("none: the remains are not typed")
                                            : std::string("none typed on the line")) +
                "</td><td class=\"num\">" + (l.relative.empty() ? std::string() : std::to_string(l.meioses)) +
                "</td><td>" + escapeXml(l.outcome) + "</td><td class=\"num\">" +
                (l.relative.empty() ? std::string()
                                    : std::to_string(l.differences) + " / " + std::to_string(l.compared) +
                                          (mtdna ? " positions" : " loci")) +
                "</td><td class=\"differing\">" + differing + "</td><td class=\"num\">" + html::log10Text(l.log10Lr) +
                "</td></tr>\n";
    }
    page += "</table>\n";
}

}  // namespace

std::string remainsPage(const ReportData& data, std::size_t index) {
    const ReportRemains& remains = data.remains.at(index);
    std::string page = html::pageStart("Remains " + remains.id + " \u2014 kinmatch report");
    page += "<p><a href=\"../index.html\">\u2190 all remains</a></p>\n<h1>Remains <span class=\"remains-id\">" +
            escapeXml(remains.id) + "</span></h1>\n";
    if (remains.candidates.empty()) {
        page += "<p>No candidate was reported for this remains.</p>\n" + html::pageEnd();
        return page;
    }
    page += "<p>" + std::to_string(remains.candidates.size()) +
            " reported candidates, best first. log10 LR: log10 of the likelihood ratio (remains is this missing "
            "person vs unrelated); higher supports identity.</p>\n";
    appendCandidateTable(remains, page);
    for (std::size_t k = 0; k < remains.candidates.size(); ++k) {
        const auto& c = remains.candidates[k];
        const auto& pedigree = data.pedigrees.at(c.pedigree);
        page += "<section class=\"candidate\" id=\"candidate-" + std::to_string(k + 1) + "\">\n<h2>Rank " +
                std::to_string(c.rank) + ": " + escapeXml(c.family) + " / " + escapeXml(c.missing) + "</h2>\n<p>log10 LR " +
                html::log10Text(c.log10Lr);
        if (c.loci) page += ", " + std::to_string(*c.loci) + " loci compared";
        if (c.inconsistentLoci) page += ", " + std::to_string(*c.inconsistentLoci) + " needing a mutation";
        if (c.posterior) page += "; posterior " + html::probabilityText(*c.posterior);
        if (!c.decision.empty()) page += "; decision: <strong>" + escapeXml(c.decision) + "</strong>";
        page += ".</p>\n";
        if (c.hasLineage()) {
            const auto system = [&](const char* id, const char* name, const ReportSystemResult& r) {
                const std::string outcome = r.outcome ? escapeXml(*r.outcome) : r.present() ? "" : "not compared";
                page += "<tr data-system=\"" + std::string(id) + "\"><td>" + name + "</td><td>" + outcome +
                        "</td><td class=\"num\">" + (r.log10Lr ? html::log10Text(*r.log10Lr) : std::string()) +
                        "</td></tr>\n";
            };
            page += "<table class=\"systems\">\n<tr><th>system</th><th>outcome</th><th>log10 LR</th></tr>\n";
            const std::optional<std::string> apart =
                c.autosomalLog10Lr ? std::nullopt : std::optional<std::string>("not given apart");
            system("autosomal", "autosomal STR", {apart, c.autosomalLog10Lr});
            system("mtdna", "mtDNA", c.mtdna);
            system("ystr", "Y-STR", c.ystr);
            page += "<tr class=\"sum\"><td colspan=\"2\">combined (the log10 LR above)</td><td class=\"num\">" +
                    html::log10Text(c.log10Lr) + "</td></tr>\n</table>\n";
        }
        page += "<h3>Family " + escapeXml(c.family) + "</h3>\n";
        for (const auto& p : pedigree.persons)
            if (p.id == c.missing) page += "<p>Missing person " + escapeXml(p.id) + " (" + sexWord(p.sex) + ").</p>\n";
        page += "<p class=\"legend\"><span>&#9633; male, &#9675; female, &#9671; sex unknown</span> <span>filled: "
                "typed relative</span> <span>?: missing person</span> <span style=\"color:#d32f2f\">red: this "
                "candidate</span> <span style=\"color:#c2185b\">magenta: same maternal line (mtDNA)</span> <span "
                "style=\"color:#1565c0\">blue: same paternal line (Y)</span></p>\n<div class=\"pedigree-box\">" +
                pedigreeSvg(pedigree, c.missing) + "</div>\n";
        appendMarkerTable(remains, c, pedigree, page);
        appendLineageTable(c, page);
        page += "</section>\n";
    }
    page += html::pageEnd();
    return page;
}

}  // namespace kinmatch::formats
