// SPDX-License-Identifier: MIT
#include "formats/MtdnaWriter.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/Errors.hpp"

namespace kinmatch::formats {

namespace mt = engine::mt;

std::string formatMtVariant(const mt::Variant& variant) {
    if (variant.position < 1 || variant.position > mt::kGenomeLength)
        throw std::logic_error("mtDNA variant at position " + std::to_string(variant.position) +
                               " is outside 1.." + std::to_string(mt::kGenomeLength));
    std::string text = std::to_string(variant.position);
    if (variant.insertion > 0) {
        if (variant.base == '-')
            throw std::logic_error("mtDNA variant " + text + "." + std::to_string(variant.insertion) +
                                   " deletes an inserted base");
        text += '.';
        text += std::to_string(variant.insertion);
        text += variant.base;
    } else if (variant.base == '-') {
        text += "del";
    } else {
        text += variant.base;
    }
    return text;
}

namespace {

// Index of the first interval to print: the one ending at the genome's last position when the
// range also starts at position 1 and covers at most half the genome, so a control region
// reads 16024-16569;1-576 while a whole genome with a few gaps still reads 1-149;151-16569.
std::size_t firstPrintedInterval(const std::vector<mt::Interval>& intervals) {
    if (intervals.size() < 2) return 0;
    if (intervals.front().first != 1 || intervals.back().last != mt::kGenomeLength) return 0;
    std::size_t covered = 0;
    for (const auto& i : intervals) covered += static_cast<std::size_t>(i.last - i.first + 1);
    return covered <= mt::kGenomeLength / 2 ? intervals.size() - 1 : 0;
}

}  // namespace

std::string formatMtRange(const mt::CoveredRange& range) {
    const auto& intervals = range.intervals();
    const std::size_t start = firstPrintedInterval(intervals);
    std::string text;
    for (std::size_t k = 0; k < intervals.size(); ++k) {
        const mt::Interval& i = intervals[(start + k) % intervals.size()];
        if (!text.empty()) text += ';';
        text += std::to_string(i.first);
        text += '-';
        text += std::to_string(i.last);
    }
    return text;
}

std::string formatMtVariants(const mt::Haplotype& haplotype) {
    const auto& intervals = haplotype.range.intervals();
    const std::size_t start = firstPrintedInterval(intervals);
    // Variants at or after the first printed interval's start come first; sorting by
    // (position, insertion) inside each part keeps a base before its insertions.
    const int split = start == 0 ? 0 : intervals[start].first;
    std::vector<mt::Variant> ordered = haplotype.variants;
    std::stable_sort(ordered.begin(), ordered.end(), [split](const mt::Variant& a, const mt::Variant& b) {
        const bool aFirst = a.position >= split;
        const bool bFirst = b.position >= split;
        if (aFirst != bFirst) return aFirst;
        return a < b;
    });
    std::string text;
    for (const auto& v : ordered) {
        if (!text.empty()) text += ' ';
        text += formatMtVariant(v);
    }
    return text;
}

void writeMtdnaTsv(std::ostream& out, const std::vector<mt::Haplotype>& haplotypes,
                   const std::vector<std::string>& commentLines) {
    for (const auto& line : commentLines) out << "# " << line << '\n';
    out << kMtdnaHeader;
    std::string row;
    for (const auto& h : haplotypes) {
        if (h.sample.find_first_of("\t\r\n") != std::string::npos)
            throw Error("sample name \"" + h.sample + "\" contains a tab or line break");
        row.clear();
        row += h.sample;
        row += '\t';
        row += formatMtRange(h.range);
        row += '\t';
        row += formatMtVariants(h);
        row += '\n';
        out << row;
    }
}

}  // namespace kinmatch::formats
