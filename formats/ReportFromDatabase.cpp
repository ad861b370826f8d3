// SPDX-License-Identifier: MIT
#include "formats/ReportFromDatabase.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "engine/Errors.hpp"
#include "formats/Sha256.hpp"

namespace kinmatch::formats {

namespace {

std::string runName(const std::string& database, std::int64_t run) {
    return database + ": run " + std::to_string(run);
}

const std::string* findParameter(const RunInfo& run, const std::string& name) {
    for (const auto& [key, value] : run.parameters)
        if (key == name) return &value;
    return nullptr;
}

double recordedNumber(const RunInfo& run, const std::string& database, const std::string& name) {
    const std::string* text = findParameter(run, name);
    if (!text)
        throw Error(runName(database, run.id) + ": parameter " + name +
                    " is not recorded, so the per-marker values cannot be recomputed with the run's model");
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(value))
        throw Error(runName(database, run.id) + ": parameter " + name + ": \"" + *text + "\" is not a number");
    return value;
}

const char* sexName(Sex sex) {
    switch (sex) {
        case Sex::kMale:
            return "male";
        case Sex::kFemale:
            return "female";
        case Sex::kUnknown:
            break;
    }
    return "unknown";
}

// As storeRun writes samples.genotypes: "MARKER=A/B" for each typed marker, joined by ';'.
std::string storedGenotypeText(const engine::PreparedCase& prepared, const engine::Sample& sample) {
    std::string text;
    for (std::size_t m = 0; m < sample.genotypes.size() && m < prepared.markers.size(); ++m) {
        if (!sample.genotypes[m].typed()) continue;
        if (!text.empty()) text += ';';
        text += prepared.markers[m].name + "=" + genotypeText(prepared.markers[m], sample.genotypes[m]);
    }
    return text;
}

// Where what the database stored disagrees with the inputs as read now. The files' bytes are
// the run's (their SHA-256 were checked), so a difference means this kinmatch reads them
// otherwise than the run's did, or the rows were edited: the pages must not hide either.
std::vector<std::string> storedCaseDifferences(CaseDatabase& database, std::int64_t run,
                                               const engine::PreparedCase& prepared) {
    std::vector<std::string> differences;
    std::map<std::pair<std::string, std::string>, std::string> stored;  // (kind, name) -> genotypes
    for (auto& s : database.samples(run, "")) stored.emplace(std::pair{s.kind, s.name}, std::move(s.genotypes));
    std::size_t expectedSamples = 0;
    for (const auto& [kind, set] :
         {std::pair{"reference", &prepared.references}, std::pair{"remains", &prepared.remains}})
        for (const auto& sample : *set) {
            ++expectedSamples;
            const auto found = stored.find({kind, sample.name});
            if (found == stored.end())
                differences.push_back(std::string(kind) + " sample \"" + sample.name + "\" is not stored");
            else if (found->second != storedGenotypeText(prepared, sample))
                differences.push_back(std::string(kind) + " sample \"" + sample.name +
                                      "\": the stored genotypes differ from the profile file's");
        }
    if (stored.size() > expectedSamples)
        differences.push_back(std::to_string(stored.size() - expectedSamples) +
                              " stored samples are not in the profile files");

    std::map<std::string, std::vector<StoredPerson>> families;
    for (auto& p : database.persons(run, "")) families[p.family].push_back(std::move(p));
    for (const auto& family : prepared.families) {
        const auto found = families.find(family.name);
        bool same = found != families.end() && found->second.size() == family.persons.size();
        for (std::size_t i = 0; same && i < family.persons.size(); ++i) {
            const auto& p = family.persons[i];
            const StoredPerson& s = found->second[i];
            const auto idOf = [&](int index) { return index < 0 ? std::string() : family.persons[index].id; };
            same = s.id == p.id && s.father == idOf(p.father) && s.mother == idOf(p.mother) &&
                   s.sex == sexName(p.sex) &&
                   s.sample == (p.reference < 0 ? std::string() : prepared.references[p.reference].name) &&
                   s.missing == p.missing;
        }
        if (!same)
            differences.push_back("family \"" + family.name +
                                  "\": the stored pedigree differs from the pedigree file's");
        if (found != families.end()) families.erase(found);
    }
    if (!families.empty())
        differences.push_back(std::to_string(families.size()) + " stored families are not in the pedigree file");
    return differences;
}

}  // namespace

