// SPDX-License-Identifier: MIT
// `kinmatch report` as a user meets it: `kinmatch match`, then the report of its results,
// read back from the HTML (candidates, LRs, per-marker values), with hostile ids and bad input.

#include <catch2/catch.hpp>

#include <cstdio>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using namespace kinmatch::test;
namespace fs = std::filesystem;

namespace {

// Father REF-1 and mother REF-2 typed, their child F1-MP missing; UR-1 fits at every marker.
const std::string kFrequencies = "Allele,D3S1358,vWA,TH01\n10,0.2,0.2,0.2\n11,0.3,0.3,0.3\n12,0.5,0.5,0.5\n";
const std::string kReferences =
    "SampleName,Marker,Allele1,Allele2\n"
    "REF-1,D3S1358,10,11\nREF-1,vWA,10,12\nREF-1,TH01,11,12\n"
    "REF-2,D3S1358,12,12\nREF-2,vWA,11,11\nREF-2,TH01,10,10\n";
const std::string kPedigreeHeader = "family\tid\tfather\tmother\tsex\tsample\tmissing\n";

struct Case {
    std::string pedigrees = kPedigreeHeader +
                            "F1\tF1-father\t0\t0\t1\tREF-1\t0\n"
                            "F1\tF1-mother\t0\t0\t2\tREF-2\t0\n"
                            "F1\tF1-MP\tF1-father\tF1-mother\t1\t.\t1\n";
    std::string remains = "SampleName,Marker,Allele1,Allele2\nUR-1,D3S1358,10,12\nUR-1,vWA,10,11\nUR-1,TH01,10,11\n";
};

// The input options shared by match and report, for files written into `dir`.
std::vector<std::string> inputs(const TempDir& dir, const Case& c) {
    writeFile(dir / "f.csv", kFrequencies);
    writeFile(dir / "r.csv", kReferences);
    writeFile(dir / "p.tsv", c.pedigrees);
    writeFile(dir / "u.csv", c.remains);
    return {"-f", (dir / "f.csv").string(), "-r", (dir / "r.csv").string(), "-p", (dir / "p.tsv").string(),
            "-u", (dir / "u.csv").string()};
}

std::vector<std::string> sampleInputs() {
    const auto d = testDataDir() / ".." / ".." / "sample-data";
    return {"-f", (d / "frequencies.csv").string(), "-p", (d / "pedigrees.tsv").string(),
            "-r", (d / "references.csv").string(),  "-u", (d / "remains.csv").string()};
}

// Splits a remains page into its candidate sections (text after each `<section class="candidate"`).
std::vector<std::string> candidateSections(const std::string& page) {
    std::vector<std::string> sections;
    const std::string marker = "<section class=\"candidate\"";
    for (std::size_t at = page.find(marker); at != std::string::npos;) {
        const std::size_t next = page.find(marker, at + 1);
        sections.push_back(page.substr(at, next == std::string::npos ? std::string::npos : next - at));
        at = next;
    }
    return sections;
}

double number(const std::string& text) { return text == "-inf" ? -INFINITY : std::stod(text); }

}  // namespace

