// SPDX-License-Identifier: MIT
#include "formats/LineageColumns.hpp"

#include <cmath>
#include <stdexcept>

namespace kinmatch::formats {

namespace {

using Kind = ExtraField::Kind;

ExtraField text(std::string name, std::string value) {
    return {std::move(name), Kind::kText, std::move(value), 0.0, 0, {}};
}
ExtraField log10Field(std::string name, double value) { return {std::move(name), Kind::kLog10, "", value, 0, {}}; }
ExtraField count(std::string name, std::size_t value) {
    return {std::move(name), Kind::kCount, "", 0.0, static_cast<long>(value), {}};
}
ExtraField list(std::string name, std::vector<std::string> value) {
    return {std::move(name), Kind::kList, "", 0.0, 0, std::move(value)};
}

// The same fields for both lineage systems; `compared` names what was compared.
void addDetails(std::vector<ExtraField>& fields, const std::string& system, const char* differencesName,
                const char* comparedName, const engine::lineage::SystemEvidence& evidence) {
    fields.push_back(text(system + "_reference", evidence.reference));
    fields.push_back(count(system + "_meioses", static_cast<std::size_t>(evidence.meioses)));
    fields.push_back(count(system + differencesName, evidence.differences));
    fields.push_back(count(system + comparedName, evidence.compared));
    fields.push_back(list(system + "_differing", evidence.differing));
}

}  // namespace

std::string autosomalOutcome(const engine::Candidate& candidate) {
    if (candidate.loci == 0) return "not_compared";
    return candidate.autosomalLog10Lr == -INFINITY ? "exclusion" : "compared";
}

std::vector<std::string> lineageFieldNames(const LineageRows& rows) {
    const engine::Candidate none;
    engine::lineage::PairLineage lineage;
    if (rows.mtdna) lineage.mtdna.emplace();
    if (rows.ystr) lineage.ystr.emplace();
    std::vector<std::string> names;
    for (const auto& f : lineageFields(rows, none, lineage)) names.push_back(f.name);
    return names;
}

std::vector<ExtraField> lineageFields(const LineageRows& rows, const engine::Candidate& candidate,
                                      const engine::lineage::PairLineage& lineage) {
    if (rows.mtdna != lineage.mtdna.has_value() || rows.ystr != lineage.ystr.has_value())
        throw std::logic_error("lineage row without the run's systems");
    std::vector<ExtraField> fields;
    if (rows.autosomal) {
        fields.push_back(text("autosomal_outcome", autosomalOutcome(candidate)));
        fields.push_back(log10Field("autosomal_log10_lr", candidate.autosomalLog10Lr));
    }
    if (lineage.mtdna) {
        fields.push_back(text("mtdna_outcome", std::string(lineage.mtdna->outcome)));
        fields.push_back(log10Field("mtdna_log10_lr", lineage.mtdna->log10Lr));
    }
    if (lineage.ystr) {
        fields.push_back(text("ystr_outcome", std::string(lineage.ystr->outcome)));
        fields.push_back(log10Field("ystr_log10_lr", lineage.ystr->log10Lr));
    }
    fields.push_back(log10Field("combined_log10_lr", candidate.log10Lr));
    if (lineage.mtdna) addDetails(fields, "mtdna", "_differences", "_compared_positions", *lineage.mtdna);
    if (lineage.ystr) addDetails(fields, "ystr", "_differing_loci", "_compared_loci", *lineage.ystr);
    return fields;
}

std::string lineageLegend(const LineageRows& rows) {
    std::string legend;
    if (rows.autosomal)
        legend += "; autosomal_outcome = compared, exclusion or not_compared (no marker typed in the remains and a "
                  "relative); autosomal_log10_lr = the autosomal STRs' part of log10_lr";
    if (rows.mtdna || rows.ystr)
        legend += "; <system>_outcome = cannot_exclude, inconclusive, exclusion, insufficient_overlap (nothing to "
                  "compare), not_typed (remains without this system) or no_relative (no typed relative on the "
                  "line); <system>_log10_lr = that system's log10 LR (0 unless cannot_exclude, inconclusive or "
                  "exclusion)";
    legend += "; combined_log10_lr = log10_lr, the sum over the systems (taken as independent)";
    if (rows.mtdna)
        legend += "; mtdna_reference = the maternal-line relative compared (the nearest with common positions), "
                  "mtdna_meioses between them and the missing person, mtdna_differences and "
                  "mtdna_compared_positions, mtdna_differing = position:remains/relative bases";
    if (rows.ystr)
        legend += "; ystr_reference = the paternal-line relative compared (the nearest with a common locus), "
                  "ystr_meioses, ystr_differing_loci of ystr_compared_loci, ystr_differing = locus:steps from "
                  "remains to relative per copy";
    return legend;
}

}  // namespace kinmatch::formats
