// SPDX-License-Identifier: MIT
#pragma once

// What several test files need alike: the bundled NorSTR East Asian frequency table, the
// binomial sum every Clopper-Pearson bound is checked against, a sample-by-sample check
// that mtDNA haplotypes read back from a file are the ones written, and the same for parsed
// STR profiles.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

#include "engine/CaseInput.hpp"
#include "engine/MtHaplotype.hpp"
#include "engine/Warnings.hpp"
#include "formats/FrequencyReader.hpp"
#include "tests/support/RunKinmatch.hpp"

namespace kinmatch::test {

/// tests/data/frequencies/norstr-east-asia-2023.csv, read once.
inline const FrequencyTable& norstr() {
    static const FrequencyTable table = [] {
        Warnings warnings;
        return formats::readFrequencyFile((testDataDir() / "frequencies" / "norstr-east-asia-2023.csv").string(),
                                          warnings);
    }();
    return table;
}

/// The same profiles, field by field, source positions included (the chunked and streamed
/// profile readers against the serial one).
inline void requireSameProfiles(const std::vector<Profile>& actual, const std::vector<Profile>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const Profile& x = actual[i];
        const Profile& y = expected[i];
        INFO("profile " << i << " " << y.sampleName);
        REQUIRE(x.sampleName == y.sampleName);
        REQUIRE((x.pos.file == y.pos.file && x.pos.line == y.pos.line));
        REQUIRE(x.amelogenin == y.amelogenin);
        REQUIRE(x.markers.size() == y.markers.size());
        for (std::size_t m = 0; m < x.markers.size(); ++m) {
            REQUIRE(x.markers[m].marker == y.markers[m].marker);
            REQUIRE(x.markers[m].alleles == y.markers[m].alleles);
            REQUIRE((x.markers[m].pos.file == y.markers[m].pos.file && x.markers[m].pos.line == y.markers[m].pos.line));
        }
    }
}

/// P(X <= k | n, p), term by term in log space (no beta function): the equation the
/// Clopper-Pearson upper bound solves, P(X <= x | n, bound) = 1 - confidence.
inline double binomialCdf(std::size_t k, std::size_t n, double p) {
    double sum = 0.0;
    for (std::size_t i = 0; i <= k; ++i)
        sum += std::exp(std::lgamma(double(n) + 1.0) - std::lgamma(double(i) + 1.0) - std::lgamma(double(n - i) + 1.0) +
                        double(i) * std::log(p) + double(n - i) * std::log1p(-p));
    return sum;
}

/// The same haplotype sets, compared sample by sample (name, range, variants).
inline void checkSameMt(const std::vector<engine::mt::Haplotype>& read, const std::vector<engine::mt::Haplotype>& made) {
    REQUIRE(read.size() == made.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        INFO(made[i].sample);
        CHECK(read[i].sample == made[i].sample);
        CHECK(read[i].range == made[i].range);
        CHECK(read[i].variants == made[i].variants);
    }
}

}  // namespace kinmatch::test
