// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>
#include <oneapi/tbb/global_control.h>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/LineageEvidence.hpp"
#include "formats/ReportLineage.hpp"
#include "engine/Errors.hpp"
#include "formats/CaseDatabase.hpp"
#include "formats/HtmlReport.hpp"
#include "formats/ReportData.hpp"
#include "formats/ReportFromDatabase.hpp"

namespace kinmatch::cli {

namespace po = boost::program_options;

namespace {

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

void printUsage(std::ostream& out) {
    const RunSettings d;
    out << "\nAbout:   Write a static HTML report of a match run: the run's inputs (with SHA-256), parameters\n"
           "         and warnings, an LR distribution plot, and for every remains its ranked candidates, each\n"
           "         with the family pedigree drawn, the genotypes of the remains and of the typed relatives,\n"
           "         and every marker's log10 LR. The pages need no network and no script; one page per\n"
           "         remains keeps the report usable for thousands of remains.\n"
           "Usage:   kinmatch report --db URL [--run N] [-f FREQS] [-p PEDIGREES] [-r REFERENCES] [-u REMAINS]\n"
           "                         -o DIR\n"
           "         kinmatch report --results RESULTS.tsv -f FREQS -p PEDIGREES -r REFERENCES -u REMAINS\n"
           "                         [model options] -o DIR\n"
           "\n"
           "         --db: the report of a run stored by `kinmatch match --db` (the latest unless --run):\n"
           "         candidates, posteriors, decisions and the run's record come from the database. The\n"
           "         database keeps no allele frequencies, so the run's input files are read again from\n"
           "         the paths it recorded (relative ones from the current directory; -f, -p, -r, -u give\n"
           "         the new place of a file that moved) and each must still have the SHA-256 the run\n"
           "         recorded, else the report is refused. The model is the run's recorded one.\n"
           "\n"
           "         --results: give the same input files and model options as the `kinmatch match` run\n"
           "         that wrote RESULTS.tsv: the per-marker log10 LRs are recomputed from them.\n"
           "\n"
           "         Either way the report warns (on stderr and on its index page) for every pair whose\n"
           "         per-marker values do not add up to the run's (autosomal) log10 LR.\n"
           "\nInput options:\n"
           "        --db URL                  case database: sqlite:FILE or postgresql://... (libpq URI)\n"
           "    -f, --frequencies FILE        allele frequencies of the run (with --db: where the file is now)\n"
           "    -p, --pedigrees FILE          pedigrees of the run (with --db: likewise)\n"
           "    -r, --references FILE         relatives' STR profiles of the run (with --db: likewise)\n"
           "        --results FILE            the results TSV written by kinmatch match\n"
           "    -u, --remains FILE            remains' STR profiles of the run (with --db: likewise)\n"
           "        --run N                   with --db: the run to report [the latest]\n"
           "\nLineage options (a run with mtDNA or Y-STR files; with --results as given to kinmatch match,\n"
           "with --db only to give a moved file's new place; thresholds come from the run):\n"
           "        --mtdna-references FILE, --mtdna-remains FILE, --mtdna-database FILE\n"
           "        --ystr-references FILE, --ystr-remains FILE, --ystr-database FILE\n"
           "        --mt-exclusion N, --mt-inconclusive N, --mt-min-overlap N, --ystr-exclusion N,\n"
           "        --ystr-inconclusive N, --lineage-confidence C (with --results)\n"
           "Each candidate's page then lists the relative its remains were compared with per system,\n"
           "the meioses, the differences and the recomputed log10 LR (warned about if it differs).\n"
           "\nModel options (with --results; as given to kinmatch match):\n"
           "        --database-size N         size of the frequency database; rare alleles get 5/(2N)\n"
           "        --mutation-model NAME     none, equal, proportional, stepwise or onestep ["
        << d.mutationModel << "]\n"
        << "        --mutation-range R        stepwise: relative probability of one more step ["
        << number(d.mutationRange) << "]\n"
        << "        --mutation-rate R         per-meiosis mutation rate, both sexes [" << number(d.mutationRate)
        << "]\n"
           "        --mutation-rate-female R  rate of maternal meioses [--mutation-rate]\n"
           "        --mutation-rate-male R    rate of paternal meioses [--mutation-rate]\n"
           "        --mutation-rate2 R        stepwise: rate of changes of the microvariant part ["
        << number(d.mutationRate2) << "]\n"
        << "        --rare-allele-freq F      frequency of alleles missing from the table [5/(2N), or 0.001]\n"
           "\nOutput options:\n"
           "        --force                   replace DIR when it holds a previous report\n"
           "    -o, --output DIR              report directory: DIR/index.html and DIR/remains/*.html; written\n"
           "                                  beside DIR and renamed into place when complete\n"
           "\nGeneral options:\n"
           "    -h, --help                    this text\n"
           "    -q, --quiet                   no summary on stderr (warnings still shown)\n"
           "    -t, --threads N               worker threads [all cores]\n"
           "    -v, --verbose                 also print the version and command line on stderr\n"
           "\nExamples:\n"
           "    kinmatch match -f sample-data/frequencies.csv -p sample-data/pedigrees.tsv \\\n"
           "        -r sample-data/references.csv -u sample-data/remains.csv \\\n"
           "        --mutation-model equal --mutation-rate 0.002 -o results.tsv --db sqlite:cases.sqlite\n"
           "    kinmatch report --db sqlite:cases.sqlite -o report\n"
           "    kinmatch report --results results.tsv -f sample-data/frequencies.csv \\\n"
           "        -p sample-data/pedigrees.tsv -r sample-data/references.csv -u sample-data/remains.csv \\\n"
           "        --mutation-model equal --mutation-rate 0.002 -o report\n\n";
}

// The model the per-marker values were recomputed with, for the run table.
std::string modelDescription(const RunSettings& s) {
    const auto model = s.model();
    std::string text = "mutation " + s.mutationModel;
    if (!model.isNone()) {
        text += ", rate female " + number(model.female.rate) + " male " + number(model.male.rate);
        if (model.female.kind == engine::MutationModelKind::kStepwise)
            text += ", rate2 " + number(s.mutationRate2) + ", range " + number(s.mutationRange);
    }
    return text + "; rare-allele frequency " + number(s.prepareOptions().effectiveRareAlleleFrequency());
}

// Refuses an occupied directory before the work, not after it (writeHtmlReport checks again).
void checkOutputDirectory(const std::string& output, bool force) {
    std::error_code error;
    const std::filesystem::path directory(output);
    if (std::filesystem::exists(directory, error) && std::filesystem::is_directory(directory, error) &&
        !std::filesystem::is_empty(directory, error) && !force)
        throw Error(output + ": directory is not empty (use --force to replace a previous report)");
}

std::size_t threadCount(int threads) {
    return static_cast<std::size_t>(threads > 0 ? threads
                                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

// What both sources end in: the report's own warnings on the terminal, the pages, the summary.
void finishReport(const formats::ReportData& data, const std::string& output, bool force, bool quiet, bool verbose,
                  const std::string& commandLine) {
    constexpr std::size_t kWarningsOnTerminal = 10;
    for (std::size_t i = 0; i < data.reportWarnings.size() && i < kWarningsOnTerminal; ++i)
        std::cerr << "[kinmatch report] warning: " << data.reportWarnings[i] << '\n';
    if (data.reportWarnings.size() > kWarningsOnTerminal)
        std::cerr << "[kinmatch report] warning: ... and " << data.reportWarnings.size() - kWarningsOnTerminal
                  << " more warnings, every one listed on the report's index page\n";

    const std::filesystem::path directory(output);
    formats::writeHtmlReport(data, directory, force);
    if (!quiet) {
        std::size_t pairs = 0;
        for (const auto& r : data.remains) pairs += r.candidates.size();
        std::cerr << "[kinmatch report] " << data.remains.size() << " remains, " << pairs << " candidates -> "
                  << (directory / "index.html").string() << "; " << resourceSummary() << '\n';
    }
    if (verbose) std::cerr << "[kinmatch report] " << versionLine() << "\n[kinmatch report] command: " << commandLine << '\n';
}

// The lineage comparisons of every candidate, when the run had lineage files.
void addLineage(formats::ReportData& data, LoadedCase& loaded) {
    if (!loaded.mtdna && !loaded.ystr) return;
    const engine::lineage::LineageEvidence evidence(loaded.prepared, std::move(loaded.mtdna), std::move(loaded.ystr));
    formats::addLineageComparisons(data, loaded.prepared, evidence);
}

// The lineage thresholds a run recorded (absent from runs without lineage files: defaults).
void applyRecordedLineageOptions(const formats::RunInfo& info, RunSettings& s) {
    for (const auto& [name, value] : info.parameters) {
        try {
            if (name == "mt-exclusion") s.mtExclusion = std::stoi(value);
            if (name == "mt-inconclusive") s.mtInconclusive = std::stoi(value);
            if (name == "mt-min-overlap") s.mtMinOverlap = std::stoi(value);
            if (name == "ystr-exclusion") s.ystrExclusion = std::stoi(value);
            if (name == "ystr-inconclusive") s.ystrInconclusive = std::stoi(value);
            if (name == "lineage-confidence") s.lineageConfidence = std::stod(value);
        } catch (const std::exception&) {
            throw Error("run " + std::to_string(info.id) + ": recorded parameter " + name + " = \"" + value +
                        "\" is not a number");
        }
    }
}

// The options a run records: with --db they come from the run, never from the command line.
const char* const kModelOptions[] = {"mutation-model", "mutation-rate",  "mutation-rate-female", "mutation-rate-male",
                                     "mutation-rate2", "mutation-range", "rare-allele-freq",     "database-size"};

// `report --db`: see formats/ReportFromDatabase.hpp for why the input files are read again.
int runReportFromDatabase(const std::string& url, std::optional<std::int64_t> run, const std::string& output,
                          bool force, const std::vector<std::string>& rest, const std::string& commandLine) {
    RunSettings s;
    // Where each recorded input is read from with --db: a moved file's new place, else "".
    std::map<std::string, std::string> moved;
    for (const auto& role : formats::kReportInputRoles) moved[role];
    po::options_description options;
    options.add_options()("frequencies,f", po::value(&moved["frequencies"]), "")(
        "pedigrees,p", po::value(&moved["pedigrees"]), "")("references,r", po::value(&moved["references"]), "")(
        "remains,u", po::value(&moved["remains"]), "")("threads,t", po::value(&s.threads), "")(
        "quiet,q", po::bool_switch(&s.quiet), "")("verbose,v", po::bool_switch(&s.verbose), "");
    for (const auto& role : formats::kReportInputRoles)
        if (role.find('-') != std::string::npos) options.add_options()(role.c_str(), po::value(&moved[role]), "");
    for (const char* name : kModelOptions) options.add_options()(name, po::value<std::string>(), "");
    po::variables_map vm;
    po::store(po::command_line_parser(rest).options(options).run(), vm);
    po::notify(vm);
    for (const char* name : kModelOptions)
        if (vm.count(name))
            throw UsageError(std::string("--") + name +
                             " does not apply with --db: the per-marker values are recomputed with the model the run "
                             "recorded");
    if (s.threads < 0) throw UsageError("--threads: " + std::to_string(s.threads) + " must be 0 (all cores) or more");
    checkOutputDirectory(output, force);
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threadCount(s.threads));

    const auto database = formats::openCaseDatabase(url, formats::OpenMode::kMustExist);
    const std::string name = formats::redactedDatabaseUrl(url);
    const formats::RunInfo info = formats::chooseReportRun(*database, run);
    const formats::RecordedModel recorded = formats::decodeRecordedModel(info, name);
    std::map<std::string, std::string> relocated;
    for (const auto& [role, path] : moved)
        if (!path.empty()) relocated.emplace(role, path);
    formats::DatabaseReportSources sources;
    sources.database = name;
    sources.readFrom = formats::verifiedInputFiles(info, name, relocated);
    sources.reportVersion = versionLine();
    sources.reportCommandLine = commandLine;

    // The run's settings, so that loading and the model line are those of `--results`.
    const auto readFrom = [&](const char* role) {
        const auto it = sources.readFrom.find(role);
        return it == sources.readFrom.end() ? std::string() : it->second;
    };
    s.frequencies = readFrom("frequencies");
    s.pedigrees = readFrom("pedigrees");
    s.references = readFrom("references");
    s.remains = readFrom("remains");
    s.mtdnaReferences = readFrom("mtdna-references");
    s.mtdnaRemains = readFrom("mtdna-remains");
    s.mtdnaDatabase = readFrom("mtdna-database");
    s.ystrReferences = readFrom("ystr-references");
    s.ystrRemains = readFrom("ystr-remains");
    s.ystrDatabase = readFrom("ystr-database");
    applyRecordedLineageOptions(info, s);
    s.mutationModel = recorded.mutationModel;
    s.mutationRateFemale = recorded.model.female.rate;
    s.mutationRateMale = recorded.model.male.rate;
    s.mutationRate2 = recorded.model.female.rate2;
    s.mutationRange = recorded.model.female.range;
    if (recorded.prepare.rareAlleleFrequency > 0.0) s.rareAlleleFrequency = recorded.prepare.rareAlleleFrequency;
    if (recorded.prepare.databaseSize > 0) s.databaseSize = recorded.prepare.databaseSize;

    LoadedCase loaded = loadCase(s);
    formats::ReportData data =
        formats::reportFromDatabase(*database, info, sources, loaded.prepared, recorded.model, loaded.warnings);
    addLineage(data, loaded);
    data.run.parameters.emplace_back("per-marker values recomputed with",
                                     modelDescription(s) + " (the run's recorded model and input files)");
    finishReport(data, output, force, s.quiet, s.verbose, commandLine);
    return 0;
}

}  // namespace

int runReport(const std::vector<std::string>& args, const std::string& commandLine) {
    // The report's own options; with --results the inputs and model options are exactly those
    // of a match run and go through the same parser (as `validate` takes them).
    std::string results;
    std::string url;
    std::int64_t runNumber = 0;
    std::string output;
    bool force = false;
    po::options_description own;
    own.add_options()("help,h", "")("results", po::value(&results), "")("db", po::value(&url), "")(
        "run", po::value(&runNumber), "")("output,o", po::value(&output), "")("force", po::bool_switch(&force), "");
    const auto parsed = po::command_line_parser(args).options(own).allow_unregistered().run();
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    if (vm.count("help")) {
        printUsage(std::cout);
        return 0;
    }
    const auto rest = po::collect_unrecognized(parsed.options, po::include_positional);
    if (vm.count("db")) {
        if (vm.count("results"))
            throw UsageError("--db and --results exclude each other (a report is made from one source)");
        if (url.empty()) throw UsageError("--db: empty URL (expected sqlite:PATH or postgresql://...)");
        if (output.empty()) throw UsageError("--output is required (the report directory)");
        std::optional<std::int64_t> run;
        if (vm.count("run")) {
            if (runNumber < 1) throw UsageError("--run: " + std::to_string(runNumber) + " must be at least 1");
            run = runNumber;
        }
        return runReportFromDatabase(url, run, output, force, rest, commandLine);
    }
    if (vm.count("run")) throw UsageError("--run applies to --db only (a results TSV holds one run)");
    const auto settings = parseRunSettings("report", rest);
    if (!settings) return 0;
    const RunSettings& s = *settings;
    if (results.empty()) throw UsageError("--results or --db is required (the run to report)");
    if (output.empty()) throw UsageError("--output is required (the report directory)");
    checkOutputDirectory(output, force);
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threadCount(s.threads));

    LoadedCase loaded = loadCase(s);
    formats::ResultsTsvSources sources;
    sources.results = results;
    for (const auto& [role, path] : s.inputFiles()) sources.inputs.push_back({role, path, ""});
    sources.reportVersion = versionLine();
    sources.reportCommandLine = commandLine;
    formats::ReportData data = formats::reportFromResultsTsv(sources, loaded.prepared, s.model(), loaded.warnings);
    addLineage(data, loaded);
    data.run.parameters.emplace_back("per-marker values recomputed with", modelDescription(s));
    finishReport(data, output, force, s.quiet, s.verbose, commandLine);
    return 0;
}

}  // namespace kinmatch::cli
