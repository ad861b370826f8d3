// SPDX-License-Identifier: MIT
#include "cli/RunSettings.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <unordered_set>

#include <boost/program_options.hpp>
#include <tbb/parallel_invoke.h>

#include "engine/Errors.hpp"
#include "formats/CaseDatabase.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/MtdnaReader.hpp"
#include "formats/YstrReader.hpp"
#include "formats/PedigreeReader.hpp"
#include "formats/ProfileReader.hpp"

namespace kinmatch::cli {

namespace po = boost::program_options;

namespace {

const auto gStart = std::chrono::steady_clock::now();

double secondsSinceStart() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - gStart).count();
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

void printUsage(const std::string& command, std::ostream& out) {
    const RunSettings d;
    if (command == "match") {
        out << "\nAbout:   Rank the missing persons of every family as candidates for every remains, by\n"
               "         autosomal STR kinship likelihood ratios (LR = P(references, missing person has the\n"
               "         remains' genotype) / (P(references) P(remains' genotype))).\n"
               "         mtDNA and Y-STR haplotypes of maternal- and paternal-line relatives join the same\n"
               "         ranking: the systems' log10 LRs add up (taken as independent).\n"
               "Usage:   kinmatch match -p PEDIGREES -f FREQS -r REFERENCES -u REMAINS [options]\n"
               "         kinmatch match -p PEDIGREES [-f FREQS -r REFERENCES -u REMAINS]\n"
               "             [--mtdna-references R --mtdna-remains U] [--ystr-references R --ystr-remains U]\n";
    } else {
        out << "\nAbout:   Read the inputs of a match, check them and list every problem found.\n"
               "         Lineage files are read, and each missing person's typed maternal- and\n"
               "         paternal-line relatives found, as a match would.\n"
               "Usage:   kinmatch validate -p PEDIGREES -f FREQS -r REFERENCES -u REMAINS [options]\n"
               "         kinmatch validate -p PEDIGREES [-f FREQS -r REFERENCES -u REMAINS]\n"
               "             [--mtdna-references R --mtdna-remains U] [--ystr-references R --ystr-remains U]\n";
    }
    out << "\nInput options:\n"
           "    -f, --frequencies FILE        allele frequencies: EuroForMix CSV or Familias list layout\n"
           "    -p, --pedigrees FILE          families: TSV family, id, father, mother, sex, sample, missing\n"
           "    -r, --references FILE         relatives' STR profiles: LRmix CSV or GeneMapper ID-X TSV\n"
           "    -u, --remains FILE            remains' STR profiles, same layouts\n"
           "\nModel options:\n"
           "        --database-size N         size of the frequency database; rare alleles get 5/(2N)\n"
           "        --mutation-model NAME     none, equal, proportional, stepwise or onestep ["
        << d.mutationModel
        << "]\n"
           "        --mutation-range R        stepwise: relative probability of one more step ["
        << number(d.mutationRange)
        << "]\n"
           "        --mutation-rate R         per-meiosis mutation rate, both sexes ["
        << number(d.mutationRate)
        << "]\n"
           "        --mutation-rate-female R  rate of maternal meioses [--mutation-rate]\n"
           "        --mutation-rate-male R    rate of paternal meioses [--mutation-rate]\n"
           "        --mutation-rate2 R        stepwise: rate of changes of the microvariant part ["
        << number(d.mutationRate2)
        << "]\n"
           "        --rare-allele-freq F      frequency of alleles missing from the table [5/(2N), or 0.001]\n";
    if (command == "match" || command == "validate") {
        out << "\nLineage marker options (samples named as in the pedigree's sample column and the remains;\n"
               "remains are compared with the nearest typed relative on the missing person's line):\n"
               "        --mtdna-references FILE   relatives' mtDNA: EMPOP-style TSV, .emp or .hsd\n"
               "        --mtdna-remains FILE      remains' mtDNA, same layouts\n"
               "        --mtdna-database FILE     mtDNA population database for the match statistic\n"
               "                                  [none: cannot_exclude weighs log10 LR 0]\n"
               "        --mt-exclusion N          mtDNA differences from which a pair is an exclusion ["
            << d.mtExclusion
            << "]\n"
               "        --mt-inconclusive N       mtDNA differences from which a pair is inconclusive ["
            << d.mtInconclusive
            << "]\n"
               "        --mt-min-overlap N        fewer common positions: insufficient_overlap ["
            << d.mtMinOverlap
            << "]\n"
               "        --ystr-references FILE    relatives' Y-STR haplotypes: profile CSV (DYS385,13,16)\n"
               "        --ystr-remains FILE       remains' Y-STR haplotypes, same layout\n"
               "        --ystr-database FILE      Y-STR population database [none: frequency bound 1]\n"
               "        --ystr-exclusion N        differing Y-STR loci from which a pair is an exclusion ["
            << d.ystrExclusion
            << "]\n"
               "        --ystr-inconclusive N     differing Y-STR loci from which a pair is inconclusive ["
            << d.ystrInconclusive
            << "]\n"
               "        --lineage-confidence C    confidence of the database frequency upper bounds ["
            << number(d.lineageConfidence) << "]\n";
    }
    if (command == "match") {
        out << "\nDecision options (posterior = prior*LR / (prior*LR + 1 - prior): this missing person or not,\n"
               "per pair; a candidate is an identification when LR >= --identify-lr, posterior >=\n"
               "--identify-posterior and it is the only rank 1 of its remains; excluded when LR = 0):\n"
               "        --identify-lr LR          LR an identification needs ["
            << number(d.identifyLr)
            << "]\n"
               "        --identify-posterior P    posterior an identification needs ["
            << number(d.identifyPosterior)
            << "]\n"
               "        --prior P                 prior probability that a remains is a given missing person\n"
               "                                  [1 / number of missing persons in the job]\n"
               "\nOutput options:\n"
               "        --all                     write every (remains, missing person) pair (no screening)\n"
               "        --db URL                  also store the run in a case database: sqlite:FILE (created if\n"
               "                                  missing) or postgresql://... (libpq URI); one transaction per run\n"
               "        --family-output FILE      where --top-per-family writes its TSV (or JSONL with -O jsonl)\n"
               "        --no-version              leave version and command line out of the output header\n"
               "    -o, --output FILE             results, written only when complete; - = stdout ["
            << d.output
            << "]\n"
               "    -O, --output-type TYPE        tsv, or jsonl (one JSON object per line) ["
            << d.outputType
            << "]\n"
               "        --top K                   candidates kept per remains ["
            << d.top
            << "]\n"
               "        --top-per-family K        also keep the K best remains of every missing person\n"
               "\nPerformance options:\n"
               "        --kernel NAME             screening kernel: auto, avx2 or portable; results are identical ["
            << d.kernel
            << "]\n"
               "        --table-cache-mb N        MiB for LR tables shared between families that build the\n"
               "                                  same ones; 0 = none; results are identical ["
            << d.tableCacheMb
            << "]\n"
               "        --in-memory               read every family and reference before matching; by default\n"
               "                                  families stream through the screening when the files allow\n"
               "                                  it, in far less memory; results are identical\n"
               "\nTest hook: with " << formats::kPauseHookVariable
            << "=N:FILE in the environment, --db creates FILE and\n"
               "sleeps for a minute after N candidate rows, inside its transaction (to test killed runs).\n";
    }
    out << "\nGeneral options:\n"
           "    -h, --help                    this text\n"
           "    -q, --quiet                   no progress or summary on stderr (warnings still shown)\n"
           "    -t, --threads N               worker threads [all cores]\n"
           "    -v, --verbose                 also print the version and command line on stderr\n"
           "\nExamples:\n";
    if (command == "match") {
        out << "    kinmatch match -f sample-data/frequencies.csv -p sample-data/pedigrees.tsv \\\n"
               "        -r sample-data/references.csv -u sample-data/remains.csv \\\n"
               "        --mutation-model equal --mutation-rate 0.002 -o results.tsv\n\n";
    } else {
        out << "    kinmatch validate -f sample-data/frequencies.csv -p sample-data/pedigrees.tsv \\\n"
               "        -r sample-data/references.csv -u sample-data/remains.csv\n\n";
    }
}

// A system's files come as a set: half a set is a mistake, not a smaller run.
void requireTogether(const po::variables_map& vm, std::initializer_list<const char*> options, const char* system) {
    std::string given, missing;
    for (const char* option : options) (vm.count(option) ? given : missing) += std::string(" --") + option;
    if (!given.empty() && !missing.empty())
        throw UsageError("--" + given.substr(3) + ": " + system + " also need" + missing);
}

void requireRate(double value, const char* option) {
    if (!std::isfinite(value) || value < 0.0 || value > 1.0)
        throw UsageError(std::string(option) + ": " + number(value) + " is outside [0,1]");
}

}  // namespace

