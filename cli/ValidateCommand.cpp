// SPDX-License-Identifier: MIT
#include <functional>
#include <iostream>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Errors.hpp"
#include "engine/LrTable.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/PedigreeReader.hpp"
#include "formats/ProfileReader.hpp"

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

    std::vector<std::string> problems;
    Warnings warnings;
    FrequencyTable frequencies;
    PedigreeSet pedigrees;
    ProfileSet references;
    ProfileSet remains;
    bool readAll = attempt(problems, [&] { frequencies = formats::readFrequencyFile(s.frequencies, warnings); });
    readAll &= attempt(problems, [&] { pedigrees = formats::readPedigreeFile(s.pedigrees, warnings); });
    readAll &= attempt(problems, [&] { references = formats::readProfileFile(s.references); });
    readAll &= attempt(problems, [&] { remains = formats::readProfileFile(s.remains); });

    std::size_t familiesChecked = 0;
    if (readAll) {
        engine::PreparedCase prepared;
        if (attempt(problems, [&] {
                prepared = engine::prepareCase(frequencies, references, pedigrees, remains, s.prepareOptions(), warnings);
            })) {
            std::vector<engine::MarkerMatrices> matrices;
            if (attempt(problems, [&] { matrices = engine::buildMarkerMatrices(prepared.markers, s.model()); })) {
                // Every family and marker on its own, so one contradiction does not hide the next.
                std::vector<std::string> notes;
                for (std::size_t f = 0; f < prepared.families.size(); ++f) {
                    for (std::size_t m = 0; m < prepared.markers.size(); ++m)
                        attempt(problems, [&] {
                            engine::buildMarkerTables(prepared, static_cast<int>(f), static_cast<int>(m), matrices[m],
                                                      s.model().isNone(), notes);
                        });
                    ++familiesChecked;
                }
                for (auto& n : notes) warnings.add(std::move(n));
            }
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
