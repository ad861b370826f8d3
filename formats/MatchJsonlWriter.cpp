// SPDX-License-Identifier: MIT
#include "formats/MatchJsonlWriter.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "formats/MatchTsvWriter.hpp"

namespace kinmatch::formats {

// Hand-written rather than a JSON library: the writer only emits flat objects of strings and
// numbers, and escaping strings (RFC 8259 §7: quote, backslash, control characters) is the
// whole job. UTF-8 passes through unchanged, as JSON allows.
std::string MatchJsonlWriter::quote(std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += ch;
                }
        }
    }
    return out + "\"";
}

void MatchJsonlWriter::writeRows(std::ostream& out, const std::vector<engine::Candidate>& rows,
                                 const std::vector<engine::Assessment>& assessments,
                                 const std::vector<engine::lineage::PairLineage>* lineageRows) const {
    if (assessments.size() != rows.size()) throw std::logic_error("one assessment per row needed");
    if (lineageRows && lineageRows->size() != rows.size()) throw std::logic_error("one lineage entry per row needed");
    out << "{\"record\":\"header\",\"comments\":[";
    for (std::size_t i = 0; i < comments_.size(); ++i) out << (i ? "," : "") << quote(comments_[i]);
    out << "]}\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& c = rows[i];
        const auto& family = prepared_.families[c.family];
        out << "{\"record\":\"candidate\",\"remains\":" << quote(prepared_.remains[c.remains].name)
            << ",\"family\":" << quote(family.name) << ",\"missing\":" << quote(family.persons[c.missingPerson].id)
            << ",\"log10_lr\":" << (std::isinf(c.log10Lr) ? "null" : MatchTsvWriter::formatLog10(c.log10Lr))
            << ",\"rank\":" << c.rank << ",\"loci\":" << c.loci << ",\"inconsistent_loci\":" << c.inconsistentLoci
            << ",\"posterior\":" << MatchTsvWriter::formatProbability(assessments[i].posterior)
            << ",\"decision\":\"" << engine::decisionName(assessments[i].decision) << '"';
        if (lineageRows) {
            for (const ExtraField& f : lineageFields(*lineage_, c, (*lineageRows)[i])) {
                out << ',' << quote(f.name) << ':';
                switch (f.kind) {
                    case ExtraField::Kind::kText: out << (f.text.empty() ? "null" : quote(f.text)); break;
                    case ExtraField::Kind::kLog10:
                        out << (std::isinf(f.log10) ? "null" : MatchTsvWriter::formatLog10(f.log10));
                        break;
                    case ExtraField::Kind::kCount: out << f.count; break;
                    case ExtraField::Kind::kList:
                        out << '[';
                        for (std::size_t k = 0; k < f.list.size(); ++k) out << (k ? "," : "") << quote(f.list[k]);
                        out << ']';
                        break;
                }
            }
        }
        out << "}\n";
    }
}

void MatchJsonlWriter::write(std::ostream& out) const {
    writeRows(out, result_.candidates, assessments_, lineage_ ? &lineage_->candidates : nullptr);
}

void MatchJsonlWriter::writeByMissingPerson(std::ostream& out) const {
    writeRows(out, result_.byMissingPerson, byMissingAssessments_, lineage_ ? &lineage_->byMissingPerson : nullptr);
}

}  // namespace kinmatch::formats
