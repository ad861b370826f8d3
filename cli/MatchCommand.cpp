// SPDX-License-Identifier: MIT
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <htslib/hts.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/version.h>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "cli/StreamedMatch.hpp"
#include "engine/LineageEvidence.hpp"
#include "engine/Matcher.hpp"
#include "engine/Posterior.hpp"
#include "engine/Version.hpp"
#include "formats/CaseDatabase.hpp"
#include "formats/MatchJsonlWriter.hpp"
#include "formats/MatchTsvWriter.hpp"
#include "formats/OutputFile.hpp"
#include "formats/Sha256.hpp"

namespace kinmatch::cli {

std::string versionLine() {
    return std::string("kinmatch ") + kVersion + " (" + kGitDescribe + "), htslib " + hts_version() + ", oneTBB " +
           TBB_VERSION_STRING;
}

namespace {

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::string shortest(double value) {
    std::ostringstream out;
    out.precision(15);
    out << value;
    return out.str();
}

std::size_t countMissingPersons(const engine::PreparedCase& prepared) {
    std::size_t count = 0;
    for (const auto& f : prepared.families) count += f.missingPersons.size();
    return count;
}

// How many families and missing persons the run read: a streamed run keeps only the
// families its rows name.
struct CaseSize {
    std::size_t families = 0;
    std::size_t missingPersons = 0;
};

// Every option of the run, as (option, value) for its record: those that shape the result and
// those (kernel, threads, table cache) that only change how it is computed.
std::vector<std::pair<std::string, std::string>> runParameters(const RunSettings& s, double prior) {
    const auto model = s.model();
    std::vector<std::pair<std::string, std::string>> p = {
        {"mutation-model", s.mutationModel},
        {"mutation-rate-female", shortest(model.female.rate)},
        {"mutation-rate-male", shortest(model.male.rate)},
        {"mutation-rate2", shortest(s.mutationRate2)},
        {"mutation-range", shortest(s.mutationRange)},
        {"rare-allele-freq", shortest(s.prepareOptions().effectiveRareAlleleFrequency())},
        {"top", s.all ? "all" : std::to_string(s.top)},
        {"top-per-family", std::to_string(s.topPerFamily)},
        {"prior", shortest(prior)},
        {"identify-lr", shortest(s.identifyLr)},
        {"identify-posterior", shortest(s.identifyPosterior)},
        {"kernel", s.kernel},
        {"table-cache-mb", std::to_string(s.tableCacheMb)},
        {"threads", std::to_string(s.threads)},
    };
    if (s.databaseSize) p.push_back({"database-size", std::to_string(*s.databaseSize)});
    if (s.hasMtdna()) {
        p.push_back({"mt-exclusion", std::to_string(s.mtExclusion)});
        p.push_back({"mt-inconclusive", std::to_string(s.mtInconclusive)});
        p.push_back({"mt-min-overlap", std::to_string(s.mtMinOverlap)});
    }
    if (s.hasYstr()) {
        p.push_back({"ystr-exclusion", std::to_string(s.ystrExclusion)});
        p.push_back({"ystr-inconclusive", std::to_string(s.ystrInconclusive)});
        p.push_back({"ystr-mutation-rates", "YHRD release 61"});
    }
    if (s.hasLineage()) p.push_back({"lineage-confidence", shortest(s.lineageConfidence)});
    return p;
}

// Keeps each remains' first `top` rows: the engine ran with one more row when needed to see
// a tie at rank 1 (Posterior.hpp), which the output must not show.
void keepFirstRowsPerRemains(std::vector<engine::Candidate>& rows, std::vector<engine::Assessment>& assessments,
                             std::size_t top) {
    std::size_t kept = 0;
    std::size_t inRemains = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        inRemains = i > 0 && rows[i].remains == rows[i - 1].remains ? inRemains + 1 : 0;
        if (inRemains >= top) continue;
        rows[kept] = rows[i];
        assessments[kept] = assessments[i];
        ++kept;
    }
    rows.resize(kept);
    assessments.resize(kept);
}

// Each output row's lineage evidence in full (ranking used only the sums).
formats::LineageRows lineageRowsOf(const engine::lineage::LineageEvidence& lineage, const RunSettings& s,
                                   const engine::MatchResult& result) {
    formats::LineageRows rows;
    rows.autosomal = s.hasAutosomal();
    rows.mtdna = s.hasMtdna();
    rows.ystr = s.hasYstr();
    const auto evaluate = [&](const std::vector<engine::Candidate>& candidates,
                              std::vector<engine::lineage::PairLineage>& out) {
        out.resize(candidates.size());
        tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
            const auto& c = candidates[i];
            out[i] = lineage.evaluate(c.remains, c.family, c.missingPerson);
        });
    };
    evaluate(result.candidates, rows.candidates);
    evaluate(result.byMissingPerson, rows.byMissingPerson);
    return rows;
}

