// SPDX-License-Identifier: MIT
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>

#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Errors.hpp"
#include "engine/LineageSimulation.hpp"
#include "engine/Simulation.hpp"
#include "formats/CaseWriter.hpp"
#include "formats/FrequencyReader.hpp"
#include "formats/MtdnaWriter.hpp"
#include "formats/OutputFile.hpp"

namespace kinmatch::cli {

namespace po = boost::program_options;

namespace {

// Every option of `kinmatch simulate` with its default; the usage text reads them from here.
struct SimulateSettings {
    std::string frequencies;
    std::string out;
    // Counts are parsed signed: Boost would wrap "-1" into a huge unsigned value.
    long long families = 0;
    long long remains = 0;
    long long markers = 0;  // 0 = every marker of the table
    std::string seed = "1";
    double trueFraction = engine::SimulationOptions{}.trueFraction;
    double missingMarkerRate = engine::SimulationOptions{}.missingMarkerRate;
    bool force = false;
    // Lineage markers for the same families and remains, and population databases.
    bool mtdna = false;
    bool ystr = false;
    long long lineageDatabase = 2000;
    int threads = 0;  // 0 = all cores
    bool quiet = false;
    // The mutation flags are those of `match`, held and turned into a model the same way;
    // only the defaults differ, because simulated families should carry some mutations.
    RunSettings mutation = [] {
        RunSettings s;
        s.mutationModel = "equal";
        s.mutationRate = 0.001;
        return s;
    }();
};

// The files of a run, in the order they are written; the lineage files only when asked for.
constexpr std::array<const char*, 6> kOutputNames{"frequencies.csv", "pedigrees.tsv", "references.csv",
                                                  "remains.csv",     "truth.tsv",     "simulation.txt"};
constexpr std::array<const char*, 3> kMtdnaOutputNames{"mtdna-references.tsv", "mtdna-remains.tsv",
                                                       "mtdna-database.tsv"};
constexpr std::array<const char*, 3> kYstrOutputNames{"ystr-references.csv", "ystr-remains.csv", "ystr-database.csv"};
// Database entries per slice, and how many of them the diversity line of simulation.txt
// summarises (all of them up to this; the summary holds them in memory).
constexpr std::size_t kDatabasePerSlice = 5000;
constexpr std::size_t kDiversitySample = 100000;

// Families or remains per slice of the output pipeline: large enough to amortise a token,
// small enough that a few slices in flight per thread stay a few MB.
constexpr std::size_t kFamiliesPerSlice = 2000;
constexpr std::size_t kRemainsPerSlice = 1000;

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

void printUsage(std::ostream& out) {
    const SimulateSettings d;
    out << "\nAbout:   Write a synthetic identification case with its answer key: families of varied shapes\n"
           "         (parents, siblings, half-siblings, spouse and children, grandparents, uncles and aunts,\n"
           "         cousins; 1-4 typed relatives and 1-2 missing persons each), the relatives' STR profiles,\n"
           "         and remains of which a chosen share truly are missing persons, the rest unrelated.\n"
           "         Genotypes follow Mendelian transmission with mutation. With --mtdna / --ystr, also the\n"
           "         lineage haplotypes of the same people and population databases, drawn from a simulated\n"
           "         genealogy with realistic diversity (see engine/README.md). A seed gives the same files\n"
           "         whatever the number of threads.\n"
           "Usage:   kinmatch simulate --families N --remains M -f FREQS -o DIR [options]\n"
           "\nInput options:\n"
           "    -f, --frequencies FILE        allele frequencies: EuroForMix CSV or Familias list layout\n"
           "        --markers L               use the first L STR markers of FILE, in file order [all]\n"
           "\nPopulation options:\n"
           "        --families N              families to simulate (required)\n"
           "        --missing-marker-rate R   probability that a remains marker is untyped (degradation) ["
        << number(d.missingMarkerRate)
        << "]\n"
           "        --remains M               remains to simulate (required)\n"
           "        --seed S                  random seed, 0 to 18446744073709551615 ["
        << d.seed
        << "]\n"
           "        --true-fraction F         share of the remains that are missing persons, at most one\n"
           "                                  remains per missing person ["
        << number(d.trueFraction)
        << "]\n"
           "\nLineage options:\n"
           "        --lineage-database N      haplotypes in each population database ["
        << d.lineageDatabase
        << "]\n"
           "        --mtdna                   also write mtdna-references.tsv, mtdna-remains.tsv and\n"
           "                                  mtdna-database.tsv (EMPOP-style TSV): most relatives on a missing\n"
           "                                  person's maternal line, most remains; control regions, some whole\n"
           "                                  mitogenomes or HVS-I/II only, a third of the remains degraded\n"
           "        --ystr                    also write ystr-references.csv, ystr-remains.csv and ystr-database.csv\n"
           "                                  (Yfiler Plus, DYS385 and DYF387S1 two copies): most men on a male\n"
           "                                  missing person's paternal line, many male remains\n"
           "\nModel options (as for kinmatch match, but by default equal with rate "
        << number(d.mutation.mutationRate)
        << "):\n"
           "        --mutation-model NAME     none, equal, proportional, stepwise or onestep ["
        << d.mutation.mutationModel
        << "]\n"
           "        --mutation-range R        stepwise: relative probability of one more step ["
        << number(d.mutation.mutationRange)
        << "]\n"
           "        --mutation-rate R         per-meiosis mutation rate, both sexes ["
        << number(d.mutation.mutationRate)
        << "]\n"
           "        --mutation-rate-female R  rate of maternal meioses [--mutation-rate]\n"
           "        --mutation-rate-male R    rate of paternal meioses [--mutation-rate]\n"
           "        --mutation-rate2 R        stepwise: rate of changes of the microvariant part ["
        << number(d.mutation.mutationRate2)
        << "]\n"
           "\nOutput options:\n"
           "        --force                   overwrite the files of an earlier run in DIR (and remove its\n"
           "                                  lineage files this run does not write)\n"
           "    -o, --out DIR                 folder, created if missing (required); receives frequencies.csv,\n"
           "                                  pedigrees.tsv, references.csv, remains.csv, truth.tsv,\n"
           "                                  simulation.txt and the lineage files asked for, all written only\n"
           "                                  once every one is complete\n"
           "\nGeneral options:\n"
           "    -h, --help                    this text\n"
           "    -q, --quiet                   no progress or summary on stderr (warnings still shown)\n"
           "    -t, --threads N               worker threads [all cores]\n"
           "\nExamples:\n"
           "    kinmatch simulate -f tests/data/frequencies/norstr-east-asia-2023.csv --markers 21 \\\n"
           "        --families 1000 --remains 200 --seed 7 -o sim\n"
           "    kinmatch match -f sim/frequencies.csv -p sim/pedigrees.tsv -r sim/references.csv \\\n"
           "        -u sim/remains.csv --mutation-model equal --mutation-rate 0.001 -o sim/results.tsv\n"
           "    kinmatch simulate -f tests/data/frequencies/norstr-east-asia-2023.csv --families 40000 \\\n"
           "        --remains 10000 --mtdna --seed 7 -o blind\n"
           "    kinmatch mtdna compare -q blind/mtdna-remains.tsv -r blind/mtdna-references.tsv \\\n"
           "        -d blind/mtdna-database.tsv -o blind/mtdna-pairs.tsv\n\n";
}

std::uint64_t decodeSeed(const std::string& text) {
    std::uint64_t seed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw UsageError("--seed: \"" + text + "\" is not a whole number from 0 to 18446744073709551615");
    return seed;
}

void requireRate(double value, const char* option) {
    if (!std::isfinite(value) || value < 0.0 || value > 1.0)
        throw UsageError(std::string(option) + ": " + number(value) + " is outside [0,1]");
}

std::optional<SimulateSettings> parseSettings(const std::vector<std::string>& args) {
    SimulateSettings s;
    RunSettings& m = s.mutation;
    double rateFemale = 0.0;
    double rateMale = 0.0;
    po::options_description options;
    // clang-format off
    options.add_options()
        ("help,h", "")
        ("frequencies,f", po::value(&s.frequencies), "")
        ("markers", po::value(&s.markers), "")
        ("families", po::value(&s.families), "")
        ("remains", po::value(&s.remains), "")
        ("seed", po::value(&s.seed), "")
        ("true-fraction", po::value(&s.trueFraction), "")
        ("missing-marker-rate", po::value(&s.missingMarkerRate), "")
        ("mutation-model", po::value(&m.mutationModel), "")
        ("mutation-rate", po::value(&m.mutationRate), "")
        ("mutation-rate-female", po::value(&rateFemale), "")
        ("mutation-rate-male", po::value(&rateMale), "")
        ("mutation-rate2", po::value(&m.mutationRate2), "")
        ("mutation-range", po::value(&m.mutationRange), "")
        ("out,o", po::value(&s.out), "")
        ("force", po::bool_switch(&s.force), "")
        ("mtdna", po::bool_switch(&s.mtdna), "")
        ("ystr", po::bool_switch(&s.ystr), "")
        ("lineage-database", po::value(&s.lineageDatabase), "")
        ("threads,t", po::value(&s.threads), "")
        ("quiet,q", po::bool_switch(&s.quiet), "");
    // clang-format on
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        printUsage(std::cout);
        return std::nullopt;
    }
    for (const char* required : {"families", "remains", "frequencies", "out"})
        if (!vm.count(required)) throw UsageError(std::string("--") + required + " is required");
    if (s.families < 1) throw UsageError("--families: " + std::to_string(s.families) + " must be at least 1");
    if (s.remains < 1) throw UsageError("--remains: " + std::to_string(s.remains) + " must be at least 1");
    if (vm.count("markers") && s.markers < 1)
        throw UsageError("--markers: " + std::to_string(s.markers) + " must be at least 1 (leave it out for all)");
    decodeSeed(s.seed);
    if (vm.count("lineage-database")) {
        if (!s.mtdna && !s.ystr) throw UsageError("--lineage-database: needs --mtdna or --ystr");
        if (s.lineageDatabase < 1)
            throw UsageError("--lineage-database: " + std::to_string(s.lineageDatabase) + " must be at least 1");
    }
    if (s.threads < 0) throw UsageError("--threads: " + std::to_string(s.threads) + " must be 0 (all cores) or more");
    if (vm.count("mutation-rate-female")) m.mutationRateFemale = rateFemale;
    if (vm.count("mutation-rate-male")) m.mutationRateMale = rateMale;
    requireRate(m.mutationRate, "--mutation-rate");
    if (m.mutationRateFemale) requireRate(*m.mutationRateFemale, "--mutation-rate-female");
    if (m.mutationRateMale) requireRate(*m.mutationRateMale, "--mutation-rate-male");
    requireRate(m.mutationRate2, "--mutation-rate2");
    engine::validateMutationModel(m.model());  // also decodes the model name
    return s;
}

engine::SimulationOptions simulationOptions(const SimulateSettings& s) {
    engine::SimulationOptions o;
    o.families = static_cast<std::size_t>(s.families);
    o.remains = static_cast<std::size_t>(s.remains);
    o.markers = static_cast<std::size_t>(s.markers);
    o.trueFraction = s.trueFraction;
    o.missingMarkerRate = s.missingMarkerRate;
    o.seed = decodeSeed(s.seed);
    return o;
}

std::vector<std::string> outputNames(const SimulateSettings& s) {
    std::vector<std::string> names(kOutputNames.begin(), kOutputNames.end());
    if (s.mtdna) names.insert(names.end(), kMtdnaOutputNames.begin(), kMtdnaOutputNames.end());
    if (s.ystr) names.insert(names.end(), kYstrOutputNames.begin(), kYstrOutputNames.end());
    return names;
}

// Refuses to replace an earlier run's files unless asked to, before any work is done.
void checkOutputFolder(const SimulateSettings& s) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::file_status status = fs::status(s.out, error);
    if (!fs::exists(status)) return;
    if (!fs::is_directory(status)) throw UsageError("--out: " + s.out + " exists and is not a folder");
    if (s.force) return;
    // The lineage files count even when not asked for now: a folder mixing two runs misleads.
    std::vector<std::string> names(kOutputNames.begin(), kOutputNames.end());
    names.insert(names.end(), kMtdnaOutputNames.begin(), kMtdnaOutputNames.end());
    names.insert(names.end(), kYstrOutputNames.begin(), kYstrOutputNames.end());
    for (const auto& name : names)
        if (fs::exists(fs::path(s.out) / name, error))
            throw UsageError("--out: " + (fs::path(s.out) / name).string() +
                             " already exists (use --force to overwrite the files of an earlier run)");
}

