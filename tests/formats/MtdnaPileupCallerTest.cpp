// SPDX-License-Identifier: MIT
#include <htslib/sam.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/MtHaplotype.hpp"
#include "formats/MtdnaPileupCaller.hpp"
#include "formats/MtdnaWriter.hpp"
#include "tests/support/RunKinmatch.hpp"

using Catch::Matchers::Contains;
using kinmatch::Warnings;
using kinmatch::engine::mt::Haplotype;
using kinmatch::engine::mt::kGenomeLength;
using kinmatch::engine::mt::rcrs;
using kinmatch::formats::callMtdnaPileup;
using kinmatch::formats::formatMtRange;
using kinmatch::formats::formatMtVariants;
using kinmatch::formats::MtPileupCall;
using kinmatch::formats::MtPileupOptions;
using kinmatch::test::readFile;
using kinmatch::test::TempDir;
using kinmatch::test::testDataDir;
using kinmatch::test::writeFile;

namespace {

std::string dataFile(const std::string& name) { return (testDataDir() / "mtdna-hts" / name).string(); }
const std::string kHg03478 = "HG03478.mapped.ILLUMINA.bwa.MSL.low_coverage.20121211.bam";
const std::string kHg03706 = "HG03706.mapped.ILLUMINA.bwa.PJL.low_coverage.20130415.bam";

MtPileupCall call(const std::string& path, MtPileupOptions options = {}) {
    Warnings warnings;
    return callMtdnaPileup(path, options, warnings);
}

// The rCRS bases first..last (1-based, inclusive).
std::string refBases(int first, int last) {
    return std::string(rcrs().substr(static_cast<std::size_t>(first - 1), static_cast<std::size_t>(last - first + 1)));
}

// A base that is not the rCRS base at `position`, nor (when given) `avoid`.
char otherBase(int position, char avoid = 0) {
    for (char b : {'A', 'C', 'G', 'T'})
        if (b != rcrs()[static_cast<std::size_t>(position - 1)] && b != avoid) return b;
    return 'N';
}

struct SamRead {
    std::string name;
    int flag = 0;
    int position = 1;  // 1-based
    int mapq = 60;
    std::string cigar;
    std::string sequence;
    std::string quality;  // empty: all 'I' (Q40)
    std::string mate = "*\t0\t0";
};

// A made-up SAM on the contig MT, reads sorted by position as a pileup needs.
std::string samText(std::vector<SamRead> reads, const std::string& header = "@SQ\tSN:MT\tLN:16569\n@RG\tID:rg\tSM:SYN-1\n") {
    std::stable_sort(reads.begin(), reads.end(), [](const SamRead& a, const SamRead& b) { return a.position < b.position; });
    std::string text = "@HD\tVN:1.6\tSO:coordinate\n" + header;
    for (const auto& r : reads) {
        const std::string quality = r.quality.empty() ? std::string(r.sequence.size(), 'I') : r.quality;
        text += r.name + '\t' + std::to_string(r.flag) + "\tMT\t" + std::to_string(r.position) + '\t' +
                std::to_string(r.mapq) + '\t' + r.cigar + '\t' + r.mate + '\t' + r.sequence + '\t' + quality + '\n';
    }
    return text;
}

// `count` reads of the rCRS over first..last, each changed by `edit(i, sequence)`.
template <class Edit>
void addReads(std::vector<SamRead>& reads, const std::string& tag, int count, int first, int last, Edit edit) {
    for (int i = 0; i < count; ++i) {
        SamRead r{tag + "-" + std::to_string(i), 0, first, 60, std::to_string(last - first + 1) + "M",
                  refBases(first, last), "", "*\t0\t0"};
        edit(i, r);
        reads.push_back(r);
    }
}
void addPlainReads(std::vector<SamRead>& reads, const std::string& tag, int count, int first, int last) {
    addReads(reads, tag, count, first, last, [](int, SamRead&) {});
}

// Sets the base of read `r` (starting at r.position, no indels) at rCRS `position`.
void setBase(SamRead& r, int position, char base) { r.sequence[static_cast<std::size_t>(position - r.position)] = base; }

char iupac(char a, char b) {
    const std::map<std::string, char> codes{{"AG", 'R'}, {"CT", 'Y'}, {"GT", 'K'}, {"AC", 'M'}, {"CG", 'S'}, {"AT", 'W'}};
    return codes.at(std::string{std::min(a, b), std::max(a, b)});
}

// The base the consensus FASTA (16569 bases, no header) has at each position.
std::string readConsensus(const std::string& name) {
    std::string text = readFile(dataFile(name));
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }), text.end());
    return text;
}

}  // namespace

