// SPDX-License-Identifier: MIT
// `kinmatch match` with mtDNA and Y-STR inputs beside (or instead of) the autosomal STRs, on
// the hand-made case of tests/data/lineage-match (see its PROVENANCE.md). Every lineage LR
// checked here is derived below from the published formulas, not from the engine.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

using namespace kinmatch::test;

namespace {

std::string data(const std::string& name) { return (testDataDir() / "lineage-match" / name).string(); }

std::vector<std::string> autosomalArgs() {
    return {"-f", data("frequencies.csv"), "-r", data("references.csv"), "-u", data("remains.csv")};
}
std::vector<std::string> mtdnaArgs() {
    return {"--mtdna-references", data("mtdna-references.tsv"), "--mtdna-remains", data("mtdna-remains.tsv"),
            "--mtdna-database", data("mtdna-database.tsv")};
}
std::vector<std::string> ystrArgs() {
    return {"--ystr-references", data("ystr-references.csv"), "--ystr-remains", data("ystr-remains.csv"),
            "--ystr-database", data("ystr-database.csv")};
}

std::vector<std::string> matchArgs(std::initializer_list<std::vector<std::string>> parts,
                                   std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"match", "-p", data("pedigrees.tsv"), "--all", "--no-version", "-q"};
    for (const auto& part : parts) args.insert(args.end(), part.begin(), part.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

using Row = std::map<std::string, std::string>;

const Row& pair(const std::vector<Row>& rows, const std::string& remains, const std::string& missing) {
    const auto it = std::find_if(rows.begin(), rows.end(),
                                 [&](const Row& r) { return r.at("remains") == remains && r.at("missing") == missing; });
    if (it == rows.end()) FAIL("no row for " << remains << " / " << missing);
    return *it;
}

double log10Of(const Row& row, const std::string& column) {
    const std::string& text = row.at(column);
    if (text == "-inf") return -INFINITY;
    return std::stod(text);
}

// One-sided 95% Clopper-Pearson upper bound of a binomial proportion, x of n: the p at which
// P(X <= x | n, p) = 0.05, by bisection on the binomial sum (decreasing in p).
double clopperPearsonUpper(int x, int n) {
    if (x == 0) return 1.0 - std::pow(0.05, 1.0 / n);
    const auto cdf = [&](double p) {
        double sum = 0.0;
        for (int k = 0; k <= x; ++k)
            sum += std::tgamma(n + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(n - k + 1.0)) * std::pow(p, k) *
                   std::pow(1.0 - p, n - k);
        return sum;
    };
    double low = 0.0, high = 1.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = (low + high) / 2;
        (cdf(mid) > 0.05 ? low : high) = mid;
    }
    return (low + high) / 2;
}

// YHRD release 61 per-meiosis rates (Genes 2020 11:566, Table 1) of the six test loci.
const std::map<std::string, double> kRates = {{"DYS19", 2.20e-3},  {"DYS389I", 2.72e-3}, {"DYS390", 2.08e-3},
                                              {"DYS391", 2.53e-3}, {"DYS392", 4.96e-4},  {"DYS393", 1.07e-3}};

}  // namespace

