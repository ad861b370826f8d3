// SPDX-License-Identifier: MIT
#include "formats/PedigreeSvg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kinmatch::formats {

namespace {

constexpr double kSymbol = 30.0;     // side of a square, diameter of a circle
constexpr double kRowHeight = 110.0;  // symbol, two label lines, room for the sibship bar
constexpr double kMargin = 20.0;
constexpr std::size_t kLabelChars = 22;  // longer ids are shortened on the drawing (full id in the tooltip)

const char* const kMaternalColour = "#c2185b";
const char* const kPaternalColour = "#1565c0";
const char* const kFocusColour = "#d32f2f";

// Fixed-point text so the same layout always gives the same bytes.
std::string num(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
    return buffer;
}

const char* sexName(Sex sex) {
    return sex == Sex::kMale ? "male" : sex == Sex::kFemale ? "female" : "unknown";
}

// Shortens to kLabelChars characters without cutting a UTF-8 sequence.
std::string shortLabel(const std::string& id) {
    if (id.size() <= kLabelChars) return id;
    std::size_t cut = kLabelChars - 1;
    while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) --cut;
    return id.substr(0, cut) + "\u2026";
}

struct Layout {
    std::vector<int> father, mother;  // person indices, -1 = founder
    std::vector<int> depth;
    std::vector<double> x;
    std::vector<std::pair<int, int>> couples;  // (father, mother), order of their first child
    int maxDepth = 0;
    double spacing = 0.0;  // between neighbours of a row
};

Layout layOut(const ReportPedigree& pedigree) {
    const std::size_t n = pedigree.persons.size();
    Layout l;
    std::unordered_map<std::string, int> index;
    for (std::size_t i = 0; i < n; ++i) index.emplace(pedigree.persons[i].id, static_cast<int>(i));
    const auto find = [&](const std::string& id) {
        const auto it = index.find(id);
        return id.empty() || it == index.end() ? -1 : it->second;
    };
    l.father.resize(n);
    l.mother.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        l.father[i] = find(pedigree.persons[i].father);
        l.mother[i] = find(pedigree.persons[i].mother);
        if (l.father[i] >= 0 && l.mother[i] >= 0 &&
            std::find(l.couples.begin(), l.couples.end(), std::pair{l.father[i], l.mother[i]}) == l.couples.end())
            l.couples.emplace_back(l.father[i], l.mother[i]);
    }
    // Children below their parents, spouses on one row. Marrying a descendant's line can make
    // these demands circular (a man and his daughter's daughter as parents), so the rounds
    // are capped; the drawing then has a slanted couple line but stays complete.
    l.depth.assign(n, 0);
    for (std::size_t round = 0; round <= n; ++round) {
        bool changed = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (l.father[i] < 0 && l.mother[i] < 0) continue;
            const int below = std::max(l.father[i] >= 0 ? l.depth[l.father[i]] : 0,
                                       l.mother[i] >= 0 ? l.depth[l.mother[i]] : 0) + 1;
            if (l.depth[i] < below) l.depth[i] = below, changed = true;
        }
        for (const auto& [f, m] : l.couples) {
            const int row = std::max(l.depth[f], l.depth[m]);
            if (l.depth[f] != row || l.depth[m] != row) l.depth[f] = l.depth[m] = row, changed = true;
        }
        if (!changed) break;
    }
    for (int d : l.depth) l.maxDepth = std::max(l.maxDepth, d);

    std::vector<std::vector<int>> spouses(n);
    for (const auto& [f, m] : l.couples) spouses[f].push_back(m), spouses[m].push_back(f);
    std::size_t longest = 0;
    for (const auto& p : pedigree.persons) longest = std::max(longest, std::min(p.id.size(), kLabelChars));
    const double spacing = std::max(70.0, 7.0 * static_cast<double>(longest) + 14.0);
    l.spacing = spacing;

    const double unplaced = std::numeric_limits<double>::quiet_NaN();
    l.x.assign(n, unplaced);
    const auto placed = [&](int p) { return p >= 0 && !std::isnan(l.x[p]); };
    const auto parentsMid = [&](int p) { return (l.x[l.father[p]] + l.x[l.mother[p]]) / 2.0; };
    for (int row = 0; row <= l.maxDepth; ++row) {
        // Anchors: persons placed by their parents (everyone on the first row, in file order);
        // each is followed by the founders who married in.
        std::vector<std::pair<double, int>> anchors;
        for (std::size_t i = 0; i < n; ++i) {
            if (l.depth[i] != row) continue;
            const int p = static_cast<int>(i);
            const bool hasParents = placed(l.father[p]) && placed(l.mother[p]);
            if (row == 0 || hasParents) anchors.emplace_back(hasParents && row > 0 ? parentsMid(p) : static_cast<double>(i), p);
        }
        std::stable_sort(anchors.begin(), anchors.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<int> order;
        std::vector<char> emitted(n, 0);
        for (const auto& [key, p] : anchors) {
            if (emitted[p]) continue;
            order.push_back(p), emitted[p] = 1;
            for (int s : spouses[p])
                if (!emitted[s] && l.depth[s] == row && l.father[s] < 0 && l.mother[s] < 0)
                    order.push_back(s), emitted[s] = 1;
        }
        for (std::size_t i = 0; i < n; ++i)
            if (l.depth[i] == row && !emitted[i]) order.push_back(static_cast<int>(i));
        // A sibship is centred under its parents as far as the persons to its left allow.
        // Labels are about `spacing` wide, centred under their symbols.
        double cursor = kMargin + spacing / 2.0 - spacing;
        for (std::size_t k = 0; k < order.size(); ++k) {
            const int p = order[k];
            double desired = cursor + spacing;
            if (row > 0 && placed(l.father[p]) && placed(l.mother[p])) {
                int siblings = 0;
                int position = 0;
                for (std::size_t j = 0; j < order.size(); ++j) {
                    const int q = order[j];
                    if (l.father[q] != l.father[p] || l.mother[q] != l.mother[p]) continue;
                    if (j < k) ++position;
                    ++siblings;
                }
                desired = parentsMid(p) + spacing * (position - (siblings - 1) / 2.0);
            }
            l.x[p] = std::max(cursor + spacing, desired);
            cursor = l.x[p];
        }
    }
    return l;
}

