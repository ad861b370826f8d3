// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/MtHaplotype.hpp"
#include "formats/MtdnaVcfReader.hpp"
#include "formats/MtdnaWriter.hpp"
#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using kinmatch::Warnings;
using kinmatch::engine::mt::CoveredRange;
using kinmatch::engine::mt::Haplotype;
using kinmatch::engine::mt::Variant;
using kinmatch::formats::formatMtRange;
using kinmatch::formats::formatMtVariant;
using kinmatch::formats::formatMtVariants;
using kinmatch::formats::mtAlleleDifferences;
using kinmatch::formats::MtVcfOptions;
using kinmatch::formats::readMtdnaVcf;
using kinmatch::test::TempDir;
using kinmatch::test::testDataDir;
using kinmatch::test::writeFile;

namespace {

std::string dataFile(const std::string& name) { return (testDataDir() / "mtdna-hts" / name).string(); }

std::vector<Haplotype> readVcf(const std::string& path, double minAf = 0.10) {
    Warnings warnings;
    MtVcfOptions options;
    options.minAf = minAf;
    return readMtdnaVcf(path, options, warnings);
}

std::string variantsText(const Haplotype& h) { return formatMtVariants(h); }

char iupac(char a, char b) {
    const std::map<std::string, char> codes{{"AG", 'R'}, {"CT", 'Y'}, {"GT", 'K'}, {"AC", 'M'}, {"CG", 'S'}, {"AT", 'W'}};
    std::string key{std::min(a, b), std::max(a, b)};
    return codes.at(key);
}

// What Mutserve's own table (.txt twin of the VCF) says each sample carries at a heteroplasmy
// threshold: the major base, plus the minor one as an IUPAC code when its level reaches the
// threshold; Type 1 rows have no minor base. Position 3107 (rCRS N) is left out, as the reader
// never calls it.
std::map<std::string, std::vector<Variant>> expectedFromMutserveTable(double threshold) {
    std::ifstream in(dataFile("mutserve-variants.txt"));
    std::string line;
    std::getline(in, line);  // header
    std::map<std::string, std::vector<Variant>> out;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, filter, ref, variant, majorBase, minorBase;
        int pos = 0, type = 0, coverage = 0;
        double variantLevel = 0, majorLevel = 0, minorLevel = 0;
        fields >> id >> filter >> pos >> ref >> variant >> variantLevel >> majorBase >> majorLevel >> minorBase >>
            minorLevel >> coverage >> type;
        REQUIRE(fields);
        if (pos == 3107) continue;
        char call = majorBase[0];
        if (type == 2 && minorLevel >= threshold) call = iupac(majorBase[0], minorBase[0]);
        if (call != ref[0]) out[id].push_back({static_cast<std::uint16_t>(pos), 0, call});
    }
    for (auto& [id, variants] : out) std::sort(variants.begin(), variants.end());
    return out;
}

const char* kVcfHeader =
    "##fileformat=VCFv4.2\n"
    "##FILTER=<ID=PASS,Description=\"passed\">\n"
    "##FILTER=<ID=LowQual,Description=\"low quality\">\n"
    "##INFO=<ID=END,Number=1,Type=Integer,Description=\"end of a reference block\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"allele frequency\">\n"
    "##contig=<ID=chrM,length=16569>\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n";

}  // namespace