TEST_CASE("match with mtDNA and Y-STRs: per-system LRs by hand, their sum in log10_lr", "[cli][lineage]") {
    const auto rows = namedRows(succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()})).out);
    REQUIRE(rows.size() == 12);  // 4 remains x 3 missing persons

    SECTION("every row: column 4 is the sum of the systems") {
        for (const Row& r : rows) {
            INFO(r.at("remains") << " " << r.at("missing"));
            const double sum = log10Of(r, "autosomal_log10_lr") + log10Of(r, "mtdna_log10_lr") + log10Of(r, "ystr_log10_lr");
            CHECK(r.at("log10_lr") == r.at("combined_log10_lr"));
            if (std::isinf(sum))
                CHECK(r.at("log10_lr") == "-inf");
            else
                CHECK(log10Of(r, "log10_lr") == Approx(sum).margin(1e-12));
        }
    }

    SECTION("U1 is F1-MP in all three systems") {
        const Row& r = pair(rows, "U1", "F1-MP");
        CHECK(r.at("rank") == "1");
        CHECK(r.at("mtdna_outcome") == "cannot_exclude");
        CHECK(r.at("mtdna_reference") == "R-F1-mo");  // the mother (1 meiosis), not the sister (2)
        CHECK(r.at("mtdna_meioses") == "1");
        // Control region 16024-16569 and 1-576, insertions not counted: 546 + 576 positions.
        CHECK(r.at("mtdna_compared_positions") == "1122");
        // Seen once among the 9 database haplotypes.
        CHECK(log10Of(r, "mtdna_log10_lr") == Approx(-std::log10(clopperPearsonUpper(1, 9))).margin(1e-9));
        CHECK(r.at("ystr_outcome") == "cannot_exclude");
        CHECK(r.at("ystr_reference") == "R-F1-fa");
        // Father and son, one meiosis, no difference: prod (1 - mu) over the six loci, divided by
        // the bound of 1 match in 10.
        double log10P = 0.0;
        for (const auto& [locus, mu] : kRates) log10P += std::log10(1.0 - mu);
        CHECK(log10Of(r, "ystr_log10_lr") == Approx(log10P - std::log10(clopperPearsonUpper(1, 10))).margin(1e-9));
        CHECK(r.at("autosomal_outcome") == "compared");
    }

    SECTION("U1's autosomal part is the autosomal-only run's LR") {
        // Family F1 alone, its mtDNA-only sister untyped: what the autosomal STRs see.
        TempDir dir;
        std::string f1 = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";
        std::ifstream in(data("pedigrees.tsv"));
        for (std::string line; std::getline(in, line);)
            if (line.rfind("F1\t", 0) == 0) f1 += line + "\n";
        f1.replace(f1.find("R-F1-si"), 7, ".");
        writeFile(dir / "f1.tsv", f1);
        auto args = matchArgs({autosomalArgs()});
        args[2] = (dir / "f1.tsv").string();
        const auto autosomal = namedRows(succeed(args).out);
        CHECK(pair(rows, "U1", "F1-MP").at("autosomal_log10_lr") == pair(autosomal, "U1", "F1-MP").at("log10_lr"));
        // The columns of an autosomal-only run stay those of spec §4 plus posterior and decision.
        CHECK(autosomal.front().size() == 9);
    }

    SECTION("U2 has only mtDNA: ranked by it, matched through the grandmother") {
        const Row& r = pair(rows, "U2", "F2-MP");
        CHECK(r.at("rank") == "1");
        CHECK(r.at("autosomal_outcome") == "not_compared");
        CHECK(r.at("ystr_outcome") == "not_typed");
        CHECK(r.at("mtdna_outcome") == "cannot_exclude");  // 309.2C differs only in a hotspot
        CHECK(r.at("mtdna_reference") == "R-F2-gm");
        CHECK(r.at("mtdna_meioses") == "2");
        CHECK(log10Of(r, "mtdna_log10_lr") == Approx(-std::log10(1.0 - std::pow(0.05, 1.0 / 9))).margin(1e-12));
        CHECK(pair(rows, "U2", "F1-MP").at("mtdna_outcome") == "exclusion");
        CHECK(pair(rows, "U2", "F1-MP").at("log10_lr") == "-inf");
        CHECK(pair(rows, "U2", "F3-MP").at("mtdna_outcome") == "no_relative");
    }

    SECTION("U4's mtDNA covers HVS-I only: compared and counted over that range") {
        const Row& r = pair(rows, "U4", "F2-MP");
        CHECK(r.at("mtdna_compared_positions") == std::to_string(16365 - 16024 + 1));
        CHECK(r.at("mtdna_outcome") == "cannot_exclude");
        // No database haplotype carries 16129A 16223T 16311C alone over 16024-16365.
        CHECK(log10Of(r, "mtdna_log10_lr") == Approx(-std::log10(1.0 - std::pow(0.05, 1.0 / 9))).margin(1e-12));
        CHECK(pair(rows, "U4", "F1-MP").at("mtdna_differences") == "5");
    }

    SECTION("U3 has only Y-STRs, one step from the brother at DYS19") {
        const Row& r = pair(rows, "U3", "F3-MP");
        CHECK(r.at("ystr_outcome") == "inconclusive");
        CHECK(r.at("ystr_meioses") == "2");  // MP <- father -> brother
        CHECK(r.at("ystr_differing") == "DYS19:-1");
        // Two meioses: P(D = +-1) = 2 (mu/2)(1 - mu) = mu (1 - mu); P(D = 0) = (1 - mu)^2 + mu^2 / 2.
        double log10P = 0.0;
        for (const auto& [locus, mu] : kRates)
            log10P += std::log10(locus == "DYS19" ? mu * (1 - mu) : (1 - mu) * (1 - mu) + mu * mu / 2);
        CHECK(log10Of(r, "ystr_log10_lr") == Approx(log10P - std::log10(1.0 - std::pow(0.05, 0.1))).margin(1e-9));
        // A female missing person has no Y chromosome to compare.
        CHECK(pair(rows, "U3", "F2-MP").at("ystr_outcome") == "no_relative");
        // Two steps at DYS19 after one meiosis cannot happen: LR 0.
        CHECK(pair(rows, "U3", "F1-MP").at("ystr_log10_lr") == "-inf");
    }
}

