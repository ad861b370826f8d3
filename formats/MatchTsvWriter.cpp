// SPDX-License-Identifier: MIT
#include "formats/MatchTsvWriter.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace kinmatch::formats {

std::string MatchTsvWriter::formatLog10(double value) {
    if (std::isnan(value)) throw std::logic_error("log10 LR is NaN");
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    if (value == 0.0) value = 0.0;  // turns -0 into 0
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

std::string MatchTsvWriter::formatProbability(double value) {
    if (!(value >= 0.0 && value <= 1.0)) throw std::logic_error("probability outside [0, 1]");
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

void MatchTsvWriter::writePreamble(std::ostream& out, std::string legend, std::string header) const {
    if (lineage_) {
        legend += lineageLegend(*lineage_);
        for (const auto& name : lineageFieldNames(*lineage_)) header += '\t' + name;
    }
    for (const auto& line : comments_) out << "# " << line << '\n';
    out << "# columns: " << legend << '\n' << header << '\n';
}

void MatchTsvWriter::writeLineageCells(std::ostream& out, const engine::Candidate& candidate,
                                       const std::vector<engine::lineage::PairLineage>& rows, std::size_t i) const {
    if (!lineage_) return;
    if (i >= rows.size()) throw std::logic_error("one lineage entry per row needed");
    for (const ExtraField& f : lineageFields(*lineage_, candidate, rows[i])) {
        out << '\t';
        switch (f.kind) {
            case ExtraField::Kind::kText: out << (f.text.empty() ? "." : f.text); break;
            case ExtraField::Kind::kLog10: out << formatLog10(f.log10); break;
            case ExtraField::Kind::kCount: out << f.count; break;
            case ExtraField::Kind::kList:
                if (f.list.empty()) out << '.';
                for (std::size_t k = 0; k < f.list.size(); ++k) out << (k ? " " : "") << f.list[k];
                break;
        }
    }
}

void MatchTsvWriter::write(std::ostream& out) const {
    writePreamble(out,
                  "remains = remains sample; family, missing = candidate missing person; "
                  "log10_lr = log10 likelihood ratio (remains is this missing person vs unrelated; higher supports "
                  "identity, -inf = excluded); rank = 1 for the best candidate of this remains (ties share a rank); "
                  "loci = markers typed in the remains and in a relative; inconsistent_loci = of those, markers where "
                  "the remains' genotype needs a mutation; posterior = prior*LR / (prior*LR + 1 - prior), this "
                  "missing person or not; decision = identification (LR and posterior at the thresholds, unique rank "
                  "1), candidate, or excluded (LR = 0)",
                  "remains\tfamily\tmissing\tlog10_lr\trank\tloci\tinconsistent_loci\tposterior\tdecision");
    if (assessments_.size() != result_.candidates.size()) throw std::logic_error("one assessment per candidate needed");
    for (std::size_t i = 0; i < result_.candidates.size(); ++i) {
        const auto& c = result_.candidates[i];
        const auto& family = prepared_.families[c.family];
        out << prepared_.remains[c.remains].name << '\t' << family.name << '\t' << family.persons[c.missingPerson].id
            << '\t' << formatLog10(c.log10Lr) << '\t' << c.rank << '\t' << c.loci << '\t' << c.inconsistentLoci << '\t'
            << formatProbability(assessments_[i].posterior) << '\t' << engine::decisionName(assessments_[i].decision);
        if (lineage_) writeLineageCells(out, c, lineage_->candidates, i);
        out << '\n';
    }
}

void MatchTsvWriter::writeByMissingPerson(std::ostream& out) const {
    writePreamble(
        out,
        "family, missing = missing person; remains = candidate remains sample; log10_lr = log10 "
        "likelihood ratio (remains is this missing person vs unrelated; -inf = excluded); rank = 1 for the best "
        "remains of this missing person (ties share a rank); loci = markers typed in the remains and in a "
        "relative; inconsistent_loci = of those, markers where the remains' genotype needs a mutation; "
        "posterior, decision = as in the per-remains output (identification only for the remains' unique rank 1)",
        "family\tmissing\tremains\tlog10_lr\trank\tloci\tinconsistent_loci\tposterior\tdecision");
    if (byMissingAssessments_.size() != result_.byMissingPerson.size())
        throw std::logic_error("one assessment per missing-person row needed");
    for (std::size_t i = 0; i < result_.byMissingPerson.size(); ++i) {
        const auto& c = result_.byMissingPerson[i];
        const auto& family = prepared_.families[c.family];
        out << family.name << '\t' << family.persons[c.missingPerson].id << '\t' << prepared_.remains[c.remains].name
            << '\t' << formatLog10(c.log10Lr) << '\t' << c.rank << '\t' << c.loci << '\t' << c.inconsistentLoci << '\t'
            << formatProbability(byMissingAssessments_[i].posterior) << '\t'
            << engine::decisionName(byMissingAssessments_[i].decision);
        if (lineage_) writeLineageCells(out, c, lineage_->byMissingPerson, i);
        out << '\n';
    }
}

}  // namespace kinmatch::formats
