// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "engine/Case.hpp"
#include "engine/LineageEvidence.hpp"
#include "engine/Matcher.hpp"
#include "engine/MutationModel.hpp"
#include "engine/Warnings.hpp"
#include "engine/YStr.hpp"

namespace kinmatch::cli {

/// Every option of `kinmatch match` / `validate`, with its default. Help text reads the
/// defaults from here, so they are written once.
struct RunSettings {
    std::string frequencies;
    std::string references;
    std::string pedigrees;
    std::string remains;
    // Lineage markers (match only). A system is in the run when its references are given.
    std::string mtdnaReferences;
    std::string mtdnaRemains;
    std::string mtdnaDatabase;
    std::string ystrReferences;
    std::string ystrRemains;
    std::string ystrDatabase;
    int mtExclusion = 2;     // differences from which an mtDNA pair is an exclusion
    int mtInconclusive = 1;  // ... inconclusive
    int mtMinOverlap = 1;    // fewer common positions: insufficient_overlap
    int ystrExclusion = 2;   // differing Y-STR loci from which a pair is an exclusion
    int ystrInconclusive = 1;
    double lineageConfidence = 0.95;  // of the database frequency upper bounds
    std::string mutationModel = "none";
    double mutationRate = 0.0;
    std::optional<double> mutationRateFemale;
    std::optional<double> mutationRateMale;
    double mutationRate2 = 0.0;
    double mutationRange = 0.5;
    std::optional<double> rareAlleleFrequency;
    std::optional<long> databaseSize;
    std::size_t top = 10;
    bool all = false;
    std::size_t topPerFamily = 0;  // 0 = no per-missing-person list
    std::string familyOutput;      // where that list goes
    std::string kernel = "auto";
    long long tableCacheMb = engine::kDefaultTableCacheBytes >> 20;  // --table-cache-mb; 0 = no table cache
    bool inMemory = false;         // --in-memory: read the whole case before matching
    std::string output = "-";
    std::string outputType = "tsv";  // tsv or jsonl
    std::string database;            // --db URL; "" = no case database
    std::optional<double> prior;     // default: 1 / missing persons of the job
    double identifyLr = 1e4;
    double identifyPosterior = 0.999;
    int threads = 0;  // 0 = all cores
    bool quiet = false;
    bool verbose = false;
    bool noVersion = false;

    bool hasAutosomal() const noexcept { return !references.empty(); }
    bool hasMtdna() const noexcept { return !mtdnaReferences.empty(); }
    bool hasYstr() const noexcept { return !ystrReferences.empty(); }
    bool hasLineage() const noexcept { return hasMtdna() || hasYstr(); }
    /// (role, path) of every input file given, in a fixed order: the run record's inputs.
    std::vector<std::pair<std::string, std::string>> inputFiles() const;

    engine::MutationModel model() const;
    engine::PrepareOptions prepareOptions() const;
};

/// "auto", "avx2" or "portable". Throws: UsageError for another name.
engine::KernelPath kernelPath(const std::string& name);

/// Parses the options of `command` ("match", "validate", or "report": the inputs and model
/// options of a match, lineage files included, without its output options); returns nullopt
/// after printing the usage for --help. Validates every option before any file is read.
/// Throws: UsageError naming the option (exit 2).
std::optional<RunSettings> parseRunSettings(const std::string& command, const std::vector<std::string>& args);

/// The files of a run, read and resolved into engine values.
struct LoadedCase {
    engine::PreparedCase prepared;
    std::vector<std::string> warnings;
    /// The lineage systems' inputs, to build engine::lineage::LineageEvidence over `prepared`
    /// once it sits where it stays (the evidence keeps a reference to it).
    std::optional<engine::lineage::MtInputs> mtdna;
    std::optional<engine::lineage::YstrInputs> ystr;
};

/// Every input file of a run, read through the format adapters but not yet resolved.
struct ReadInputs {
    FrequencyTable frequencies;
    PedigreeSet pedigrees;
    ProfileSet references;
    ProfileSet remains;
    std::vector<engine::mt::Haplotype> mtReferences, mtRemains, mtDatabase;
    engine::ystr::HaplotypeSet yReferences, yRemains, yDatabase;
    /// The readers' warnings: frequencies, then pedigrees.
    Warnings warnings;
    /// One per file that could not be read, in the order of the input options; the files
    /// that could are read all the same (validate lists every file's problem).
    std::vector<std::exception_ptr> errors;
};

/// Reads every file `settings` names, at once.
ReadInputs readInputs(const RunSettings& settings);

/// Resolves read inputs into engine values: what loadCase does after reading.
/// Throws: InputError naming file and line.
LoadedCase resolveInputs(const RunSettings& settings, ReadInputs&& inputs);

/// Reads the inputs of `settings` through the format adapters. Samples that only the lineage
/// files type join `prepared` as untyped profiles, so that pedigrees and remains name them.
/// Throws: InputError naming file and line.
LoadedCase loadCase(const RunSettings& settings);

/// Prints a progress line to stderr at most every two seconds, and only once the run has
/// lasted a few seconds, so quick runs stay quiet.
engine::ProgressCallback stderrProgress(const std::string& command, bool quiet);

/// "real 1.2 s, cpu 2.3 s, peak RSS 45.6 MB" for the end-of-run line.
std::string resourceSummary();

}  // namespace kinmatch::cli
