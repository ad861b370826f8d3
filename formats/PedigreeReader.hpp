// SPDX-License-Identifier: MIT
#pragma once

#include <istream>
#include <string>

#include "engine/CaseInput.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::formats {

/// Reads pedigrees (formats.md §3): a tab-separated table with the header
/// `family id father mother sex sample missing` in this order (any case), one row per person.
/// Rows of one family need not be adjacent; families keep the order of first appearance and
/// persons their file order. Parents are resolved after the whole family is read, so a
/// parent may be listed after the child. A person with exactly one known parent gets a
/// placeholder founder `<id>~father` / `<id>~mother` (sample `.`, not missing), inserted
/// just before the person, and a warning.
/// @param fileName names the input in error messages, warnings and every SourcePos.
/// Throws: InputError (file, line) for a bad header or field count, sex not 0/1/2, missing
/// not 0/1, a duplicate id in a family, an unknown parent, a parent of the wrong sex, a
/// person their own ancestor, a sample name used by two persons, a family without a
/// missing person, and for input without persons.
/// Thread safety: reentrant; `warnings` must not be shared with another thread meanwhile.
PedigreeSet readPedigrees(std::istream& in, const std::string& fileName, Warnings& warnings);

/// Opens `path` and reads it with readPedigrees, naming it by `path`.
/// Throws: InputError when the file cannot be opened (with the system's reason) or is malformed.
PedigreeSet readPedigreeFile(const std::string& path, Warnings& warnings);

}  // namespace kinmatch::formats