// The outputs are committed together at the end, so a failed run leaves none of them
// (main's signal handler removes every pending OutputFile temporary).
class OutputSet {
  public:
    OutputSet(const std::string& folder, const std::vector<std::string>& names) : names_(names) {
        for (const auto& name : names)
            files_.push_back(std::make_unique<formats::OutputFile>((std::filesystem::path(folder) / name).string()));
    }
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    std::ostream& operator[](std::string_view name) {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return files_[i]->stream();
        throw std::logic_error("simulate: no output named " + std::string(name));
    }
    void commitAll() {
        for (auto& f : files_) f->commit();
    }

  private:
    std::vector<std::string> names_;
    std::vector<std::unique_ptr<formats::OutputFile>> files_;
};

// mtDNA rows of formats.md section 6, as formats::writeMtdnaTsv writes them.
void appendMtdnaRows(std::string& out, const std::vector<engine::mt::Haplotype>& haplotypes) {
    for (const auto& h : haplotypes) {
        out += h.sample;
        out += '\t';
        out += formats::formatMtRange(h.range);
        out += '\t';
        out += formats::formatMtVariants(h);
        out += '\n';
    }
}

// Y-STR rows of formats.md section 7, loci in kit order: `DYS19,14,` for one allele,
// `DYS385,11,14` for two copies of different lengths. (No Y-STR writer exists in formats/ yet;
// the simulator is its only producer.)
void appendYstrRows(std::string& out, const std::vector<engine::ystr::Haplotype>& haplotypes) {
    static const std::vector<std::pair<std::string, std::string>> loci = [] {
        std::vector<std::pair<std::string, std::string>> keys;
        for (const auto& l : engine::simulatedYLoci())
            keys.emplace_back(std::string(l.name), engine::ystr::locusKey(l.name));
        return keys;
    }();
    for (const auto& h : haplotypes)
        for (const auto& [name, key] : loci) {
            const auto it = h.loci.find(key);
            if (it == h.loci.end()) continue;
            out += h.sample;
            out += ',';
            out += name;
            for (const auto& allele : it->second) {
                out += ',';
                out += engine::ystr::toString(allele);
            }
            if (it->second.size() == 1) out += ',';
            out += '\n';
        }
}