RunInfo chooseReportRun(CaseDatabase& database, std::optional<std::int64_t> run) {
    const std::string name = redactedDatabaseUrl(database.url());
    if (!run) {
        run = database.latestRun();
        if (!run)
            throw Error(name + ": the database holds no run yet (store one with `kinmatch match ... --db " + name +
                        "`)");
    }
    // runInfo names the database and the run, and points at `kinmatch db runs`.
    return database.runInfo(*run);
}

RecordedModel decodeRecordedModel(const RunInfo& run, const std::string& database) {
    RecordedModel recorded;
    const std::string* name = findParameter(run, "mutation-model");
    if (!name) throw Error(runName(database, run.id) + ": parameter mutation-model is not recorded");
    recorded.mutationModel = *name;
    try {
        const auto kind = engine::decodeMutationModel(*name);
        const double rate2 = recordedNumber(run, database, "mutation-rate2");
        const double range = recordedNumber(run, database, "mutation-range");
        recorded.model.female = {kind, recordedNumber(run, database, "mutation-rate-female"), rate2, range};
        recorded.model.male = {kind, recordedNumber(run, database, "mutation-rate-male"), rate2, range};
        engine::validateMutationModel(recorded.model);
    } catch (const UsageError& e) {
        // The engine words these for command-line options; here they are stored values.
        throw Error(runName(database, run.id) + ": the recorded mutation model is not valid: " + e.what());
    }
    const double rare = recordedNumber(run, database, "rare-allele-freq");
    if (!(rare > 0.0 && rare < 1.0))
        throw Error(runName(database, run.id) +
                    ": parameter rare-allele-freq: " + *findParameter(run, "rare-allele-freq") + " is outside (0,1)");
    recorded.prepare.rareAlleleFrequency = rare;
    // The recorded frequency is 5/(2N) rounded to 15 digits when it came from --database-size:
    // N itself gives the run's exact double (unless --rare-allele-freq overrode N in the run).
    if (const std::string* size = findParameter(run, "database-size")) {
        long n = 0;
        const auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), n);
        char fromSize[40] = "";
        if (ec == std::errc() && end == size->data() + size->size() && n >= 3)
            std::snprintf(fromSize, sizeof fromSize, "%.15g", 5.0 / (2.0 * static_cast<double>(n)));
        if (fromSize == *findParameter(run, "rare-allele-freq")) {
            recorded.prepare.rareAlleleFrequency = 0.0;
            recorded.prepare.databaseSize = n;
        }
    }
    return recorded;
}

std::map<std::string, std::string> verifiedInputFiles(const RunInfo& run, const std::string& database,
                                                      const std::map<std::string, std::string>& relocated) {
    std::map<std::string, std::string> paths;
    const auto recorded = [&](const std::string& role) {
        return std::find_if(run.inputs.begin(), run.inputs.end(), [&](const RunInput& i) { return i.role == role; });
    };
    const bool lineage = recorded("mtdna-references") != run.inputs.end() || recorded("ystr-references") != run.inputs.end();
    for (const auto& role : kReportInputRoles) {
        const auto input = recorded(role);
        // Only the pedigrees are in every run; the autosomal files are in every run that has no
        // lineage files; the other roles are read when recorded.
        const bool required = role == "pedigrees" || (!lineage && (role == "frequencies" || role == "references" ||
                                                                  role == "remains"));
        if (input == run.inputs.end() && !required) continue;
        if (input == run.inputs.end())
            throw Error(runName(database, run.id) + ": no " + role + " file is recorded for the run");
        const auto moved = relocated.find(role);
        const std::string path = moved == relocated.end() ? input->path : moved->second;
        const std::string given = moved == relocated.end() ? "" : " (given for the recorded " + input->path + ")";
        std::string actual;
        try {
            actual = sha256File(path);
        } catch (const Error& e) {
            throw Error(runName(database, run.id) + ": its " + role + " file cannot be read: " + e.what() +
                        "; the report re-reads the run's inputs (the database keeps no frequencies): run it from "
                        "the match run's directory, or give the file's new place with --" +
                        role + " FILE");
        }
        if (actual != input->sha256)
            throw Error(runName(database, run.id) + ": " + role + " file " + path + given + " has SHA-256 " + actual +
                        ", but the run recorded " + input->sha256 +
                        ": the file changed since the run, and a report from it would not show the run's data "
                        "(restore the run's file, or give its copy with --" +
                        role + " FILE)");
        paths.emplace(role, path);
    }
    return paths;
}