std::vector<std::string> headerComments(const RunSettings& s, const std::string& commandLine,
                                        const engine::PreparedCase& prepared, const CaseSize& size,
                                        const std::vector<std::string>& warnings, const engine::MatchResult& result,
                                        double prior) {
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
    if (s.hasLineage()) {
        std::string systems = s.hasAutosomal() ? "autosomal STRs" : "";
        if (s.hasMtdna()) systems += std::string(systems.empty() ? "" : ", ") + "mtDNA";
        if (s.hasYstr()) systems += std::string(systems.empty() ? "" : ", ") + "Y-STRs";
        std::string line = "systems: " + systems + "; log10_lr is their sum (taken as independent)";
        if (s.hasMtdna())
            line += "; mtDNA exclusion at " + std::to_string(s.mtExclusion) + " differences, inconclusive at " +
                    std::to_string(s.mtInconclusive);
        if (s.hasYstr())
            line += "; Y-STR exclusion at " + std::to_string(s.ystrExclusion) + " differing loci, inconclusive at " +
                    std::to_string(s.ystrInconclusive) + ", YHRD release 61 mutation rates";
        if (s.hasLineage()) line += "; database bounds at " + shortest(s.lineageConfidence) + " confidence";
        lines.push_back(line);
    }
    lines.push_back("inputs: " + std::to_string(prepared.markers.size()) + " markers, " +
                    std::to_string(size.families) + " families, " + std::to_string(size.missingPersons) +
                    " missing persons, " + std::to_string(prepared.remains.size()) + " remains");
    // Which kernel screened is no part of the result (every path gives the same rows), so it
    // goes in the header only with the version lines.
    if (!s.noVersion && result.exactScores < result.pairsScored)
        lines.push_back(std::string("scoring: int16 screening with the ") + engine::kernelPathName(result.kernel) +
                        " kernel; every reported log10 LR recomputed exactly in double");
    lines.push_back("decisions: prior " + shortest(prior) + (s.prior ? "" : " (1 / missing persons)") +
                    "; identification at LR >= " + shortest(s.identifyLr) + " and posterior >= " +
                    shortest(s.identifyPosterior) + " for the unique rank 1 of a remains");
    for (const auto& w : warnings) lines.push_back("warning: " + w);
    return lines;
}

}  // namespace

