// SPDX-License-Identifier: MIT
#include <iostream>
#include <optional>
#include <thread>

#include <htslib/hts.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/version.h>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Matcher.hpp"
#include "engine/Version.hpp"
#include "formats/MatchTsvWriter.hpp"
#include "formats/OutputFile.hpp"

namespace kinmatch::cli {

std::string versionLine() {
    return std::string("kinmatch ") + kVersion + " (" + kGitDescribe + "), htslib " + hts_version() + ", oneTBB " +
           TBB_VERSION_STRING;
}

namespace {

std::vector<std::string> headerComments(const RunSettings& s, const std::string& commandLine,
                                        const engine::PreparedCase& prepared, const std::vector<std::string>& warnings,
                                        const engine::MatchResult& result) {
    std::vector<std::string> lines;
    if (!s.noVersion) {
        lines.push_back(versionLine());
        lines.push_back("command: " + commandLine);
    }
    const auto model = s.model();
    std::string modelLine = "model: mutation " + s.mutationModel;
    if (!model.isNone()) {
        modelLine += ", rate female " + std::to_string(model.female.rate) + " male " + std::to_string(model.male.rate);
        if (model.female.kind == engine::MutationModelKind::kStepwise)
            modelLine += ", rate2 " + std::to_string(s.mutationRate2) + ", range " + std::to_string(s.mutationRange);
    }
    modelLine += "; rare-allele frequency " + std::to_string(s.prepareOptions().effectiveRareAlleleFrequency());
    lines.push_back(modelLine);
    std::size_t missingPersons = 0;
    for (const auto& f : prepared.families) missingPersons += f.missingPersons.size();
    lines.push_back("inputs: " + std::to_string(prepared.markers.size()) + " markers, " +
                    std::to_string(prepared.families.size()) + " families, " + std::to_string(missingPersons) +
                    " missing persons, " + std::to_string(prepared.remains.size()) + " remains");
    // Which kernel screened is no part of the result (every path gives the same rows), so it
    // goes in the header only with the version lines.
    if (!s.noVersion && result.exactScores < result.pairsScored)
        lines.push_back(std::string("scoring: int16 screening with the ") + engine::kernelPathName(result.kernel) +
                        " kernel; every reported log10 LR recomputed exactly in double");
    for (const auto& w : warnings) lines.push_back("warning: " + w);
    return lines;
}

}  // namespace

int runMatch(const std::vector<std::string>& args, const std::string& commandLine) {
    const auto settings = parseRunSettings("match", args);
    if (!settings) return 0;
    const RunSettings& s = *settings;
    formats::OutputFile output(s.output);  // fails now, not after the work, if unwritable
    std::optional<formats::OutputFile> familyOutput;
    if (s.topPerFamily > 0) familyOutput.emplace(s.familyOutput);

    const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

    LoadedCase loaded = loadCase(s);
    engine::MatchOptions options;
    options.top = s.top;
    options.all = s.all;
    options.topPerMissingPerson = s.topPerFamily;
    options.kernel = kernelPath(s.kernel);
    options.progress = stderrProgress("match", s.quiet);
    engine::MatchResult result = engine::matchCase(loaded.prepared, s.model(), options);

    std::vector<std::string> warnings = loaded.warnings;
    warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
    if (!s.model().isNone() && s.model().female.rate == 0.0 && s.model().male.rate == 0.0)
        warnings.push_back("mutation model " + s.mutationModel + " with rate 0 is the same as --mutation-model none");
    // At national scale thousands of families may each warn; the terminal gets the first
    // few and a count, the output header keeps every one as the run's record.
    constexpr std::size_t kWarningsOnTerminal = 10;
    for (std::size_t i = 0; i < warnings.size() && i < kWarningsOnTerminal; ++i)
        std::cerr << "[kinmatch match] warning: " << warnings[i] << '\n';
    if (warnings.size() > kWarningsOnTerminal)
        std::cerr << "[kinmatch match] warning: ... and " << warnings.size() - kWarningsOnTerminal
                  << " more warnings, every one listed in the output header\n";

    const formats::MatchTsvWriter writer(loaded.prepared, result,
                                         headerComments(s, commandLine, loaded.prepared, warnings, result));
    writer.write(output.stream());
    if (familyOutput) writer.writeByMissingPerson(familyOutput->stream());
    // Both files appear together or not at all (as far as two renames allow).
    output.commit();
    if (familyOutput) familyOutput->commit();
    if (!s.quiet) {
        std::cerr << "[kinmatch match] " << result.pairsScored << " pairs scored";
        if (result.exactScores < result.pairsScored)
            std::cerr << " (int16 screening, " << engine::kernelPathName(result.kernel) << " kernel; "
                      << result.exactScores << " recomputed exactly)";
        std::cerr << ", " << result.candidates.size() << " rows written";
        if (familyOutput) std::cerr << " + " << result.byMissingPerson.size() << " per missing person";
        std::cerr << "; " << resourceSummary() << '\n';
    }
    if (s.verbose) std::cerr << "[kinmatch match] " << versionLine() << "\n[kinmatch match] command: " << commandLine << '\n';
    return 0;
}

}  // namespace kinmatch::cli
