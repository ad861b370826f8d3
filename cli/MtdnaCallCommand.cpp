// SPDX-License-Identifier: MIT
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/Commands.hpp"
#include "cli/RunSettings.hpp"
#include "engine/Errors.hpp"
#include "engine/MtHaplotype.hpp"
#include "engine/Warnings.hpp"
#include "formats/MtdnaPileupCaller.hpp"
#include "formats/MtdnaReader.hpp"
#include "formats/MtdnaVcfReader.hpp"
#include "formats/MtdnaWriter.hpp"
#include "formats/OutputFile.hpp"

namespace kinmatch::cli {

namespace po = boost::program_options;
namespace mt = engine::mt;

namespace {

// Every option of `kinmatch mtdna call` with its default; the usage text reads them from here.
struct CallSettings {
    std::vector<std::string> inputs;
    std::string out = "-";
    formats::MtPileupOptions pileup;
    std::string range;  // empty: 1-16569
    int threads = 0;    // 0 = all cores
    bool quiet = false;
};

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

void printUsage(std::ostream& out) {
    const CallSettings d;
    out << "\nAbout:   Call mtDNA haplotypes from reads aligned to the rCRS (BAM, CRAM, SAM) or from a VCF/BCF,\n"
           "         and write them as the EMPOP-style TSV (SampleName, Range, Haplotype; one row per\n"
           "         sample, rows sorted by sample name) that kinmatch mtdna compare reads.\n"
           "Usage:   kinmatch mtdna call [options] INPUT... -o OUT.tsv\n"
           "\nInputs (the kind is read from the content, not the name):\n"
           "    INPUT                          BAM/CRAM/SAM: one sample per file, named by the read groups' SM\n"
           "                                   (else the file name without extension); reads on the contig\n"
           "                                   chrM, MT, rCRS or NC_012920.1, which must be the rCRS (16569 bp)\n"
           "                                   VCF/BCF: one haplotype per sample column, records on that contig\n"
           "        --reference FASTA          reference to decode CRAM with [the built-in rCRS]\n"
           "        --sample NAME              name of the sample (only with one input holding one sample)\n"
           "\nCalling options (BAM/CRAM/SAM):\n"
           "        --mt-min-depth N           positions with fewer usable reads are outside the range, never\n"
           "                                   'same as rCRS' ["
        << d.pileup.minDepth
        << "]\n"
           "        --mt-min-baseq Q           ignore bases below this Phred quality [" << d.pileup.minBaseQuality
        << "]\n"
           "        --mt-min-mapq Q            ignore reads below this mapping quality (NUMTs) ["
        << d.pileup.minMappingQuality
        << "]\n"
           "        --mt-min-af F              point heteroplasmy (IUPAC code, e.g. 16093Y) when the second base\n"
           "                                   has this share of the reads and at least "
        << formats::kMinMinorReads
        << " reads; also the VCF\n"
           "                                   threshold on AF for a heterozygous GT ["
        << number(d.pileup.minAf)
        << "]\n"
           "    The caller reports the major allele at each position (a deletion as 249del), the most common\n"
           "    inserted sequence after it (315.1C), and heteroplasmies at or above --mt-min-af (the default\n"
           "    0.1 is the usual forensic MPS threshold, well above the 1-2 % background of sequencing\n"
           "    errors and NUMT reads); a minor length variant is not reported. Overlapping mates count\n"
           "    once; duplicate, secondary, QC-failed reads are dropped. Position 3107 (the rCRS placeholder\n"
           "    N) is never called.\n"
           "\nRange options:\n"
           "        --range R                  restrict every sample to these positions, e.g. 16024-576 or\n"
           "                                   16024-16569;1-576 [1-16569]. A VCF lists variants only, so a VCF\n"
           "                                   sample is taken to have been read over this range, minus the\n"
           "                                   positions of records with a missing GT or a FILTER other than PASS;\n"
           "                                   a gVCF (<NON_REF> or <*> alleles) gives its own range, the records\n"
           "                                   and reference blocks with a called GT\n"
           "\nOutput options:\n"
           "    -o, --out FILE                 the TSV; written to a temporary file and renamed when complete\n"
           "                                   [stdout]. The Range column lists linear items in ascending order;\n"
           "                                   a partial range (at most half the genome) across the origin starts\n"
           "                                   with the item ending at 16569 (16024-16569;1-576)\n"
           "\nGeneral options:\n"
           "    -h, --help                     this text\n"
           "    -q, --quiet                    no summary on stderr (warnings still shown)\n"
           "    -t, --threads N                inputs read at once; the output is the same for any N [all cores]\n"
           "\nExamples:\n"
           "    kinmatch mtdna call HG03478.bam HG03706.bam -o haplotypes.tsv\n"
           "    kinmatch mtdna call --mt-min-af 0.2 --range 16024-576 calls.vcf.gz -o control-region.tsv\n\n";
}

std::optional<CallSettings> parseSettings(const std::vector<std::string>& args) {
    CallSettings s;
    formats::MtPileupOptions& p = s.pileup;
    po::options_description options;
    // clang-format off
    options.add_options()
        ("help,h", "")
        ("input", po::value(&s.inputs), "")
        ("out,o", po::value(&s.out), "")
        ("reference", po::value(&p.referenceFasta), "")
        ("sample", po::value(&p.sampleName), "")
        ("mt-min-depth", po::value(&p.minDepth), "")
        ("mt-min-baseq", po::value(&p.minBaseQuality), "")
        ("mt-min-mapq", po::value(&p.minMappingQuality), "")
        ("mt-min-af", po::value(&p.minAf), "")
        ("range", po::value(&s.range), "")
        ("threads,t", po::value(&s.threads), "")
        ("quiet,q", po::bool_switch(&s.quiet), "");
    // clang-format on
    po::positional_options_description positional;
    positional.add("input", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        printUsage(std::cout);
        return std::nullopt;
    }
    if (s.inputs.empty()) throw UsageError("no INPUT given (BAM, CRAM, SAM, VCF or BCF files)");
    if (p.minDepth < 1) throw UsageError("--mt-min-depth: " + std::to_string(p.minDepth) + " must be at least 1");
    if (p.minBaseQuality < 0 || p.minBaseQuality > 93)
        throw UsageError("--mt-min-baseq: " + std::to_string(p.minBaseQuality) + " is outside the Phred range 0-93");
    if (p.minMappingQuality < 0 || p.minMappingQuality > 255)
        throw UsageError("--mt-min-mapq: " + std::to_string(p.minMappingQuality) + " is outside 0-255");
    // A threshold above one half would let the minor allele outweigh the major one.
    if (!std::isfinite(p.minAf) || p.minAf <= 0.0 || p.minAf > 0.5)
        throw UsageError("--mt-min-af: " + number(p.minAf) + " is outside (0, 0.5]");
    if (s.threads < 0) throw UsageError("--threads: " + std::to_string(s.threads) + " must be 0 (all cores) or more");
    if (vm.count("sample") && (p.sampleName.empty() || p.sampleName.find_first_of("\t\r\n") != std::string::npos))
        throw UsageError("--sample: \"" + p.sampleName + "\" is empty or holds a tab or line break");
    if (vm.count("sample") && s.inputs.size() > 1)
        throw UsageError("--sample names one sample, but " + std::to_string(s.inputs.size()) + " inputs are given");
    if (!s.range.empty()) {
        try {
            formats::parseMtRange(s.range);
        } catch (const std::invalid_argument& e) {
            throw UsageError("--range: \"" + s.range + "\": " + e.what());
        }
    }
    return s;
}

struct InputResult {
    formats::MtSequencingResult read;
    Warnings warnings;
    std::exception_ptr error;
};

// Applies --range to a called sample (a VCF sample got it as its starting range already).
void restrictRange(mt::Haplotype& h, const mt::CoveredRange& range) {
    h.range = h.range.intersect(range);
    std::erase_if(h.variants, [&](const mt::Variant& v) { return !h.range.contains(v.position); });
}

std::vector<std::string> headerComments(const CallSettings& s, const std::string& commandLine,
                                        const std::vector<InputResult>& results,
                                        const std::vector<std::string>& warnings) {
    std::vector<std::string> lines{versionLine(), "command: " + commandLine};
    lines.push_back("calling: min depth " + std::to_string(s.pileup.minDepth) + ", min base quality " +
                    std::to_string(s.pileup.minBaseQuality) + ", min mapping quality " +
                    std::to_string(s.pileup.minMappingQuality) + ", heteroplasmy at share >= " +
                    number(s.pileup.minAf) + "; range " + (s.range.empty() ? "1-16569" : s.range));
    for (std::size_t i = 0; i < s.inputs.size(); ++i)
        lines.push_back("input: " + s.inputs[i] + " (" + results[i].read.description + ")");
    for (const auto& w : warnings) lines.push_back("warning: " + w);
    return lines;
}

}  // namespace

int runMtdnaCall(const std::vector<std::string>& args, const std::string& commandLine) {
    const auto settings = parseSettings(args);
    if (!settings) return 0;
    const CallSettings& s = *settings;
    for (const auto& input : s.inputs) {
        std::error_code error;
        if (!std::filesystem::exists(input, error)) throw InputError(input, 0, "no such file");
    }
    if (!s.pileup.referenceFasta.empty() && !std::filesystem::exists(s.pileup.referenceFasta))
        throw InputError(s.pileup.referenceFasta, 0, "no such file (--reference)");
    formats::OutputFile output(s.out);  // fails now, not after the work, if unwritable

    formats::MtVcfOptions vcfOptions;
    vcfOptions.minAf = s.pileup.minAf;
    std::optional<mt::CoveredRange> range;
    if (!s.range.empty()) range = formats::parseMtRange(s.range);
    vcfOptions.range = range;

    const int threads = s.threads > 0 ? s.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    std::vector<InputResult> results(s.inputs.size());
    tbb::parallel_for(std::size_t{0}, s.inputs.size(), [&](std::size_t i) {
        InputResult& r = results[i];
        try {
            r.read = formats::readMtdnaSequencingFile(s.inputs[i], vcfOptions, s.pileup, r.warnings);
            for (auto& h : r.read.haplotypes) {
                if (range) restrictRange(h, *range);
                mt::normalise(h);
            }
        } catch (...) {
            r.error = std::current_exception();
        }
    });
    // The first failing input in command-line order is reported, whichever thread met it first.
    for (const auto& r : results)
        if (r.error) std::rethrow_exception(r.error);

    std::vector<mt::Haplotype> haplotypes;
    std::vector<std::string> warnings;
    for (auto& r : results) {
        for (auto& h : r.read.haplotypes) haplotypes.push_back(std::move(h));
        warnings.insert(warnings.end(), r.warnings.messages().begin(), r.warnings.messages().end());
    }
    if (!s.pileup.sampleName.empty()) {
        if (haplotypes.size() != 1)
            throw UsageError("--sample names one sample, but " + s.inputs.front() + " holds " +
                             std::to_string(haplotypes.size()));
        haplotypes.front().sample = s.pileup.sampleName;
    }
    // Rows sorted by sample name, so the output does not depend on the order of the inputs.
    std::sort(haplotypes.begin(), haplotypes.end(),
              [](const mt::Haplotype& a, const mt::Haplotype& b) { return a.sample < b.sample; });
    for (std::size_t i = 1; i < haplotypes.size(); ++i)
        if (haplotypes[i].sample == haplotypes[i - 1].sample) {
            std::string first = haplotypes[i - 1].source.file.str();
            std::string second = haplotypes[i].source.file.str();
            if (second < first) std::swap(first, second);
            throw InputError(second, 0,
                             "sample \"" + haplotypes[i].sample + "\" is also in " + first +
                                 "; each sample may appear once (rename one with --sample, or in its read group)");
        }

    for (const auto& w : warnings) std::cerr << "[kinmatch mtdna call] warning: " << w << '\n';
    formats::writeMtdnaTsv(output.stream(), haplotypes, headerComments(s, commandLine, results, warnings));
    output.commit();
    if (!s.quiet) {
        std::cerr << "[kinmatch mtdna call] " << haplotypes.size() << " haplotype(s) from " << s.inputs.size()
                  << " input(s)";
        if (s.out != "-") std::cerr << " written to " << s.out;
        std::cerr << "; " << resourceSummary() << '\n';
    }
    return 0;
}

}  // namespace kinmatch::cli
