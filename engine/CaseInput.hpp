// SPDX-License-Identifier: MIT
#pragma once

// Plain values the format adapters produce and the engine consumes. Everything here is
// still in the lab's spelling (marker names, allele labels as strings); `prepareCase`
// resolves names and alleles against the frequency table. Each record keeps its source
// position so that later checks can still name the file and line.
//
// A national reference file has millions of rows but only a few dozen distinct marker
// names and a few hundred allele labels, and every row names the same file. Those texts are
// therefore interned (`InternedString`: one pointer, no allocation per row), which keeps a
// marker call at 40 bytes instead of the ~200 bytes plus four allocations of strings.

#include <array>
#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace kinmatch {

/// A text stored once per process and shared by pointer: file names, marker names, allele
/// labels. Equal texts give the same pointer, so `get()` identifies a text (for memo tables)
/// and comparing two InternedStrings is a pointer comparison. Interned texts are never freed;
/// that is meant for small vocabularies, not for per-record names such as sample ids.
/// Thread safety: constructing from text locks the process-wide pool; copies are plain
/// pointers and may be shared between threads freely.
class InternedString {
  public:
    InternedString() noexcept;  // ""
    // Implicit on purpose: records are written as `MarkerCall{"D3S1358", {"10", "11"}, {}}`.
    InternedString(std::string_view text);
    InternedString(const std::string& text) : InternedString(std::string_view(text)) {}
    InternedString(const char* text) : InternedString(std::string_view(text)) {}

    const std::string& str() const noexcept { return *text_; }
    std::string_view view() const noexcept { return *text_; }
    operator const std::string&() const noexcept { return *text_; }
    bool empty() const noexcept { return text_->empty(); }
    /// The pooled text's address: equal for equal texts, stable for the whole process.
    const std::string* get() const noexcept { return text_; }

    friend bool operator==(const InternedString& a, const InternedString& b) noexcept { return a.text_ == b.text_; }
    friend bool operator==(const InternedString& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const InternedString& a, const std::string& b) noexcept { return a.view() == b; }
    friend bool operator==(const InternedString& a, const char* b) noexcept { return a.view() == b; }

  private:
    friend class AlleleLabels;
    struct Absent {};
    explicit constexpr InternedString(Absent) noexcept : text_(nullptr) {}
    const std::string* text_;
};

std::ostream& operator<<(std::ostream& out, const InternedString& text);

/// The allele labels of one marker call as written: none, one (a homozygote written `17,`)
/// or two. Single-source profiles never carry more (formats.md §2), so two pooled pointers
/// replace a vector of strings. Element access works like a small vector.
class AlleleLabels {
  public:
    static constexpr std::size_t kCapacity = 2;

    AlleleLabels() noexcept = default;
    /// Throws: std::length_error for more than kCapacity labels.
    AlleleLabels(std::initializer_list<InternedString> labels);

    /// Throws: std::length_error when kCapacity labels are already held.
    void push_back(const InternedString& label);

    std::size_t size() const noexcept { return labels_[0].text_ == nullptr ? 0 : labels_[1].text_ == nullptr ? 1 : 2; }
    bool empty() const noexcept { return labels_[0].text_ == nullptr; }
    const InternedString& operator[](std::size_t i) const noexcept { return labels_[i]; }
    const InternedString& front() const noexcept { return labels_[0]; }
    const InternedString& back() const noexcept { return labels_[size() - 1]; }
    const InternedString* begin() const noexcept { return labels_.data(); }
    const InternedString* end() const noexcept { return labels_.data() + size(); }

    friend bool operator==(const AlleleLabels& a, const AlleleLabels& b) noexcept { return a.labels_ == b.labels_; }
    friend bool operator==(const AlleleLabels& a, const std::vector<std::string>& b) noexcept;

  private:
    // Unused slots hold the absent (null) state, which keeps the size implicit.
    std::array<InternedString, kCapacity> labels_{InternedString(InternedString::Absent{}),
                                                  InternedString(InternedString::Absent{})};
};

/// Where a record came from, for error messages.
struct SourcePos {
    InternedString file;
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

/// One typed marker of one sample: 1 or 2 allele labels (1 = homozygote written `17,`).
struct MarkerCall {
    InternedString marker;  // as spelled in the file
    AlleleLabels alleles;
    SourcePos pos;
};

/// One sample's profile. Amelogenin rows are kept apart as sex information.
struct Profile {
    std::string sampleName;
    std::vector<MarkerCall> markers;
    AlleleLabels amelogenin;  // e.g. {"X","Y"}; empty when not typed
    SourcePos pos;            // first row of the sample
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