TEST_CASE("The report of the sample case shows every remains' candidates and LRs as matched", "[report][cli]") {
    TempDir dir;
    const auto model = std::vector<std::string>{"--mutation-model", "equal", "--mutation-rate", "0.002", "-q"};
    succeed(std::vector<std::string>{"match"} + sampleInputs() + model + std::vector<std::string>{"-o", (dir / "results.tsv").string()});
    const RunOutput report = succeed(std::vector<std::string>{"report", "--results", (dir / "results.tsv").string()} +
                                     sampleInputs() + model + std::vector<std::string>{"-o", (dir / "report").string()});
    CHECK_THAT(report.err, !Contains("disagree"));
    const std::string tsv = readFile(dir / "results.tsv");
    const auto rows = namedRows(tsv);
    REQUIRE(rows.size() == 600);  // 60 remains, top 10 each

    const std::string index = readFile(dir / "report" / "index.html");
    std::map<std::string, std::vector<std::map<std::string, std::string>>> byRemains;
    for (const auto& row : rows) byRemains[row.at("remains")].push_back(row);
    REQUIRE(byRemains.size() == 60);
    for (const auto& [remains, expected] : byRemains) {
        INFO(remains);
        // Sample ids are plain, so the page is named after the id itself.
        CHECK_THAT(index, Contains("<a href=\"remains/" + remains + ".html\">" + remains + "</a>"));
        const std::string page = readFile(dir / "report" / "remains" / (remains + ".html"));
        const auto shown = elements(page, "candidate-row");
        REQUIRE(shown.size() == expected.size());
        const auto sections = candidateSections(page);
        REQUIRE(sections.size() == expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k) {
            CHECK(shown[k].at("data-family") == expected[k].at("family"));
            CHECK(shown[k].at("data-missing") == expected[k].at("missing"));
            CHECK(shown[k].at("data-rank") == expected[k].at("rank"));
            CHECK(shown[k].at("data-log10-lr") == expected[k].at("log10_lr"));  // the TSV's own digits
            // The per-marker log10 LRs on the page add up to the reported one; counting the
            // markers with a relative typed gives the TSV's loci.
            double sum = 0.0;
            int loci = 0;
            for (const auto& marker : elements(sections[k], "marker-row")) {
                if (marker.count("data-log10-lr")) sum += number(marker.at("data-log10-lr"));
                if (marker.count("data-log10-lr") && marker.at("class").find("norelative") == std::string::npos) ++loci;
            }
            const double reported = number(expected[k].at("log10_lr"));
            if (std::isinf(reported))
                CHECK(sum == reported);
            else
                CHECK(sum == Approx(reported).margin(1e-9));
            CHECK(std::to_string(loci) == expected[k].at("loci"));
            // Each candidate's drawing has its family's missing person as the focus.
            const auto focus = elements(sections[k], "person missing focus");
            REQUIRE(focus.size() == 1);
            CHECK(focus[0].at("data-id") == expected[k].at("missing"));
        }
    }
    SECTION("the posterior and decision columns of the results are shown") {
        // UR-0003 is FAM-01's child (sample-data/truth.tsv): an identification at rank 1.
        REQUIRE(byRemains.at("UR-0003")[0].at("decision") == "identification");
        const std::string page = readFile(dir / "report" / "remains" / "UR-0003.html");
        CHECK_THAT(page, Contains("<th>posterior</th>"));
        CHECK_THAT(page, Contains("decision: <strong>identification</strong>"));
        // Its posterior is within 1e-10 of 1: the page says how far, never a bare "1".
        const double posterior = std::stod(byRemains.at("UR-0003")[0].at("posterior"));
        char expected[64];
        std::snprintf(expected, sizeof expected, "posterior 1 \u2212 %.3g;", 1.0 - posterior);
        CHECK_THAT(page, Contains(expected));
        CHECK_THAT(page, !Contains("posterior 1;"));
    }
    SECTION("the LR plot counts every reported pair once") {
        const auto bins = elements(index, "bin");
        std::size_t best = 0, other = 0;
        for (const auto& bin : bins) {
            best += std::stoul(bin.at("data-best"));
            other += std::stoul(bin.at("data-other"));
            // True scale: every bin spans the same whole number of log10 units.
            CHECK(number(bin.at("data-high")) - number(bin.at("data-low")) == number(bins[0].at("data-high")) - number(bins[0].at("data-low")));
        }
        std::size_t rankOne = 0;
        for (const auto& row : rows) rankOne += row.at("rank") == "1" ? 1 : 0;
        CHECK(best == rankOne);
        CHECK(best + other == rows.size());  // the sample has no exclusion under this model
    }
}

TEST_CASE("Per-marker log10 LRs of a father-mother-child case match the hand-derived values", "[report][cli]") {
    TempDir dir;
    const auto in = inputs(dir, Case{});
    succeed(std::vector<std::string>{"match"} + in + std::vector<std::string>{"-q", "-o", (dir / "out.tsv").string()});
    succeed(std::vector<std::string>{"report", "--results", (dir / "out.tsv").string(), "-q", "-o", (dir / "rep").string()} + in);
    const std::string page = readFile(dir / "rep" / "remains" / "UR-1.html");
    std::map<std::string, double> perMarker;
    for (const auto& m : elements(page, "marker-row")) perMarker[m.at("data-marker")] = number(m.at("data-log10-lr"));
    // LR = P(child genotype | parents) / P_HW(genotype). D3S1358: father 10/11, mother 12/12,
    // remains 10/12: 1/2 / (2*0.2*0.5) = 2.5. vWA: 10/12 x 11/11 -> 10/11: 1/2 / (2*0.2*0.3)
    // = 25/6. TH01: 11/12 x 10/10 -> 10/11: likewise 25/6.
    CHECK(perMarker.at("D3S1358") == Approx(std::log10(2.5)).epsilon(1e-12));
    CHECK(perMarker.at("vWA") == Approx(std::log10(25.0 / 6.0)).epsilon(1e-12));
    CHECK(perMarker.at("TH01") == Approx(std::log10(25.0 / 6.0)).epsilon(1e-12));
    CHECK_THAT(page, Contains("<td>10/12</td><td>10/11</td><td>12/12</td>"));  // remains, father, mother at D3S1358
}