engine::KernelPath kernelPath(const std::string& name) {
    if (name == "auto") return engine::KernelPath::kAuto;
    if (name == "avx2") return engine::KernelPath::kAvx2;
    if (name == "portable") return engine::KernelPath::kPortable;
    throw UsageError("--kernel: \"" + name + "\" is not one of auto, avx2, portable");
}

engine::MutationModel RunSettings::model() const {
    const auto kind = engine::decodeMutationModel(mutationModel);
    engine::MutationParameters base{kind, mutationRate, mutationRate2, mutationRange};
    engine::MutationModel m{base, base};
    if (mutationRateFemale) m.female.rate = *mutationRateFemale;
    if (mutationRateMale) m.male.rate = *mutationRateMale;
    return m;
}

engine::PrepareOptions RunSettings::prepareOptions() const {
    engine::PrepareOptions options;
    if (rareAlleleFrequency) options.rareAlleleFrequency = *rareAlleleFrequency;
    if (databaseSize) options.databaseSize = *databaseSize;
    return options;
}

std::optional<RunSettings> parseRunSettings(const std::string& command, const std::vector<std::string>& args) {
    RunSettings s;
    double rateFemale = 0.0;
    double rateMale = 0.0;
    double rare = 0.0;
    long databaseSize = 0;
    long top = static_cast<long>(s.top);  // parsed signed: Boost would wrap "-1" into a huge size_t
    long topPerFamily = 0;
    double prior = 0.0;
    po::options_description options;
    options.add_options()
        ("help,h", "")
        ("frequencies,f", po::value(&s.frequencies), "")
        ("pedigrees,p", po::value(&s.pedigrees), "")
        ("references,r", po::value(&s.references), "")
        ("remains,u", po::value(&s.remains), "")
        ("mutation-model", po::value(&s.mutationModel), "")
        ("mutation-rate", po::value(&s.mutationRate), "")
        ("mutation-rate-female", po::value(&rateFemale), "")
        ("mutation-rate-male", po::value(&rateMale), "")
        ("mutation-rate2", po::value(&s.mutationRate2), "")
        ("mutation-range", po::value(&s.mutationRange), "")
        ("rare-allele-freq", po::value(&rare), "")
        ("database-size", po::value(&databaseSize), "")
        ("threads,t", po::value(&s.threads), "")
        ("quiet,q", po::bool_switch(&s.quiet), "")
        ("verbose,v", po::bool_switch(&s.verbose), "");
    if (command == "match") {
        options.add_options()
            ("top", po::value(&top), "")
            ("all", po::bool_switch(&s.all), "")
            ("top-per-family", po::value(&topPerFamily), "")
            ("family-output", po::value(&s.familyOutput), "")
            ("kernel", po::value(&s.kernel), "")
            ("table-cache-mb", po::value(&s.tableCacheMb), "")
            ("in-memory", po::bool_switch(&s.inMemory), "")
            ("output,o", po::value(&s.output), "")
            ("output-type,O", po::value(&s.outputType), "")
            ("db", po::value(&s.database), "")
            ("prior", po::value(&prior), "")
            ("identify-lr", po::value(&s.identifyLr), "")
            ("identify-posterior", po::value(&s.identifyPosterior), "")
            ("no-version", po::bool_switch(&s.noVersion), "");
    }
    // A report reads the inputs of a match, lineage files included; validate checks them.
    const bool lineageOptions = command == "match" || command == "report" || command == "validate";
    if (lineageOptions) {
        options.add_options()
            ("mtdna-references", po::value(&s.mtdnaReferences), "")
            ("mtdna-remains", po::value(&s.mtdnaRemains), "")
            ("mtdna-database", po::value(&s.mtdnaDatabase), "")
            ("mt-exclusion", po::value(&s.mtExclusion), "")
            ("mt-inconclusive", po::value(&s.mtInconclusive), "")
            ("mt-min-overlap", po::value(&s.mtMinOverlap), "")
            ("ystr-references", po::value(&s.ystrReferences), "")
            ("ystr-remains", po::value(&s.ystrRemains), "")
            ("ystr-database", po::value(&s.ystrDatabase), "")
            ("ystr-exclusion", po::value(&s.ystrExclusion), "")
            ("ystr-inconclusive", po::value(&s.ystrInconclusive), "")
            ("lineage-confidence", po::value(&s.lineageConfidence), "");
    }
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        printUsage(command, std::cout);
        return std::nullopt;
    }
    if (!vm.count("pedigrees")) throw UsageError("--pedigrees is required");
    if (lineageOptions) {
        requireTogether(vm, {"frequencies", "references", "remains"}, "the autosomal STRs");
        requireTogether(vm, {"mtdna-references", "mtdna-remains"}, "mtDNA");
        requireTogether(vm, {"ystr-references", "ystr-remains"}, "Y-STRs");
        if (vm.count("mtdna-database") && !vm.count("mtdna-references"))
            throw UsageError("--mtdna-database needs --mtdna-references and --mtdna-remains");
        if (vm.count("ystr-database") && !vm.count("ystr-references"))
            throw UsageError("--ystr-database needs --ystr-references and --ystr-remains");
        if (!s.hasAutosomal() && !s.hasLineage())
            throw UsageError("no marker system: give -f, -r and -u (autosomal STRs), --mtdna-references and "
                             "--mtdna-remains, or --ystr-references and --ystr-remains");
        if (s.mtInconclusive < 1 || s.mtExclusion < s.mtInconclusive)
            throw UsageError("--mt-inconclusive and --mt-exclusion: need 1 <= inconclusive (" +
                             std::to_string(s.mtInconclusive) + ") <= exclusion (" + std::to_string(s.mtExclusion) + ")");
        if (s.mtMinOverlap < 1) throw UsageError("--mt-min-overlap: " + std::to_string(s.mtMinOverlap) + " must be at least 1");
        if (s.ystrInconclusive < 1 || s.ystrExclusion < s.ystrInconclusive)
            throw UsageError("--ystr-inconclusive and --ystr-exclusion: need 1 <= inconclusive (" +
                             std::to_string(s.ystrInconclusive) + ") <= exclusion (" + std::to_string(s.ystrExclusion) +
                             ")");
        if (!(s.lineageConfidence > 0.0 && s.lineageConfidence < 1.0))
            throw UsageError("--lineage-confidence: " + number(s.lineageConfidence) + " is outside (0,1)");
    } else {
        for (const char* required : {"frequencies", "references", "remains"})
            if (!vm.count(required)) throw UsageError(std::string("--") + required + " is required");
    }
    if (vm.count("mutation-rate-female")) s.mutationRateFemale = rateFemale;
    if (vm.count("mutation-rate-male")) s.mutationRateMale = rateMale;
    if (vm.count("rare-allele-freq")) {
        if (!(rare > 0.0 && rare < 1.0)) throw UsageError("--rare-allele-freq: " + number(rare) + " is outside (0,1)");
        s.rareAlleleFrequency = rare;
    }
    if (vm.count("database-size")) {
        if (databaseSize < 3) throw UsageError("--database-size: " + std::to_string(databaseSize) + " must be at least 3");
        s.databaseSize = databaseSize;
    }
    if (s.threads < 0) throw UsageError("--threads: " + std::to_string(s.threads) + " must be 0 (all cores) or more");
    if (top < 1) throw UsageError("--top: " + std::to_string(top) + " must be at least 1 (or use --all)");
    s.top = static_cast<std::size_t>(top);
    if (vm.count("top-per-family")) {
        if (topPerFamily < 1) throw UsageError("--top-per-family: " + std::to_string(topPerFamily) + " must be at least 1");
        if (s.familyOutput.empty()) throw UsageError("--top-per-family needs --family-output FILE");
        s.topPerFamily = static_cast<std::size_t>(topPerFamily);
    } else if (!s.familyOutput.empty()) {
        throw UsageError("--family-output needs --top-per-family K");
    }
    if (!s.familyOutput.empty() && s.familyOutput == s.output)
        throw UsageError("--family-output and --output name the same file");
    kernelPath(s.kernel);  // validates the name
    if (s.tableCacheMb < 0 || s.tableCacheMb > (1LL << 30))
        throw UsageError("--table-cache-mb: " + std::to_string(s.tableCacheMb) +
                         " is not a size in MiB from 0 (no table cache) to 2^30");
    if (s.outputType != "tsv" && s.outputType != "jsonl")
        throw UsageError("--output-type: \"" + s.outputType + "\" is not one of tsv, jsonl");
    if (vm.count("prior")) {
        if (!(prior > 0.0 && prior <= 1.0)) throw UsageError("--prior: " + number(prior) + " is outside (0,1]");
        s.prior = prior;
    }
    if (!(std::isfinite(s.identifyLr) && s.identifyLr > 0.0))
        throw UsageError("--identify-lr: " + number(s.identifyLr) + " must be a positive number");
    if (!(s.identifyPosterior > 0.0 && s.identifyPosterior <= 1.0))
        throw UsageError("--identify-posterior: " + number(s.identifyPosterior) + " is outside (0,1]");
    if (vm.count("db") && s.database.empty()) throw UsageError("--db: empty URL (expected sqlite:PATH or postgresql://...)");
    requireRate(s.mutationRate, "--mutation-rate");
    if (s.mutationRateFemale) requireRate(*s.mutationRateFemale, "--mutation-rate-female");
    if (s.mutationRateMale) requireRate(*s.mutationRateMale, "--mutation-rate-male");
    requireRate(s.mutationRate2, "--mutation-rate2");
    engine::validateMutationModel(s.model());  // also decodes the model name
    return s;
}

