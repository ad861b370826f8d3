// SPDX-License-Identifier: MIT
#include "engine/MutationModel.hpp"

#include <cmath>
#include <limits>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"

namespace kinmatch::engine {

MutationModelKind decodeMutationModel(std::string_view name) {
    if (name == "none" || name == "trivial") return MutationModelKind::kNone;
    if (name == "equal") return MutationModelKind::kEqual;
    if (name == "proportional") return MutationModelKind::kProportional;
    if (name == "stepwise") return MutationModelKind::kStepwise;
    if (name == "onestep") return MutationModelKind::kOnestep;
    throw UsageError("--mutation-model: unknown model \"" + std::string(name) +
                     "\" (expected none, equal, proportional, stepwise or onestep)");
}

std::string_view mutationModelName(MutationModelKind kind) {
    switch (kind) {
        case MutationModelKind::kNone: return "none";
        case MutationModelKind::kEqual: return "equal";
        case MutationModelKind::kProportional: return "proportional";
        case MutationModelKind::kStepwise: return "stepwise";
        case MutationModelKind::kOnestep: return "onestep";
    }
    return "none";
}

namespace {

void validateOneSex(const MutationParameters& p, const char* sexOption) {
    auto inUnit = [](double v) { return std::isfinite(v) && v >= 0.0 && v <= 1.0; };
    if (!inUnit(p.rate))
        throw UsageError(std::string(sexOption) + ": mutation rate " + std::to_string(p.rate) +
                         " is outside [0,1]");
    if (!inUnit(p.rate2))
        throw UsageError("--mutation-rate2: " + std::to_string(p.rate2) + " is outside [0,1]");
    if (p.kind == MutationModelKind::kStepwise) {
        if (!(std::isfinite(p.range) && p.range > 0.0))
            throw UsageError("--mutation-range: " + std::to_string(p.range) + " must be a number > 0");
        if (p.rate + p.rate2 > 1.0)
            throw UsageError("--mutation-rate + --mutation-rate2 must not exceed 1 for the stepwise model");
    }
}

std::vector<double> identity(std::size_t n) {
    std::vector<double> m(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) m[i * n + i] = 1.0;
    return m;
}

std::vector<double> numericValues(const std::string& marker, const std::vector<std::string>& labels,
                                  const char* model) {
    std::vector<double> x;
    x.reserve(labels.size());
    for (const auto& label : labels) {
        const auto v = tryAlleleNumber(label);
        if (!v)
            throw Error("marker " + marker + ": allele \"" + label + "\" is not a number, which the " + model +
                        " mutation model needs (use --mutation-model equal or proportional for this table)");
        x.push_back(*v);
    }
    return x;
}

std::vector<double> equalMatrix(std::size_t n, double r) {
    std::vector<double> m(n * n, r / static_cast<double>(n - 1));
    for (std::size_t i = 0; i < n; ++i) m[i * n + i] = 1.0 - r;
    return m;
}

std::vector<double> proportionalMatrix(const std::string& marker, const std::vector<double>& p, double r) {
    const std::size_t n = p.size();
    double heterozygosity = 0.0;  // sum p_k (1 - p_k)
    double homozygosity = 0.0;    // sum p_k^2
    double minP = std::numeric_limits<double>::infinity();
    for (double pk : p) {
        heterozygosity += pk * (1.0 - pk);
        homozygosity += pk * pk;
        minP = std::min(minP, pk);
    }
    const double bound = (1.0 - homozygosity) / (1.0 - minP);
    if (r > bound)
        throw Error("marker " + marker + ": proportional mutation rate " + std::to_string(r) +
                    " is above the largest rate this marker's frequencies allow (" + std::to_string(bound) + ")");
    const double a = r / heterozygosity;
    std::vector<double> m(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) m[i * n + j] = i == j ? 1.0 - a * (1.0 - p[i]) : a * p[j];
    return m;
}

std::vector<double> stepwiseMatrix(const std::string& marker, const std::vector<std::string>& labels,
                                   const MutationParameters& params) {
    const std::size_t n = labels.size();
    std::vector<double> x = numericValues(marker, labels, "stepwise");
    std::vector<long> group(n);
    for (std::size_t i = 0; i < n; ++i) {
        // pedmut rounds to 2 decimals, then the microvariant group is the tenths digit
        // relative to the nearest integer; nearbyint rounds half to even like R's round().
        x[i] = std::nearbyint(x[i] * 100.0) / 100.0;
        group[i] = std::lround(std::nearbyint(10.0 * (x[i] - std::nearbyint(x[i]))));
    }
    const double r = params.rate;
    const double r2 = params.rate2;
    std::vector<double> m(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double stepNorm = 0.0;
        std::size_t compatible = 0;
        std::size_t incompatible = 0;
        for (std::size_t k = 0; k < n; ++k) {
            if (k == i) continue;
            if (group[k] == group[i]) {
                stepNorm += std::pow(params.range, std::fabs(x[i] - x[k]));
                ++compatible;
            } else {
                ++incompatible;
            }
        }
        for (std::size_t j = 0; j < n; ++j) {
            if (j == i) continue;
            if (group[j] == group[i])
                m[i * n + j] = r * std::pow(params.range, std::fabs(x[i] - x[j])) / stepNorm;
            else
                m[i * n + j] = r2 / static_cast<double>(incompatible);
        }
        if (incompatible == 0)
            m[i * n + i] = 1.0 - r;
        else if (compatible == 0)
            m[i * n + i] = 1.0 - r2;
        else
            m[i * n + i] = 1.0 - r - r2;
    }
    return m;
}

std::vector<double> onestepMatrix(const std::string& marker, const std::vector<std::string>& labels, double r) {
    const std::size_t n = labels.size();
    const std::vector<double> x = numericValues(marker, labels, "onestep");
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] != std::floor(x[i]))
            throw Error("marker " + marker + ": allele \"" + labels[i] +
                        "\" is a microvariant, which the onestep mutation model does not allow "
                        "(use --mutation-model stepwise)");
    std::vector<double> m(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t neighbours = 0;
        for (std::size_t j = 0; j < n; ++j) neighbours += std::fabs(x[j] - x[i]) == 1.0;
        if (neighbours == 0) {
            m[i * n + i] = 1.0;
            continue;
        }
        m[i * n + i] = 1.0 - r;
        for (std::size_t j = 0; j < n; ++j)
            if (std::fabs(x[j] - x[i]) == 1.0) m[i * n + j] = r / static_cast<double>(neighbours);
    }
    return m;
}

}  // namespace

void validateMutationModel(const MutationModel& model) {
    validateOneSex(model.female, "--mutation-rate-female");
    validateOneSex(model.male, "--mutation-rate-male");
}

std::vector<double> buildMutationMatrix(const MutationParameters& params, const std::string& markerName,
                                        const std::vector<std::string>& labels,
                                        const std::vector<double>& frequencies) {
    const std::size_t n = labels.size();
    if (n <= 1 || params.kind == MutationModelKind::kNone) return identity(n);
    switch (params.kind) {
        case MutationModelKind::kEqual: return equalMatrix(n, params.rate);
        case MutationModelKind::kProportional: return proportionalMatrix(markerName, frequencies, params.rate);
        case MutationModelKind::kStepwise: return stepwiseMatrix(markerName, labels, params);
        case MutationModelKind::kOnestep: return onestepMatrix(markerName, labels, params.rate);
        case MutationModelKind::kNone: break;
    }
    return identity(n);
}

}  // namespace kinmatch::engine