TEST_CASE("Report pages escape hostile ids and name their files safely", "[report][cli]") {
    TempDir dir;
    Case c;
    const std::string remains = "../UR<i>&'x";
    const std::string family = "F<b>\"1\"";
    c.pedigrees = kPedigreeHeader + family + "\tdad<&>\t0\t0\t1\tREF-1\t0\n" + family + "\tmum\t0\t0\t2\tREF-2\t0\n" +
                  family + "\tMP</svg>\tdad<&>\tmum\t1\t.\t1\n";
    c.remains = "SampleName,Marker,Allele1,Allele2\n" + remains + ",D3S1358,10,12\n" + remains + ",vWA,10,11\n";
    const auto in = inputs(dir, c);
    succeed(std::vector<std::string>{"match"} + in + std::vector<std::string>{"-q", "-o", (dir / "out.tsv").string()});
    succeed(std::vector<std::string>{"report", "--results", (dir / "out.tsv").string(), "-q", "-o", (dir / "rep").string()} + in);
    // Every byte outside [A-Za-z0-9_-] as ~XX: '.' 2E, '/' 2F, '<' 3C, '>' 3E, '&' 26, '\'' 27.
    const std::string name = "~2E~2E~2FUR~3Ci~3E~26~27x.html";
    REQUIRE(fs::exists(dir / "rep" / "remains" / name));
    CHECK(std::distance(fs::directory_iterator(dir / "rep" / "remains"), fs::directory_iterator()) == 1);
    CHECK_FALSE(fs::exists(dir / "UR<i>&'x.html"));
    const std::string page = readFile(dir / "rep" / "remains" / name);
    for (const char* raw : {"<i>", "<b>", "dad<&>", "MP</svg>", "'x"}) CHECK(page.find(raw) == std::string::npos);
    CHECK_THAT(page, Contains("../UR&lt;i&gt;&amp;&#39;x"));
    const auto row = elements(page, "candidate-row");
    REQUIRE(row.size() == 1);
    CHECK(row[0].at("data-family") == family);
    CHECK(row[0].at("data-missing") == "MP</svg>");
    const std::string index = readFile(dir / "rep" / "index.html");
    CHECK_THAT(index, Contains("href=\"remains/" + name + "\""));
    CHECK(index.find("<i>") == std::string::npos);
}

TEST_CASE("The report reads results columns by name and shows the posterior only when present", "[report][cli]") {
    TempDir dir;
    const auto in = inputs(dir, Case{});
    succeed(std::vector<std::string>{"match"} + in + std::vector<std::string>{"-q", "-o", (dir / "out.tsv").string()});
    const auto rows = namedRows(readFile(dir / "out.tsv"));
    REQUIRE(rows.size() == 1);
    // The same row, columns reordered, without posterior and decision.
    writeFile(dir / "reordered.tsv", "rank\tlog10_lr\tmissing\tfamily\tremains\n" + rows[0].at("rank") + "\t" +
                                         rows[0].at("log10_lr") + "\tF1-MP\tF1\tUR-1\n");
    succeed(std::vector<std::string>{"report", "--results", (dir / "reordered.tsv").string(), "-q", "-o", (dir / "rep").string()} + in);
    const std::string page = readFile(dir / "rep" / "remains" / "UR-1.html");
    const auto shown = elements(page, "candidate-row");
    REQUIRE(shown.size() == 1);
    CHECK(shown[0].at("data-log10-lr") == rows[0].at("log10_lr"));
    CHECK(shown[0].at("data-missing") == "F1-MP");
    CHECK(page.find("<th>posterior</th>") == std::string::npos);
}