TEST_CASE("EMPOP notation of variants and ranges", "[mtdna-hts]") {
    CHECK(formatMtVariant({16069, 0, 'T'}) == "16069T");
    CHECK(formatMtVariant({315, 1, 'C'}) == "315.1C");
    CHECK(formatMtVariant({309, 2, 'C'}) == "309.2C");
    CHECK(formatMtVariant({249, 0, '-'}) == "249del");
    CHECK(formatMtVariant({16093, 0, 'Y'}) == "16093Y");
    CHECK_THROWS(formatMtVariant({0, 0, 'A'}));

    CoveredRange controlRegion;
    controlRegion.add(16024, 576);
    CHECK(formatMtRange(controlRegion) == "16024-16569;1-576");
    CHECK(formatMtRange(CoveredRange::whole()) == "1-16569");
    CoveredRange pieces;
    pieces.add(73, 340);
    pieces.add(16024, 16365);
    CHECK(formatMtRange(pieces) == "73-340;16024-16365");
    CHECK(formatMtRange(CoveredRange{}) == "");

    // A control-region haplotype lists its 16xxx variants first, as the range is printed, and a
    // position's own base before its insertions.
    Haplotype h;
    h.range = controlRegion;
    h.variants = {{73, 0, 'G'}, {315, 0, 'T'}, {315, 1, 'C'}, {16069, 0, 'T'}, {16519, 0, 'C'}};
    CHECK(variantsText(h) == "16069T 16519C 73G 315T 315.1C");

    std::ostringstream out;
    h.sample = "UR-0042";
    kinmatch::formats::writeMtdnaTsv(out, {h}, {"made by a test"});
    CHECK(out.str() ==
          "# made by a test\nSampleName\tRange\tHaplotype\nUR-0042\t16024-16569;1-576\t16069T 16519C 73G 315T 315.1C\n");
    h.sample = "bad\tname";
    CHECK_THROWS_WITH(kinmatch::formats::writeMtdnaTsv(out, {h}, {}), Contains("bad"));
}

TEST_CASE("VCF alleles become differences from the rCRS", "[mtdna-hts]") {
    using V = std::vector<Variant>;
    CHECK(mtAlleleDifferences(73, "A", "G") == V{{73, 0, 'G'}});
    CHECK(mtAlleleDifferences(73, "A", "A").empty());
    // Anchored deletion of 249 (rCRS 248-249 = AA) and insertion of C after 315.
    CHECK(mtAlleleDifferences(248, "AA", "A") == V{{249, 0, '-'}});
    CHECK(mtAlleleDifferences(315, "C", "CC") == V{{315, 1, 'C'}});
    CHECK(mtAlleleDifferences(309, "C", "CCT") == V{{309, 1, 'C'}, {309, 2, 'T'}});
    // Two substitutions in one record, and a deletion written with a shared suffix.
    CHECK(mtAlleleDifferences(100, "GA", "TC") == V{{100, 0, 'T'}, {101, 0, 'C'}});
    CHECK(mtAlleleDifferences(522, "CAC", "C") == V{{523, 0, '-'}, {524, 0, '-'}});
}

TEST_CASE("Mutserve's VCF gives the calls of its own table at each heteroplasmy threshold", "[mtdna-hts]") {
    for (const double threshold : {0.10, 0.035, 0.5}) {
        INFO("threshold " << threshold);
        const auto haplotypes = readVcf(dataFile("mutserve-variants.vcf"), threshold);
        REQUIRE(haplotypes.size() == 2);
        CHECK(haplotypes[0].sample == "test.cram");
        CHECK(haplotypes[1].sample == "test1.cram");
        const auto expected = expectedFromMutserveTable(threshold);
        for (const auto& h : haplotypes) {
            INFO(h.sample);
            CHECK(h.range == CoveredRange::whole());
            CHECK(h.variants == expected.at(h.sample));
        }
    }
    // Spot checks written out by hand from the VCF: test.cram 8010 T>C 0/1 AF 0.149 is Y (C/T) at
    // 0.10 and plain T (nothing) at 0.5; test1.cram 152 T>C 1/0 AF 0.98 is C at any threshold
    // (the reference T has 0.02) up to a threshold of 0.02, where it becomes Y; 182 C>T 0/1 AF
    // 0.024 is nothing at 0.10 and Y at 0.02.
    const auto at10 = readVcf(dataFile("mutserve-variants.vcf"), 0.10);
    CHECK_THAT(variantsText(at10[0]), Contains("8010Y"));
    CHECK_THAT(variantsText(at10[1]), Contains("152C"));
    CHECK_THAT(variantsText(at10[1]), !Contains("182"));
    const auto at2 = readVcf(dataFile("mutserve-variants.vcf"), 0.02);
    CHECK_THAT(variantsText(at2[1]), Contains("182Y"));
    CHECK_THAT(variantsText(at2[1]), Contains("152Y"));
    CHECK_THAT(variantsText(readVcf(dataFile("mutserve-variants.vcf"), 0.021)[1]), Contains("152C"));
    const auto at50 = readVcf(dataFile("mutserve-variants.vcf"), 0.5);
    CHECK_THAT(variantsText(at50[0]), !Contains("8010"));
}

