// SPDX-License-Identifier: MIT
#pragma once

// Which typed relatives of a missing person carry the same lineage markers.
//
// mtDNA passes from a mother to all her children, the Y chromosome from a father to his sons.
// Remains are compared on these markers only with relatives on the same line:
// - maternal line: everyone descending through mothers only from the missing person's
//   earliest known maternal ancestor (the top of the chain of mothers), of any sex;
// - paternal line: the men descending through fathers only from the missing person's
//   earliest known paternal ancestor; only for a male missing person.
// The meioses between two people on a line are counted along it: up from each of them to
// their nearest common ancestor on the line, and added.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/Case.hpp"
#include "engine/CaseInput.hpp"

namespace kinmatch::engine::lineage {

enum class Line { kMaternal, kPaternal };

/// `maternal`, `paternal`.
std::string_view toString(Line line);

/// A pedigree as lineage needs it: both Family (a prepared case, typed = has a reference)
/// and FamilyRecord (a pedigree file, typed = sample is not `.`) convert to it.
struct Pedigree {
    struct Member {
        std::string id;
        int father = -1;  // index in members, -1 = founder
        int mother = -1;
        Sex sex = Sex::kUnknown;
        bool typed = false;
        bool missing = false;
    };
    std::string name;
    std::vector<Member> members;
};

/// Throws nothing.
Pedigree pedigreeOf(const Family& family);
/// Throws: InputError (file, line of the person) when a parent id is not in the family.
Pedigree pedigreeOf(const FamilyRecord& family);

/// A typed relative on a line and the meioses between them and the missing person.
struct Relative {
    int person = -1;  // index in Pedigree::members (= Family::persons, FamilyRecord::persons)
    int meioses = 0;
};

/// The typed relatives of one missing person on each line, nearest first (ties in file order).
struct MissingPersonLines {
    int missing = -1;  // index in the pedigree
    std::vector<Relative> maternal;
    /// Empty unless the missing person is male.
    std::vector<Relative> paternal;
    /// False for a missing person whose sex is not male: no Y chromosome to compare.
    bool paternalLineApplies = false;
};

/// One entry per missing person, in pedigree order.
/// Thread safety: pure function.
/// Throws: InputError naming the family when a person is their own ancestor.
std::vector<MissingPersonLines> linesOf(const Pedigree& pedigree);
std::vector<MissingPersonLines> linesOf(const Family& family);
std::vector<MissingPersonLines> linesOf(const FamilyRecord& family);

/// Meioses between persons `a` and `b` along `line`, or nullopt when they are not on the
/// same line (on the paternal line both must be male).
/// Throws: InputError naming the family when a person is their own ancestor.
std::optional<int> meiosesAlong(const Pedigree& pedigree, Line line, int a, int b);

/// Whether the marker profiles of two typed persons on one line are consistent with their
/// relationship (`meioses` apart along the line). The caller decides how: e.g. a Y-STR
/// comparison outcome other than exclusion, or an mtDNA comparison.
using ConsistencyCheck = std::function<bool(int personA, int personB, int meioses)>;

/// Two references on one line whose profiles disagree.
struct Disagreement {
    Line line = Line::kMaternal;
    int first = -1;  // pedigree indices, first earlier in the pedigree than second
    int second = -1;
    int meioses = 0;  // between them along the line
};

/// Checks every pair of typed relatives that share a line with a missing person, once per
/// pair even when several missing persons share the line, in a fixed order (line, then the
/// pair's pedigree order). `lines` as given by linesOf(pedigree).
/// Thread safety: as thread-safe as `consistent`. Throws: what `consistent` throws; InputError as
/// linesOf for a person their own ancestor.
std::vector<Disagreement> findDisagreements(const Pedigree& pedigree, const std::vector<MissingPersonLines>& lines,
                                            Line line, const ConsistencyCheck& consistent);

/// A warning for the run log and output header, e.g. `family F1: references R1 and R2 on the
/// paternal line (2 meioses apart) have inconsistent Y-STR haplotypes; ...`.
/// @param markerSystem names the markers in the message (`Y-STR`, `mtDNA`).
std::string warningFor(const Pedigree& pedigree, const Disagreement& disagreement, std::string_view markerSystem);

}  // namespace kinmatch::engine::lineage
