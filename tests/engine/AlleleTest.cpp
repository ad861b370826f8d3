// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "engine/Allele.hpp"

using namespace kinmatch::engine;

TEST_CASE("Canonical allele labels give one spelling per allele", "[engine][allele]") {
    SECTION("leading zeros of the repeat count are dropped") {
        REQUIRE(canonicalAllele("09") == "9");
        REQUIRE(canonicalAllele("010.3") == "10.3");
    }
    SECTION("trailing zeros of the fraction are dropped, and a whole .0 with them") {
        REQUIRE(canonicalAllele("9.30") == "9.3");
        REQUIRE(canonicalAllele("12.0") == "12");
        REQUIRE(canonicalAllele("22.2") == "22.2");
    }
    SECTION("zero keeps one digit") {
        REQUIRE(canonicalAllele("0") == "0");
        REQUIRE(canonicalAllele("00.0") == "0");
    }
    SECTION("labels are trimmed, and non-numeric labels upper-cased") {
        REQUIRE(canonicalAllele(" ol ") == "OL");
        REQUIRE(canonicalAllele("x") == "X");
        REQUIRE(canonicalAllele(" 17 ") == "17");
    }
}

TEST_CASE("Only plain decimal labels have an allele number", "[engine][allele]") {
    SECTION("repeat counts and microvariants") {
        REQUIRE(tryAlleleNumber("9") == std::optional<double>(9.0));
        REQUIRE(tryAlleleNumber("09") == std::optional<double>(9.0));
        REQUIRE(tryAlleleNumber("9.3") == std::optional<double>(9.3));
        REQUIRE(tryAlleleNumber(" 12 ") == std::optional<double>(12.0));
    }
    SECTION("letters, signs, exponents and malformed decimals are not numbers") {
        for (const char* label : {"X", "OL", "", " ", ".", "-1", "+1", "1e3", "inf", "nan", "0x10", "9.3.1", "9,3"}) {
            INFO("label \"" << label << "\"");
            REQUIRE_FALSE(tryAlleleNumber(label).has_value());
        }
    }
}

TEST_CASE("Alleles sort numerically when all are numbers, otherwise lexically", "[engine][allele]") {
    SECTION("numeric: 9 < 9.3 < 10 < 11, although \"10\" < \"9\" as text") {
        REQUIRE(alleleSortOrder({"10", "9", "9.3", "11"}) == std::vector<int>{1, 2, 0, 3});
    }
    SECTION("one non-numeric label makes the whole order lexical") {
        // As text: "10" < "9" < "X".
        REQUIRE(alleleSortOrder({"9", "10", "X"}) == std::vector<int>{1, 0, 2});
    }
    SECTION("an empty list has an empty order") { REQUIRE(alleleSortOrder({}).empty()); }
}

TEST_CASE("Marker names compare case-insensitively after trimming", "[engine][allele]") {
    REQUIRE(markerKey("vWA") == markerKey(" VWA "));
    REQUIRE(markerKey("d8s1179") == markerKey("D8S1179"));
    REQUIRE(markerKey("vWA") != markerKey("vWA2"));
    REQUIRE(isAmelogenin(" amel "));
    REQUIRE(isAmelogenin("Amelogenin"));
    REQUIRE_FALSE(isAmelogenin("D8S1179"));
}