TEST_CASE("match on lineage markers alone needs no frequency file", "[cli][lineage]") {
    const auto rows = namedRows(succeed(matchArgs({mtdnaArgs(), ystrArgs()})).out);
    const auto all = namedRows(succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()})).out);
    REQUIRE(rows.size() == 12);
    CHECK(rows.front().count("autosomal_log10_lr") == 0);
    const Row& lineage = pair(rows, "U1", "F1-MP");
    const Row& full = pair(all, "U1", "F1-MP");
    CHECK(lineage.at("mtdna_log10_lr") == full.at("mtdna_log10_lr"));
    CHECK(lineage.at("ystr_log10_lr") == full.at("ystr_log10_lr"));
    CHECK(log10Of(lineage, "log10_lr") ==
          Approx(log10Of(full, "mtdna_log10_lr") + log10Of(full, "ystr_log10_lr")).margin(1e-12));
    CHECK(lineage.at("loci") == "0");
}

TEST_CASE("lineage results do not depend on threads or file order", "[cli][lineage]") {
    TempDir dir;
    const auto reversed = [&](const std::string& name) {
        std::ifstream in(data(name));
        std::string header, line;
        std::getline(in, header);
        std::vector<std::string> lines;
        while (std::getline(in, line)) lines.push_back(line);
        std::reverse(lines.begin(), lines.end());
        std::string text = header + "\n";
        for (const auto& l : lines) text += l + "\n";
        writeFile(dir / name, text);
        return (dir / name).string();
    };
    const std::string one = succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()}, {"-t", "1"})).out;
    const std::string two = succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()}, {"-t", "2"})).out;
    CHECK(one == two);
    auto args = matchArgs({autosomalArgs(),
                           {"--mtdna-references", reversed("mtdna-references.tsv"), "--mtdna-remains",
                            reversed("mtdna-remains.tsv"), "--mtdna-database", reversed("mtdna-database.tsv")},
                           {"--ystr-references", reversed("ystr-references.csv"), "--ystr-remains",
                            reversed("ystr-remains.csv"), "--ystr-database", data("ystr-database.csv")}});
    args[2] = reversed("pedigrees.tsv");
    const std::string shuffled = succeed(args).out;
    CHECK(withoutComments(shuffled) == withoutComments(one));
}

