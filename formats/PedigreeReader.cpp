// SPDX-License-Identifier: MIT
#include "formats/PedigreeReader.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/Errors.hpp"
#include "formats/PedigreeRows.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

constexpr std::array<std::string_view, 7> kColumns{"family", "id", "father", "mother", "sex", "sample", "missing"};
constexpr std::string_view kFounder = "0";
constexpr std::string_view kUntyped = detail::kUntypedSample;

std::string expectedHeader() {
    std::string text;
    for (std::string_view c : kColumns) text += (text.empty() ? "" : "<TAB>") + std::string(c);
    return text;
}

Sex decodeSex(std::string_view value, const std::string& id, const SourcePos& pos) {
    if (value == "0") return Sex::kUnknown;
    if (value == "1") return Sex::kMale;
    if (value == "2") return Sex::kFemale;
    throw InputError(
        pos.file, pos.line,
        "sex " + quoted(value) + " of person " + id + " is not valid (expected 1 male, 2 female or 0 unknown)");
}

bool decodeMissing(std::string_view value, const std::string& id, const SourcePos& pos) {
    if (value == "0") return false;
    if (value == "1") return true;
    throw InputError(
        pos.file, pos.line,
        "missing " + quoted(value) + " of person " + id + " is not valid (expected 1 for a missing person, else 0)");
}

const char* sexName(Sex sex) {
    switch (sex) {
        case Sex::kMale:
            return "male (1)";
        case Sex::kFemale:
            return "female (2)";
        case Sex::kUnknown:
            break;
    }
    return "unknown (0)";
}

// Checks one parent link and returns the parent's index; `role` is "father" or "mother".
std::size_t resolveParent(const FamilyRecord& family, const std::unordered_map<std::string, std::size_t>& index,
                          const PersonRecord& child, const std::string& parentId, std::string_view role, Sex required) {
    const auto it = index.find(parentId);
    if (it == index.end())
        throw InputError(child.pos.file, child.pos.line,
                         std::string(role) + " " + quoted(parentId) + " of person " + child.id +
                             " is not a person of family " + family.name +
                             " (expected an id of the same family, or 0)");
    const PersonRecord& parent = family.persons[it->second];
    if (parent.sex != required)
        throw InputError(child.pos.file, child.pos.line,
                         std::string(role) + " " + parent.id + " of person " + child.id + " has sex " +
                             sexName(parent.sex) + " at line " + std::to_string(parent.pos.line) + " (expected " +
                             sexName(required) + ")");
    return it->second;
}

// Adds the founder that stands in for the unknown parent of a person with one known parent.
void addPlaceholders(FamilyRecord& family, Warnings& warnings) {
    std::vector<PersonRecord> persons;
    persons.reserve(family.persons.size());
    for (PersonRecord& person : family.persons) {
        const bool hasFather = person.father != kFounder;
        const bool hasMother = person.mother != kFounder;
        if (hasFather != hasMother) {
            const std::string_view role = hasFather ? "mother" : "father";
            PersonRecord placeholder{.id = person.id + "~" + std::string(role),
                                     .father = std::string(kFounder),
                                     .mother = std::string(kFounder),
                                     .sex = hasFather ? Sex::kFemale : Sex::kMale,
                                     .sample = std::string(kUntyped),
                                     .missing = false,
                                     .pos = person.pos};
            (hasFather ? person.mother : person.father) = placeholder.id;
            warnings.add(person.pos.file.str() + ":" + std::to_string(person.pos.line) + ": person " + person.id + " has a " +
                         (hasFather ? "father" : "mother") + " but no " + std::string(role) + "; added founder " +
                         placeholder.id);
            persons.push_back(std::move(placeholder));
        }
        persons.push_back(std::move(person));
    }
    family.persons = std::move(persons);
}

}  // namespace

