// SPDX-License-Identifier: MIT
#pragma once

// Internals of the pedigree reader (PedigreeReader.cpp), shared with the family-by-family
// reader (CaseStream.cpp) so that both accept and reject rows and families alike.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/CaseInput.hpp"
#include "engine/Warnings.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats::detail {

inline constexpr std::string_view kNoPedigreeRows =
    "no persons: the file has a header but no rows (expected one row per person)";
inline constexpr std::string_view kUntypedSample = ".";

// Skips to the first non-blank line and checks that it is the pedigree header.
// Throws: InputError for an empty file or another header.
void readPedigreeHeader(TextLines& lines, const std::string& fileName);

// The fields of a data row. Throws: InputError when there are not seven.
const std::vector<std::string_view>& splitPedigreeRow(FieldSplitter& splitter, std::string_view line,
                                                      std::size_t lineNumber, const std::string& fileName);

// One row's person. Throws: InputError for an empty field, a bad sex or missing flag.
PersonRecord decodePedigreeRow(const std::vector<std::string_view>& fields, const SourcePos& pos);

// The ids read so far of each family, to name both rows of a duplicate. Families hold a few
// to a few dozen persons, so scanning the family's rows beats a hash map per family; only a
// family that grows large gets an index.
class FamilyIds {
  public:
    // Throws: InputError when `family` (index `f`) already has a person with `person`'s id.
    void checkNew(std::size_t f, const FamilyRecord& family, const PersonRecord& person, const std::string& fileName);

  private:
    std::size_t earlierLine(std::size_t f, const FamilyRecord& family, const std::string& id);
    std::unordered_map<std::size_t, TextMap<std::size_t>> large_;
};

// Resolves parents and rejects cycles, after adding placeholder founders (with a warning
// each); `firstLine` is the line of the family's first row.
// Throws: InputError for an unknown parent, a parent of the wrong sex, a cycle, a placeholder
// id already taken, a family without a missing person.
void validateFamily(FamilyRecord& family, std::size_t firstLine, const std::string& fileName, Warnings& warnings);

}  // namespace kinmatch::formats::detail