TEST_CASE("The pileup caller on made-up reads: depth, qualities, heteroplasmy, indels, mates", "[mtdna-hts]") {
    std::vector<SamRead> reads;
    // 101-150: 20 reads. 120: 4 of 20 other (20 %); 125: 2 of 20 (10 %, exactly the threshold);
    // 140: 1 of 20 (one read never makes a heteroplasmy); 130: all 20 other (substitution);
    // 135: 15 reads have quality 5 there, leaving depth 5 < 10.
    const char at120 = otherBase(120), at125 = otherBase(125), at130 = otherBase(130), at140 = otherBase(140);
    addReads(reads, "a", 20, 101, 150, [&](int i, SamRead& r) {
        if (i < 4) setBase(r, 120, at120);
        if (i < 2) setBase(r, 125, at125);
        if (i < 1) setBase(r, 140, at140);
        setBase(r, 130, at130);
        r.quality = std::string(r.sequence.size(), 'I');
        if (i < 15) r.quality[135 - 101] = '&';
    });
    addPlainReads(reads, "shallow", 9, 201, 250);  // depth 9: outside the range
    // 361-400: 9 reads of MAPQ 60 and 5 of MAPQ 10: depth 9 at the default --mt-min-mapq 20.
    addPlainReads(reads, "mapq60", 9, 361, 400);
    addReads(reads, "mapq10", 5, 361, 400, [](int, SamRead& r) { r.mapq = 10; });
    addReads(reads, "dup", 12, 401, 450, [](int, SamRead& r) { r.flag = 1024; });  // duplicates: dropped
    // A deletion of rCRS 537 in 20 reads; 538 differs, so the deletion stays there.
    REQUIRE(rcrs()[536] != rcrs()[537]);
    addReads(reads, "del", 20, 511, 560, [](int, SamRead& r) {
        r.cigar = "26M1D23M";
        r.sequence = refBases(511, 536) + refBases(538, 560);
    });
    // An insertion after 625 in 12 of 20 reads, of a base that differs from both neighbours.
    const char inserted = otherBase(625, rcrs()[625]);
    addReads(reads, "ins", 20, 601, 650, [&](int i, SamRead& r) {
        if (i >= 12) return;
        r.cigar = "25M1I25M";
        r.sequence = refBases(601, 625) + inserted + refBases(626, 650);
    });
    // One C inserted into the C-stretch 303-309 by 15 of 20 reads, placed by the "aligner" after
    // 303, 306 or 309: all one insertion, 309.1C.
    REQUIRE(refBases(303, 310) == "CCCCCCCT");
    addReads(reads, "cstretch", 20, 281, 340, [](int i, SamRead& r) {
        if (i >= 15) return;
        const int after = 303 + 3 * (i % 3);
        r.cigar = std::to_string(after - 281 + 1) + "M1I" + std::to_string(340 - after) + "M";
        r.sequence = refBases(281, after) + "C" + refBases(after + 1, 340);
    });
    // 3107, the rCRS N: covered, never called.
    addReads(reads, "n", 20, 3090, 3130, [](int, SamRead& r) { setBase(r, 3107, 'C'); });
    // Six pairs whose mates overlap completely: six templates, depth 6, outside the range.
    for (int i = 0; i < 6; ++i) {
        const std::string name = "pair-" + std::to_string(i);
        reads.push_back({name, 99, 701, 60, "50M", refBases(701, 750), "", "=\t701\t50"});
        reads.push_back({name, 147, 701, 60, "50M", refBases(701, 750), "", "=\t701\t-50"});
    }

    TempDir dir;
    const auto path = (dir / "synthetic.sam").string();
    writeFile(path, samText(reads));
    const auto result = call(path);
    const Haplotype& h = result.haplotype;
    CHECK(h.sample == "SYN-1");
    CHECK(formatMtRange(h.range) == "101-134;136-150;281-340;511-560;601-650;3090-3130");
    const std::string expected = "120" + std::string(1, iupac(rcrs()[119], at120)) + " 125" +
                                 std::string(1, iupac(rcrs()[124], at125)) + " 130" + at130 + " 309.1C 537del 625.1" +
                                 inserted;
    CHECK(formatMtVariants(h) == expected);
    CHECK(result.counts[119].depth() == 20);
    CHECK(result.counts[134].depth() == 5);
    CHECK(result.counts[536].reads[4] == 20);
    CHECK(result.counts[700].depth() == 6);

    // A higher threshold drops both heteroplasmies; MAPQ 0 lets the MAPQ-10 reads count.
    MtPileupOptions strict;
    strict.minAf = 0.25;
    CHECK(formatMtVariants(call(path, strict).haplotype) == "130" + std::string(1, at130) + " 309.1C 537del 625.1" + inserted);
    MtPileupOptions anyMapq;
    anyMapq.minMappingQuality = 0;
    CHECK(formatMtRange(call(path, anyMapq).haplotype.range) == "101-134;136-150;281-340;361-400;511-560;601-650;3090-3130");
    MtPileupOptions named;
    named.sampleName = "UR-0007";
    CHECK(call(path, named).haplotype.sample == "UR-0007");
}