TEST_CASE("A VCF sample's range: the options' range minus filtered and missing records; a gVCF's own blocks",
          "[mtdna-hts]") {
    TempDir dir;
    const auto path = (dir / "calls.vcf").string();
    writeFile(path, std::string(kVcfHeader) +
                        "chrM\t73\t.\tA\tG\t.\tPASS\t.\tGT\t1\t.\n"
                        "chrM\t150\t.\tC\tT\t.\tLowQual\t.\tGT\t1\t1\n"
                        "chrM\t16093\t.\tT\tC\t.\t.\t.\tGT:AF\t0/1:0.3\t1:1\n"
                        "chrM\t16519\t.\tT\tC\t.\tPASS\t.\tGT\t1\t1\n");
    Warnings warnings;
    MtVcfOptions options;
    const auto whole = readMtdnaVcf(path, options, warnings);
    REQUIRE(whole.size() == 2);
    CHECK(formatMtRange(whole[0].range) == "1-149;151-16569");
    CHECK(variantsText(whole[0]) == "73G 16093Y 16519C");
    CHECK(formatMtRange(whole[1].range) == "1-72;74-149;151-16569");
    CHECK(variantsText(whole[1]) == "16093C 16519C");

    options.range = CoveredRange{};
    options.range->add(16024, 576);
    const auto control = readMtdnaVcf(path, options, warnings);
    CHECK(formatMtRange(control[0].range) == "16024-16569;1-149;151-576");
    CHECK(variantsText(control[0]) == "16093Y 16519C 73G");

    // gVCF: reference blocks (END) and variant records with a called GT are the range.
    const auto gvcf = (dir / "calls.g.vcf").string();
    writeFile(gvcf, std::string(kVcfHeader) +
                        "chrM\t1\t.\tG\t<NON_REF>\t.\t.\tEND=72\tGT\t0\t0\n"
                        "chrM\t73\t.\tA\tG,<NON_REF>\t.\t.\t.\tGT\t1\t0\n"
                        "chrM\t74\t.\tT\t<NON_REF>\t.\t.\tEND=576\tGT\t0\t.\n"
                        "chrM\t16024\t.\tT\t<NON_REF>\t.\t.\tEND=16569\tGT\t0\t0\n");
    const auto blocks = readMtdnaVcf(gvcf, MtVcfOptions{}, warnings);
    CHECK(formatMtRange(blocks[0].range) == "16024-16569;1-576");
    CHECK(variantsText(blocks[0]) == "73G");
    CHECK(formatMtRange(blocks[1].range) == "16024-16569;1-73");
    CHECK(variantsText(blocks[1]).empty());
}

TEST_CASE("Heterozygous indels and AF in GT order or per ALT", "[mtdna-hts]") {
    TempDir dir;
    const auto path = (dir / "indels.vcf").string();
    // 248 AA>A is a deletion of 249 (rCRS 248-249 = AA); S1's 0/1 with AF 0.4 is a length
    // heteroplasmy: the reference (0.6) is kept with a warning. Position 3107 (rCRS N) is never
    // called.
    writeFile(path, std::string(kVcfHeader) +
                        "chrM\t248\t.\tAA\tA,AAA\t.\tPASS\t.\tGT:AF\t0/1:0.4,0\t1:.,.\n"
                        "chrM\t3107\t.\tN\tC\t.\tPASS\t.\tGT\t1\t1\n"
                        "chrM\t16189\t.\tT\tC,A\t.\tPASS\t.\tGT:AF\t1/2:0.7,0.3\t2/1:0.05,0.95\n");
    Warnings warnings;
    const auto h = readMtdnaVcf(path, MtVcfOptions{}, warnings);
    REQUIRE(h.size() == 2);
    // AF is Number=A: S1 has C 0.7 and A 0.3 -> M (A/C); S2 has C 0.05, A 0.95 -> A.
    CHECK(variantsText(h[0]) == "16189M");
    CHECK(variantsText(h[1]) == "249del 16189A");
    REQUIRE(warnings.messages().size() == 1);
    CHECK_THAT(warnings.messages()[0], Contains("indels.vcf:9") && Contains("not a point heteroplasmy"));
}

