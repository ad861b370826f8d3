// SPDX-License-Identifier: MIT
#pragma once

// Families reach the screening pipeline a few at a time, with just the references they name,
// so that a national run need not hold every family and reference profile at once
// (Screening.hpp). A source either walks a PreparedCase already in memory or reads the
// pedigree file as the pipeline goes (formats/CaseStream.hpp).

#include <cstddef>
#include <string>
#include <vector>

#include "engine/Case.hpp"

namespace kinmatch::engine {

/// Consecutive families of a case, resolved as prepareCase resolves them, with their
/// references: Person::reference indexes `references`, not the case's reference list.
struct FamilyPiece {
    std::vector<Family> families;
    std::vector<Sample> references;
    /// The pedigree reader's warnings for these families, in family order (the whole-file
    /// reader gives the same ones, in the same order).
    std::vector<std::string> warnings;

    void clear() {
        families.clear();
        references.clear();
        warnings.clear();
    }
};

class FamilySource {
  public:
    virtual ~FamilySource() = default;
    /// The number of families the source will give, known before they are read (progress).
    virtual std::size_t familyCount() const = 0;
    /// Clears `piece` and fills it with the next whole families, in case order: at least one,
    /// and then as many more as fit within `missingPersons` missing persons in all. Returns
    /// false (with `piece` empty) when every family has been given.
    /// Thread safety: called from one thread at a time.
    /// Throws: InputError naming file and line.
    virtual bool next(std::size_t missingPersons, FamilyPiece& piece) = 0;
};

/// The families of a case in memory, copied out piece by piece.
class PreparedFamilies final : public FamilySource {
  public:
    explicit PreparedFamilies(const PreparedCase& prepared) : prepared_(prepared) {}
    std::size_t familyCount() const override { return prepared_.families.size(); }
    bool next(std::size_t missingPersons, FamilyPiece& piece) override;

  private:
    const PreparedCase& prepared_;
    std::size_t next_ = 0;
};

}  // namespace kinmatch::engine