int runMatch(const std::vector<std::string>& args, const std::string& givenCommandLine) {
    const auto settings = parseRunSettings("match", args);
    if (!settings) return 0;
    const RunSettings& s = *settings;
    const std::string startedAt = utcNow();
    // A database password must not end up in output headers or the run's record.
    std::string commandLine = givenCommandLine;
    if (const std::string redacted = formats::redactedDatabaseUrl(s.database); redacted != s.database)
        for (std::size_t at; (at = commandLine.find(s.database)) != std::string::npos;)
            commandLine.replace(at, s.database.size(), redacted);
    formats::OutputFile output(s.output);  // fails now, not after the work, if unwritable
    std::optional<formats::OutputFile> familyOutput;
    if (s.topPerFamily > 0) familyOutput.emplace(s.familyOutput);
    // Opened (and its schema created or checked) before the work, like the outputs.
    std::unique_ptr<formats::CaseDatabase> database;
    std::vector<formats::RunInput> inputs;
    if (!s.database.empty()) {
        database = formats::openCaseDatabase(s.database, formats::OpenMode::kCreate);
        for (const auto& [role, path] : s.inputFiles()) inputs.push_back({role, path, formats::sha256File(path)});
    }

    const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

    engine::MatchOptions options;
    // A tie at rank 1 is only visible with two rows per remains (Posterior.hpp).
    options.top = std::max<std::size_t>(s.top, 2);
    options.all = s.all;
    options.topPerMissingPerson = s.topPerFamily;
    options.kernel = kernelPath(s.kernel);
    options.tableCacheBytes = static_cast<std::size_t>(s.tableCacheMb) << 20;
    options.progress = stderrProgress("match", s.quiet);
    LoadedCase loaded;
    engine::MatchResult result;
    CaseSize size;
    std::optional<engine::lineage::LineageEvidence> lineage;
    std::optional<StreamedMatch> streamed;
    if (canStream(s)) streamed = streamMatch(s, options);
    if (streamed) {
        loaded.prepared = std::move(streamed->prepared);
        loaded.warnings = std::move(streamed->warnings);
        result = std::move(streamed->result);
        size = {streamed->familyCount, streamed->missingPersonCount};
    } else {
        loaded = loadCase(s);
        size = {loaded.prepared.families.size(), countMissingPersons(loaded.prepared)};
        if (s.hasLineage()) {
            lineage.emplace(loaded.prepared, std::move(loaded.mtdna), std::move(loaded.ystr));
            options.otherSystems = &*lineage;
        }
        result = engine::matchCase(loaded.prepared, s.model(), options);
    }
    const std::size_t missingPersons = size.missingPersons;
    const double prior = s.prior ? *s.prior : missingPersons > 0 ? engine::defaultPrior(missingPersons) : 1.0;
    engine::DecisionThresholds thresholds;
    thresholds.identifyLog10Lr = std::log10(s.identifyLr);
    thresholds.identifyPosterior = s.identifyPosterior;
    std::vector<engine::Assessment> assessments = engine::assessCandidates(result.candidates, prior, thresholds);
    if (!s.all) keepFirstRowsPerRemains(result.candidates, assessments, s.top);
    const std::vector<engine::Assessment> byMissingAssessments =
        engine::assessByMissingPerson(result.byMissingPerson, result.candidates, assessments, prior);

    std::optional<formats::LineageRows> lineageRows;
    if (lineage) lineageRows = lineageRowsOf(*lineage, s, result);

    std::vector<std::string> warnings = loaded.warnings;
    if (lineage) warnings.insert(warnings.end(), lineage->warnings().begin(), lineage->warnings().end());
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

    auto comments = headerComments(s, commandLine, loaded.prepared, size, warnings, result, prior);
    if (s.outputType == "jsonl") {
        const formats::MatchJsonlWriter writer(loaded.prepared, result, assessments, byMissingAssessments, comments,
                                               lineageRows ? &*lineageRows : nullptr);
        writer.write(output.stream());
        if (familyOutput) writer.writeByMissingPerson(familyOutput->stream());
    } else {
        const formats::MatchTsvWriter writer(loaded.prepared, result, assessments, byMissingAssessments, comments,
                                             lineageRows ? &*lineageRows : nullptr);
        writer.write(output.stream());
        if (familyOutput) writer.writeByMissingPerson(familyOutput->stream());
    }
    std::int64_t runId = 0;
    double storeSeconds = 0.0;
    if (database) {
        formats::RunToStore run;
        run.info.startedAt = startedAt;
        run.info.finishedAt = utcNow();
        run.info.kinmatchVersion = std::string(kVersion) + " (" + kGitDescribe + ")";
        run.info.commandLine = commandLine;
        run.info.parameters = runParameters(s, prior);
        run.info.inputs = inputs;
        run.info.warnings = warnings;
        run.prepared = &loaded.prepared;
        run.result = &result;
        run.assessments = &assessments;
        run.byMissingAssessments = &byMissingAssessments;
        run.lineage = lineageRows ? &*lineageRows : nullptr;
        // Committed before the files are renamed: a failed store leaves neither.
        const auto storeStart = std::chrono::steady_clock::now();
        runId = database->storeRun(run);
        storeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - storeStart).count();
    }
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
        if (streamed) std::cerr << "; case streamed, " << size.families << " families";
        if (database) {
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.2f", storeSeconds);
            std::cerr << "; stored as run " << runId << " in " << formats::redactedDatabaseUrl(s.database) << " ("
                      << seconds << " s)";
        }
        std::cerr << "; " << resourceSummary() << '\n';
    }
    if (s.verbose) std::cerr << "[kinmatch match] " << versionLine() << "\n[kinmatch match] command: " << commandLine << '\n';
    return 0;
}

}  // namespace kinmatch::cli