TEST_CASE("Malformed or foreign VCFs are refused with the file, line and field", "[mtdna-hts]") {
    TempDir dir;
    auto write = [&](const std::string& name, const std::string& body) {
        const auto path = (dir / name).string();
        writeFile(path, body);
        return path;
    };
    CHECK_THROWS_WITH(readVcf((dir / "absent.vcf").string()), Contains("absent.vcf") && Contains("no such file"));
    const auto chr1 = write("chr1.vcf", std::string(kVcfHeader) + "chr1\t73\t.\tA\tG\t.\tPASS\t.\tGT\t1\t1\n");
    CHECK_THROWS_WITH(readVcf(chr1), Contains("chr1.vcf:9") && Contains("CHROM") && Contains("not mtDNA"));
    std::string hg19 = kVcfHeader;
    hg19.replace(hg19.find("length=16569"), 12, "length=16571");
    const auto yoruba = write("hg19.vcf", hg19 + "chrM\t73\t.\tA\tG\t.\tPASS\t.\tGT\t1\t1\n");
    CHECK_THROWS_WITH(readVcf(yoruba), Contains("hg19.vcf:9") && Contains("16571") && Contains("Yoruba"));
    const auto wrongRef = write("ref.vcf", std::string(kVcfHeader) + "chrM\t73\t.\tC\tG\t.\tPASS\t.\tGT\t1\t1\n");
    CHECK_THROWS_WITH(readVcf(wrongRef), Contains("ref.vcf:9") && Contains("REF") && Contains("rCRS"));
    const auto badAf = write("af.vcf", std::string(kVcfHeader) + "chrM\t73\t.\tA\tG\t.\tPASS\t.\tGT:AF\t0/1:1.5\t1:1\n");
    CHECK_THROWS_WITH(readVcf(badAf), Contains("af.vcf:9") && Contains("AF"));
    const auto beyond = write("pos.vcf", std::string(kVcfHeader) + "chrM\t16570\t.\tA\tG\t.\tPASS\t.\tGT\t1\t1\n");
    CHECK_THROWS_WITH(readVcf(beyond), Contains("pos.vcf:9") && Contains("POS"));
    const auto sitesOnly = write("sites.vcf", "##fileformat=VCFv4.2\n##contig=<ID=chrM,length=16569>\n"
                                              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                                              "chrM\t73\t.\tA\tG\t.\tPASS\t.\n");
    CHECK_THROWS_WITH(readVcf(sitesOnly), Contains("sites.vcf") && Contains("no sample"));
    const auto text = write("notes.txt", "these are not variants\n");
    CHECK_THROWS_WITH(readVcf(text), Contains("notes.txt"));
}

