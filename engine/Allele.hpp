// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinmatch::engine {

/// Marker names compare case-insensitively after trimming (`vWA` == `VWA`): this is the key.
std::string markerKey(std::string_view name);

/// True for the amelogenin marker, which carries sex, not an STR.
bool isAmelogenin(std::string_view name);

/// The numeric value of an allele label (`9.3` -> 9.3), or nullopt for `X`, `OL`, ...
std::optional<double> tryAlleleNumber(std::string_view label);

/// One spelling per allele so that `09`, `9` and `9.0` are the same allele and `9.30` is `9.3`.
/// Non-numeric labels are trimmed and upper-cased (`ol` == `OL`).
std::string canonicalAllele(std::string_view label);

/// Sorts canonical labels the way the pedsuite does: numerically when every label is a
/// number, otherwise lexically. Returns the permutation (indices into `labels`).
std::vector<int> alleleSortOrder(const std::vector<std::string>& labels);

}  // namespace kinmatch::engine
