// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "engine/Case.hpp"

namespace kinmatch::test {

struct RandomCaseOptions {
    int families = 60;
    int remains = 40;
    int markers = 6;
    std::uint64_t seed = 1;
    bool reverseFamilies = false;  // same case, families listed in the opposite order
};

/// A made-up case built to stress ranking: few alleles whose frequencies come in near-equal
/// pairs (LRs closer than the int16 screening resolution), families repeated under another
/// name (exact ties), parent-child, sibling, grandparent and two-missing-person shapes,
/// remains partly related, partly typed.
engine::PreparedCase makeRandomCase(const RandomCaseOptions& options);

}  // namespace kinmatch::test
