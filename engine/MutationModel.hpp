// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kinmatch::engine {

/// The mutation models of ../shared/spec/mutation-models.md (pedmut 0.9.1 definitions).
enum class MutationModelKind { kNone, kEqual, kProportional, kStepwise, kOnestep };

/// Parses `none`, `equal`, `proportional`, `stepwise`, `onestep`. Throws: UsageError.
MutationModelKind decodeMutationModel(std::string_view name);
std::string_view mutationModelName(MutationModelKind kind);

/// Parameters of one sex's model. `rate2` and `range` are used by `stepwise` only.
struct MutationParameters {
    MutationModelKind kind = MutationModelKind::kNone;
    double rate = 0.0;    // r: per-meiosis mutation probability
    double rate2 = 0.0;   // r2: probability of a change of microvariant group (stepwise)
    double range = 0.5;   // R: relative probability of one more step (stepwise)
};

/// The model of a run: maternal transmissions use `female`, paternal ones `male`.
struct MutationModel {
    MutationParameters female;
    MutationParameters male;
    bool isNone() const noexcept {
        return female.kind == MutationModelKind::kNone && male.kind == MutationModelKind::kNone;
    }
};

/// Checks the ranges the models need whatever the marker (rates in [0,1], r + r2 <= 1,
/// range > 0). Throws: UsageError naming the option.
void validateMutationModel(const MutationModel& model);

/// n x n row-major matrix, M[i*n + j] = P(transmitted allele j | parental allele i), over
/// the marker's database alleles in their sorted order. `labels` are canonical allele labels,
/// `frequencies` the (normalised) frequencies used by `proportional`.
/// Throws: Error naming the marker when the model is undefined for it (non-numeric alleles
/// for stepwise/onestep, a proportional rate above its bound).
std::vector<double> buildMutationMatrix(const MutationParameters& params, const std::string& markerName,
                                        const std::vector<std::string>& labels,
                                        const std::vector<double>& frequencies);

}  // namespace kinmatch::engine
