// SPDX-License-Identifier: MIT
#include <algorithm>
#include <exception>
#include <functional>
#include <iostream>
#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Errors.hpp"
#include "engine/LrTable.hpp"
#include "engine/LineageEvidence.hpp"

namespace kinmatch::cli {

namespace {

// Runs one check and records its error instead of stopping, so every file gets looked at.
bool attempt(std::vector<std::string>& problems, const std::function<void()>& check) {
    try {
        check();
        return true;
    } catch (const Error& e) {
        problems.push_back(e.what());
        return false;
    }
}

}  // namespace

int runValidate(const std::vector<std::string>& args, const std::string&) {
    const auto settings = parseRunSettings("validate", args);
    if (!settings) return 0;
    const RunSettings& s = *settings;
    const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

    std::vector<std::string> problems;
    ReadInputs inputs = readInputs(s);
    for (const auto& e : inputs.errors) attempt(problems, [&] { std::rethrow_exception(e); });

    // The readers' warnings, joined by those of resolving the inputs when that succeeds.
    Warnings warnings;
    std::size_t familiesChecked = 0;
    LoadedCase loaded;
    if (!inputs.errors.empty() || !attempt(problems, [&] { loaded = resolveInputs(s, std::move(inputs)); })) {
        for (const auto& w : inputs.warnings.messages()) warnings.add(w);
    } else {
        for (auto& w : loaded.warnings) warnings.add(std::move(w));
        engine::PreparedCase& prepared = loaded.prepared;
        // The lineage evidence of a match: typed relatives on each missing person's maternal
        // and paternal lines, and references on one line that exclude each other.
        if (s.hasLineage())
            attempt(problems, [&] {
                const engine::lineage::LineageEvidence lineage(prepared, std::move(loaded.mtdna),
                                                               std::move(loaded.ystr));
                for (const auto& w : lineage.warnings()) warnings.add(w);
            });
        std::vector<engine::MarkerMatrices> matrices;
        if (attempt(problems, [&] { matrices = engine::buildMarkerMatrices(prepared.markers, s.model()); })) {
            // Families in parallel, each with all its markers at once; a family that fails
            // is gone over marker by marker, so one contradiction does not hide the next.
            // Problems and notes are gathered per family and listed in family order.
            const std::size_t familyCount = prepared.families.size();
            std::vector<std::vector<std::string>> familyProblems(familyCount), familyNotes(familyCount);
            const bool isNone = s.model().isNone();
            tbb::parallel_for(std::size_t{0}, familyCount, [&](std::size_t f) {
                const int family = static_cast<int>(f);
                std::vector<std::string> notes;
                try {
                    engine::buildFamilyTables(prepared, family, matrices, isNone, notes);
                } catch (const Error&) {
                    notes.clear();
                    for (std::size_t m = 0; m < prepared.markers.size(); ++m)
                        attempt(familyProblems[f], [&] {
                            engine::buildMarkerTables(prepared, family, static_cast<int>(m), matrices[m], isNone,
                                                      notes);
                        });
                }
                familyNotes[f] = std::move(notes);
            });
            for (std::size_t f = 0; f < familyCount; ++f) {
                for (auto& p : familyProblems[f]) problems.push_back(std::move(p));
                for (auto& n : familyNotes[f]) warnings.add(std::move(n));
            }
            familiesChecked = familyCount;
        }
    }
    for (const auto& w : warnings.messages()) std::cerr << "[kinmatch validate] warning: " << w << '\n';
    for (const auto& p : problems) std::cerr << "kinmatch validate: error: " << p << '\n';
    if (!s.quiet)
        std::cerr << "[kinmatch validate] " << problems.size() << " error(s), " << warnings.messages().size()
                  << " warning(s); " << familiesChecked << " families checked\n";
    return problems.empty() ? 0 : 1;
}

}  // namespace kinmatch::cli