std::vector<std::pair<std::string, std::string>> RunSettings::inputFiles() const {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [role, path] : std::vector<std::pair<std::string, std::string>>{
             {"frequencies", frequencies},
             {"pedigrees", pedigrees},
             {"references", references},
             {"remains", remains},
             {"mtdna-references", mtdnaReferences},
             {"mtdna-remains", mtdnaRemains},
             {"mtdna-database", mtdnaDatabase},
             {"ystr-references", ystrReferences},
             {"ystr-remains", ystrRemains},
             {"ystr-database", ystrDatabase}})
        if (!path.empty()) files.emplace_back(role, path);
    return files;
}

namespace {

// Names typed only by lineage files join the profiles as untyped samples, in file order.
template <typename Haplotypes>
void addUntypedSamples(ProfileSet& profiles, std::unordered_set<std::string>& names, const Haplotypes& haplotypes) {
    for (const auto& h : haplotypes)
        if (names.insert(h.sample).second) profiles.profiles.push_back(Profile{h.sample, {}, {}, h.source});
}

}  // namespace

ReadInputs readInputs(const RunSettings& settings) {
    // The files are independent until prepareCase: read them at once (at national scale
    // references and pedigrees each take about a second). Errors and warnings are then taken
    // in the fixed order of the slots, as a serial read would.
    ReadInputs in;
    Warnings pedigreeWarnings;
    std::exception_ptr errors[10];
    auto guarded = [&errors](int slot, const std::string& path, auto&& read) {
        return [&errors, slot, path, read] {
            if (path.empty()) return;
            try {
                read();
            } catch (...) {
                errors[slot] = std::current_exception();
            }
        };
    };
    const RunSettings& s = settings;
    tbb::parallel_invoke(
        guarded(0, s.frequencies, [&] { in.frequencies = formats::readFrequencyFile(s.frequencies, in.warnings); }),
        guarded(1, s.pedigrees, [&] { in.pedigrees = formats::readPedigreeFile(s.pedigrees, pedigreeWarnings); }),
        guarded(2, s.references, [&] { in.references = formats::readProfileFile(s.references); }),
        guarded(3, s.remains, [&] { in.remains = formats::readProfileFile(s.remains); }),
        guarded(4, s.mtdnaReferences, [&] { in.mtReferences = formats::readMtdnaFile(s.mtdnaReferences); }),
        guarded(5, s.mtdnaRemains, [&] { in.mtRemains = formats::readMtdnaFile(s.mtdnaRemains); }),
        guarded(6, s.mtdnaDatabase, [&] { in.mtDatabase = formats::readMtdnaFile(s.mtdnaDatabase); }),
        guarded(7, s.ystrReferences, [&] { in.yReferences = formats::readYstrFile(s.ystrReferences); }),
        guarded(8, s.ystrRemains, [&] { in.yRemains = formats::readYstrFile(s.ystrRemains); }),
        guarded(9, s.ystrDatabase, [&] { in.yDatabase = formats::readYstrFile(s.ystrDatabase); }));
    for (const auto& e : errors)
        if (e) in.errors.push_back(e);
    for (const auto& w : pedigreeWarnings.messages()) in.warnings.add(w);
    return in;
}