// End-to-end: `kinmatch mtdna call` over the shared BAMs and VCF.
TEST_CASE("kinmatch mtdna call writes one EMPOP-style row per sample, whatever the input order and threads",
          "[mtdna-hts]") {
    using kinmatch::test::runKinmatch;
    using kinmatch::test::withoutComments;
    TempDir dir;
    const auto bam1 = dataFile("HG03478.mapped.ILLUMINA.bwa.MSL.low_coverage.20121211.bam");
    const auto bam2 = dataFile("HG03706.mapped.ILLUMINA.bwa.PJL.low_coverage.20130415.bam");
    const auto vcf = dataFile("mutserve-variants.vcf");
    const auto out1 = (dir / "a.tsv").string();
    const auto out2 = (dir / "b.tsv").string();
    const auto run1 = runKinmatch({"mtdna", "call", bam1, bam2, vcf, "-o", out1, "-t", "1"});
    INFO(run1.err);
    REQUIRE(run1.exitCode == 0);
    const auto run2 = runKinmatch({"mtdna", "call", vcf, bam2, bam1, "-o", out2, "--threads", "2"});
    REQUIRE(run2.exitCode == 0);
    const std::string table = kinmatch::test::readFile(out1);
    CHECK(withoutComments(table) == withoutComments(kinmatch::test::readFile(out2)));
    CHECK_THAT(table, Contains("# input: " + bam1 + " (BAM, sample HG03478"));

    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(withoutComments(table));
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> fields;
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
        rows.push_back(fields);
    }
    REQUIRE(rows.size() == 5);
    CHECK(rows[0] == std::vector<std::string>{"SampleName", "Range", "Haplotype"});
    CHECK(rows[1][0] == "HG03478");
    CHECK(rows[2][0] == "HG03706");
    CHECK(rows[2][1] == "1-4601;4627-4629;4631-4632;4634-4634;4638-8864;8868-16561");
    CHECK_THAT(rows[2][2], Contains("73G") && Contains("16519C"));
    CHECK(rows[3][0] == "test.cram");
    CHECK(rows[3][1] == "1-16569");
    CHECK_THAT(rows[3][2], Contains("8010Y"));
    CHECK(rows[4][0] == "test1.cram");

    // --range on the VCF, and --sample.
    const auto control = runKinmatch({"mtdna", "call", vcf, "--range", "16024-576", "-q"});
    REQUIRE(control.exitCode == 0);
    CHECK_THAT(control.out, Contains("test.cram\t16024-16569;1-576\t16126C"));
    CHECK_THAT(control.out, !Contains("750G"));
    const auto named = runKinmatch({"mtdna", "call", bam1, "--sample", "UR-0001", "-q"});
    REQUIRE(named.exitCode == 0);
    CHECK_THAT(named.out, Contains("\nUR-0001\t54-54;"));
}

TEST_CASE("kinmatch mtdna call refuses bad inputs and options without leaving an output", "[mtdna-hts]") {
    using kinmatch::test::runKinmatch;
    TempDir dir;
    const auto bam = dataFile("HG03478.mapped.ILLUMINA.bwa.MSL.low_coverage.20121211.bam");
    const auto out = (dir / "out.tsv").string();

    const auto help = runKinmatch({"mtdna", "call", "--help"});
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, Contains("--mt-min-depth") && Contains("--mt-min-af") && Contains("gVCF"));

    const auto missing = runKinmatch({"mtdna", "call", (dir / "absent.bam").string(), "-o", out});
    CHECK(missing.exitCode == 1);
    CHECK_THAT(missing.err, Contains("absent.bam") && Contains("no such file"));

    const std::string bytes = kinmatch::test::readFile(bam);
    const auto truncated = (dir / "cut.bam").string();
    writeFile(truncated, bytes.substr(0, bytes.size() - 100));
    const auto cut = runKinmatch({"mtdna", "call", bam, truncated, "-o", out});
    CHECK(cut.exitCode == 1);
    CHECK_THAT(cut.err, Contains("cut.bam") && Contains("truncated"));

    const auto twice = runKinmatch({"mtdna", "call", bam, bam, "-o", out});
    CHECK(twice.exitCode == 1);
    CHECK_THAT(twice.err, Contains("HG03478") && Contains("also in"));

    const auto chrom = (dir / "chr1.vcf").string();
    writeFile(chrom, "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"\">\n"
                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\nchr1\t10\t.\tA\tG\t.\t.\t.\tGT\t1\n");
    const auto foreign = runKinmatch({"mtdna", "call", chrom, "-o", out});
    CHECK(foreign.exitCode == 1);
    CHECK_THAT(foreign.err, Contains("chr1.vcf:5") && Contains("not mtDNA"));
    CHECK_FALSE(std::filesystem::exists(out));

    CHECK(runKinmatch({"mtdna", "call", bam, "--mt-min-af", "0.7"}).exitCode == 2);
    CHECK(runKinmatch({"mtdna", "call", bam, "--mt-min-depth", "0"}).exitCode == 2);
    CHECK(runKinmatch({"mtdna", "call", bam, "--range", "1-99999"}).exitCode == 2);
    CHECK(runKinmatch({"mtdna", "call", bam, bam, "--sample", "X"}).exitCode == 2);
    CHECK(runKinmatch({"mtdna", "call", "-o", out}).exitCode == 2);
}
