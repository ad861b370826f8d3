// SPDX-License-Identifier: MIT
#include "formats/MtdnaVcfReader.hpp"

#include <htslib/kstring.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>

#include "engine/Errors.hpp"
#include "formats/MtdnaHts.hpp"

namespace kinmatch::formats {

namespace mt = engine::mt;
using namespace mthts;

std::vector<mt::Variant> mtAlleleDifferences(int position, const std::string& ref, const std::string& alt) {
    std::size_t prefix = 0;
    while (prefix < ref.size() && prefix < alt.size() && ref[prefix] == alt[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < ref.size() - prefix && suffix < alt.size() - prefix &&
           ref[ref.size() - 1 - suffix] == alt[alt.size() - 1 - suffix])
        ++suffix;
    const std::size_t refLength = ref.size() - prefix - suffix;
    const std::size_t altLength = alt.size() - prefix - suffix;
    const int start = position + static_cast<int>(prefix);
    const std::size_t shared = std::min(refLength, altLength);
    std::vector<mt::Variant> out;
    for (std::size_t i = 0; i < shared; ++i)
        if (ref[prefix + i] != alt[prefix + i])
            out.push_back({static_cast<std::uint16_t>(start + static_cast<int>(i)), 0, alt[prefix + i]});
    for (std::size_t i = shared; i < refLength; ++i)
        out.push_back({static_cast<std::uint16_t>(start + static_cast<int>(i)), 0, '-'});
    if (altLength > shared) {
        // Inserted after the last rCRS base before them; one inserted before position 1 follows
        // 16569 on the circular genome.
        int after = start + static_cast<int>(shared) - 1;
        if (after < 1) after = mt::kGenomeLength;
        for (std::size_t i = shared; i < altLength; ++i)
            out.push_back({static_cast<std::uint16_t>(after), static_cast<std::uint8_t>(i - shared + 1),
                           alt[prefix + i]});
    }
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

constexpr std::size_t kMaxInsertion = 255;  // Variant::insertion is 8 bits

// Per sample: what was called, and which positions the VCF says were not read.
struct SampleState {
    std::vector<mt::Variant> variants;
    std::vector<char> missing = std::vector<char>(mt::kGenomeLength, 0);
    std::vector<char> called = std::vector<char>(mt::kGenomeLength, 0);  // gVCF only
};

// Line numbers exist only for text VCF; HTSlib's reader does not keep them, so the header is
// counted once on a second handle and records are numbered from there.
std::size_t countHeaderLines(const std::string& path) {
    HtsFilePtr file(hts_open(path.c_str(), "r"));
    if (!file) return 0;
    kstring_t line = KS_INITIALIZE;
    std::size_t count = 0;
    while (hts_getline(file.get(), '\n', &line) >= 0 && line.l > 0 && line.s[0] == '#') ++count;
    ks_free(&line);
    return count;
}

bool isSymbolic(const char* allele) {
    return allele[0] == '<' || allele[0] == '*' || allele[0] == '.' || std::strchr(allele, '[') != nullptr ||
           std::strchr(allele, ']') != nullptr;
}

bool isGvcfAllele(const char* allele) { return std::strcmp(allele, "<NON_REF>") == 0 || std::strcmp(allele, "<*>") == 0; }

std::string upper(const char* text) {
    std::string s(text);
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

// Reads one file; a class so the record's place is at hand for every message.
class VcfReader {
  public:
    VcfReader(const std::string& path, const MtVcfOptions& options, Warnings& warnings)
        : path_(path), options_(options), warnings_(warnings) {}

    std::vector<mt::Haplotype> read() {
        file_ = openForReading(path_);
        const htsFormat* format = hts_get_format(file_.get());
        if (format->category != variant_data)
            throw InputError(path_, 0, std::string("is not a VCF or BCF file (HTSlib reads it as ") +
                                           hts_format_file_extension(format) + ")");
        isText_ = format->format == vcf;
        assertComplete(file_.get(), path_);
        header_.reset(bcf_hdr_read(file_.get()));
        if (!header_) throw InputError(path_, 0, "the VCF header cannot be read");
        headerLines_ = isText_ ? countHeaderLines(path_) : 0;
        const int samples = bcf_hdr_nsamples(header_.get());
        if (samples == 0) throw InputError(path_, 0, "has no sample columns: a sites-only VCF names no haplotype");
        readAfDeclaration();
        samples_.resize(static_cast<std::size_t>(samples));
        filtered_.assign(mt::kGenomeLength, 0);

        BcfRecordPtr record(bcf_init());
        for (;;) {
            const int status = bcf_read(file_.get(), header_.get(), record.get());
            if (status == -1) break;
            ++recordIndex_;
            // An undeclared contig is only a warning to HTSlib; checkContig judges the name.
            if (status < -1 || (record->errcode & ~BCF_ERR_CTG_UNDEF) != 0)
                throw InputError(path_, line(), "the record cannot be parsed (malformed or truncated VCF)");
            readRecord(record.get());
        }
        if (recordIndex_ == 0)
            warnings_.add(path_ + ": has no records; every sample is taken as identical to the rCRS over its range");
        return finish();
    }

  private:
    std::size_t line() const { return isText_ ? headerLines_ + recordIndex_ : 0; }

    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw InputError(path_, line(), "record " + where_ + ": field " + field + ": " + what);
    }
    void warn(const std::string& what) const {
        std::string place = path_;
        if (line() > 0) place += ":" + std::to_string(line());
        warnings_.add(place + ": record " + where_ + ": " + what);
    }

    void readAfDeclaration() {
        afId_ = bcf_hdr_id2int(header_.get(), BCF_DT_ID, "AF");
        if (afId_ < 0 || !bcf_hdr_idinfo_exists(header_.get(), BCF_HL_FMT, afId_)) {
            afId_ = -1;
            return;
        }
        afType_ = static_cast<int>(bcf_hdr_id2type(header_.get(), BCF_HL_FMT, afId_));
        afPerAlt_ = bcf_hdr_id2length(header_.get(), BCF_HL_FMT, afId_) == BCF_VL_A;
    }

    void checkContig(bcf1_t* record) {
        const char* contig = bcf_seqname(header_.get(), record);
        if (contig == nullptr) fail("CHROM", "the contig is not declared");
        where_ = std::string(contig) + ":" + std::to_string(record->pos + 1);
        if (record->rid == checkedContig_) return;
        if (!isMtContigName(contig))
            fail("CHROM", "contig \"" + std::string(contig) + "\" is not mtDNA (expected " + kMtContigNames +
                              "); extract the mitochondrial records first, e.g. bcftools view -r chrM");
        if (checkedContig_ >= 0)
            fail("CHROM", "a second mtDNA contig \"" + std::string(contig) + "\"; keep one per file");
        const hts_pos_t length = header_->id[BCF_DT_CTG][record->rid].val->info[0];
        if (length > 0 && length != mt::kGenomeLength) fail("CHROM", wrongLengthMessage(contig, length));
        checkedContig_ = record->rid;
    }

    void readRecord(bcf1_t* record) {
        if (bcf_unpack(record, BCF_UN_ALL) != 0) fail("FORMAT", "cannot be unpacked");
        checkContig(record);
        const int position = static_cast<int>(record->pos) + 1;
        const std::string ref = upper(record->d.allele[0]);
        if (position < 1 || position + static_cast<int>(ref.size()) - 1 > mt::kGenomeLength)
            fail("POS", "outside the rCRS, 1-" + std::to_string(mt::kGenomeLength));
        const std::string_view rcrs = mt::rcrs();
        for (std::size_t i = 0; i < ref.size(); ++i) {
            const char expected = rcrs[static_cast<std::size_t>(position - 1) + i];
            if (ref[i] != expected && ref[i] != 'N' && expected != 'N')
                fail("REF", "\"" + ref + "\" differs from the rCRS (" +
                                std::string(rcrs.substr(static_cast<std::size_t>(position - 1), ref.size())) +
                                "): the VCF was not called against the rCRS");
        }
        const int last = std::min<int>(mt::kGenomeLength, position + static_cast<int>(record->rlen) - 1);
        for (int a = 1; a < record->n_allele; ++a)
            if (isGvcfAllele(record->d.allele[a])) gvcf_ = true;

        const bool passes = record->d.n_flt == 0 || bcf_has_filter(header_.get(), record, const_cast<char*>("PASS")) == 1;
        if (!passes) {
            for (int p = position; p <= last; ++p) filtered_[static_cast<std::size_t>(p - 1)] = 1;
            return;
        }
        const int total = bcf_get_genotypes(header_.get(), record, &genotypes_, &genotypeCapacity_);
        if (total <= 0) fail("GT", "absent: without a genotype no sample can be said to carry the variant");
        const int ploidy = total / static_cast<int>(samples_.size());
        readAf(record);
        for (std::size_t s = 0; s < samples_.size(); ++s)
            readSample(record, s, std::span<const int32_t>(genotypes_ + s * static_cast<std::size_t>(ploidy),
                                                            static_cast<std::size_t>(ploidy)),
                       position, last, ref);
    }

    // AF per sample as text or numbers, into afValues_[sample] (empty when absent).
    void readAf(bcf1_t* record) {
        afValues_.assign(samples_.size(), {});
        if (afId_ < 0) return;
        const auto samples = samples_.size();
        if (afType_ == BCF_HT_STR) {
            char** values = nullptr;
            int capacity = 0;
            const int n = bcf_get_format_string(header_.get(), record, "AF", &values, &capacity);
            if (n <= 0) return;
            for (std::size_t s = 0; s < samples; ++s) afValues_[s] = parseAfText(values[s]);
            std::free(values[0]);
            std::free(values);
        } else if (afType_ == BCF_HT_REAL) {
            const int n = bcf_get_format_float(header_.get(), record, "AF", &afFloats_, &afCapacity_);
            if (n <= 0) return;
            const auto perSample = static_cast<std::size_t>(n) / samples;
            for (std::size_t s = 0; s < samples; ++s)
                for (std::size_t k = 0; k < perSample; ++k) {
                    const float v = afFloats_[s * perSample + k];
                    if (bcf_float_is_vector_end(v)) break;
                    afValues_[s].push_back(bcf_float_is_missing(v) ? std::nullopt : std::optional<double>(v));
                }
        } else {
            fail("AF", "declared as neither Float nor String in the header");
        }
        for (const auto& sample : afValues_)
            for (const auto& v : sample)
                if (v && (!std::isfinite(*v) || *v < 0.0 || *v > 1.0))
                    fail("AF", std::to_string(*v) + " is not a frequency between 0 and 1");
    }

    std::vector<std::optional<double>> parseAfText(const char* text) const {
        std::vector<std::optional<double>> out;
        const std::string_view all(text);
        if (all.empty() || all == ".") return out;
        std::size_t start = 0;
        while (start <= all.size()) {
            const std::size_t end = std::min(all.find(',', start), all.size());
            const std::string_view item = all.substr(start, end - start);
            if (item == ".") {
                out.emplace_back();
            } else {
                double v = 0;
                const auto [stop, error] = std::from_chars(item.data(), item.data() + item.size(), v);
                if (item.empty() || error != std::errc() || stop != item.data() + item.size())
                    fail("AF", "\"" + std::string(all) + "\" is not a comma-separated list of frequencies");
                out.emplace_back(v);
            }
            start = end + 1;
        }
        return out;
    }

    void markMissing(std::size_t sample, int first, int last) {
        for (int p = first; p <= last; ++p) samples_[sample].missing[static_cast<std::size_t>(p - 1)] = 1;
    }

    // The allele's differences, or nullopt when it names no sequence (symbolic, N).
    std::optional<std::vector<mt::Variant>> differences(bcf1_t* record, int allele, int position, const std::string& ref) {
        if (allele == 0) return std::vector<mt::Variant>{};
        const char* text = record->d.allele[allele];
        if (isSymbolic(text)) return std::nullopt;
        const std::string alt = upper(text);
        for (char c : alt)
            if (!isBase(c)) {
                if (c == 'N') return std::nullopt;
                fail("ALT", "\"" + alt + "\" is not a sequence of A, C, G, T");
            }
        auto out = mtAlleleDifferences(position, ref, alt);
        for (const auto& v : out)
            if (v.insertion > 0 && alt.size() > kMaxInsertion + ref.size())
                fail("ALT", "an insertion of more than " + std::to_string(kMaxInsertion) + " bases");
        // Position 3107 holds the rCRS's placeholder N: there is no base to differ from.
        std::erase_if(out, [](const mt::Variant& v) { return v.insertion == 0 && mt::rcrs()[v.position - 1] == 'N'; });
        return out;
    }

    void readSample(bcf1_t* record, std::size_t s, std::span<const int32_t> gt, int position, int last,
                    const std::string& ref) {
        std::vector<int> alleles;
        for (const int32_t g : gt) {
            if (g == bcf_int32_vector_end) break;
            if (bcf_gt_is_missing(g)) {
                markMissing(s, position, last);
                return;
            }
            const int a = bcf_gt_allele(g);
            if (a < 0 || a >= record->n_allele) fail("GT", "allele " + std::to_string(a) + " is not in REF/ALT");
            if (std::find(alleles.begin(), alleles.end(), a) == alleles.end()) alleles.push_back(a);
        }
        if (alleles.empty()) {
            markMissing(s, position, last);
            return;
        }
        const int chosen = alleles.size() == 1 ? alleles.front() : resolveHeteroplasmy(record, s, alleles, position, ref);
        if (chosen < 0) return;  // a point heteroplasmy, already added
        auto diff = differences(record, chosen, position, ref);
        if (!diff) {
            if (!isGvcfAllele(record->d.allele[chosen]))
                warn("sample " + std::string(header_->samples[s]) + ": allele " + record->d.allele[chosen] +
                     " names no sequence; its positions are left outside the range");
            markMissing(s, position, last);
            return;
        }
        for (int p = position; p <= last; ++p) samples_[s].called[static_cast<std::size_t>(p - 1)] = 1;
        samples_[s].variants.insert(samples_[s].variants.end(), diff->begin(), diff->end());
    }

    // For a heterozygous GT: adds the IUPAC variant and returns -1, or returns the allele to
    // keep alone.
    int resolveHeteroplasmy(bcf1_t* record, std::size_t s, const std::vector<int>& alleles, int position,
                            const std::string& ref) {
        const std::string sample = header_->samples[s];
        std::vector<double> frequency(static_cast<std::size_t>(record->n_allele), -1.0);
        const auto& af = afValues_[s];
        std::vector<int> nonReference;
        for (int a : alleles)
            if (a > 0) nonReference.push_back(a);
        if (af.empty()) {
            if (!warnedNoAf_)
                warn("sample " + sample + ": heterozygous GT without AF; taken as a point heteroplasmy (warned once)");
            warnedNoAf_ = true;
            for (int a : alleles) frequency[static_cast<std::size_t>(a)] = 0.5;
        } else {
            double sum = 0;
            for (int a : nonReference) {
                std::optional<double> v;
                if (afPerAlt_ && af.size() == static_cast<std::size_t>(record->n_allele - 1))
                    v = af[static_cast<std::size_t>(a - 1)];
                else if (af.size() == nonReference.size())
                    v = af[static_cast<std::size_t>(std::find(nonReference.begin(), nonReference.end(), a) -
                                                    nonReference.begin())];
                else
                    fail("AF", "sample " + sample + ": " + std::to_string(af.size()) +
                                   " values do not match the GT's non-reference alleles");
                if (!v) fail("AF", "sample " + sample + ": missing for a heterozygous GT");
                frequency[static_cast<std::size_t>(a)] = *v;
                sum += *v;
            }
            if (alleles.size() != nonReference.size()) frequency[0] = std::max(0.0, 1.0 - sum);
        }
        std::vector<int> ranked = alleles;
        std::stable_sort(ranked.begin(), ranked.end(), [&](int a, int b) {
            return frequency[static_cast<std::size_t>(a)] > frequency[static_cast<std::size_t>(b)];
        });
        const int major = ranked[0];
        const int minor = ranked[1];
        // The tolerance keeps 1 - 0.98 (0.0200000000000000018) and 0.02 on the same side.
        if (frequency[static_cast<std::size_t>(minor)] < options_.minAf - 1e-9) return major;

        const auto majorDiff = differences(record, major, position, ref);
        const auto minorDiff = differences(record, minor, position, ref);
        const auto pointBase = [&](const std::optional<std::vector<mt::Variant>>& d, int at) -> char {
            if (!d) return 0;
            if (d->empty()) return mt::rcrs()[static_cast<std::size_t>(at - 1)];
            if (d->size() == 1 && d->front().insertion == 0 && d->front().position == at && isBase(d->front().base))
                return d->front().base;
            return 0;
        };
        int at = 0;
        if (majorDiff && majorDiff->size() == 1) at = majorDiff->front().position;
        if (minorDiff && minorDiff->size() == 1) at = minorDiff->front().position;
        const char majorBase = at > 0 ? pointBase(majorDiff, at) : 0;
        const char minorBase = at > 0 ? pointBase(minorDiff, at) : 0;
        if (isBase(majorBase) && isBase(minorBase) && majorBase != minorBase) {
            samples_[s].variants.push_back({static_cast<std::uint16_t>(at), 0, iupacCode(majorBase, minorBase)});
            for (int p = position; p <= static_cast<int>(position + record->rlen - 1) && p <= mt::kGenomeLength; ++p)
                samples_[s].called[static_cast<std::size_t>(p - 1)] = 1;
            return -1;
        }
        if (majorDiff && minorDiff && !(majorDiff->empty() && minorDiff->empty()))
            warn("sample " + sample + ": alleles " + record->d.allele[major] + " and " + record->d.allele[minor] +
                 " are not a point heteroplasmy (length or multi-base); the major allele " + record->d.allele[major] +
                 " is kept");
        return major;
    }

    std::vector<mt::Haplotype> finish() {
        std::vector<char> base(mt::kGenomeLength, options_.range ? 0 : 1);
        if (options_.range)
            for (const auto& i : options_.range->intervals())
                for (int p = i.first; p <= i.last; ++p) base[static_cast<std::size_t>(p - 1)] = 1;
        std::vector<mt::Haplotype> out;
        out.reserve(samples_.size());
        for (std::size_t s = 0; s < samples_.size(); ++s) {
            SampleState& state = samples_[s];
            mt::Haplotype h;
            h.sample = header_->samples[s];
            h.source = SourcePos{path_, 0};
            int runStart = 0;
            for (int p = 1; p <= mt::kGenomeLength + 1; ++p) {
                const auto i = static_cast<std::size_t>(p - 1);
                const bool in = p <= mt::kGenomeLength && base[i] && !filtered_[i] && !state.missing[i] &&
                                (!gvcf_ || state.called[i]);
                if (in && runStart == 0) runStart = p;
                if (!in && runStart != 0) {
                    h.range.add(runStart, p - 1);
                    runStart = 0;
                }
            }
            std::erase_if(state.variants, [&](const mt::Variant& v) { return !h.range.contains(v.position); });
            std::sort(state.variants.begin(), state.variants.end());
            h.variants = std::move(state.variants);
            out.push_back(std::move(h));
        }
        return out;
    }

    std::string path_;
    const MtVcfOptions& options_;
    Warnings& warnings_;
    HtsFilePtr file_;
    BcfHeaderPtr header_;
    bool isText_ = false;
    std::size_t headerLines_ = 0;
    std::size_t recordIndex_ = 0;
    std::string where_;
    int checkedContig_ = -1;
    int afId_ = -1;
    int afType_ = 0;
    bool afPerAlt_ = false;
    bool gvcf_ = false;
    bool warnedNoAf_ = false;
    std::vector<SampleState> samples_;
    std::vector<char> filtered_;
    std::vector<std::vector<std::optional<double>>> afValues_;
    int32_t* genotypes_ = nullptr;
    int genotypeCapacity_ = 0;
    float* afFloats_ = nullptr;
    int afCapacity_ = 0;

  public:
    ~VcfReader() {
        std::free(genotypes_);
        std::free(afFloats_);
    }
    VcfReader(const VcfReader&) = delete;
    VcfReader& operator=(const VcfReader&) = delete;
};

}  // namespace

std::vector<mt::Haplotype> readMtdnaVcf(const std::string& path, const MtVcfOptions& options, Warnings& warnings) {
    VcfReader reader(path, options, warnings);
    return reader.read();
}

}  // namespace kinmatch::formats
