// SPDX-License-Identifier: MIT
#pragma once

// Internal to the HTSlib mtDNA adapters (MtdnaVcfReader, MtdnaPileupCaller): owning handles,
// the accepted mtDNA contig names, IUPAC codes and opening a file with a clear message.

#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/vcf.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "engine/Errors.hpp"
#include "engine/MtHaplotype.hpp"

namespace kinmatch::formats::mthts {

struct HtsFileCloser {
    void operator()(htsFile* f) const noexcept { hts_close(f); }
};
struct BcfHeaderDestroyer {
    void operator()(bcf_hdr_t* h) const noexcept { bcf_hdr_destroy(h); }
};
struct BcfRecordDestroyer {
    void operator()(bcf1_t* r) const noexcept { bcf_destroy(r); }
};
struct SamHeaderDestroyer {
    void operator()(sam_hdr_t* h) const noexcept { sam_hdr_destroy(h); }
};
struct BamRecordDestroyer {
    void operator()(bam1_t* b) const noexcept { bam_destroy1(b); }
};
struct IndexDestroyer {
    void operator()(hts_idx_t* i) const noexcept { hts_idx_destroy(i); }
};
struct IteratorDestroyer {
    void operator()(hts_itr_t* i) const noexcept { hts_itr_destroy(i); }
};
using HtsFilePtr = std::unique_ptr<htsFile, HtsFileCloser>;
using BcfHeaderPtr = std::unique_ptr<bcf_hdr_t, BcfHeaderDestroyer>;
using BcfRecordPtr = std::unique_ptr<bcf1_t, BcfRecordDestroyer>;
using SamHeaderPtr = std::unique_ptr<sam_hdr_t, SamHeaderDestroyer>;
using BamRecordPtr = std::unique_ptr<bam1_t, BamRecordDestroyer>;
using IndexPtr = std::unique_ptr<hts_idx_t, IndexDestroyer>;
using IteratorPtr = std::unique_ptr<hts_itr_t, IteratorDestroyer>;

/// Contig names under which labs and pipelines store the rCRS (formats.md §6; NC_012920.1 is
/// its GenBank accession).
inline bool isMtContigName(std::string_view name) {
    return name == "chrM" || name == "MT" || name == "rCRS" || name == "NC_012920.1";
}
inline constexpr const char* kMtContigNames = "chrM, MT, rCRS or NC_012920.1";

/// The message for an mtDNA contig whose length is not the rCRS's: hg19's chrM (16,571 bp) is
/// the Yoruba sequence, whose coordinates differ from the rCRS after position 309.
inline std::string wrongLengthMessage(std::string_view contig, long long length) {
    return "contig " + std::string(contig) + " has length " + std::to_string(length) + ", not the rCRS's " +
           std::to_string(engine::mt::kGenomeLength) +
           (length == 16571 ? " (this is hg19's chrM, the Yoruba sequence)" : "") +
           ": positions would not be rCRS positions; realign to the rCRS (GRCh38 chrM, b37 MT)";
}

/// IUPAC code for a point heteroplasmy of two different bases of ACGT.
inline char iupacCode(char a, char b) {
    if (a > b) std::swap(a, b);
    static constexpr std::array<std::array<char, 3>, 6> kCodes{
        {{'A', 'C', 'M'}, {'A', 'G', 'R'}, {'A', 'T', 'W'}, {'C', 'G', 'S'}, {'C', 'T', 'Y'}, {'G', 'T', 'K'}}};
    for (const auto& c : kCodes)
        if (c[0] == a && c[1] == b) return c[2];
    return 'N';
}

inline bool isBase(char c) { return c == 'A' || c == 'C' || c == 'G' || c == 'T'; }

/// Opens an HTSlib file for reading; a missing or unreadable file is an InputError naming it
/// with the system's reason, not HTSlib's generic failure.
inline HtsFilePtr openForReading(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) throw InputError(path, 0, "no such file");
    if (std::filesystem::is_directory(path, error)) throw InputError(path, 0, "is a folder, not a file");
    errno = 0;
    HtsFilePtr file(hts_open(path.c_str(), "r"));
    if (!file)
        throw InputError(path, 0,
                         std::string("cannot open: ") + (errno != 0 ? std::strerror(errno) : "unrecognised format"));
    return file;
}

/// Files written without their end marker were cut short (a failed copy, a full disk): HTSlib
/// would read the part that is there and stop quietly.
inline void assertComplete(htsFile* file, const std::string& path) {
    if (hts_check_EOF(file) == 0)
        throw InputError(path, 0, "the file is truncated (its end-of-file marker is missing); copy it again");
}

}  // namespace kinmatch::formats::mthts
