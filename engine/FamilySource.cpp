// SPDX-License-Identifier: MIT
#include "engine/FamilySource.hpp"

#include <unordered_map>

namespace kinmatch::engine {

bool PreparedFamilies::next(std::size_t missingPersons, FamilyPiece& piece) {
    piece.clear();
    std::size_t persons = 0;
    std::unordered_map<int, int> local;  // case reference -> index in piece.references
    while (next_ < prepared_.families.size()) {
        const Family& family = prepared_.families[next_];
        if (!piece.families.empty() && persons + family.missingPersons.size() > missingPersons) break;
        persons += family.missingPersons.size();
        Family copy = family;
        for (Person& p : copy.persons) {
            if (p.reference < 0) continue;
            const auto [it, added] = local.emplace(p.reference, static_cast<int>(piece.references.size()));
            if (added) piece.references.push_back(prepared_.references[static_cast<std::size_t>(p.reference)]);
            p.reference = it->second;
        }
        piece.families.push_back(std::move(copy));
        ++next_;
    }
    return !piece.families.empty();
}

}  // namespace kinmatch::engine