double rowTop(int depth) { return kMargin + kRowHeight * depth; }

}  // namespace

std::string escapeXml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
                    out += "\uFFFD";
                else
                    out += c;
        }
    }
    return out;
}

LineageRelatives lineageRelatives(const ReportPedigree& pedigree, const std::string& focus) {
    std::unordered_map<std::string, const ReportPerson*> byId;
    for (const auto& p : pedigree.persons) byId.emplace(p.id, &p);
    // The founder reached by following one parent up; pedigrees are acyclic (the reader checks).
    const auto founder = [&](const ReportPerson* p, std::string ReportPerson::*parent) {
        for (std::size_t steps = 0; steps <= pedigree.persons.size(); ++steps) {
            const auto it = byId.find(p->*parent);
            if ((p->*parent).empty() || it == byId.end()) break;
            p = it->second;
        }
        return p;
    };
    LineageRelatives lines;
    const auto self = byId.find(focus);
    if (self == byId.end()) return lines;
    const ReportPerson* maternalFounder = founder(self->second, &ReportPerson::mother);
    const ReportPerson* paternalFounder = founder(self->second, &ReportPerson::father);
    for (const auto& p : pedigree.persons) {
        if (p.id == focus) continue;
        if (founder(&p, &ReportPerson::mother) == maternalFounder) lines.maternal.insert(p.id);
        if (self->second->sex != Sex::kFemale && p.sex == Sex::kMale &&
            founder(&p, &ReportPerson::father) == paternalFounder)
            lines.paternal.insert(p.id);
    }
    return lines;
}

