// SPDX-License-Identifier: MIT
#include "formats/MtdnaPileupCaller.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <climits>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include "engine/Errors.hpp"
#include "formats/MtdnaHts.hpp"

namespace kinmatch::formats {

namespace mt = engine::mt;
using namespace mthts;

namespace {

struct PileupDestroyer {
    void operator()(bam_mplp_s* p) const noexcept { bam_mplp_destroy(p); }
};
// The multi-file pileup over one file: HTSlib 1.16 offers overlapping-mate handling only there.
using PileupPtr = std::unique_ptr<bam_mplp_s, PileupDestroyer>;

// The reads the pileup sees: those of the mtDNA contig that pass the flag and MAPQ filters.
struct ReadSource {
    htsFile* file = nullptr;
    sam_hdr_t* header = nullptr;
    hts_itr_t* iterator = nullptr;
    int mtTid = -1;
    int minMappingQuality = 0;
    int status = 0;
    std::uint64_t used = 0;
};

// Aligners place an indel inside a repeat anywhere they like (left-aligned, or split across
// the C-stretches 303-315 differently from read to read), so counting them per position
// would scatter one insertion over several positions and let "none" win everywhere. Each
// indel is therefore moved to its 3'-most equivalent place in the read's own alignment before
// the pileup sees it (the side mt::normalise uses too). Moving changes no base comparison:
// an insertion at read offsets [q, q+L) moves right while read[q] == read[q+L], a deletion of
// reference [r, r+L) while ref[r] == ref[r+L]; a move needs matched bases on both sides, and
// leaves at least one on the right, so the CIGAR keeps its operations and its span.
void rightAlignIndels(bam1_t* read) {
    std::uint32_t* cigar = bam_get_cigar(read);
    const std::uint32_t ops = read->core.n_cigar;
    const std::uint8_t* sequence = bam_get_seq(read);
    const std::string_view ref = mt::rcrs();
    hts_pos_t refPos = read->core.pos;  // 0-based reference position of the next aligned base
    int queryPos = 0;
    auto isMatch = [&](std::uint32_t i) { return bam_cigar_op(cigar[i]) == BAM_CMATCH; };
    auto grow = [&](std::uint32_t i, int by) { cigar[i] = bam_cigar_gen(bam_cigar_oplen(cigar[i]) + by, BAM_CMATCH); };
    for (std::uint32_t i = 0; i < ops; ++i) {
        const int op = bam_cigar_op(cigar[i]);
        const int length = static_cast<int>(bam_cigar_oplen(cigar[i]));
        const bool movable = i > 0 && i + 1 < ops && isMatch(i - 1) && isMatch(i + 1);
        if (op == BAM_CINS && movable) {
            while (bam_cigar_oplen(cigar[i + 1]) > 1 && queryPos + length < read->core.l_qseq &&
                   bam_seqi(sequence, queryPos) != 15 && bam_seqi(sequence, queryPos) == bam_seqi(sequence, queryPos + length)) {
                grow(i - 1, 1);
                grow(i + 1, -1);
                ++queryPos;
                ++refPos;
            }
        } else if (op == BAM_CDEL && movable) {
            while (bam_cigar_oplen(cigar[i + 1]) > 1 && refPos + length < mt::kGenomeLength &&
                   ref[static_cast<std::size_t>(refPos)] != 'N' &&
                   ref[static_cast<std::size_t>(refPos)] == ref[static_cast<std::size_t>(refPos + length)]) {
                grow(i - 1, 1);
                grow(i + 1, -1);
                ++queryPos;
                ++refPos;
            }
        }
        const int type = bam_cigar_type(op);
        if (type & 1) queryPos += length;
        if (type & 2) refPos += length;
    }
}

int readNext(void* data, bam1_t* read) {
    auto* source = static_cast<ReadSource*>(data);
    constexpr std::uint16_t kDropped = BAM_FUNMAP | BAM_FSECONDARY | BAM_FQCFAIL | BAM_FDUP;
    for (;;) {
        const int status = source->iterator ? sam_itr_next(source->file, source->iterator, read)
                                            : sam_read1(source->file, source->header, read);
        if (status < 0) {
            source->status = status;
            return status;
        }
        if (read->core.tid != source->mtTid || (read->core.flag & kDropped) != 0 ||
            read->core.qual < source->minMappingQuality)
            continue;
        ++source->used;
        rightAlignIndels(read);
        return status;
    }
}

// The compiled-in rCRS as a FASTA under the CRAM's contig name, so a CRAM of mtDNA reads
// decodes without the user finding the reference it was written with. Removed with its index.
class TemporaryRcrsFasta {
  public:
    explicit TemporaryRcrsFasta(const std::string& contig) {
        static std::atomic<unsigned> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("kinmatch-rcrs-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".fa"))
                    .string();
        std::ofstream out(path_);
        out << '>' << contig << '\n';
        const std::string_view seq = mt::rcrs();
        for (std::size_t i = 0; i < seq.size(); i += 70) out << seq.substr(i, 70) << '\n';
        out.close();
        if (!out) throw Error(path_ + ": cannot write the temporary rCRS FASTA for CRAM decoding");
    }
    ~TemporaryRcrsFasta() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
        std::filesystem::remove(path_ + ".fai", ignored);
    }
    TemporaryRcrsFasta(const TemporaryRcrsFasta&) = delete;
    TemporaryRcrsFasta& operator=(const TemporaryRcrsFasta&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

int findMtContig(sam_hdr_t* header, const std::string& path) {
    int found = -1;
    std::string others;
    const int count = sam_hdr_nref(header);
    for (int tid = 0; tid < count; ++tid) {
        const char* name = sam_hdr_tid2name(header, tid);
        if (!isMtContigName(name)) {
            if (tid < 5) others += (others.empty() ? "" : ", ") + std::string(name);
            continue;
        }
        if (found >= 0)
            throw InputError(path, 0,
                             "has two mtDNA contigs, " + std::string(sam_hdr_tid2name(header, found)) + " and " + name);
        found = tid;
    }
    if (found < 0)
        throw InputError(path, 0,
                         std::string("has no mtDNA contig (expected ") + kMtContigNames + " of length " +
                             std::to_string(mt::kGenomeLength) + "; found " + (others.empty() ? "none" : others) +
                             (count > 5 ? ", ..." : "") + ")");
    const hts_pos_t length = sam_hdr_tid2len(header, found);
    if (length != mt::kGenomeLength) throw InputError(path, 0, wrongLengthMessage(sam_hdr_tid2name(header, found), length));
    return found;
}

std::string sampleFromReadGroups(sam_hdr_t* header, const std::string& path) {
    std::set<std::string> names;
    kstring_t value = KS_INITIALIZE;
    const int groups = sam_hdr_count_lines(header, "RG");
    for (int i = 0; i < groups; ++i)
        if (sam_hdr_find_tag_pos(header, "RG", i, "SM", &value) == 0) names.insert(std::string(value.s, value.l));
    ks_free(&value);
    if (names.size() > 1)
        throw InputError(path, 0,
                         "its read groups name " + std::to_string(names.size()) + " samples (" + *names.begin() +
                             ", " + *std::next(names.begin()) + (names.size() > 2 ? ", ..." : "") +
                             "); an mtDNA haplotype is one sample's: split the file, or name it with --sample");
    return names.empty() ? std::string() : *names.begin();
}

std::string sampleFromFileName(const std::string& path) {
    std::filesystem::path p(path);
    std::string name = p.filename().string();
    for (const char* extension : {".bam", ".cram", ".sam", ".sam.gz"})
        if (name.size() > std::strlen(extension) && name.ends_with(extension)) {
            name.resize(name.size() - std::strlen(extension));
            break;
        }
    return name;
}

// One position's evidence for an insertion after it: each read that continues past the
// position votes for the bases it inserts, "" for none.
class InsertionVotes {
  public:
    void clear() { votes_.clear(); }
    void add(std::string inserted) {
        for (auto& v : votes_)
            if (v.first == inserted) {
                ++v.second;
                return;
            }
        votes_.emplace_back(std::move(inserted), 1u);
    }
    // The most common; ties go to the shorter, then the alphabetically first sequence, so
    // "none" wins a tie with any insertion.
    std::string winner() const {
        const std::pair<std::string, unsigned>* best = nullptr;
        for (const auto& v : votes_)
            if (best == nullptr || v.second > best->second ||
                (v.second == best->second && (v.first.size() < best->first.size() ||
                                              (v.first.size() == best->first.size() && v.first < best->first))))
                best = &v;
        return best ? best->first : std::string();
    }

  private:
    std::vector<std::pair<std::string, unsigned>> votes_;
};

// A read tells how long the homopolymer at a position is only if it aligns to a base on each
// side of it: one that stops inside would show a run cut short, or an insertion soft-clipped.
bool spansRepeat(const bam1_t* read, int position0) {
    static const std::vector<std::pair<int, int>> runs = [] {
        const std::string_view ref = mt::rcrs();
        std::vector<std::pair<int, int>> out(ref.size());
        for (std::size_t start = 0; start < ref.size();) {
            std::size_t end = start;
            while (end + 1 < ref.size() && ref[end + 1] == ref[start]) ++end;
            for (std::size_t k = start; k <= end; ++k) out[k] = {static_cast<int>(start), static_cast<int>(end)};
            start = end + 1;
        }
        return out;
    }();
    const auto [first, last] = runs[static_cast<std::size_t>(position0)];
    return read->core.pos < std::max(first, 1) && bam_endpos(read) > std::min(last + 1, mt::kGenomeLength - 1);
}

constexpr char kAlleles[5] = {'A', 'C', 'G', 'T', '-'};

int alleleIndex(char base) {
    switch (base) {
        case 'A': return 0;
        case 'C': return 1;
        case 'G': return 2;
        case 'T': return 3;
        default: return -1;
    }
}

bool reaches(std::uint32_t reads, std::uint32_t depth, double share) {
    // A small tolerance so 2 of 20 reads reaches 0.1 despite binary rounding.
    return static_cast<double>(reads) >= share * static_cast<double>(depth) - 1e-9;
}

// The calls at one covered position: its own base (substitution, heteroplasmy, deletion).
void callBase(int position, const MtPileupCounts& counts, const MtPileupOptions& options,
              std::vector<mt::Variant>& variants) {
    const char ref = mt::rcrs()[static_cast<std::size_t>(position - 1)];
    if (!isBase(ref)) return;  // 3107, the rCRS placeholder N
    const int refIndex = alleleIndex(ref);
    // Major allele: most reads; a tie goes to the rCRS base, then to A, C, G, T, deletion order.
    int major = refIndex;
    for (int a = 0; a < 5; ++a)
        if (counts.reads[a] > counts.reads[major]) major = a;
    if (kAlleles[major] == '-') {
        variants.push_back({static_cast<std::uint16_t>(position), 0, '-'});
        return;
    }
    int minor = -1;
    for (int a = 0; a < 4; ++a)
        if (a != major && (minor < 0 || counts.reads[a] > counts.reads[minor])) minor = a;
    char call = kAlleles[major];
    const std::uint32_t minorReads = counts.reads[minor];
    if (minorReads >= static_cast<std::uint32_t>(kMinMinorReads) && reaches(minorReads, counts.depth(), options.minAf))
        call = iupacCode(kAlleles[major], kAlleles[minor]);
    if (call != ref) variants.push_back({static_cast<std::uint16_t>(position), 0, call});
}

}  // namespace

MtPileupCall callMtdnaPileup(const std::string& path, const MtPileupOptions& options, Warnings& warnings) {
    HtsFilePtr file = openForReading(path);
    const htsFormat* format = hts_get_format(file.get());
    if (format->category != sequence_data)
        throw InputError(path, 0, std::string("is not a SAM, BAM or CRAM file (HTSlib reads it as ") +
                                      hts_format_file_extension(format) + ")");
    assertComplete(file.get(), path);
    SamHeaderPtr header(sam_hdr_read(file.get()));
    if (!header) throw InputError(path, 0, "the alignment header cannot be read (corrupt or not BAM/CRAM)");
    const int mtTid = findMtContig(header.get(), path);

    std::unique_ptr<TemporaryRcrsFasta> temporaryReference;
    if (format->format == cram) {
        std::string reference = options.referenceFasta;
        if (reference.empty()) {
            temporaryReference = std::make_unique<TemporaryRcrsFasta>(sam_hdr_tid2name(header.get(), mtTid));
            reference = temporaryReference->path();
        }
        if (hts_set_fai_filename(file.get(), reference.c_str()) != 0)
            throw InputError(reference, 0, "cannot be used as the CRAM reference (not a readable FASTA)");
    }

    MtPileupCall result;
    mt::Haplotype& h = result.haplotype;
    h.source = SourcePos{path, 0};
    h.sample = options.sampleName;
    if (h.sample.empty()) h.sample = sampleFromReadGroups(header.get(), path);
    if (h.sample.empty()) h.sample = sampleFromFileName(path);

    // Only an index that is there is loaded: HTSlib 1.16 reports a missing CRAM index as an
    // error even when asked to fail silently.
    IndexPtr index;
    std::error_code ignored;
    for (const auto& suffix : {".bai", ".csi", ".crai"})
        if (std::filesystem::exists(path + suffix, ignored)) {
            index.reset(sam_index_load3(file.get(), path.c_str(), nullptr, HTS_IDX_SILENT_FAIL));
            break;
        }
    IteratorPtr iterator;
    if (index) iterator.reset(sam_itr_queryi(index.get(), mtTid, 0, HTS_POS_MAX));

    ReadSource source{file.get(), header.get(), iterator.get(), mtTid, options.minMappingQuality};
    void* sources[1] = {&source};
    PileupPtr pileup(bam_mplp_init(1, readNext, sources));
    if (!pileup || bam_mplp_init_overlaps(pileup.get()) != 0) throw Error(path + ": out of memory starting the pileup");
    // HTSlib stops at 8000 reads per position by default; mtDNA is often sequenced deeper,
    // and a capped depth would bias every heteroplasmy share.
    bam_mplp_set_maxcnt(pileup.get(), INT_MAX);

    result.counts.assign(mt::kGenomeLength, {});
    std::vector<std::pair<int, std::string>> insertions;
    InsertionVotes votes;
    int tid = 0;
    hts_pos_t position0 = 0;
    int entryCount = 0;
    const bam_pileup1_t* entries = nullptr;
    bool longInsertionWarned = false;
    int status = 0;
    while ((status = bam_mplp64_auto(pileup.get(), &tid, &position0, &entryCount, &entries)) > 0) {
        if (tid != mtTid || position0 < 0 || position0 >= mt::kGenomeLength) continue;
        MtPileupCounts& counts = result.counts[static_cast<std::size_t>(position0)];
        votes.clear();
        for (int k = 0; k < entryCount; ++k) {
            const bam_pileup1_t& e = entries[k];
            if (e.is_refskip) continue;
            const std::uint8_t* quality = bam_get_qual(e.b);
            const std::uint8_t* sequence = bam_get_seq(e.b);
            const int length = e.b->core.l_qseq;
            if (e.qpos < 0 || e.qpos >= length) continue;
            // A deletion has no base of its own; the base beside it stands for its quality.
            if (quality[e.qpos] < options.minBaseQuality) continue;
            if (e.is_del) {
                ++counts.reads[4];
                continue;
            }
            const int a = alleleIndex(seq_nt16_str[bam_seqi(sequence, e.qpos)]);
            if (a < 0) continue;
            ++counts.reads[a];
            if (!spansRepeat(e.b, static_cast<int>(position0))) continue;
            std::string inserted;
            bool usable = true;
            for (int i = 1; i <= e.indel && usable; ++i) {
                const char base = seq_nt16_str[bam_seqi(sequence, e.qpos + i)];
                usable = isBase(base) && quality[e.qpos + i] >= options.minBaseQuality;
                inserted += base;
            }
            if (usable) votes.add(std::move(inserted));
        }
        if (counts.depth() < static_cast<std::uint32_t>(options.minDepth)) continue;
        std::string inserted = votes.winner();
        if (inserted.size() > 255) {
            if (!longInsertionWarned)
                warnings.add(path + ": an insertion of " + std::to_string(inserted.size()) + " bases after position " +
                             std::to_string(position0 + 1) + " is longer than 255 and not reported");
            longInsertionWarned = true;
            continue;
        }
        if (!inserted.empty()) insertions.emplace_back(static_cast<int>(position0) + 1, std::move(inserted));
    }
    if (status < 0 || source.status < -1)
        throw InputError(path, 0,
                         "reading failed after " + std::to_string(source.used) +
                             " reads (the file is corrupt or truncated)");
    result.readsUsed = source.used;

    int runStart = 0;
    for (int p = 1; p <= mt::kGenomeLength + 1; ++p) {
        const bool covered = p <= mt::kGenomeLength &&
                             result.counts[static_cast<std::size_t>(p - 1)].depth() >=
                                 static_cast<std::uint32_t>(options.minDepth);
        if (covered) callBase(p, result.counts[static_cast<std::size_t>(p - 1)], options, h.variants);
        if (covered && runStart == 0) runStart = p;
        if (!covered && runStart != 0) {
            h.range.add(runStart, p - 1);
            runStart = 0;
        }
    }
    for (const auto& [after, bases] : insertions)
        for (std::size_t i = 0; i < bases.size(); ++i)
            h.variants.push_back({static_cast<std::uint16_t>(after), static_cast<std::uint8_t>(i + 1), bases[i]});
    std::sort(h.variants.begin(), h.variants.end());
    if (h.range.empty())
        warnings.add(path + ": no position reaches a depth of " + std::to_string(options.minDepth) + " (" +
                     std::to_string(result.readsUsed) + " usable reads); sample " + h.sample + " has an empty range");
    return result;
}

MtSequencingResult readMtdnaSequencingFile(const std::string& path, const MtVcfOptions& vcfOptions,
                                           const MtPileupOptions& pileupOptions, Warnings& warnings) {
    htsFormatCategory category = unknown_category;
    std::string kind;
    {
        HtsFilePtr file = openForReading(path);
        const htsFormat* format = hts_get_format(file.get());
        category = format->category;
        kind = hts_format_file_extension(format);
    }
    for (char& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    MtSequencingResult result;
    if (category == variant_data) {
        result.haplotypes = readMtdnaVcf(path, vcfOptions, warnings);
        result.description = kind + ", " + std::to_string(result.haplotypes.size()) + " sample(s)";
        return result;
    }
    if (category != sequence_data)
        throw InputError(path, 0,
                         "is neither a VCF/BCF nor a SAM/BAM/CRAM file (HTSlib reads it as " + kind + ")");
    MtPileupCall call = callMtdnaPileup(path, pileupOptions, warnings);
    std::uint64_t depthSum = 0;
    for (const auto& c : call.counts) depthSum += c.depth();
    result.description = kind + ", sample " + call.haplotype.sample + ", " + std::to_string(call.readsUsed) +
                         " reads used, " + std::to_string(call.haplotype.range.size()) + " positions at depth >= " +
                         std::to_string(pileupOptions.minDepth) + ", mean depth " +
                         std::to_string(depthSum / static_cast<std::uint64_t>(mt::kGenomeLength));
    result.haplotypes.push_back(std::move(call.haplotype));
    return result;
}

}  // namespace kinmatch::formats
