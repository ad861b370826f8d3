// SPDX-License-Identifier: MIT
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>
#include <oneapi/tbb/global_control.h>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Errors.hpp"
#include "formats/HtmlReport.hpp"
#include "formats/ReportData.hpp"

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
           "Usage:   kinmatch report --results RESULTS.tsv -f FREQS -p PEDIGREES -r REFERENCES -u REMAINS\n"
           "                         [model options] -o DIR\n"
           "\n"
           "         Give the same input files and model options as the `kinmatch match` run that wrote\n"
           "         RESULTS.tsv: the per-marker log10 LRs are recomputed from them, and the report warns\n"
           "         (on stderr and on its index page) for every pair whose per-marker values do not add up\n"
           "         to the log10_lr of the results. Columns posterior and decision are shown when present.\n"
           "\nInput options:\n"
           "    -f, --frequencies FILE        allele frequencies of the run\n"
           "    -p, --pedigrees FILE          pedigrees of the run\n"
           "    -r, --references FILE         relatives' STR profiles of the run\n"
           "        --results FILE            the results TSV written by kinmatch match\n"
           "    -u, --remains FILE            remains' STR profiles of the run\n"
           "\nModel options (as given to kinmatch match):\n"
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
           "        --mutation-model equal --mutation-rate 0.002 -o results.tsv\n"
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

}  // namespace

int runReport(const std::vector<std::string>& args, const std::string& commandLine) {
    // The report's own options; the inputs and model options are exactly those of a match
    // run and go through the same parser (as `validate` takes them).
    std::string results;
    std::string output;
    bool force = false;
    po::options_description own;
    own.add_options()("help,h", "")("results", po::value(&results), "")("output,o", po::value(&output), "")(
        "force", po::bool_switch(&force), "");
    const auto parsed = po::command_line_parser(args).options(own).allow_unregistered().run();
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    if (vm.count("help")) {
        printUsage(std::cout);
        return 0;
    }
    const auto rest = po::collect_unrecognized(parsed.options, po::include_positional);
    const auto settings = parseRunSettings("validate", rest);
    if (!settings) return 0;
    const RunSettings& s = *settings;
    if (results.empty()) throw UsageError("--results is required (the TSV written by kinmatch match)");
    if (output.empty()) throw UsageError("--output is required (the report directory)");
    // Refuse an occupied directory before the work, not after it.
    std::error_code error;
    const std::filesystem::path directory(output);
    if (std::filesystem::exists(directory, error) && std::filesystem::is_directory(directory, error) &&
        !std::filesystem::is_empty(directory, error) && !force)
        throw Error(output + ": directory is not empty (use --force to replace a previous report)");

    const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

    LoadedCase loaded = loadCase(s);
    formats::ResultsTsvSources sources;
    sources.results = results;
    sources.inputs = {{"frequencies", s.frequencies, ""},
                      {"pedigrees", s.pedigrees, ""},
                      {"references", s.references, ""},
                      {"remains", s.remains, ""}};
    sources.reportVersion = versionLine();
    sources.reportCommandLine = commandLine;
    formats::ReportData data = formats::reportFromResultsTsv(sources, loaded.prepared, s.model(), loaded.warnings);
    data.run.parameters.emplace_back("per-marker values recomputed with", modelDescription(s));

    constexpr std::size_t kWarningsOnTerminal = 10;
    for (std::size_t i = 0; i < data.reportWarnings.size() && i < kWarningsOnTerminal; ++i)
        std::cerr << "[kinmatch report] warning: " << data.reportWarnings[i] << '\n';
    if (data.reportWarnings.size() > kWarningsOnTerminal)
        std::cerr << "[kinmatch report] warning: ... and " << data.reportWarnings.size() - kWarningsOnTerminal
                  << " more warnings, every one listed on the report's index page\n";

    formats::writeHtmlReport(data, directory, force);
    if (!s.quiet) {
        std::size_t pairs = 0;
        for (const auto& r : data.remains) pairs += r.candidates.size();
        std::cerr << "[kinmatch report] " << data.remains.size() << " remains, " << pairs << " candidates -> "
                  << (directory / "index.html").string() << "; " << resourceSummary() << '\n';
    }
    if (s.verbose) std::cerr << "[kinmatch report] " << versionLine() << "\n[kinmatch report] command: " << commandLine << '\n';
    return 0;
}

}  // namespace kinmatch::cli