LoadedCase loadCase(const RunSettings& settings) {
    ReadInputs inputs = readInputs(settings);
    if (!inputs.errors.empty()) std::rethrow_exception(inputs.errors.front());
    return resolveInputs(settings, std::move(inputs));
}

LoadedCase resolveInputs(const RunSettings& settings, ReadInputs&& in) {
    const RunSettings& s = settings;
    Warnings& warnings = in.warnings;
    FrequencyTable& frequencies = in.frequencies;
    PedigreeSet& pedigrees = in.pedigrees;
    ProfileSet& references = in.references;
    ProfileSet& remains = in.remains;
    auto& mtReferences = in.mtReferences;
    auto& mtRemains = in.mtRemains;
    auto& mtDatabase = in.mtDatabase;
    auto& yReferences = in.yReferences;
    auto& yRemains = in.yRemains;
    auto& yDatabase = in.yDatabase;
    engine::PrepareOptions prepareOptions = s.prepareOptions();
    if (s.hasLineage()) {
        prepareOptions.withoutAutosomalMarkers = !s.hasAutosomal();
        std::unordered_set<std::string> referenceNames, remainsNames;
        for (const auto& p : references.profiles) referenceNames.insert(p.sampleName);
        for (const auto& p : remains.profiles) remainsNames.insert(p.sampleName);
        addUntypedSamples(references, referenceNames, mtReferences);
        addUntypedSamples(references, referenceNames, yReferences.haplotypes);
        addUntypedSamples(remains, remainsNames, mtRemains);
        addUntypedSamples(remains, remainsNames, yRemains.haplotypes);
        for (const std::string* file : {&s.references, &s.mtdnaReferences, &s.ystrReferences})
            if (!file->empty())
                prepareOptions.referenceFiles += (prepareOptions.referenceFiles.empty() ? "" : " or ") + *file;
    }
    LoadedCase loaded;
    loaded.prepared = engine::prepareCase(frequencies, references, pedigrees, remains, prepareOptions, warnings);
    loaded.warnings = warnings.messages();
    if (s.hasMtdna()) {
        engine::lineage::MtInputs mt;
        mt.options.exclusionDifferences = static_cast<std::size_t>(s.mtExclusion);
        mt.options.inconclusiveDifferences = static_cast<std::size_t>(s.mtInconclusive);
        mt.options.minComparedPositions = static_cast<std::size_t>(s.mtMinOverlap);
        mt.references = std::move(mtReferences);
        mt.remains = std::move(mtRemains);
        if (!s.mtdnaDatabase.empty())
            mt.database = std::make_shared<const engine::mt::Database>(std::move(mtDatabase), mt.options,
                                                                       s.lineageConfidence);
        else
            loaded.warnings.push_back("no --mtdna-database: an mtDNA match (cannot_exclude) weighs log10 LR 0");
        loaded.mtdna = std::move(mt);
    }
    if (s.hasYstr()) {
        engine::lineage::YstrInputs y;
        y.references = std::move(yReferences.haplotypes);
        y.remains = std::move(yRemains.haplotypes);
        y.database = engine::ystr::Database(std::move(yDatabase.haplotypes));
        y.thresholds = {s.ystrInconclusive, s.ystrExclusion};
        y.confidence = s.lineageConfidence;
        if (s.ystrDatabase.empty())
            loaded.warnings.push_back(
                "no --ystr-database: Y-STR LRs are P(differences) alone, without the haplotype's frequency");
        loaded.ystr = std::move(y);
    }
    return loaded;
}

engine::ProgressCallback stderrProgress(const std::string& command, bool quiet) {
    if (quiet) return {};
    auto lastReport = std::make_shared<double>(0.0);
    return [command, lastReport](const char* stage, std::size_t done, std::size_t total) {
        const double now = secondsSinceStart();
        if (now < 3.0 || (now - *lastReport < 2.0 && done != total)) return;
        *lastReport = now;
        std::fprintf(stderr, "[kinmatch %s] %s %zu/%zu (%.0f%%), %.1f s\n", command.c_str(), stage, done, total,
                     total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, now);
    };
}

std::string resourceSummary() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "real %.2f s, cpu %.2f s, peak RSS %.1f MB", secondsSinceStart(), cpu,
                  static_cast<double>(usage.ru_maxrss) / 1024.0);
    return buffer;
}

}  // namespace kinmatch::cli
