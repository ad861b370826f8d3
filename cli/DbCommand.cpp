// SPDX-License-Identifier: MIT
// `kinmatch db init|runs|show|export`: the case database as a technician uses it.

#include <cmath>
#include <iostream>
#include <optional>

#include <boost/program_options.hpp>

#include "cli/Commands.hpp"
#include "engine/Errors.hpp"
#include "formats/CaseDatabase.hpp"
#include "formats/MatchJsonlWriter.hpp"
#include "formats/MatchTsvWriter.hpp"
#include "formats/OutputFile.hpp"

namespace kinmatch::cli {

namespace po = boost::program_options;

namespace {

void printUsage(std::ostream& out) {
    out << "\nAbout:   The case database: every run of `kinmatch match --db URL`, with its inputs' SHA-256,\n"
           "         parameters, samples, families and candidates (posterior, decision). One transaction\n"
           "         per run: a failed or killed run leaves nothing; a re-run is a new run.\n"
           "Usage:   kinmatch db init --db URL\n"
           "         kinmatch db runs --db URL\n"
           "         kinmatch db show --db URL (--remains ID | --family ID) [--run N] [-O tsv|jsonl]\n"
           "         kinmatch db export --db URL [--run N] [-O tsv|jsonl] [-o FILE]\n"
           "\nCommands:\n"
           "    init      create the schema (or migrate an older one); a schema version table records it\n"
           "    runs      list the runs: id, start and end time (UTC), version, counts, command line\n"
           "    show      one remains' candidates, or every candidate of one family's missing persons;\n"
           "              columns of the match output, then missing_rank (rank among the missing person's\n"
           "              remains with --top-per-family, . otherwise); rank . = not in the remains' top K\n"
           "    export    a run's results as `kinmatch match` wrote them (same rows and columns), with its\n"
           "              record (inputs and SHA-256, parameters, warnings) in the header\n"
           "\nOptions:\n"
           "        --db URL                  sqlite:FILE or postgresql://... (libpq URI)\n"
           "        --family ID               show: this family's candidates\n"
           "    -h, --help                    this text\n"
           "    -o, --output FILE             export: written only when complete; - = stdout [-]\n"
           "    -O, --output-type TYPE        show, export: tsv or jsonl [tsv]\n"
           "        --remains ID              show: this remains' candidates\n"
           "        --run N                   show, export: the run [the latest]\n"
           "\nDatabase: log10 LRs of exclusions are stored as IEEE -infinity (SQLite REAL; PostgreSQL\n"
           "'-Infinity'); NULL in a per-system column means the system was not compared.\n"
           "\nExamples:\n"
           "    kinmatch match ... --db sqlite:cases.sqlite -o results.tsv\n"
           "    kinmatch db runs --db sqlite:cases.sqlite\n"
           "    kinmatch db show --db sqlite:cases.sqlite --remains UR-0003\n"
           "    kinmatch db export --db sqlite:cases.sqlite --run 1 -O jsonl -o run1.jsonl\n\n";
}

std::string optionalNumber(const std::optional<int>& value) { return value ? std::to_string(*value) : "."; }

// The per-system columns a run's rows carry, as `kinmatch match` wrote them: none for a run on
// autosomal STRs alone, else <system>_outcome and <system>_log10_lr of each system compared,
// then combined_log10_lr. (The lineage detail columns of the match TSV are not stored.)
struct SystemColumns {
    bool autosomal = false;
    bool mtdna = false;
    bool ystr = false;
    bool any() const noexcept { return mtdna || ystr || !autosomal; }
};

SystemColumns systemColumnsOf(const std::vector<formats::StoredCandidate>& rows) {
    SystemColumns columns;
    for (const auto& c : rows) {
        columns.autosomal = columns.autosomal || c.autosomal.outcome.has_value();
        columns.mtdna = columns.mtdna || c.mtdna.outcome.has_value();
        columns.ystr = columns.ystr || c.ystr.outcome.has_value();
    }
    if (rows.empty()) columns.autosomal = true;
    return columns;
}

std::vector<std::pair<std::string, const formats::SystemResult*>> systemFields(const SystemColumns& columns,
                                                                             const formats::StoredCandidate& c) {
    std::vector<std::pair<std::string, const formats::SystemResult*>> fields;
    if (!columns.any()) return fields;
    if (columns.autosomal) fields.emplace_back("autosomal", &c.autosomal);
    if (columns.mtdna) fields.emplace_back("mtdna", &c.mtdna);
    if (columns.ystr) fields.emplace_back("ystr", &c.ystr);
    return fields;
}

void writeTsvRow(std::ostream& out, const formats::StoredCandidate& c, bool withMissingRank,
                 const SystemColumns& columns) {
    out << c.remains << '\t' << c.family << '\t' << c.missing << '\t' << formats::MatchTsvWriter::formatLog10(c.log10Lr)
        << '\t' << optionalNumber(c.rank) << '\t' << c.loci << '\t' << c.inconsistentLoci << '\t'
        << formats::MatchTsvWriter::formatProbability(c.posterior) << '\t' << c.decision;
    for (const auto& [name, system] : systemFields(columns, c))
        out << '\t' << system->outcome.value_or(".") << '\t'
            << (system->log10Lr ? formats::MatchTsvWriter::formatLog10(*system->log10Lr) : ".");
    if (columns.any()) out << '\t' << formats::MatchTsvWriter::formatLog10(c.log10Lr);
    if (withMissingRank) out << '\t' << optionalNumber(c.missingRank);
    out << '\n';
}

// The fields of `kinmatch match -O jsonl`, in its order and digits.
void writeJsonRow(std::ostream& out, const formats::StoredCandidate& c, bool withMissingRank,
                  const SystemColumns& columns) {
    using formats::MatchJsonlWriter;
    out << "{\"record\":\"candidate\",\"remains\":" << MatchJsonlWriter::quote(c.remains)
        << ",\"family\":" << MatchJsonlWriter::quote(c.family) << ",\"missing\":" << MatchJsonlWriter::quote(c.missing)
        << ",\"log10_lr\":" << (std::isinf(c.log10Lr) ? "null" : formats::MatchTsvWriter::formatLog10(c.log10Lr))
        << ",\"rank\":" << (c.rank ? std::to_string(*c.rank) : "null") << ",\"loci\":" << c.loci
        << ",\"inconsistent_loci\":" << c.inconsistentLoci
        << ",\"posterior\":" << formats::MatchTsvWriter::formatProbability(c.posterior) << ",\"decision\":\""
        << c.decision << '"';
    for (const auto& [name, system] : systemFields(columns, c)) {
        out << ",\"" << name << "_outcome\":" << (system->outcome ? MatchJsonlWriter::quote(*system->outcome) : "null");
        out << ",\"" << name << "_log10_lr\":"
            << (system->log10Lr && !std::isinf(*system->log10Lr) ? formats::MatchTsvWriter::formatLog10(*system->log10Lr)
                                                                  : "null");
    }
    if (columns.any())
        out << ",\"combined_log10_lr\":"
            << (std::isinf(c.log10Lr) ? "null" : formats::MatchTsvWriter::formatLog10(c.log10Lr));
    if (withMissingRank) out << ",\"missing_rank\":" << (c.missingRank ? std::to_string(*c.missingRank) : "null");
    out << "}\n";
}

std::vector<std::string> runComments(const formats::RunInfo& info) {
    std::vector<std::string> lines = {"run " + std::to_string(info.id) + " of " + info.kinmatchVersion + ", started " +
                                          info.startedAt + ", finished " + info.finishedAt,
                                      "command: " + info.commandLine};
    for (const auto& input : info.inputs) lines.push_back("input " + input.role + ": " + input.path + " sha256 " + input.sha256);
    std::string parameters = "parameters:";
    for (const auto& [name, value] : info.parameters) parameters += " --" + name + " " + value;
    lines.push_back(parameters);
    for (const auto& w : info.warnings) lines.push_back("warning: " + w);
    return lines;
}

void writeResults(std::ostream& out, const std::string& type, const formats::RunInfo& info,
                  const std::vector<formats::StoredCandidate>& rows, bool withMissingRank) {
    const auto comments = runComments(info);
    const SystemColumns columns = systemColumnsOf(rows);
    if (type == "jsonl") {
        out << "{\"record\":\"header\",\"comments\":[";
        for (std::size_t i = 0; i < comments.size(); ++i) out << (i ? "," : "") << formats::MatchJsonlWriter::quote(comments[i]);
        out << "]}\n";
        for (const auto& row : rows) writeJsonRow(out, row, withMissingRank, columns);
        return;
    }
    for (const auto& line : comments) out << "# " << line << '\n';
    out << "remains\tfamily\tmissing\tlog10_lr\trank\tloci\tinconsistent_loci\tposterior\tdecision";
    if (!rows.empty())
        for (const auto& [name, system] : systemFields(columns, rows.front()))
            out << '\t' << name << "_outcome\t" << name << "_log10_lr";
    if (columns.any()) out << "\tcombined_log10_lr";
    out << (withMissingRank ? "\tmissing_rank" : "") << '\n';
    for (const auto& row : rows) writeTsvRow(out, row, withMissingRank, columns);
}

std::int64_t chosenRun(formats::CaseDatabase& database, const std::optional<std::int64_t>& run) {
    if (run) return *run;
    const auto latest = database.latestRun();
    if (!latest) throw Error(formats::redactedDatabaseUrl(database.url()) + ": the database holds no run yet");
    return *latest;
}

}  // namespace

int runDb(const std::vector<std::string>& args, const std::string&) {
    std::string url;
    std::string remains;
    std::string family;
    std::string outputType = "tsv";
    std::string output = "-";
    std::int64_t runNumber = 0;
    po::options_description options;
    options.add_options()
        ("help,h", "")
        ("db", po::value(&url), "")
        ("remains", po::value(&remains), "")
        ("family", po::value(&family), "")
        ("run", po::value(&runNumber), "")
        ("output-type,O", po::value(&outputType), "")
        ("output,o", po::value(&output), "")
        ("action", po::value<std::string>(), "");
    po::positional_options_description positional;
    positional.add("action", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help") || !vm.count("action")) {
        printUsage(std::cout);
        return 0;
    }
    const std::string action = vm["action"].as<std::string>();
    if (action != "init" && action != "runs" && action != "show" && action != "export")
        throw UsageError("unknown action \"" + action + "\" (expected init, runs, show or export)");
    if (url.empty()) throw UsageError("--db URL is required (sqlite:FILE or postgresql://...)");
    if (outputType != "tsv" && outputType != "jsonl")
        throw UsageError("--output-type: \"" + outputType + "\" is not one of tsv, jsonl");
    const auto onlyFor = [&](const char* option, std::initializer_list<const char*> actions) {
        if (!vm.count(option)) return;
        for (const char* a : actions)
            if (action == a) return;
        throw UsageError(std::string("--") + option + " does not apply to db " + action);
    };
    onlyFor("remains", {"show"});
    onlyFor("family", {"show"});
    onlyFor("run", {"show", "export"});
    onlyFor("output-type", {"show", "export"});
    onlyFor("output", {"export"});
    std::optional<std::int64_t> run;
    if (vm.count("run")) {
        if (runNumber < 1) throw UsageError("--run: " + std::to_string(runNumber) + " must be at least 1");
        run = runNumber;
    }
    if (action == "show" && vm.count("remains") == vm.count("family"))
        throw UsageError("db show needs exactly one of --remains ID and --family ID");

    std::optional<formats::OutputFile> out;
    if (action == "export") out.emplace(output);  // fails now if unwritable
    const auto database =
        formats::openCaseDatabase(url, action == "init" ? formats::OpenMode::kCreate : formats::OpenMode::kMustExist);
    if (action == "init") {
        std::cerr << "[kinmatch db] " << formats::redactedDatabaseUrl(url) << ": schema version "
                  << formats::kCaseDatabaseSchemaVersion << " ready\n";
        return 0;
    }
    if (action == "runs") {
        std::cout << "run\tstarted\tfinished\tkinmatch\tremains\tfamilies\tcandidates\tcommand\n";
        for (const auto& r : database->listRuns())
            std::cout << r.id << '\t' << r.startedAt << '\t' << r.finishedAt << '\t' << r.kinmatchVersion << '\t'
                      << r.remainsCount << '\t' << r.familyCount << '\t' << r.candidateCount << '\t' << r.commandLine
                      << '\n';
        return 0;
    }
    const std::int64_t id = chosenRun(*database, run);
    const formats::RunInfo info = database->runInfo(id);
    if (action == "show") {
        formats::CandidateFilter filter;
        if (!remains.empty()) filter.remains = remains;
        if (!family.empty()) filter.family = family;
        const auto rows = database->candidates(id, filter);
        if (rows.empty())
            throw Error(formats::redactedDatabaseUrl(url) + ": run " + std::to_string(id) + " has no candidate for " +
                        (filter.remains ? "remains \"" + remains + "\"" : "family \"" + family + "\""));
        writeResults(std::cout, outputType, info, rows, true);
        return 0;
    }
    // export: the per-remains rows, exactly the match output's.
    std::vector<formats::StoredCandidate> rows;
    for (auto& row : database->candidates(id, {}))
        if (row.rank) rows.push_back(std::move(row));
    writeResults(out->stream(), outputType, info, rows, false);
    out->commit();
    return 0;
}

}  // namespace kinmatch::cli