TEST_CASE("top-K with lineage markers equals the head of --all", "[cli][lineage]") {
    const auto all = namedRows(succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()})).out);
    auto args = matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()}, {"--top", "1"});
    args.erase(std::find(args.begin(), args.end(), "--all"));
    const auto top = namedRows(succeed(args).out);
    REQUIRE(top.size() == 4);
    for (const Row& r : top) {
        CHECK(r.at("rank") == "1");
        CHECK(pair(all, r.at("remains"), r.at("missing")) == r);
    }
}

TEST_CASE("references on one line that disagree are a warning", "[cli][lineage]") {
    TempDir dir;
    std::string references = readFile(data("mtdna-references.tsv"));
    // The sister loses 16069T and 16126C: two differences from her mother.
    const auto at = references.find("R-F1-si");
    REQUIRE(at != std::string::npos);
    const auto line = references.substr(at, references.find('\n', at) - at);
    std::string changed = line;
    for (const std::string variant : {"16069T ", "16126C "}) changed.erase(changed.find(variant), variant.size());
    references.replace(at, line.size(), changed);
    writeFile(dir / "mt.tsv", references);
    const RunOutput run = succeed(matchArgs({autosomalArgs(), ystrArgs(),
                                             {"--mtdna-references", (dir / "mt.tsv").string(), "--mtdna-remains",
                                              data("mtdna-remains.tsv")}}));
    CHECK_THAT(run.err, Catch::Contains("F1-mo and F1-si") && Catch::Contains("maternal line") && Catch::Contains("mtDNA"));
    CHECK_THAT(run.out, Catch::Contains("# warning: family F1"));
    // Without a database a match weighs nothing, and the run says so.
    CHECK_THAT(run.err, Catch::Contains("no --mtdna-database"));
    CHECK(pair(namedRows(run.out), "U1", "F1-MP").at("mtdna_log10_lr") == "0");
}

TEST_CASE("lineage input errors name the file, line and option", "[cli][lineage]") {
    TempDir dir;
    SECTION("half a system is a usage error") {
        RunOutput run = runKinmatch({"match", "-p", data("pedigrees.tsv"), "--mtdna-references",
                                     data("mtdna-references.tsv")});
        CHECK(run.exitCode == 2);
        CHECK_THAT(run.err, Catch::Contains("--mtdna-remains"));
        run = runKinmatch({"match", "-p", data("pedigrees.tsv")});
        CHECK(run.exitCode == 2);
        CHECK_THAT(run.err, Catch::Contains("no marker system"));
        run = runKinmatch(matchArgs({mtdnaArgs()}, {"--mt-exclusion", "0"}));
        CHECK(run.exitCode == 2);
    }
    SECTION("a pedigree sample in none of the reference files") {
        std::string pedigrees = readFile(data("pedigrees.tsv"));
        pedigrees.replace(pedigrees.find("R-F2-gm"), 7, "R-F2-xx");
        writeFile(dir / "pedigrees.tsv", pedigrees);
        auto args = matchArgs({autosomalArgs(), mtdnaArgs()});
        args[2] = (dir / "pedigrees.tsv").string();
        const RunOutput run = runKinmatch(args);
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Catch::Contains("pedigrees.tsv:6") && Catch::Contains("R-F2-xx") &&
                                Catch::Contains("mtdna-references.tsv"));
    }
    SECTION("a sample given twice in one mtDNA file") {
        writeFile(dir / "remains.tsv", readFile(data("mtdna-remains.tsv")) + "U2\t16024-16365\t16129A\n");
        const RunOutput run = runKinmatch(
            matchArgs({{"--mtdna-references", data("mtdna-references.tsv"), "--mtdna-remains",
                        (dir / "remains.tsv").string()}},
                      {"-o", (dir / "out.tsv").string()}));
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Catch::Contains("remains.tsv:5") && Catch::Contains("U2"));
        CHECK_FALSE(std::filesystem::exists(dir / "out.tsv"));
    }
}

