// SPDX-License-Identifier: MIT
// Calls the engine without the CLI or any file: one marker, a father typed 10/11, his
// missing child, and remains typed 10/12. Without mutation the LR is the paternity index
// 1/(4 p_10) = 1.25 (log10 0.0969).

#include <cstdio>

#include "engine/Case.hpp"
#include "engine/Matcher.hpp"

int main() {
    using namespace kinmatch;
    Warnings warnings;
    const FrequencyTable frequencies{"inline", {{"D3S1358", {"10", "11", "12"}, {0.2, 0.3, 0.5}, {}}}};
    const ProfileSet references{"inline", {{"REF-1", {{"D3S1358", {"10", "11"}, {}}}, {}, {}}}};
    const ProfileSet remains{"inline", {{"UR-1", {{"D3S1358", {"10", "12"}, {}}}, {}, {}}}};
    const PedigreeSet pedigrees{"inline",
                                {{"F1",
                                  {{"father", "0", "0", Sex::kMale, "REF-1", false, {}},
                                   {"mother", "0", "0", Sex::kFemale, ".", false, {}},
                                   {"child", "father", "mother", Sex::kFemale, ".", true, {}}}}}};

    const engine::PreparedCase prepared =
        engine::prepareCase(frequencies, references, pedigrees, remains, engine::PrepareOptions{}, warnings);
    const engine::MatchResult result = engine::matchCase(prepared, engine::MutationModel{}, engine::MatchOptions{});
    for (const auto& c : result.candidates)
        std::printf("%s\t%s\t%.10f\n", prepared.remains[c.remains].name.c_str(),
                    prepared.families[c.family].persons[c.missingPerson].id.c_str(), c.log10Lr);
    return 0;
}