TEST_CASE("A lineage run's autosomal_log10_lr column is what the per-marker values must add up to", "[report][cli]") {
    TempDir dir;
    const auto in = inputs(dir, Case{});
    succeed(std::vector<std::string>{"match"} + in + std::vector<std::string>{"-q", "-o", (dir / "out.tsv").string()});
    const auto rows = namedRows(readFile(dir / "out.tsv"));
    REQUIRE(rows.size() == 1);
    const std::string autosomal = rows[0].at("log10_lr");
    char combined[64];
    std::snprintf(combined, sizeof combined, "%.15g", std::stod(autosomal) + 1.5);
    const auto report = [&](const std::string& header, const std::string& row) {
        writeFile(dir / "lineage.tsv", "remains\tfamily\tmissing\tlog10_lr\trank\t" + header + "\nUR-1\tF1\tF1-MP\t" +
                                           combined + "\t1\t" + row + "\n");
        return succeed(std::vector<std::string>{"report", "--results", (dir / "lineage.tsv").string(), "-q", "--force",
                                                "-o", (dir / "rep").string()} + in);
    };
    SECTION("with the autosomal part given, the combined LR is no disagreement") {
        const RunOutput run = report("autosomal_log10_lr\tmtdna_outcome\tmtdna_log10_lr\tystr_outcome\tystr_log10_lr",
                                     autosomal + "\tcannot_exclude\t1.5\t.\t.");
        CHECK_THAT(run.err, !Contains("per-marker"));
        const std::string page = readFile(dir / "rep" / "remains" / "UR-1.html");
        CHECK_THAT(page, Contains("equals the reported autosomal log10 LR"));
        CHECK_THAT(page, Contains("<tr data-system=\"mtdna\"><td>mtDNA</td><td>cannot_exclude</td><td class=\"num\">1.500</td></tr>"));
        CHECK_THAT(page, Contains("<tr data-system=\"ystr\"><td>Y-STR</td><td>not compared</td>"));
        const auto shown = elements(page, "candidate-row");
        REQUIRE(shown.size() == 1);
        CHECK(shown[0].at("data-log10-lr") == combined);
        CHECK(shown[0].at("data-autosomal-log10-lr") == autosomal);
        CHECK(shown[0].count("data-ystr-log10-lr") == 0);
    }
    SECTION("without it, the combined LR is checked and found to differ") {
        const RunOutput run = report("mtdna_outcome\tmtdna_log10_lr", "cannot_exclude\t1.5");
        CHECK_THAT(run.err, Contains("remains UR-1, F1/F1-MP: per-marker log10 LRs sum to"));
        CHECK_THAT(readFile(dir / "rep" / "remains" / "UR-1.html"), Contains("differs from the reported log10 LR"));
    }
    SECTION("a malformed autosomal value names its column") {
        writeFile(dir / "bad.tsv", "remains\tfamily\tmissing\tlog10_lr\trank\tautosomal_log10_lr\nUR-1\tF1\tF1-MP\t1\t1\tx\n");
        const RunOutput run = runKinmatch(std::vector<std::string>{"report", "--results", (dir / "bad.tsv").string(), "-q",
                                                                   "-o", (dir / "rep").string()} + in);
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Contains("bad.tsv:2: field autosomal_log10_lr: \"x\" is not a number"));
    }
}

TEST_CASE("The report refuses bad results and occupied directories, leaving nothing behind", "[report][cli]") {
    TempDir dir;
    const auto in = inputs(dir, Case{});
    succeed(std::vector<std::string>{"match"} + in + std::vector<std::string>{"-q", "-o", (dir / "out.tsv").string()});
    const auto report = [&](const std::string& results, const std::vector<std::string>& more = {}) {
        return runKinmatch(std::vector<std::string>{"report", "--results", (dir / results).string(), "-q", "-o",
                                                    (dir / "rep").string()} + in + more);
    };
    const auto leftovers = [&] {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir.path()))
            if (e.path().filename().string().rfind(".rep.", 0) == 0 || e.path().filename() == "rep")
                names.push_back(e.path().filename().string());
        return names;
    };
    struct Bad {
        std::string text;
        std::string message;
    };
    const std::string header = "remains\tfamily\tmissing\tlog10_lr\trank\n";
    const Bad bad = GENERATE_COPY(
        Bad{"remains\tfamily\tmissing\trank\nUR-1\tF1\tF1-MP\t1\n", "bad.tsv:1: header: no column log10_lr"},
        Bad{header + "UR-1\tF1\tF1-MP\tabc\t1\n", "bad.tsv:2: field log10_lr: \"abc\" is not a number"},
        Bad{header + "UR-1\tF1\tF1-MP\t1.5\t0\n", "bad.tsv:2: field rank"},
        Bad{header + "UR-9\tF1\tF1-MP\t1.5\t1\n", "bad.tsv:2: field remains: \"UR-9\" is not in the remains file"},
        Bad{header + "UR-1\tF1\tF1-father\t1.5\t1\n", "bad.tsv:2: field missing: \"F1-father\" is not a missing person"},
        Bad{header + "UR-1\tF1\tF1-MP\t1.5\n", "bad.tsv:2: 4 fields (expected 5"},
        Bad{"# only a comment\n", "bad.tsv: no header line"});
    writeFile(dir / "bad.tsv", bad.text);
    const RunOutput run = report("bad.tsv");
    CHECK(run.exitCode == 1);
    CHECK_THAT(run.err, Contains(bad.message));
    CHECK(leftovers().empty());
}