TEST_CASE("The pileup caller agrees with Mutserve's consensus on two 1000 Genomes BAMs", "[mtdna-hts]") {
    for (const auto& [bam, consensusName, sample] :
         {std::tuple{kHg03478, std::string("HG03478.expected-consensus.fasta"), std::string("HG03478")},
          std::tuple{kHg03706, std::string("HG03706.expected-consensus.fasta"), std::string("HG03706")}}) {
        INFO(sample);
        const auto result = call(dataFile(bam));
        const Haplotype& h = result.haplotype;
        CHECK(h.sample == sample);  // from the read group's SM
        const std::string consensus = readConsensus(consensusName);
        REQUIRE(consensus.size() == static_cast<std::size_t>(kGenomeLength));

        // Compare base by base over the covered positions. Mutserve's consensus is the major
        // base of each position and holds no indels (it keeps rCRS coordinates), so: a
        // substitution or no variant must give the consensus base; a heteroplasmy must contain
        // it and have it as the major base; a called deletion is where the consensus cannot
        // follow. 3107 is the rCRS N, never called.
        std::size_t same = 0, heteroplasmic = 0, deleted = 0, other = 0;
        std::vector<int> deletions;
        for (int p = 1; p <= kGenomeLength; ++p) {
            if (!h.range.contains(p) || p == 3107) continue;
            char called = rcrs()[static_cast<std::size_t>(p - 1)];
            for (const auto& v : h.variants)
                if (v.position == p && v.insertion == 0) called = v.base;
            const char expected = consensus[static_cast<std::size_t>(p - 1)];
            const auto& counts = result.counts[static_cast<std::size_t>(p - 1)].reads;
            const int major = static_cast<int>(std::max_element(counts.begin(), counts.begin() + 4) - counts.begin());
            if (called == '-') {
                ++deleted;
                deletions.push_back(p);
            } else if (called == expected) {
                ++same;
            } else if (kinmatch::engine::mt::isHeteroplasmy(called) &&
                       (kinmatch::engine::mt::baseMask(called) & kinmatch::engine::mt::baseMask(expected)) != 0 &&
                       "ACGT"[major] == expected) {
                ++heteroplasmic;
            } else {
                ++other;
                UNSCOPED_INFO("position " << p << ": called " << called << ", consensus " << expected);
            }
        }
        CHECK(other == 0);
        CHECK(same + heteroplasmic + deleted + (h.range.contains(3107) ? 1u : 0u) == h.range.size());
        if (sample == "HG03478") {
            // Figures of this data set at the defaults (depth 10, Q20, MAPQ 20, AF 0.10).
            CHECK(h.range.size() == 16446);
            CHECK(deleted == 0);
            CHECK(heteroplasmic == 20);
        } else {
            CHECK(h.range.size() == 16528);
            // The AC deletion of the 514-524 repeat, at its 3'-most place.
            CHECK(deletions == std::vector<int>{523, 524});
            CHECK(heteroplasmic == 3);
        }
        // Every substitution of the consensus inside the range is called (homoplasmic or as the
        // major base of a heteroplasmy).
        for (int p = 1; p <= kGenomeLength; ++p) {
            const char expected = consensus[static_cast<std::size_t>(p - 1)];
            if (p == 3107 || !h.range.contains(p) || expected == rcrs()[static_cast<std::size_t>(p - 1)]) continue;
            const bool called = std::any_of(h.variants.begin(), h.variants.end(), [&](const auto& v) {
                return v.position == p && v.insertion == 0 &&
                       (kinmatch::engine::mt::baseMask(v.base) & kinmatch::engine::mt::baseMask(expected)) != 0;
            });
            CHECK(called);
        }
    }
}

