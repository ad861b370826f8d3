// SPDX-License-Identifier: MIT
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Errors.hpp"
#include "engine/MtComparison.hpp"
#include "engine/MtSearch.hpp"
#include "engine/MtStatistic.hpp"
#include "engine/ParallelSupport.hpp"
#include "formats/MatchTsvWriter.hpp"
#include "formats/MtdnaReader.hpp"
#include "formats/OutputFile.hpp"

namespace kinmatch::cli {

namespace po = boost::program_options;
namespace mt = engine::mt;

namespace {

void printMtdnaUsage(std::ostream& out) {
    out << "\nAbout:   mtDNA haplotypes: compare them as SWGDAM/EMPOP practise it, or call them from reads.\n"
           "Usage:   kinmatch mtdna <subcommand> [options]\n"
           "\nSubcommands:\n"
           "    compare   compare query haplotypes with reference haplotypes (differences, outcome, LR)\n"
           "    call      call haplotypes from BAM/CRAM reads or a VCF into the EMPOP-style TSV\n"
           "\n'kinmatch mtdna <subcommand> --help' lists a subcommand's options.\n\n";
}

struct CompareSettings {
    std::string query;
    std::string references;
    std::string database;
    std::string output = "-";
    bool all = false;
    bool counts = false;
    long long maxDifferences = -1;  // -1: exclusion - 1, every pair that is not an exclusion
    long long exclusion = 2;
    long long inconclusive = 1;
    long long minOverlap = 1;
    std::string hotspots = "default";
    double confidence = 0.95;
    int threads = 0;
    bool quiet = false;
    bool noVersion = false;
};

std::string hotspotList(const std::vector<mt::Hotspot>& hotspots) {
    std::string s;
    for (const auto& h : hotspots) {
        if (!s.empty()) s += ',';
        s += std::to_string(h.first);
        s += '-';
        s += std::to_string(h.last);
    }
    return s;
}

void printCompareUsage(std::ostream& out) {
    const CompareSettings d;
    out << "\nAbout:   Compare mtDNA haplotypes over the positions both samples cover (SWGDAM/EMPOP rules):\n"
           "         length variants in the C-stretch hotspots are ignored, a point heteroplasmy matches\n"
           "         either of its bases; 2+ differences exclude, 1 is inconclusive, 0 cannot exclude.\n"
           "         With a population database, a pair that cannot be excluded gets LR = 1 / (95% upper\n"
           "         Clopper-Pearson bound of the query haplotype's database frequency over the compared\n"
           "         range); exclusion has log10 LR -inf, inconclusive 0.\n"
           "Usage:   kinmatch mtdna compare --query Q --references R [--database D] [options]\n"
           "\nInput options (EMPOP-style TSV, EMPOP .emp or HaploGrep .hsd; see formats.md section 6):\n"
           "    -q, --query FILE              query haplotypes (e.g. remains)\n"
           "    -r, --references FILE         reference haplotypes\n"
           "    -d, --database FILE           population database for the match statistic [none: log10_lr NA]\n"
           "\nComparison options:\n"
           "        --exclusion N             differences from which a pair is an exclusion ["
        << d.exclusion
        << "]\n"
           "        --inconclusive N          differences from which a pair is inconclusive ["
        << d.inconclusive
        << "]\n"
           "        --hotspots LIST           where length variants are ignored: 'default', 'none' or\n"
           "                                  start-end items separated by commas [default: "
        << hotspotList(mt::defaultHotspots())
        << "]\n"
           "        --min-overlap N           fewer common positions: insufficient_overlap ["
        << d.minOverlap
        << "]\n"
           "        --confidence C            confidence of the upper bound ["
        << d.confidence
        << "]\n"
           "\nOutput options:\n"
           "        --all                     every pair; otherwise only pairs that are not exclusions\n"
           "                                  (found through an index, not by comparing every pair)\n"
           "        --counts                  per query, how many references cannot be excluded and how many are\n"
           "                                  inconclusive, instead of the pairs (no database weighing): a blind\n"
           "                                  search's workload without writing millions of rows\n"
           "        --max-differences N       only pairs with at most N differences (0: cannot_exclude only); the\n"
           "                                  index then searches a smaller neighbourhood [--exclusion - 1]\n"
           "        --no-version              leave version and command out of the # header\n"
           "    -o, --output FILE             written when complete [stdout]\n"
           "\nGeneral options:\n"
           "    -h, --help                    this text\n"
           "        --quiet                   no summary on stderr (warnings still shown)\n"
           "    -t, --threads N               worker threads; output is identical for any N [all cores]\n"
           "\nOutput columns: query reference differences outcome compared_positions log10_lr\n"
           "    differing (pos:query/reference bases, '.' = no inserted base) database_matches database_size\n"
           "    upper_bound; with --counts: query candidates (references the index returned, or all with\n"
           "    --all) cannot_exclude inconclusive\n\n";
}

std::vector<mt::Hotspot> decodeHotspots(const std::string& text) {
    if (text == "default") return mt::defaultHotspots();
    if (text == "none") return {};
    std::vector<mt::Hotspot> out;
    std::size_t i = 0;
    while (i <= text.size()) {
        const std::size_t j = std::min(text.find(',', i), text.size());
        const std::string item = text.substr(i, j - i);
        const auto dash = item.find('-');
        auto number = [&](const std::string& digits) {
            int v = 0;
            const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
            if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
                throw UsageError("--hotspots: \"" + item + "\" is not start-end (e.g. 303-315), 'default' or 'none'");
            return v;
        };
        const int first = number(item.substr(0, dash));
        const int last = dash == std::string::npos ? first : number(item.substr(dash + 1));
        out.push_back({first, last});
        i = j + 1;
    }
    return out;
}

std::optional<CompareSettings> parseCompare(const std::vector<std::string>& args, mt::CompareOptions& compareOptions) {
    CompareSettings s;
    po::options_description options;
    // clang-format off
    options.add_options()
        ("help,h", "")
        ("query,q", po::value(&s.query), "")
        ("references,r", po::value(&s.references), "")
        ("database,d", po::value(&s.database), "")
        ("output,o", po::value(&s.output), "")
        ("all", po::bool_switch(&s.all), "")
        ("counts", po::bool_switch(&s.counts), "")
        ("max-differences", po::value(&s.maxDifferences), "")
        ("exclusion", po::value(&s.exclusion), "")
        ("inconclusive", po::value(&s.inconclusive), "")
        ("min-overlap", po::value(&s.minOverlap), "")
        ("hotspots", po::value(&s.hotspots), "")
        ("confidence", po::value(&s.confidence), "")
        ("threads,t", po::value(&s.threads), "")
        ("quiet", po::bool_switch(&s.quiet), "")
        ("no-version", po::bool_switch(&s.noVersion), "");
    // clang-format on
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        printCompareUsage(std::cout);
        return std::nullopt;
    }
    for (const char* required : {"query", "references"})
        if (!vm.count(required)) throw UsageError(std::string("--") + required + " is required");
    if (s.exclusion < 1) throw UsageError("--exclusion: " + std::to_string(s.exclusion) + " must be at least 1");
    if (s.inconclusive < 0 || s.inconclusive > s.exclusion)
        throw UsageError("--inconclusive: " + std::to_string(s.inconclusive) + " must be from 0 to --exclusion (" +
                         std::to_string(s.exclusion) + ")");
    if (s.minOverlap < 0) throw UsageError("--min-overlap: " + std::to_string(s.minOverlap) + " must not be negative");
    if (!(s.confidence > 0.0 && s.confidence < 1.0)) throw UsageError("--confidence: must be inside (0,1)");
    if (s.threads < 0) throw UsageError("--threads: " + std::to_string(s.threads) + " must be 0 (all cores) or more");
    if (s.counts && !s.database.empty())
        throw UsageError("--database: not used with --counts, which weighs no pair (leave one of them out)");
    if (vm.count("max-differences")) {
        if (s.all) throw UsageError("--max-differences: not with --all, which writes every pair");
        if (s.maxDifferences < 0 || s.maxDifferences >= s.exclusion)
            throw UsageError("--max-differences: " + std::to_string(s.maxDifferences) + " must be from 0 to " +
                             std::to_string(s.exclusion - 1) + " (--exclusion - 1; use --all for exclusions too)");
    } else {
        s.maxDifferences = s.exclusion - 1;
    }
    compareOptions.exclusionDifferences = static_cast<std::size_t>(s.exclusion);
    compareOptions.inconclusiveDifferences = static_cast<std::size_t>(s.inconclusive);
    compareOptions.minComparedPositions = static_cast<std::size_t>(s.minOverlap);
    compareOptions.hotspots = decodeHotspots(s.hotspots);
    compareOptions.validate();
    return s;
}

std::string formatNumber(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    return buffer;
}

// One output row, formatted by the parallel stage.
std::string formatRow(const mt::Haplotype& q, const mt::Haplotype& r, const mt::PairEvidence& e, bool withDatabase) {
    const auto& c = e.comparison;
    std::string row = q.sample + '\t' + r.sample + '\t' + std::to_string(c.differences) + '\t' +
                      mt::outcomeName(c.outcome) + '\t' + std::to_string(c.comparedPositions) + '\t';
    const bool weighed = c.outcome != mt::Outcome::kCannotExclude || withDatabase;
    row += weighed ? formats::MatchTsvWriter::formatLog10(e.log10Lr) : "NA";
    row += '\t';
    std::string differing;
    for (const auto& d : c.differing) {
        if (!differing.empty()) differing += ',';
        differing += mt::differenceText(d);
    }
    row += differing.empty() ? "." : differing;
    if (e.counted)
        row += '\t' + std::to_string(e.count.matches) + '\t' + std::to_string(e.count.total) + '\t' +
               formatNumber(e.count.upperBound);
    else
        row += "\tNA\tNA\tNA";
    row += '\n';
    return row;
}

std::vector<mt::Haplotype> sortedByName(std::vector<mt::Haplotype> haplotypes) {
    // Output order must not depend on input order.
    std::sort(haplotypes.begin(), haplotypes.end(), [](const auto& a, const auto& b) { return a.sample < b.sample; });
    return haplotypes;
}

int runMtdnaCompare(const std::vector<std::string>& args, const std::string& commandLine) {
    mt::CompareOptions compareOptions;
    const auto parsed = parseCompare(args, compareOptions);
    if (!parsed) return 0;
    const CompareSettings& s = *parsed;
    formats::OutputFile output(s.output);  // fails now, not after the work, if unwritable
    const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

    const auto queries = sortedByName(formats::readMtdnaFile(s.query));
    const auto references = sortedByName(formats::readMtdnaFile(s.references));
    std::optional<mt::Database> database;
    if (!s.database.empty()) database.emplace(formats::readMtdnaFile(s.database), compareOptions, s.confidence);
    const mt::Database* db = database ? &*database : nullptr;

    const auto maxDifferences = static_cast<std::size_t>(s.maxDifferences);
    std::optional<mt::Search> search;
    if (!s.all) search.emplace(references, mt::SearchOptions{.maxDifferences = maxDifferences, .compare = compareOptions});

    std::vector<std::string> rows(queries.size());
    std::vector<std::size_t> uncovered(queries.size(), 0);  // cannot_exclude pairs no database haplotype covers
    // Counting, queries that compare alike (same range, same variants but for hotspot length
    // variants) have the same counts: a quarter of simulated remains repeat another's. Each is
    // searched once, by the first of its kind.
    std::vector<std::size_t> firstOfKind(queries.size());
    for (std::size_t qi = 0; qi < queries.size(); ++qi) firstOfKind[qi] = qi;
    if (search && s.counts) {
        std::unordered_map<std::string, std::size_t> seen;
        for (std::size_t qi = 0; qi < queries.size(); ++qi)
            firstOfKind[qi] = seen.emplace(mt::comparisonKey(queries[qi], compareOptions.hotspots), qi).first->second;
    }
    std::vector<std::size_t> toSearch;
    for (std::size_t qi = 0; qi < queries.size(); ++qi)
        if (firstOfKind[qi] == qi) toSearch.push_back(qi);
    std::vector<std::array<std::size_t, 3>> counted(queries.size());  // candidates, cannot_exclude, inconclusive
    // A blind search at national scale runs for minutes: say how far it is.
    const auto progress = stderrProgress("mtdna compare", s.quiet);
    engine::detail::ProgressReporter reporter(progress, "queries", toSearch.size());
    tbb::parallel_for(std::size_t{0}, toSearch.size(), [&](std::size_t i) {
        const std::size_t qi = toSearch[i];
        const auto& q = queries[qi];
        std::size_t candidates = 0;
        std::size_t cannotExclude = 0;
        std::size_t inconclusive = 0;
        // A cannot_exclude pair's weight depends only on the query and the common range, and
        // most references share a few ranges: count the database once per range.
        std::vector<std::pair<mt::CoveredRange, mt::PairEvidence>> weights;
        auto emit = [&](const mt::Haplotype& r, mt::Comparison c) {
            mt::PairEvidence e;
            if (c.outcome == mt::Outcome::kCannotExclude && db) {
                const mt::CoveredRange common = q.range.intersect(r.range);
                auto it =
                    std::find_if(weights.begin(), weights.end(), [&](const auto& w) { return w.first == common; });
                if (it == weights.end()) it = weights.insert(weights.end(), {common, mt::weigh(q, r, c, db)});
                e = it->second;
                e.comparison = std::move(c);
            } else {
                e = mt::weigh(q, r, std::move(c), db);
            }
            if (e.counted && e.count.total == 0) ++uncovered[qi];
            rows[qi] += formatRow(q, r, e, db != nullptr);
        };
        if (search) {
            const auto found = search->find(q, !s.counts);
            candidates = found.candidates;
            cannotExclude = found.cannotExclude;
            inconclusive = found.inconclusive;
            for (auto ri : found.found) emit(references[ri], mt::compare(q, references[ri], compareOptions));
        } else {
            candidates = references.size();
            for (const auto& r : references) {
                auto c = mt::compare(q, r, compareOptions);
                cannotExclude += c.outcome == mt::Outcome::kCannotExclude;
                inconclusive += c.outcome == mt::Outcome::kInconclusive;
                if (!s.counts) emit(r, std::move(c));
            }
        }
        counted[qi] = {candidates, cannotExclude, inconclusive};
        reporter.advance(1);
    });
    reporter.finish();
    if (s.counts)
        for (std::size_t qi = 0; qi < queries.size(); ++qi) {
            const auto& [candidates, cannotExclude, inconclusive] = counted[firstOfKind[qi]];
            rows[qi] = queries[qi].sample + '\t' + std::to_string(candidates) + '\t' + std::to_string(cannotExclude) +
                       '\t' + std::to_string(inconclusive) + '\n';
        }

    std::vector<std::string> warnings;
    std::size_t uncoveredPairs = 0;
    for (auto n : uncovered) uncoveredPairs += n;
    if (uncoveredPairs > 0)
        warnings.push_back(std::to_string(uncoveredPairs) +
                           " pair(s) that cannot be excluded have no database haplotype covering their compared "
                           "range: log10_lr 0 (no weight)");
    for (const auto& w : warnings) std::cerr << "kinmatch mtdna compare: warning: " << w << '\n';

    std::ostream& out = output.stream();
    if (!s.noVersion) out << "# " << versionLine() << "\n# command: " << commandLine << '\n';
    const std::string hotspotText = hotspotList(compareOptions.hotspots);
    out << "# rules: exclusion at " << compareOptions.exclusionDifferences << "+ differences, inconclusive at "
        << compareOptions.inconclusiveDifferences << "+, min overlap " << compareOptions.minComparedPositions
        << " positions; length variants ignored in " << (hotspotText.empty() ? "none" : hotspotText) << '\n';
    out << "# inputs: " << queries.size() << " queries, " << references.size() << " references";
    if (db && !s.counts)
        out << ", database " << db->size() << " haplotypes (upper bound at confidence " << s.confidence << ")";
    out << "; "
        << (s.all ? "every pair"
            : maxDifferences + 1 == compareOptions.exclusionDifferences
                ? "pairs that are not exclusions"
                : "pairs with at most " + std::to_string(maxDifferences) + " difference(s)");
    out << (s.counts ? ", counted per query\n" : "\n");
    for (const auto& w : warnings) out << "# warning: " << w << '\n';
    if (s.counts) {
        out << "# columns: candidates = references compared (those the index returned; all with --all); "
               "cannot_exclude, inconclusive = how many of them have that outcome\n";
        out << "query\tcandidates\tcannot_exclude\tinconclusive\n";
    } else {
        out << "# columns: differences = differing positions over the compared range; compared_positions = "
               "positions both cover; log10_lr = -inf for exclusion, 0 for inconclusive, -log10(upper bound) for "
               "cannot_exclude (NA without --database); differing = position:query/reference bases\n";
        out << "query\treference\tdifferences\toutcome\tcompared_positions\tlog10_lr\tdiffering\tdatabase_matches\t"
               "database_size\tupper_bound\n";
    }
    for (const auto& r : rows) out << r;
    output.commit();
    if (!s.quiet) {
        std::cerr << "kinmatch mtdna compare: done";
        if (search)
            std::cerr << " (" << search->size() << " references, " << search->distinctCount()
                      << " distinct as compared)";
        std::cerr << "; " << resourceSummary() << '\n';
    }
    return 0;
}

}  // namespace

int runMtdna(const std::vector<std::string>& args, const std::string& commandLine) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
        printMtdnaUsage(std::cout);
        return 0;
    }
    const std::string& sub = args.front();
    std::vector<std::string> rest(args.begin() + 1, args.end());
    // A subcommand alone prints its own usage, as `kinmatch CMD` alone does.
    if (rest.empty()) rest = {"--help"};
    if (sub == "call") return runMtdnaCall(rest, commandLine);
    if (sub == "compare") return runMtdnaCompare(rest, commandLine);
    printMtdnaUsage(std::cerr);
    throw UsageError("unknown mtdna subcommand \"" + sub + "\" (expected compare or call)");
}

}  // namespace kinmatch::cli
