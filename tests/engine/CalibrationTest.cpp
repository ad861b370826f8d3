// SPDX-License-Identifier: MIT
// Calibration on simulated data (issue 3, item 6). Two properties any correct LR has when the
// simulation and the analysis share one model:
//  - Turing's bound: E[LR | unrelated] = 1, so among unrelated pairs the fraction with
//    LR >= t is at most 1/t (Markov's inequality);
//  - power: a true missing person comes first for its remains at a rate that depends on who
//    is typed (parents and children beat cousins).
// scripts/calibration prints the same table at a larger size.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"
#include "engine/Simulation.hpp"

using namespace kinmatch;

namespace {

FrequencyTable testFrequencies(int markers) {
    // Twelve made-up markers with 6-14 alleles and uneven frequencies; public tables would do
    // as well, but the test must not depend on a data file.
    FrequencyTable table{"calibration", {}};
    for (int m = 0; m < markers; ++m) {
        MarkerFrequencies marker{"CAL" + std::to_string(m), {}, {}, {}};
        const int alleles = 6 + (m * 5) % 9;
        double total = 0.0;
        for (int a = 0; a < alleles; ++a) total += 1.0 + (a * 7 + m) % 5;
        for (int a = 0; a < alleles; ++a) {
            marker.alleles.push_back(std::to_string(8 + a));
            marker.frequencies.push_back((1.0 + (a * 7 + m) % 5) / total);
        }
        table.markers.push_back(marker);
    }
    return table;
}

// A family's shape, recognised from its members' roles (ids are `<family>-<role>`).
std::string shapeName(const engine::Family& family) {
    std::set<std::string> roles;
    for (const auto& p : family.persons) roles.insert(p.id.substr(p.id.find('-') + 1));
    for (const auto& shape : engine::familyShapes()) {
        std::set<std::string> shapeRoles;
        for (const auto& p : shape.persons) shapeRoles.insert(std::string(p.role));
        if (shapeRoles == roles) return std::string(shape.name);
    }
    return "?";
}

}  // namespace

TEST_CASE("Unrelated pairs obey Turing's bound and true missing persons rank first", "[calibration]") {
    const engine::MutationParameters rate{engine::MutationModelKind::kEqual, 0.002, 0.0, 0.5};
    const engine::MutationModel model{rate, rate};
    engine::SimulationOptions options;
    options.families = 17 * 12;  // twelve of each shape on average
    options.remains = 240;
    options.trueFraction = 0.6;
    options.seed = 2026;
    const engine::Simulation simulation(testFrequencies(12), model, options);
    const auto remains = simulation.remains(0, simulation.remainsCount());
    Warnings warnings;
    const auto prepared = engine::prepareCase(simulation.frequencies(), simulation.references(0, options.families),
                                              simulation.pedigrees(0, options.families), remains.profiles,
                                              engine::PrepareOptions{}, warnings);
    engine::MatchOptions all;
    all.all = true;
    const auto result = engine::matchCase(prepared, model, all);

    std::map<std::string, std::pair<std::string, std::string>> truth;  // remains -> (family, missing)
    for (const auto& row : remains.truth)
        if (row.family != ".") truth[row.remains] = {row.family, row.missing};
    REQUIRE(truth.size() == 144);

    std::size_t unrelated = 0;
    std::map<double, std::size_t> atLeast{{10.0, 0}, {100.0, 0}, {1000.0, 0}};
    std::map<std::string, std::pair<int, int>> firstByShape;  // shape -> (ranked first, true remains)
    for (const auto& c : result.candidates) {
        const auto& remainsName = prepared.remains[c.remains].name;
        const auto& family = prepared.families[c.family];
        const auto it = truth.find(remainsName);
        const bool isTrue = it != truth.end() && it->second.first == family.name &&
                            it->second.second == family.persons[c.missingPerson].id;
        if (isTrue) {
            auto& counts = firstByShape[shapeName(family)];
            counts.first += c.rank == 1 ? 1 : 0;
            ++counts.second;
            continue;
        }
        // Another missing person of the same family is a relative, not an unrelated pair.
        if (it != truth.end() && it->second.first == family.name) continue;
        ++unrelated;
        for (auto& [t, count] : atLeast) count += c.log10Lr >= std::log10(t) ? 1 : 0;
    }
    REQUIRE(unrelated > 50000);
    for (const auto& [t, count] : atLeast) {
        const double fraction = static_cast<double>(count) / static_cast<double>(unrelated);
        INFO("LR >= " << t << ": " << count << " of " << unrelated << " unrelated pairs");
        CHECK(fraction < 1.0 / t);
    }

    int first = 0, total = 0;
    std::string table;
    for (const auto& [shape, counts] : firstByShape) {
        first += counts.first;
        total += counts.second;
        table += shape + ": " + std::to_string(counts.first) + "/" + std::to_string(counts.second) + "\n";
    }
    INFO(table);
    REQUIRE(total == 144);
    CHECK(first >= 0.75 * total);
    // Parents or children typed identify almost always.
    for (const char* strong : {"child of two typed parents", "missing father of two typed children, their mother typed",
                               "missing mother of three typed children, their father typed"}) {
        const auto it = firstByShape.find(strong);
        if (it == firstByShape.end()) continue;
        CHECK(it->second.first == it->second.second);
    }
}