TEST_CASE("A CRAM decodes with the built-in rCRS and gives the BAM's calls", "[mtdna-hts]") {
    TempDir dir;
    const auto fasta = (dir / "rCRS.fa").string();
    writeFile(fasta, ">MT\n" + std::string(rcrs()) + "\n");
    const auto cramPath = (dir / "HG03706.cram").string();
    {
        samFile* in = sam_open(dataFile(kHg03706).c_str(), "rb");
        REQUIRE(in != nullptr);
        sam_hdr_t* header = sam_hdr_read(in);
        samFile* out = sam_open(cramPath.c_str(), "wc");
        REQUIRE(out != nullptr);
        REQUIRE(hts_set_fai_filename(out, fasta.c_str()) == 0);
        REQUIRE(sam_hdr_write(out, header) == 0);
        bam1_t* read = bam_init1();
        while (sam_read1(in, header, read) >= 0) REQUIRE(sam_write1(out, header, read) >= 0);
        bam_destroy1(read);
        sam_hdr_destroy(header);
        REQUIRE(sam_close(out) == 0);
        sam_close(in);
    }
    std::filesystem::remove(fasta + ".fai");
    const auto fromBam = call(dataFile(kHg03706)).haplotype;
    const auto fromCram = call(cramPath).haplotype;
    CHECK(fromCram.range == fromBam.range);
    CHECK(fromCram.variants == fromBam.variants);
    MtPileupOptions withReference;
    withReference.referenceFasta = fasta;
    CHECK(call(cramPath, withReference).haplotype.variants == fromBam.variants);
}

TEST_CASE("Malformed or foreign alignment files are refused with a message naming the file", "[mtdna-hts]") {
    TempDir dir;
    CHECK_THROWS_WITH(call((dir / "absent.bam").string()), Contains("absent.bam") && Contains("no such file"));

    // Half of a real BAM: the BGZF end marker is missing.
    const std::string bam = readFile(dataFile(kHg03478));
    const auto truncated = (dir / "truncated.bam").string();
    writeFile(truncated, bam.substr(0, bam.size() / 2));
    CHECK_THROWS_WITH(call(truncated), Contains("truncated.bam") && Contains("truncated"));

    std::vector<SamRead> reads;
    addPlainReads(reads, "r", 12, 101, 150);
    const auto chr1 = (dir / "chr1.sam").string();
    std::string text = samText(reads, "@SQ\tSN:1\tLN:249250621\n");
    for (std::size_t at = 0; (at = text.find("\tMT\t", at)) != std::string::npos;) text.replace(at, 4, "\t1\t");
    writeFile(chr1, text);
    CHECK_THROWS_WITH(call(chr1), Contains("chr1.sam") && Contains("no mtDNA contig"));

    const auto hg19 = (dir / "hg19.sam").string();
    text = samText(reads, "@SQ\tSN:chrM\tLN:16571\n");
    for (std::size_t at = 0; (at = text.find("\tMT\t", at)) != std::string::npos;) text.replace(at, 4, "\tchrM\t");
    writeFile(hg19, text);
    CHECK_THROWS_WITH(call(hg19), Contains("hg19.sam") && Contains("16571") && Contains("Yoruba"));

    const auto twoSamples = (dir / "two.sam").string();
    writeFile(twoSamples, samText(reads, "@SQ\tSN:MT\tLN:16569\n@RG\tID:a\tSM:A\n@RG\tID:b\tSM:B\n"));
    CHECK_THROWS_WITH(call(twoSamples), Contains("two.sam") && Contains("2 samples"));
    MtPileupOptions named;
    named.sampleName = "A";
    CHECK(call(twoSamples, named).haplotype.sample == "A");

    // No read group: the sample is named after the file.
    const auto plain = (dir / "UR-0042.sam").string();
    writeFile(plain, samText(reads, "@SQ\tSN:MT\tLN:16569\n"));
    CHECK(call(plain).haplotype.sample == "UR-0042");

    const auto vcf = dataFile("mutserve-variants.vcf");
    CHECK_THROWS_WITH(call(vcf), Contains("mutserve-variants.vcf") && Contains("not a SAM, BAM or CRAM"));
}