namespace detail {

void readPedigreeHeader(TextLines& lines, const std::string& fileName) {
    do {
        if (!lines.next()) throw InputError(fileName, 0, "empty file (expected the header " + expectedHeader() + ")");
    } while (lines.blank());

    const std::vector<std::string> header = splitFields(lines.line(), '\t');
    bool headerOk = header.size() == kColumns.size();
    for (std::size_t col = 0; headerOk && col < kColumns.size(); ++col)
        headerOk = equalsIgnoreCase(header[col], kColumns[col]);
    if (!headerOk)
        throw InputError(fileName, lines.lineNumber(),
                         "header " + quoted(lines.line()) + " is not the pedigree header (expected " +
                             expectedHeader() + ", tab-separated)");
}

const std::vector<std::string_view>& splitPedigreeRow(FieldSplitter& splitter, std::string_view line,
                                                      std::size_t lineNumber, const std::string& fileName) {
    const std::vector<std::string_view>& fields = splitter.split(line, '\t');
    if (fields.size() != kColumns.size())
        throw InputError(fileName, lineNumber,
                         "row has " + std::to_string(fields.size()) + " tab-separated fields (expected " +
                             std::to_string(kColumns.size()) + ": " + expectedHeader() + ")");
    return fields;
}

PersonRecord decodePedigreeRow(const std::vector<std::string_view>& fields, const SourcePos& pos) {
    for (std::size_t col = 0; col < kColumns.size(); ++col) {
        if (fields[col].empty())
            throw InputError(pos.file, pos.line,
                             "field " + std::string(kColumns[col]) + " is empty (expected a value in column " +
                                 std::to_string(col + 1) + "; write 0 for no parent and . for no sample)");
    }
    std::string id(fields[1]);
    const Sex sex = decodeSex(fields[4], id, pos);
    const bool missing = decodeMissing(fields[6], id, pos);
    return PersonRecord{.id = std::move(id),
                        .father = std::string(fields[2]),
                        .mother = std::string(fields[3]),
                        .sex = sex,
                        .sample = std::string(fields[5]),
                        .missing = missing,
                        .pos = pos};
}

void FamilyIds::checkNew(std::size_t f, const FamilyRecord& family, const PersonRecord& person,
                         const std::string& fileName) {
    if (const std::size_t first = earlierLine(f, family, person.id))
        throw InputError(fileName, person.pos.line,
                         "id " + person.id + " appears twice in family " + family.name + " (first at line " +
                             std::to_string(first) + "; expected unique ids within a family)");
}

// The line of an earlier person of `family` (index `f`) with this id, or 0.
std::size_t FamilyIds::earlierLine(std::size_t f, const FamilyRecord& family, const std::string& id) {
    constexpr std::size_t kScanLimit = 32;
    if (family.persons.size() < kScanLimit) {
        for (const PersonRecord& p : family.persons)
            if (p.id == id) return p.pos.line;
        return 0;
    }
    // Ids within a family are unique (a repeat is an error), so the index holds exactly
    // the first `size()` persons and only the newer ones need adding.
    TextMap<std::size_t>& index = large_[f];
    for (std::size_t i = index.size(); i < family.persons.size(); ++i)
        index.emplace(family.persons[i].id, family.persons[i].pos.line);
    const auto it = index.find(id);
    return it == index.end() ? 0 : it->second;
}

void validateFamily(FamilyRecord& family, std::size_t firstLine, const std::string& fileName, Warnings& warnings) {
    // Unknown ids are reported before placeholders are made, so that a typo in the one
    // parent given is an error, not a silent extra founder.
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < family.persons.size(); ++i) index.emplace(family.persons[i].id, i);
    for (const PersonRecord& person : family.persons) {
        if (person.father != kFounder) resolveParent(family, index, person, person.father, "father", Sex::kMale);
        if (person.mother != kFounder) resolveParent(family, index, person, person.mother, "mother", Sex::kFemale);
    }

    addPlaceholders(family, warnings);
    index.clear();
    for (std::size_t i = 0; i < family.persons.size(); ++i) {
        if (!index.emplace(family.persons[i].id, i).second) {
            const PersonRecord& p = family.persons[i];
            throw InputError(p.pos.file, p.pos.line,
                             "placeholder id " + p.id + " is already used in family " + family.name +
                                 " (expected ids without the ~father / ~mother suffix kinmatch reserves)");
        }
    }

