// SPDX-License-Identifier: MIT
#include "cli/StreamedMatch.hpp"

#include <filesystem>
#include <iostream>

#include <oneapi/tbb/parallel_invoke.h>

#include "engine/Errors.hpp"
#include "engine/ReferenceCensus.hpp"
#include "engine/Screening.hpp"
#include "formats/CaseStream.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/ProfileReader.hpp"

namespace kinmatch::cli {

namespace {

// Why a case is read whole after all, said once on stderr: the run is then slower and larger,
// which lab IT should be able to trace to the file.
void noteWholeReading(const RunSettings& s, const std::string& why) {
    if (!s.quiet) std::cerr << "[kinmatch match] " << why << "; reading the whole case into memory instead\n";
}

}  // namespace

bool canStream(const RunSettings& s) {
    // The streamed path is the screening path; a --db run stores every family and sample, and
    // lineage evidence needs every family's line relatives at once.
    if (s.inMemory || s.all || s.hasLineage() || !s.hasAutosomal() || !s.database.empty()) return false;
    // The pedigree file is read twice, and after an error every file is read again: a pipe
    // (`-p <(zcat ...)`) would be empty the second time.
    std::error_code ec;
    for (const std::string* path : {&s.frequencies, &s.pedigrees, &s.references, &s.remains})
        if (!std::filesystem::is_regular_file(*path, ec)) return false;
    return true;
}

std::optional<StreamedMatch> streamMatch(const RunSettings& s, const engine::MatchOptions& options) {
    StreamedMatch run;
    engine::PreparedCase& prepared = run.prepared;
    try {
        Warnings frequencyWarnings;
        const FrequencyTable frequencies = formats::readFrequencyFile(s.frequencies, frequencyWarnings);
        Warnings censusWarnings;
        engine::ReferenceCensus census(frequencies, s.prepareOptions(), censusWarnings);
        bool grouped = true;
        ProfileSet remains;
        std::exception_ptr referencesError, remainsError;
        tbb::parallel_invoke(
            [&] {
                try {
                    // A national references file takes seconds to read before the first family.
                    std::size_t lastMb = ~std::size_t{0};
                    const auto progress = [&](std::size_t read, std::size_t total) {
                        if (!options.progress || (read >> 20) == lastMb) return;  // the end comes twice
                        lastMb = read >> 20;
                        options.progress("reference file MB", read >> 20, total >> 20);
                    };
                    grouped = formats::streamProfileFile(
                        s.references, [&](const Profile& p) { census.add(p); }, progress);
                } catch (...) {
                    referencesError = std::current_exception();
                }
            },
            [&] {
                try {
                    remains = formats::readProfileFile(s.remains);
                } catch (...) {
                    remainsError = std::current_exception();
                }
            });
        if (referencesError) std::rethrow_exception(referencesError);
        if (remainsError) std::rethrow_exception(remainsError);
        if (!grouped) {
            noteWholeReading(s, s.references + ": a sample's rows are not adjacent");
            return std::nullopt;
        }
        engine::ReferenceCensus::Finished finished = census.finish(remains, s.references);
        remains = ProfileSet{};
        formats::StreamedFamilies families(s.pedigrees, finished.references, s.references);
        if (!families.adjacent()) {
            noteWholeReading(s, s.pedigrees + ": a family's rows are not adjacent");
            return std::nullopt;
        }
        prepared.markers = std::move(finished.markers);
        prepared.remains = std::move(finished.remains);
        engine::ScreenedFamilies screened = engine::screenFamilies(prepared, families, s.model(), options);
        prepared.families = std::move(screened.families);
        run.result = std::move(screened.result);
        for (auto* list : {&run.result.candidates, &run.result.byMissingPerson})
            for (auto& c : *list) c.autosomalLog10Lr = c.log10Lr;  // as matchCase sets it
        run.familyCount = screened.familyCount;
        run.missingPersonCount = screened.missingPersonCount;
        // The order of the whole reading: frequency file, pedigree file, then prepareCase.
        run.warnings = frequencyWarnings.messages();
        run.warnings.insert(run.warnings.end(), screened.sourceWarnings.begin(), screened.sourceWarnings.end());
        const auto& prepareWarnings = censusWarnings.messages();
        run.warnings.insert(run.warnings.end(), prepareWarnings.begin(), prepareWarnings.end());
    } catch (const Error&) {
        // Which problem of a bad case is reported first must not depend on how it was read:
        // the whole reading finds it again and reports it as always. Anything else (a logic
        // error, memory) is no property of the input and is not hidden behind a second run.
        noteWholeReading(s, "the streamed reading met an error in the input");
        return std::nullopt;
    }
    return run;
}

}  // namespace kinmatch::cli
