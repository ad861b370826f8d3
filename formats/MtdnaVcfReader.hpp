// SPDX-License-Identifier: MIT
#pragma once

// mtDNA haplotypes from a VCF or BCF (text, bgzipped or binary, through HTSlib), one per
// sample column, in the internal form of engine/MtHaplotype.hpp (not yet normalised).

#include <optional>
#include <string>
#include <vector>

#include "engine/MtHaplotype.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::formats {

struct MtVcfOptions {
    /// A second allele of a heterozygous GT is kept as a point heteroplasmy when both alleles'
    /// frequencies (FORMAT AF) reach this; otherwise only the major allele is kept.
    double minAf = 0.10;
    /// The positions a sample is taken to have been read at, before missing and filtered
    /// records are taken out. Unset: the whole genome 1-16569. Ignored for a gVCF, whose
    /// blocks say which positions were read (they are intersected with it when set).
    std::optional<engine::mt::CoveredRange> range;
};

/// Reads every sample of `path`. Records must be on one mtDNA contig (chrM, MT, rCRS or
/// NC_012920.1; a declared length other than 16569 is refused) and their REF must match the
/// rCRS. What a sample's haplotype holds:
///  - variants: the GT alleles' differences from the rCRS (indels too). A heterozygous GT is a
///    point heteroplasmy (IUPAC code) when both alleles reach `minAf`; AF values belong to the
///    ALT alleles when the header declares AF Number=A, otherwise to the GT's non-reference
///    alleles in GT order (Mutserve writes `2/1:0.706,0.265`), and the reference allele has
///    1 - their sum. Two alleles of different length (length heteroplasmy) keep the major one
///    with a warning. Position 3107, the rCRS placeholder `N`, is never called.
///  - range: the options' range minus the positions of records whose FILTER is not PASS or `.`
///    and, per sample, of records whose GT is missing; for a gVCF (records with a `<NON_REF>`
///    or `<*>` ALT), the union of the records with a called GT, reference blocks through END.
/// Haplotypes come in sample column order, variants sorted by (position, insertion); call
/// mt::normalise before comparing them.
/// Throws: InputError naming the file, its line (0 for BCF) and the field.
std::vector<engine::mt::Haplotype> readMtdnaVcf(const std::string& path, const MtVcfOptions& options,
                                                Warnings& warnings);

/// The differences between the rCRS bases `ref` at 1-based `position` and an allele `alt`
/// (both upper-case ACGT): substitutions, deletions, and insertions after the last base the
/// two share, as a VCF left-aligned anchor gives them. Exposed for tests.
std::vector<engine::mt::Variant> mtAlleleDifferences(int position, const std::string& ref, const std::string& alt);

}  // namespace kinmatch::formats