std::string percent(double fraction) {
    std::ostringstream out;
    out.precision(3);
    out << 100.0 * fraction << '%';
    return out.str();
}

// Formats slices of [0, total) in parallel and writes them in order; the bytes do not depend
// on the thread count because each slice's text depends only on its range.
template <class Format, class Write>
void writeSlices(std::size_t total, std::size_t sliceSize, std::size_t threads, Format format, Write write) {
    using Range = std::pair<std::size_t, std::size_t>;
    std::size_t next = 0;
    tbb::parallel_pipeline(
        4 * threads,
        tbb::make_filter<void, Range>(tbb::filter_mode::serial_in_order,
                                      [&](tbb::flow_control& control) -> Range {
                                          if (next >= total) {
                                              control.stop();
                                              return {};
                                          }
                                          const Range r{next, std::min(sliceSize, total - next)};
                                          next += r.second;
                                          return r;
                                      }) &
            tbb::make_filter<Range, std::pair<Range, decltype(format(Range{}))>>(tbb::filter_mode::parallel,
                                                                                 [&](Range r) {
                                                                                     return std::pair{r, format(r)};
                                                                                 }) &
            tbb::make_filter<std::pair<Range, decltype(format(Range{}))>, void>(
                tbb::filter_mode::serial_in_order, [&](const auto& slice) { write(slice.first, slice.second); }));
}

