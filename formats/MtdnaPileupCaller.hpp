// SPDX-License-Identifier: MIT
#pragma once

// An mtDNA haplotype from reads aligned to the rCRS (SAM, BAM or CRAM, through HTSlib's
// pileup), in the internal form of engine/MtHaplotype.hpp (not yet normalised).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/MtHaplotype.hpp"
#include "engine/Warnings.hpp"
#include "formats/MtdnaVcfReader.hpp"

namespace kinmatch::formats {

struct MtPileupOptions {
    /// Positions with fewer usable reads (bases and deletions that pass the filters) are
    /// outside the sample's range. 10: below that one read error is already 10 %, and a
    /// consensus of fewer reads is not what forensic MPS guidelines accept as typed.
    int minDepth = 10;
    /// Bases below this Phred quality are not counted. 20 = 1 % error, the usual cut.
    int minBaseQuality = 20;
    /// Reads below this mapping quality are not counted: they are mostly nuclear copies of
    /// mtDNA (NUMTs) or reads of repeats placed at random.
    int minMappingQuality = 20;
    /// A second base is reported as a point heteroplasmy (IUPAC code) when it has at least
    /// this share of the depth (and at least kMinMinorReads reads). 0.10: the threshold of
    /// forensic MPS practice, above the error and NUMT background of about 1-2 %, and the
    /// level at which EMPOP-era Sanger data saw heteroplasmy, so calls stay comparable.
    double minAf = 0.10;
    /// FASTA to decode CRAM with; empty: the compiled-in rCRS, under the CRAM's mtDNA contig name.
    std::string referenceFasta;
    /// The sample name; empty: the read groups' SM, else the file name without its extension.
    std::string sampleName;
};

/// A single read never makes a heteroplasmy, whatever its share of a shallow position.
inline constexpr int kMinMinorReads = 2;

/// What the pileup saw at one rCRS position, after the filters.
struct MtPileupCounts {
    std::array<std::uint32_t, 5> reads{};  // A, C, G, T, deletion
    std::uint32_t depth() const { return reads[0] + reads[1] + reads[2] + reads[3] + reads[4]; }
};

struct MtPileupCall {
    engine::mt::Haplotype haplotype;
    /// Index p-1 for rCRS position p.
    std::vector<MtPileupCounts> counts;
    std::uint64_t readsUsed = 0;  // reads on the mtDNA contig that passed the flag and MAPQ filters
};

/// Calls one sample. The file must have exactly one mtDNA contig (chrM, MT, rCRS or
/// NC_012920.1) of the rCRS's length 16569; reads elsewhere are ignored (an index, if
/// present, is used to skip them). Unmapped, secondary, QC-failed and duplicate reads are
/// dropped, and so is the lower-quality copy of a base where two mates overlap. At each
/// position with at least `minDepth` reads: the major allele is called (a deletion is `-`); a
/// second base reaching `minAf` makes an IUPAC heteroplasmy; a minor deletion (length
/// heteroplasmy) is not reported. An insertion after a position is the most common inserted
/// sequence among reads that continue past it, including "none", so the dominant length
/// variant of a C-stretch is the one reported. Position 3107 (the rCRS placeholder N) is never
/// called. The file's BGZF/CRAM end marker must be present.
/// Throws: InputError naming the file.
MtPileupCall callMtdnaPileup(const std::string& path, const MtPileupOptions& options, Warnings& warnings);

/// What one input of `kinmatch mtdna call` gave.
struct MtSequencingResult {
    std::vector<engine::mt::Haplotype> haplotypes;
    std::string description;  // for the output header: kind of file and what was used
};

/// Reads a file whichever kind HTSlib finds it to be (by content, not name): VCF/BCF through
/// readMtdnaVcf, SAM/BAM/CRAM through callMtdnaPileup. Haplotypes are not normalised.
/// Throws: InputError naming the file (also for a file of another kind).
MtSequencingResult readMtdnaSequencingFile(const std::string& path, const MtVcfOptions& vcfOptions,
                                           const MtPileupOptions& pileupOptions, Warnings& warnings);

}  // namespace kinmatch::formats
