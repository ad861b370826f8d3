// SPDX-License-Identifier: MIT
#pragma once

// Plain values the format adapters produce and the engine consumes. Everything here is
// still in the lab's spelling (marker names, allele labels as strings); `prepareCase`
// resolves names and alleles against the frequency table. Each record keeps its source
// position so that later checks can still name the file and line.

#include <cstddef>
#include <string>
#include <vector>

namespace kinmatch {

/// Where a record came from, for error messages.
struct SourcePos {
    std::string file;
    std::size_t line = 0;  // 1-based; 0 = unknown
};

/// Allele frequencies of one marker, in file order.
struct MarkerFrequencies {
    std::string marker;  // as spelled in the file header
    std::vector<std::string> alleles;
    std::vector<double> frequencies;  // parallel to alleles
    SourcePos pos;                    // the marker's header cell / name line
};

/// A whole frequency table (EuroForMix CSV or Familias list layout).
struct FrequencyTable {
    std::string source;  // file name
    std::vector<MarkerFrequencies> markers;
};

/// One typed marker of one sample: 0, 1 or 2 allele labels (1 = homozygote written `17,`).
struct MarkerCall {
    std::string marker;  // as spelled in the file
    std::vector<std::string> alleles;
    SourcePos pos;
};

/// One sample's profile. Amelogenin rows are kept apart as sex information.
struct Profile {
    std::string sampleName;
    std::vector<MarkerCall> markers;
    std::vector<std::string> amelogenin;  // e.g. {"X","Y"}; empty when not typed
    SourcePos pos;                        // first row of the sample
};

struct ProfileSet {
    std::string source;
    std::vector<Profile> profiles;  // in file order of first appearance
};

enum class Sex { kUnknown = 0, kMale = 1, kFemale = 2 };

/// One row of the pedigree TSV.
struct PersonRecord {
    std::string id;
    std::string father;  // "0" = founder
    std::string mother;  // "0" = founder
    Sex sex = Sex::kUnknown;
    std::string sample;  // "." = untyped
    bool missing = false;
    SourcePos pos;
};

struct FamilyRecord {
    std::string name;
    std::vector<PersonRecord> persons;  // file order
};

struct PedigreeSet {
    std::string source;
    std::vector<FamilyRecord> families;  // file order of first appearance
};

}  // namespace kinmatch