std::string modelDescription(const engine::MutationModel& model, const RunSettings& m) {
    std::string text = std::string(engine::mutationModelName(model.male.kind));
    if (!model.isNone()) {
        text += ", rate female " + number(model.female.rate) + " male " + number(model.male.rate);
        if (model.male.kind == engine::MutationModelKind::kStepwise)
            text += ", rate2 " + number(m.mutationRate2) + ", range " + number(m.mutationRange);
    }
    return text;
}

// The population databases of the lineage files; returns the mtDNA database's diversity
// over HVS-I/II (of its first kDiversitySample entries) for simulation.txt.
engine::MtDiversity writeLineageDatabases(const SimulateSettings& s, const engine::LineageSimulation& lineage,
                                          OutputSet& out, std::size_t threads) {
    const auto size = static_cast<std::size_t>(s.lineageDatabase);
    engine::MtDiversity diversity;
    if (s.mtdna) {
        std::vector<engine::mt::Haplotype> sample;
        out["mtdna-database.tsv"] << formats::kMtdnaHeader;
        writeSlices(
            size, kDatabasePerSlice, threads,
            [&](auto r) {
                std::pair<std::string, std::vector<engine::mt::Haplotype>> slice;
                slice.second = lineage.mtDatabase(r.first, r.second);
                appendMtdnaRows(slice.first, slice.second);
                return slice;
            },
            [&](auto r, auto& slice) {
                out["mtdna-database.tsv"] << slice.first;
                if (r.first < kDiversitySample) sample.insert(sample.end(), slice.second.begin(), slice.second.end());
            });
        diversity = engine::mtDiversity(sample, engine::hvs1hvs2Range());
    }
    if (s.ystr) {
        out["ystr-database.csv"] << formats::kProfileHeader;
        writeSlices(
            size, kDatabasePerSlice, threads,
            [&](auto r) {
                std::string text;
                appendYstrRows(text, lineage.yDatabase(r.first, r.second));
                return text;
            },
            [&](auto, const std::string& text) { out["ystr-database.csv"] << text; });
    }
    return diversity;
}

}  // namespace