TEST_CASE("lineage fields in JSON Lines and the case database", "[cli][lineage]") {
    TempDir dir;
    const auto jsonl = succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()}, {"-O", "jsonl"})).out;
    CHECK_THAT(jsonl, Catch::Contains("\"remains\":\"U3\",\"family\":\"F1\"") &&
                          Catch::Contains("\"ystr_outcome\":\"exclusion\",\"ystr_log10_lr\":null") &&
                          Catch::Contains("\"ystr_differing\":[\"DYS19:-1\"]") &&
                          Catch::Contains("\"mtdna_reference\":null"));
    const std::string url = "sqlite:" + (dir / "cases.sqlite").string();
    const auto tsv = namedRows(succeed(matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()}, {"--db", url})).out);
    const auto stored = namedRows(succeed({"db", "export", "--db", url}).out);
    REQUIRE(stored.size() == tsv.size());
    for (const Row& r : stored) {
        const Row& written = pair(tsv, r.at("remains"), r.at("missing"));
        for (const char* column : {"log10_lr", "autosomal_outcome", "autosomal_log10_lr", "mtdna_outcome",
                                   "mtdna_log10_lr", "ystr_outcome", "ystr_log10_lr"})
            CHECK(r.at(column) == written.at(column));
    }
}

TEST_CASE("the report of a lineage run shows each candidate's lineage comparisons", "[cli][lineage][report]") {
    TempDir dir;
    const std::string url = "sqlite:" + (dir / "cases.sqlite").string();
    const std::string results = (dir / "results.tsv").string();
    auto match = matchArgs({autosomalArgs(), mtdnaArgs(), ystrArgs()}, {"--db", url, "-o", results});
    succeed(match);
    std::vector<std::string> inputs = {"-p", data("pedigrees.tsv")};
    for (const auto& part : {autosomalArgs(), mtdnaArgs(), ystrArgs()}) inputs.insert(inputs.end(), part.begin(), part.end());

    auto fromResults = std::vector<std::string>{"report", "-q", "--results", results, "-o", (dir / "r1").string()};
    fromResults.insert(fromResults.end(), inputs.begin(), inputs.end());
    succeed(fromResults);
    succeed({"report", "-q", "--db", url, "-o", (dir / "r2").string()});
    for (const char* report : {"r1", "r2"}) {
        INFO(report);
        const std::string u3 = readFile(dir / report / "remains" / "U3.html");
        CHECK_THAT(u3, Catch::Contains("<td>Y-STR</td><td>F3-br (R-F3-br)</td><td class=\"num\">2</td><td>inconclusive</td>"
                                       "<td class=\"num\">1 / 6 loci</td><td class=\"differing\">DYS19:-1</td>"));
        const std::string u1 = readFile(dir / report / "remains" / "U1.html");
        CHECK_THAT(u1, Catch::Contains("<td>mtDNA</td><td>F1-mo (R-F1-mo)</td><td class=\"num\">1</td>"
                                       "<td>cannot_exclude</td><td class=\"num\">0 / 1122 positions</td>"));
        CHECK_THAT(u1, Catch::Contains("185:A/G 228:A/G"));  // U1 against F2's grandmother
        CHECK_THAT(readFile(dir / report / "index.html"), !Catch::Contains("differs from the recomputed"));
    }

    // A reported lineage LR that the files do not give is a report warning.
    std::string tampered = readFile(results);
    const auto at = tampered.find("\tcannot_exclude\t0.548015897190159\t");
    REQUIRE(at != std::string::npos);
    tampered.replace(at, std::string("\tcannot_exclude\t0.548015897190159\t").size(), "\tcannot_exclude\t0.9\t");
    writeFile(dir / "tampered.tsv", tampered);
    fromResults[3] = (dir / "tampered.tsv").string();
    fromResults[5] = (dir / "r3").string();
    const RunOutput run = runKinmatch(fromResults);
    CHECK(run.exitCode == 0);
    CHECK_THAT(readFile(dir / "r3" / "index.html"), Catch::Contains("mtDNA log10 LR 0.9 differs from the recomputed"));
}