TEST_CASE("The report replaces only a previous report, and only with --force", "[report][cli]") {
    TempDir dir;
    const auto in = inputs(dir, Case{});
    succeed(std::vector<std::string>{"match"} + in + std::vector<std::string>{"-q", "-o", (dir / "out.tsv").string()});
    const auto report = [&](const std::string& out, const std::vector<std::string>& more = {}) {
        return runKinmatch(std::vector<std::string>{"report", "--results", (dir / "out.tsv").string(), "-q", "-o",
                                                    (dir / out).string()} + in + more);
    };
    SECTION("options") {
        CHECK(runKinmatch({"report", "-o", (dir / "x").string()}).exitCode == 2);
        const RunOutput noResults = runKinmatch(std::vector<std::string>{"report", "-o", (dir / "x").string()} + in);
        CHECK(noResults.exitCode == 2);
        CHECK_THAT(noResults.err, Contains("--results or --db is required"));
        const RunOutput help = runKinmatch({"help", "report"});
        CHECK(help.exitCode == 0);
        CHECK_THAT(help.out, Contains("--results FILE") && Contains("--db URL"));
    }
    SECTION("a directory that is not a report is never replaced") {
        fs::create_directory(dir / "other");
        writeFile(dir / "other" / "keep.txt", "precious");
        const RunOutput plain = report("other");
        CHECK(plain.exitCode == 1);
        CHECK_THAT(plain.err, Contains("not empty"));
        const RunOutput forced = report("other", {"--force"});
        CHECK(forced.exitCode == 1);
        CHECK_THAT(forced.err, Contains("no kinmatch report"));
        CHECK(readFile(dir / "other" / "keep.txt") == "precious");
    }
    SECTION("a previous report is replaced as a whole; an empty directory is filled") {
        REQUIRE(report("rep").exitCode == 0);
        writeFile(dir / "rep" / "remains" / "stale.html", "old");
        CHECK(report("rep").exitCode == 1);
        REQUIRE(report("rep", {"--force"}).exitCode == 0);
        CHECK_FALSE(fs::exists(dir / "rep" / "remains" / "stale.html"));
        CHECK(fs::exists(dir / "rep" / "remains" / "UR-1.html"));
        fs::create_directory(dir / "empty");
        REQUIRE(report("empty").exitCode == 0);
        CHECK(fs::exists(dir / "empty" / "index.html"));
        for (const auto& e : fs::directory_iterator(dir.path()))
            CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
    }
    SECTION("other model flags than the run's are reported, not silently shown") {
        const RunOutput run = report("rep", {"--mutation-model", "equal", "--mutation-rate", "0.01"});
        REQUIRE(run.exitCode == 0);
        CHECK_THAT(run.err, Contains("remains UR-1, F1/F1-MP: per-marker log10 LRs sum to"));
        CHECK_THAT(readFile(dir / "rep" / "index.html"), Contains("give the same files and model flags"));
        CHECK_THAT(readFile(dir / "rep" / "remains" / "UR-1.html"), Contains("differs from the reported"));
    }
}

TEST_CASE("Report pages are byte-identical for any thread count", "[report][cli]") {
    TempDir dir;
    const auto model = std::vector<std::string>{"--mutation-model", "equal", "--mutation-rate", "0.002", "-q"};
    succeed(std::vector<std::string>{"match"} + sampleInputs() + model +
            std::vector<std::string>{"-o", (dir / "results.tsv").string()});
    for (const char* threads : {"1", "2"})
        succeed(std::vector<std::string>{"report", "--results", (dir / "results.tsv").string(), "-t", threads, "-o",
                                         (dir / (std::string("t") + threads)).string()} +
                sampleInputs() + model);
    std::size_t pages = 0;
    for (const auto& e : fs::directory_iterator(dir / "t1" / "remains")) {
        INFO(e.path().filename());
        CHECK(readFile(e.path()) == readFile(dir / "t2" / "remains" / e.path().filename()));
        ++pages;
    }
    CHECK(pages == 60);
    // The index differs only in the report's own command line (-t 1 / -t 2, the directory).
    const auto withoutCommand = [](const std::string& page) {
        const std::size_t at = page.find("<tr><th>report command</th>");
        REQUIRE(at != std::string::npos);
        return page.substr(0, at) + page.substr(page.find("</tr>", at));
    };
    CHECK(withoutCommand(readFile(dir / "t1" / "index.html")) == withoutCommand(readFile(dir / "t2" / "index.html")));
}
