// SPDX-License-Identifier: MIT
#include "engine/Lineage.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "engine/Errors.hpp"

namespace kinmatch::engine::lineage {

namespace {

int parentAlong(const Pedigree::Member& member, Line line) {
    return line == Line::kMaternal ? member.mother : member.father;
}

bool mayCarry(const Pedigree::Member& member, Line line) {
    return line == Line::kMaternal || member.sex == Sex::kMale;
}

// `person` followed by their ancestors along the line, nearest first. The pedigree readers
// reject cycles; the walk is bounded anyway so that a malformed Family cannot loop forever.
std::vector<int> chainOf(const Pedigree& pedigree, Line line, int person) {
    std::vector<int> chain{person};
    for (int next = parentAlong(pedigree.members[static_cast<std::size_t>(person)], line); next >= 0;
         next = parentAlong(pedigree.members[static_cast<std::size_t>(next)], line)) {
        if (chain.size() > pedigree.members.size())
            throw InputError("family " + pedigree.name + ": person " +
                             pedigree.members[static_cast<std::size_t>(person)].id +
                             " has a cycle among their ancestors (expected a pedigree without a person their own ancestor)");
        chain.push_back(next);
    }
    return chain;
}

// Meioses between the owner of `chain` and `other`: the first ancestor of `other` (itself
// included) that is on `chain` is their nearest common ancestor on the line.
std::optional<int> meiosesTo(const Pedigree& pedigree, Line line, const std::vector<int>& chain, int other) {
    const std::vector<int> otherChain = chainOf(pedigree, line, other);
    for (std::size_t up = 0; up < otherChain.size(); ++up) {
        const auto it = std::find(chain.begin(), chain.end(), otherChain[up]);
        if (it != chain.end()) return static_cast<int>(up) + static_cast<int>(it - chain.begin());
    }
    return std::nullopt;
}

std::vector<Relative> typedRelatives(const Pedigree& pedigree, Line line, int missing) {
    const std::vector<int> chain = chainOf(pedigree, line, missing);
    std::vector<Relative> relatives;
    for (std::size_t i = 0; i < pedigree.members.size(); ++i) {
        const auto& member = pedigree.members[i];
        const int person = static_cast<int>(i);
        if (person == missing || !member.typed || !mayCarry(member, line)) continue;
        if (const auto meioses = meiosesTo(pedigree, line, chain, person))
            relatives.push_back(Relative{.person = person, .meioses = *meioses});
    }
    std::stable_sort(relatives.begin(), relatives.end(),
                     [](const Relative& a, const Relative& b) { return a.meioses < b.meioses; });
    return relatives;
}

}  // namespace

std::string_view toString(Line line) { return line == Line::kMaternal ? "maternal" : "paternal"; }

Pedigree pedigreeOf(const Family& family) {
    Pedigree pedigree{.name = family.name, .members = {}};
    pedigree.members.reserve(family.persons.size());
    for (const Person& person : family.persons)
        pedigree.members.push_back(Pedigree::Member{.id = person.id,
                                                    .father = person.father,
                                                    .mother = person.mother,
                                                    .sex = person.sex,
                                                    .typed = person.reference >= 0,
                                                    .missing = person.missing});
    return pedigree;
}

Pedigree pedigreeOf(const FamilyRecord& family) {
    Pedigree pedigree{.name = family.name, .members = {}};
    std::unordered_map<std::string, int> index;
    for (std::size_t i = 0; i < family.persons.size(); ++i) index.emplace(family.persons[i].id, static_cast<int>(i));
    const auto resolve = [&](const PersonRecord& person, const std::string& parent, std::string_view field) {
        if (parent == "0") return -1;
        const auto it = index.find(parent);
        if (it == index.end())
            throw InputError(person.pos.file.str(), person.pos.line,
                             "field " + std::string(field) + ": parent " + parent + " of " + person.id +
                                 " is not in family " + family.name + " (expected an id of the family or 0)");
        return it->second;
    };
    for (const PersonRecord& person : family.persons)
        pedigree.members.push_back(Pedigree::Member{.id = person.id,
                                                    .father = resolve(person, person.father, "father"),
                                                    .mother = resolve(person, person.mother, "mother"),
                                                    .sex = person.sex,
                                                    .typed = person.sample != ".",
                                                    .missing = person.missing});
    return pedigree;
}

std::vector<MissingPersonLines> linesOf(const Pedigree& pedigree) {
    std::vector<MissingPersonLines> result;
    for (std::size_t i = 0; i < pedigree.members.size(); ++i) {
        const auto& member = pedigree.members[i];
        if (!member.missing) continue;
        const int missing = static_cast<int>(i);
        MissingPersonLines lines{.missing = missing,
                                 .maternal = typedRelatives(pedigree, Line::kMaternal, missing),
                                 .paternal = {},
                                 .paternalLineApplies = member.sex == Sex::kMale};
        if (lines.paternalLineApplies) lines.paternal = typedRelatives(pedigree, Line::kPaternal, missing);
        result.push_back(std::move(lines));
    }
    return result;
}

std::vector<MissingPersonLines> linesOf(const Family& family) { return linesOf(pedigreeOf(family)); }

std::vector<MissingPersonLines> linesOf(const FamilyRecord& family) { return linesOf(pedigreeOf(family)); }

std::optional<int> meiosesAlong(const Pedigree& pedigree, Line line, int a, int b) {
    if (!mayCarry(pedigree.members[static_cast<std::size_t>(a)], line) ||
        !mayCarry(pedigree.members[static_cast<std::size_t>(b)], line))
        return std::nullopt;
    return meiosesTo(pedigree, line, chainOf(pedigree, line, a), b);
}

std::vector<Disagreement> findDisagreements(const Pedigree& pedigree, const std::vector<MissingPersonLines>& lines,
                                            Line line, const ConsistencyCheck& consistent) {
    // Several missing persons of one family often share a line: each pair is checked once.
    std::set<std::pair<int, int>> pairs;
    for (const MissingPersonLines& entry : lines) {
        const std::vector<Relative>& relatives = line == Line::kMaternal ? entry.maternal : entry.paternal;
        for (std::size_t i = 0; i < relatives.size(); ++i)
            for (std::size_t j = i + 1; j < relatives.size(); ++j)
                pairs.emplace(std::min(relatives[i].person, relatives[j].person),
                              std::max(relatives[i].person, relatives[j].person));
    }
    std::vector<Disagreement> result;
    for (const auto& [first, second] : pairs) {
        const auto meioses = meiosesAlong(pedigree, line, first, second);
        // Both share a line with one missing person, hence with each other.
        if (!meioses) continue;
        if (!consistent(first, second, *meioses))
            result.push_back(Disagreement{.line = line, .first = first, .second = second, .meioses = *meioses});
    }
    return result;
}

std::string warningFor(const Pedigree& pedigree, const Disagreement& disagreement, std::string_view markerSystem) {
    const auto& first = pedigree.members[static_cast<std::size_t>(disagreement.first)];
    const auto& second = pedigree.members[static_cast<std::size_t>(disagreement.second)];
    return "family " + pedigree.name + ": references " + first.id + " and " + second.id + " on the " +
           std::string(toString(disagreement.line)) + " line (" + std::to_string(disagreement.meioses) +
           (disagreement.meioses == 1 ? " meiosis" : " meioses") + " apart) have inconsistent " +
           std::string(markerSystem) +
           " profiles; a sample swap, a wrong pedigree or a non-biological relationship would explain it, and "
           "comparisons with this line rest on conflicting references";
}

}  // namespace kinmatch::engine::lineage