ReportData reportFromDatabase(CaseDatabase& database, const RunInfo& run, const DatabaseReportSources& sources,
                              const engine::PreparedCase& prepared, const engine::MutationModel& model,
                              const std::vector<std::string>& loadWarnings) {
    ReportData data;
    data.run.version = run.kinmatchVersion.empty() ? "" : "kinmatch " + run.kinmatchVersion;
    data.run.commandLine = run.commandLine;
    data.run.reportVersion = sources.reportVersion;
    data.run.reportCommandLine = sources.reportCommandLine;
    data.run.parameters.emplace_back("case database", sources.database);
    data.run.parameters.emplace_back(
        "run", std::to_string(run.id) + ", started " + run.startedAt + ", finished " + run.finishedAt);
    data.run.parameters.insert(data.run.parameters.end(), run.parameters.begin(), run.parameters.end());
    // The recorded checksums are shown: verifiedInputFiles made sure the files read have them.
    for (const auto& input : run.inputs) {
        const auto read = sources.readFrom.find(input.role);
        std::string path = input.path;
        if (read != sources.readFrom.end() && read->second != input.path) path += " (read from " + read->second + ")";
        data.run.inputs.push_back({input.role, path, input.sha256});
    }
    data.runWarnings = run.warnings;
    // Reading the inputs warns again about what the run already recorded; only new ones are the report's.
    for (const auto& w : loadWarnings)
        if (std::find(data.runWarnings.begin(), data.runWarnings.end(), w) == data.runWarnings.end())
            data.reportWarnings.push_back(w);

    const auto differences = storedCaseDifferences(database, run.id, prepared);
    constexpr std::size_t kListed = 10;
    for (std::size_t i = 0; i < differences.size() && i < kListed; ++i)
        data.reportWarnings.push_back("run " + std::to_string(run.id) + ": " + differences[i]);
    if (differences.size() > kListed)
        data.reportWarnings.push_back("... and " + std::to_string(differences.size() - kListed) + " more differences");
    if (!differences.empty())
        data.reportWarnings.push_back(
            "what run " + std::to_string(run.id) +
            " stored differs from its input files as this kinmatch reads them "
            "(the files' SHA-256 are the recorded ones, so the reading changed since " +
            (run.kinmatchVersion.empty() ? std::string("the run") : "kinmatch " + run.kinmatchVersion) +
            " or the database was edited); the pages show the files' values");

    std::vector<ReportedPair> pairs;
    const std::string where = runName(sources.database, run.id) + " candidates";
    for (auto& stored : database.candidates(run.id, {})) {
        if (!stored.rank) continue;  // only in a missing person's list: not a remains' candidate
        ReportedPair pair;
        pair.remains = std::move(stored.remains);
        pair.family = std::move(stored.family);
        pair.missing = std::move(stored.missing);
        pair.where = {where, 0};
        ReportCandidate& c = pair.candidate;
        c.log10Lr = stored.log10Lr;
        c.rank = *stored.rank;
        c.loci = stored.loci;
        c.inconsistentLoci = stored.inconsistentLoci;
        c.posterior = stored.posterior;
        c.decision = std::move(stored.decision);
        c.autosomalLog10Lr = stored.autosomal.log10Lr;
        c.mtdna = {std::move(stored.mtdna.outcome), stored.mtdna.log10Lr};
        c.ystr = {std::move(stored.ystr.outcome), stored.ystr.log10Lr};
        pairs.push_back(std::move(pair));
    }
    // The model and the inputs are the run's own here, so a disagreement is in the stored rows
    // or in how this kinmatch computes, not in anything the user gave.
    addCandidates(data, std::move(pairs), prepared, model,
                  "the model and input files are the run's recorded ones, so either the database was edited or this "
                  "kinmatch (" +
                      sources.reportVersion + ") computes otherwise than the run's (" +
                      (run.kinmatchVersion.empty() ? std::string("version not recorded") : run.kinmatchVersion) + ")");
    return data;
}

}  // namespace kinmatch::formats