std::string pedigreeSvg(const ReportPedigree& pedigree, const std::string& focus) {
    const Layout l = layOut(pedigree);
    const LineageRelatives lines = lineageRelatives(pedigree, focus);
    const auto& persons = pedigree.persons;
    double width = 0.0;
    const double spacing = l.spacing;
    for (double x : l.x) width = std::max(width, x);
    width += spacing / 2.0 + kMargin;  // room for the last label
    const double height = rowTop(l.maxDepth) + kSymbol + 40.0;

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pedigree\" width=\"" + num(width) +
                      "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                      "\" role=\"img\" aria-label=\"Pedigree of family " + escapeXml(pedigree.family) +
                      "\" font-family=\"sans-serif\" font-size=\"11\">\n";
    const auto centreY = [&](int p) { return rowTop(l.depth[p]) + kSymbol / 2.0; };
    const auto inLine = [&](const std::set<std::string>& set, int p) {
        return persons[p].id == focus || set.count(persons[p].id) > 0;
    };

    for (const auto& [f, m] : l.couples) {
        svg += "<line class=\"couple\" data-father=\"" + escapeXml(persons[f].id) + "\" data-mother=\"" +
               escapeXml(persons[m].id) + "\" x1=\"" + num(l.x[f]) + "\" y1=\"" + num(centreY(f)) + "\" x2=\"" +
               num(l.x[m]) + "\" y2=\"" + num(centreY(m)) + "\" stroke=\"#444\" stroke-width=\"1.5\"/>\n";
    }
    for (std::size_t i = 0; i < persons.size(); ++i) {
        const int f = l.father[i];
        const int m = l.mother[i];
        if (f < 0 || m < 0) continue;
        const int c = static_cast<int>(i);
        const double fromX = (l.x[f] + l.x[m]) / 2.0;
        const double fromY = (centreY(f) + centreY(m)) / 2.0;
        const double top = rowTop(l.depth[c]);
        const double bar = top - 22.0;
        const char* colour = "#444";
        double stroke = 1.5;
        if (inLine(lines.maternal, c) && inLine(lines.maternal, m))
            colour = kMaternalColour, stroke = 3.0;
        else if (inLine(lines.paternal, c) && inLine(lines.paternal, f))
            colour = kPaternalColour, stroke = 3.0;
        svg += "<path class=\"descent\" data-father=\"" + escapeXml(persons[f].id) + "\" data-mother=\"" +
               escapeXml(persons[m].id) + "\" data-child=\"" + escapeXml(persons[c].id) + "\" d=\"M" + num(fromX) +
               " " + num(fromY) + " V" + num(std::max(bar, fromY)) + " H" + num(l.x[c]) + " V" + num(top) +
               "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + num(stroke) + "\"/>\n";
    }

    for (std::size_t i = 0; i < persons.size(); ++i) {
        const auto& p = persons[i];
        const int pi = static_cast<int>(i);
        const double x = l.x[pi];
        const double y = rowTop(l.depth[pi]);
        const bool isFocus = p.id == focus;
        const bool maternal = lines.maternal.count(p.id) > 0;
        const bool paternal = lines.paternal.count(p.id) > 0;
        std::string classes = "person";
        if (p.typed()) classes += " typed";
        if (p.missing) classes += " missing";
        if (isFocus) classes += " focus";
        if (maternal) classes += " maternal-line";
        if (paternal) classes += " paternal-line";
        const char* stroke = isFocus ? kFocusColour : maternal ? kMaternalColour : paternal ? kPaternalColour : "#222";
        const std::string paint = std::string(" fill=\"") + (p.typed() ? "#555" : isFocus ? "#ffe5e5" : "#fff") +
                                  "\" stroke=\"" + stroke + "\" stroke-width=\"" +
                                  (isFocus || maternal || paternal ? "3" : "1.5") + "\"";
        std::string tooltip = p.id + " (" + sexName(p.sex) + (p.typed() ? ", typed: " + p.sample : ", untyped") +
                              (p.missing ? ", missing person" : "") + (isFocus ? ", this candidate" : "") +
                              (maternal ? ", maternal line" : "") + (paternal ? ", paternal line" : "") + ")";
        svg += "<g class=\"" + classes + "\" data-id=\"" + escapeXml(p.id) + "\" data-sex=\"" + sexName(p.sex) +
               "\"><title>" + escapeXml(tooltip) + "</title>";
        const double half = kSymbol / 2.0;
        if (p.sex == Sex::kMale)
            svg += "<rect x=\"" + num(x - half) + "\" y=\"" + num(y) + "\" width=\"" + num(kSymbol) + "\" height=\"" +
                   num(kSymbol) + "\"" + paint + "/>";
        else if (p.sex == Sex::kFemale)
            svg += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y + half) + "\" r=\"" + num(half) + "\"" + paint + "/>";
        else
            svg += "<polygon points=\"" + num(x) + "," + num(y) + " " + num(x + half) + "," + num(y + half) + " " +
                   num(x) + "," + num(y + kSymbol) + " " + num(x - half) + "," + num(y + half) + "\"" + paint + "/>";
        if (p.missing)
            svg += "<text x=\"" + num(x) + "\" y=\"" + num(y + half + 5.0) +
                   "\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"" +
                   (isFocus ? kFocusColour : "#222") + "\">?</text>";
        svg += "<text x=\"" + num(x) + "\" y=\"" + num(y + kSymbol + 14.0) + "\" text-anchor=\"middle\"" +
               (isFocus ? " font-weight=\"bold\"" : "") + ">" + escapeXml(shortLabel(p.id)) + "</text>";
        const std::string second = p.typed() ? shortLabel(p.sample) : p.missing ? "missing" : "";
        if (!second.empty())
            svg += "<text x=\"" + num(x) + "\" y=\"" + num(y + kSymbol + 27.0) +
                   "\" text-anchor=\"middle\" fill=\"#666\">" + escapeXml(second) + "</text>";
        svg += "</g>\n";
    }
    svg += "</svg>\n";
    return svg;
}

}  // namespace kinmatch::formats