int runSimulate(const std::vector<std::string>& args, const std::string& commandLine) {
    const auto settings = parseSettings(args);
    if (!settings) return 0;
    const SimulateSettings& s = *settings;
    const engine::MutationModel model = s.mutation.model();
    checkOutputFolder(s);

    const auto threads =
        static_cast<std::size_t>(s.threads > 0 ? s.threads : std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads);

    Warnings readWarnings;
    const FrequencyTable table = formats::readFrequencyFile(s.frequencies, readWarnings);
    const engine::Simulation simulation(table, model, simulationOptions(s));
    // Same seed, streams of its own: the STR files are the same with or without lineages.
    std::optional<engine::LineageSimulation> lineage;
    if (s.mtdna || s.ystr) lineage.emplace(engine::LineageSimulationOptions{.seed = decodeSeed(s.seed)});
    for (const auto& w : readWarnings.messages()) std::cerr << "[kinmatch simulate] warning: " << w << '\n';
    for (const auto& w : simulation.warnings()) std::cerr << "[kinmatch simulate] warning: " << w << '\n';

    std::error_code error;
    std::filesystem::create_directories(s.out, error);
    if (error) throw Error(s.out + ": cannot create the output folder: " + error.message());
    OutputSet out(s.out, outputNames(s));
    const auto progress = stderrProgress("simulate", s.quiet);

    formats::writeFrequencies(out["frequencies.csv"], simulation.frequencies());

    out["pedigrees.tsv"] << formats::kPedigreeHeader;
    writeSlices(
        simulation.familyCount(), kFamiliesPerSlice, threads,
        [&](auto r) {
            std::string text;
            formats::appendPedigreeRows(text, simulation.pedigrees(r.first, r.second));
            return text;
        },
        [&](auto, const std::string& text) { out["pedigrees.tsv"] << text; });

    // Text of one slice of references or remains: STR profiles, then the lineage files'.
    struct Slice {
        std::size_t profiles = 0;
        std::string text;
        std::string truth;
        std::size_t mtdna = 0;
        std::size_t ystr = 0;
        std::string mtdnaText;
        std::string ystrText;
    };
    const auto addLineage = [&](Slice& slice, const engine::LineageProfiles& profiles) {
        if (s.mtdna) appendMtdnaRows(slice.mtdnaText, profiles.mtdna);
        if (s.ystr) appendYstrRows(slice.ystrText, profiles.ystr);
        slice.mtdna = s.mtdna ? profiles.mtdna.size() : 0;
        slice.ystr = s.ystr ? profiles.ystr.size() : 0;
    };
    std::size_t typedRelatives = 0;
    std::array<std::size_t, 2> mtCount{}, yCount{};  // lineage results of [0] relatives, [1] remains
    const auto writeLineage = [&](const Slice& slice, const char* what, std::size_t which) {
        if (s.mtdna) out[std::string("mtdna-") + what + ".tsv"] << slice.mtdnaText;
        if (s.ystr) out[std::string("ystr-") + what + ".csv"] << slice.ystrText;
        mtCount[which] += slice.mtdna;
        yCount[which] += slice.ystr;
    };
    out["references.csv"] << formats::kProfileHeader;
    if (s.mtdna) out["mtdna-references.tsv"] << formats::kMtdnaHeader;
    if (s.ystr) out["ystr-references.csv"] << formats::kProfileHeader;
    writeSlices(
        simulation.familyCount(), kFamiliesPerSlice, threads,
        [&](auto r) {
            const ProfileSet references = simulation.references(r.first, r.second);
            Slice slice;
            slice.profiles = references.profiles.size();
            formats::appendProfileRows(slice.text, references);
            if (lineage) addLineage(slice, lineage->caseReferences(simulation, r.first, r.second));
            return slice;
        },
        [&](auto r, const Slice& slice) {
            typedRelatives += slice.profiles;
            out["references.csv"] << slice.text;
            writeLineage(slice, "references", 0);
            if (progress) progress("families", r.first + r.second, simulation.familyCount());
        });

    out["remains.csv"] << formats::kProfileHeader;
    out["truth.tsv"] << formats::kTruthHeader;
    if (s.mtdna) out["mtdna-remains.tsv"] << formats::kMtdnaHeader;
    if (s.ystr) out["ystr-remains.csv"] << formats::kProfileHeader;
    writeSlices(
        simulation.remainsCount(), kRemainsPerSlice, threads,
        [&](auto r) {
            const engine::SimulatedRemains remains = simulation.remains(r.first, r.second);
            Slice slice;
            formats::appendProfileRows(slice.text, remains.profiles);
            formats::appendTruthRows(slice.truth, remains.truth);
            if (lineage) addLineage(slice, lineage->caseRemains(simulation, r.first, r.second));
            return slice;
        },
        [&](auto, const Slice& slice) {
            out["remains.csv"] << slice.text;
            out["truth.tsv"] << slice.truth;
            writeLineage(slice, "remains", 1);
        });
    const engine::MtDiversity diversity =
        lineage ? writeLineageDatabases(s, *lineage, out, threads) : engine::MtDiversity{};

    const std::size_t markerCount = simulation.markers().size();
    std::ostream& info = out["simulation.txt"];
    info << "# kinmatch simulate: how the files of this folder were made\n"
         << "version: " << versionLine() << '\n'
         << "command: " << commandLine << '\n'
         << "seed: " << decodeSeed(s.seed) << '\n'
         << "frequencies: " << s.frequencies << " (first " << markerCount << " STR markers)\n"
         << "mutation model: " << modelDescription(model, s.mutation) << '\n'
         << "families: " << simulation.familyCount() << ", drawn uniformly from " << engine::familyShapes().size()
         << " shapes\n"
         << "missing persons: " << simulation.missingPersonCount() << '\n'
         << "typed relatives: " << typedRelatives << '\n'
         << "remains: " << simulation.remainsCount() << ", of which " << simulation.trueRemainsCount()
         << " are missing persons (--true-fraction " << number(s.trueFraction) << ")\n"
         << "missing-marker rate of remains: " << number(s.missingMarkerRate) << '\n';
    if (s.mtdna)
        info << "mtDNA (simulated genealogy, engine/README.md): " << mtCount[0] << " references, " << mtCount[1]
             << " remains, " << s.lineageDatabase << " database haplotypes; over HVS-I/II the first "
             << diversity.haplotypes << " database haplotypes have " << diversity.distinct << " distinct ("
             << diversity.singletons << " seen once, the commonest " << diversity.mostCommon
             << " times), random-match probability " << percent(diversity.randomMatchFraction) << '\n';
    if (s.ystr)
        info << "Y-STR (Yfiler Plus, YHRD release 61 rates): " << yCount[0] << " references, " << yCount[1]
             << " remains, " << s.lineageDatabase << " database haplotypes\n";
    out.commitAll();
    if (s.force) {
        // An earlier run's lineage files that this run does not replace would pass for its own.
        const auto written = outputNames(s);
        std::error_code ignored;
        for (const auto& names : {kMtdnaOutputNames, kYstrOutputNames})
            for (const char* name : names)
                if (std::find(written.begin(), written.end(), name) == written.end())
                    std::filesystem::remove(std::filesystem::path(s.out) / name, ignored);
    }

    if (!s.quiet) {
        std::cerr << "[kinmatch simulate] " << simulation.familyCount() << " families (" << typedRelatives
                  << " typed relatives, " << simulation.missingPersonCount() << " missing persons), "
                  << simulation.remainsCount() << " remains (" << simulation.trueRemainsCount() << " missing persons), "
                  << markerCount << " markers";
        if (s.mtdna) std::cerr << ", mtDNA of " << mtCount[0] << " relatives and " << mtCount[1] << " remains";
        if (s.ystr) std::cerr << ", Y-STR of " << yCount[0] << " relatives and " << yCount[1] << " remains";
        std::cerr << " written to " << s.out << "; " << resourceSummary() << '\n';
    }
    return 0;
}

}  // namespace kinmatch::cli
