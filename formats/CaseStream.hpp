// SPDX-License-Identifier: MIT
#pragma once

// Reading a national case as the screening pipeline goes, instead of all at once
// (engine/FamilySource.hpp, engine/ReferenceCensus.hpp). This holds for the usual layout of
// lab files: each sample's rows adjacent in the references file, each family's rows adjacent
// in the pedigree file. When a file is laid out otherwise, the readers say so and the caller
// reads the case whole (ProfileReader.hpp, PedigreeReader.hpp), which handles any layout.
//
// Errors: every InputError these readers throw names file and line, but which problem of a
// bad file they report first may differ from the whole-file readers'. The caller reads the
// case whole after any error, so that the message a lab sees is always the whole-file
// reader's.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/CaseInput.hpp"
#include "engine/FamilySource.hpp"
#include "engine/ReferenceCensus.hpp"

namespace kinmatch::formats {

/// Reads the profile file `path` (formats.md §2, same checks and columns as readProfileFile)
/// and hands each sample's whole profile to `sink`, in file order, once the sample's last row
/// has been read: peak memory is a window of the file and its parsed rows, not every profile.
/// Chunks of the window are parsed in parallel; `sink` is called from one thread at a time.
/// Returns false, having stopped early, when a sample's rows are not adjacent (a sample seen
/// again after another sample's rows): the file then needs readProfileFile.
/// `progress`, when given, is called after each parsed chunk with the bytes read so far and
/// the file's size, from the thread that calls `sink`.
/// Throws: InputError naming file and line.
using ByteProgress = std::function<void(std::size_t bytesRead, std::size_t fileBytes)>;
bool streamProfileFile(const std::string& path, const std::function<void(const Profile&)>& sink,
                       const ByteProgress& progress = {});

/// The pedigree file read family by family as an engine::FamilySource. Families come in file
/// order, each resolved with engine::resolveFamily against `references` (which must outlive
/// this object), with the references they name copied into the piece.
class StreamedFamilies final : public engine::FamilySource {
  public:
    /// Opens `path`, checks its header and counts its families in one quick pass, which also
    /// tells whether each family's rows are adjacent (`adjacent()`).
    /// `referenceSource` names the references in errors.
    /// Throws: InputError when the file cannot be opened, has a bad header or no rows.
    StreamedFamilies(const std::string& path, const engine::ReferenceStore& references, std::string referenceSource);
    ~StreamedFamilies() override;

    /// False when some family's rows are not adjacent: this reader would then see that family
    /// twice, and the caller must read the pedigrees whole (readPedigreeFile).
    bool adjacent() const noexcept;
    std::size_t familyCount() const override;
    /// Throws: InputError for a bad row or family (as readPedigreeFile and prepareCase check
    /// them), and for a sample that a second person names.
    bool next(std::size_t missingPersons, engine::FamilyPiece& piece) override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kinmatch::formats