    // Iterative depth-first search over parent links: 0 unvisited, 1 on the path, 2 done.
    std::vector<int> state(family.persons.size(), 0);
    std::vector<std::array<std::size_t, 2>> parents(family.persons.size());
    std::vector<std::size_t> parentCount(family.persons.size(), 0);
    for (std::size_t i = 0; i < family.persons.size(); ++i) {
        const PersonRecord& p = family.persons[i];
        if (p.father != kFounder) parents[i][parentCount[i]++] = index.at(p.father);
        if (p.mother != kFounder) parents[i][parentCount[i]++] = index.at(p.mother);
    }
    for (std::size_t start = 0; start < family.persons.size(); ++start) {
        if (state[start] != 0) continue;
        std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};  // (person, next parent slot)
        state[start] = 1;
        while (!stack.empty()) {
            auto& [node, slot] = stack.back();
            if (slot == parentCount[node]) {
                state[node] = 2;
                stack.pop_back();
                continue;
            }
            const std::size_t parent = parents[node][slot++];
            if (state[parent] == 1) {
                std::string chain;
                bool inCycle = false;
                for (const auto& [n, s] : stack) {
                    inCycle = inCycle || n == parent;
                    if (inCycle) chain += family.persons[n].id + " -> ";
                }
                const PersonRecord& p = family.persons[parent];
                throw InputError(p.pos.file, p.pos.line,
                                 "person " + p.id + " is their own ancestor (" + chain + p.id +
                                     ", following child -> parent; expected no cycles)");
            }
            if (state[parent] == 0) {
                state[parent] = 1;
                stack.emplace_back(parent, 0);
            }
        }
    }

    bool anyMissing = false;
    for (const PersonRecord& p : family.persons) anyMissing = anyMissing || p.missing;
    if (!anyMissing)
        throw InputError(
            fileName, firstLine,
            "family " + family.name + " has no missing person (expected missing = 1 for at least one person)");
}

}  // namespace detail

PedigreeSet readPedigrees(std::istream& in, const std::string& fileName, Warnings& warnings) {
    TextLines lines(in, fileName);
    detail::readPedigreeHeader(lines, fileName);

    PedigreeSet set{.source = fileName, .families = {}};
    TextMap<std::size_t> familyIndex;
    std::vector<std::size_t> familyFirstLine;
    detail::FamilyIds ids;
    // sample -> (family, person) of its first use, so that a duplicate can name both rows.
    TextMap<std::pair<std::size_t, std::size_t>> sampleUse;
    FieldSplitter splitter;
    while (lines.next()) {
        if (lines.blank()) continue;
        const std::vector<std::string_view>& fields =
            detail::splitPedigreeRow(splitter, lines.line(), lines.lineNumber(), fileName);
        const std::string_view familyName = fields[0];
        PersonRecord person = detail::decodePedigreeRow(fields, lines.pos());

        // Rows of one family are usually adjacent: try the last family before the index.
        std::size_t f = set.families.size();
        if (!set.families.empty() && set.families.back().name == familyName) {
            f = set.families.size() - 1;
        } else if (const auto it = familyIndex.find(familyName); it != familyIndex.end()) {
            f = it->second;
        }
        if (f < set.families.size()) ids.checkNew(f, set.families[f], person, fileName);
        if (person.sample != kUntyped) {
            const std::size_t index = f < set.families.size() ? set.families[f].persons.size() : 0;
            const auto [useIt, newSample] = sampleUse.emplace(person.sample, std::pair{f, index});
            if (!newSample) {
                const PersonRecord& other = set.families[useIt->second.first].persons[useIt->second.second];
                throw InputError(fileName, lines.lineNumber(),
                                 "sample " + person.sample + " of person " + person.id + " is already the sample of " +
                                     other.id + " at line " + std::to_string(other.pos.line) +
                                     " (expected each reference sample to belong to one person)");
            }
        }

        if (f == set.families.size()) {
            familyIndex.emplace(std::string(familyName), f);
            set.families.push_back(FamilyRecord{.name = std::string(familyName), .persons = {}});
            familyFirstLine.push_back(lines.lineNumber());
        }
        set.families[f].persons.push_back(std::move(person));
    }
    if (set.families.empty()) throw InputError(fileName, 0, std::string(detail::kNoPedigreeRows));

    for (std::size_t f = 0; f < set.families.size(); ++f)
        detail::validateFamily(set.families[f], familyFirstLine[f], fileName, warnings);
    return set;
}

PedigreeSet readPedigreeFile(const std::string& path, Warnings& warnings) {
    std::ifstream in = openTextFile(path);
    return readPedigrees(in, path, warnings);
}

}  // namespace kinmatch::formats
