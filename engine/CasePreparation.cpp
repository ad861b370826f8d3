// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "engine/Allele.hpp"
#include "engine/Case.hpp"
#include "engine/CasePreparationDetail.hpp"
#include "engine/Errors.hpp"

namespace kinmatch::engine {

namespace detail {

std::string formatNumber(double v) {
    std::ostringstream out;
    out.precision(10);
    out << v;
    return out.str();
}

std::vector<MarkerBuild> readMarkers(const FrequencyTable& table, bool requireMarkers, Warnings& warnings) {
    std::vector<MarkerBuild> markers;
    std::unordered_map<std::string, std::size_t> seen;
    for (const auto& mf : table.markers) {
        if (isAmelogenin(mf.marker)) continue;
        const std::string key = markerKey(mf.marker);
        if (!seen.emplace(key, markers.size()).second)
            throw InputError(mf.pos.file, mf.pos.line, "marker \"" + mf.marker + "\" appears twice (expected one column per marker)");
        MarkerBuild m;
        m.name = mf.marker;
        std::set<std::string> labels;
        double sum = 0.0;
        for (std::size_t i = 0; i < mf.alleles.size(); ++i) {
            // A zero frequency would make every genotype with that allele impossible in the
            // population; treat it as "not in the table" so it gets the rare-allele frequency.
            if (!(mf.frequencies[i] > 0.0)) continue;
            const std::string label = canonicalAllele(mf.alleles[i]);
            if (!labels.insert(label).second)
                throw InputError(mf.pos.file, mf.pos.line,
                                 "allele " + label + " of marker " + mf.marker + " is listed twice (\"" + mf.alleles[i] +
                                 "\" is the same allele; expected each allele once)");
            m.labels.push_back(label);
            m.frequencies.push_back(mf.frequencies[i]);
            sum += mf.frequencies[i];
        }
        if (m.labels.empty())
            throw InputError(mf.pos.file, mf.pos.line, "marker " + mf.marker + " has no allele with a frequency above 0");
        if (std::fabs(sum - 1.0) > 1e-6) {
            warnings.add(table.source + ": marker " + mf.marker + ": frequencies sum to " + formatNumber(sum) +
                         "; normalised to 1");
            for (double& f : m.frequencies) f /= sum;
        }
        markers.push_back(std::move(m));
    }
    if (markers.empty() && requireMarkers) throw InputError(table.source, 0, "no STR marker in the frequency table");
    return markers;
}

std::unordered_map<std::string, std::size_t> markerIndex(const std::vector<MarkerBuild>& markers) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < markers.size(); ++i) index.emplace(markerKey(markers[i].name), i);
    return index;
}

SpellingMemo::SpellingMemo(const std::unordered_map<std::string, std::size_t>& index, std::size_t markerCount)
    : index_(index), labels_(markerCount) {}

int SpellingMemo::marker(const InternedString& spelling) {
    if (const int* known = markers_.find(spelling.get())) return *known;
    const auto found = index_.find(markerKey(spelling.view()));
    return markers_.insert(spelling.get(), found == index_.end() ? -1 : static_cast<int>(found->second));
}

const std::string& SpellingMemo::canonical(int m, const InternedString& label) { return find(m, label).canonical; }

std::int16_t SpellingMemo::allele(int m, const InternedString& label,
                                  const std::vector<std::unordered_map<std::string, int>>& alleleIndex) {
    Label& entry = find(m, label);
    if (entry.index < 0)
        entry.index = static_cast<std::int16_t>(alleleIndex[static_cast<std::size_t>(m)].at(entry.canonical));
    return entry.index;
}

SpellingMemo::Label& SpellingMemo::find(int m, const InternedString& label) {
    auto& labels = labels_[static_cast<std::size_t>(m)];
    if (Label* known = labels.find(label.get())) return *known;
    return labels.insert(label.get(), Label{.canonical = canonicalAllele(label.view())});
}

void collectRareAlleles(const Profile& profile, std::vector<MarkerBuild>& markers, SpellingMemo& memo,
                        std::set<std::string>& unknownMarkers) {
    for (const auto& call : profile.markers) {
        const int m = memo.marker(call.marker);
        if (m < 0) {
            unknownMarkers.insert(call.marker.str());
            continue;
        }
        MarkerBuild& build = markers[static_cast<std::size_t>(m)];
        const auto inTable = [&](const std::string& label) {
            return std::find(build.labels.begin(), build.labels.end(), label) != build.labels.end();
        };
        for (const auto& allele : call.alleles) {
            if (memo.known(m, allele, inTable)) continue;
            auto& carriers = build.rare[memo.canonical(m, allele)];
            carriers.insert(profile.sampleName);
            if (carriers.size() > kRareCarriersKept) carriers.erase(std::prev(carriers.end()));
        }
    }
}

void warnUnknownMarkers(const std::set<std::string>& unknownMarkers, const std::string& profileSource,
                        const std::string& frequencySource, Warnings& warnings) {
    for (const auto& name : unknownMarkers)
        warnings.add(profileSource + ": marker " + name + " is not in the frequency table " + frequencySource +
                     "; it is ignored");
}

void collectRareAlleles(const ProfileSet& profiles, std::vector<MarkerBuild>& markers, SpellingMemo& memo,
                        const std::string& frequencySource, Warnings& warnings) {
    std::set<std::string> unknownMarkers;
    for (const auto& profile : profiles.profiles) collectRareAlleles(profile, markers, memo, unknownMarkers);
    warnUnknownMarkers(unknownMarkers, profiles.source, frequencySource, warnings);
}

Marker finishMarker(MarkerBuild&& build, double rareFrequency, Warnings& warnings) {
    if (!build.rare.empty()) {
        const double total = 1.0 + rareFrequency * static_cast<double>(build.rare.size());
        for (double& f : build.frequencies) f /= total;
        for (const auto& [label, samples] : build.rare) {
            build.labels.push_back(label);
            build.frequencies.push_back(rareFrequency / total);
            std::string who;
            std::size_t listed = 0;
            for (const auto& s : samples) {
                if (listed++ == 5) {
                    who += ", ...";
                    break;
                }
                who += (who.empty() ? "" : ", ") + s;
            }
            warnings.add("marker " + build.name + ": allele " + label + " (in " + who +
                         ") is not in the frequency table; given frequency " + formatNumber(rareFrequency) +
                         " and the marker renormalised");
        }
    }
    Marker marker;
    marker.name = build.name;
    for (int i : alleleSortOrder(build.labels)) {
        marker.alleles.push_back(build.labels[i]);
        marker.frequencies.push_back(build.frequencies[i]);
    }
    return marker;
}

void checkAlleleCounts(const std::vector<Marker>& markers, const std::string& frequencySource) {
    for (const auto& marker : markers)
        if (marker.alleleCount() > 32767)
            throw InputError(frequencySource, 0, "marker " + marker.name + " has more alleles than kinmatch supports");
}

std::vector<Sample> resolveSamples(const ProfileSet& profiles, const std::vector<Marker>& markers, SpellingMemo& memo) {
    std::vector<std::unordered_map<std::string, int>> alleleIndex(markers.size());
    for (std::size_t m = 0; m < markers.size(); ++m)
        for (int a = 0; a < markers[m].alleleCount(); ++a) alleleIndex[m].emplace(markers[m].alleles[a], a);

    std::vector<Sample> samples;
    samples.reserve(profiles.profiles.size());
    for (const auto& profile : profiles.profiles) {
        Sample sample{profile.sampleName, std::vector<Genotype>(markers.size())};
        for (const auto& call : profile.markers) {
            const int m = memo.marker(call.marker);
            if (m < 0 || call.alleles.empty()) continue;
            std::int16_t a = memo.allele(m, call.alleles.front(), alleleIndex);
            std::int16_t b = memo.allele(m, call.alleles.back(), alleleIndex);  // one allele = homozygote
            if (a > b) std::swap(a, b);
            sample.genotypes[static_cast<std::size_t>(m)] = Genotype{a, b};
        }
        samples.push_back(std::move(sample));
    }
    return samples;
}

}  // namespace detail

namespace {

std::vector<Family> resolveFamilies(const PedigreeSet& pedigrees, const std::vector<Sample>& references,
                                    const std::string& referenceSource) {
    // Only the samples the pedigrees name are indexed (views into the records): a run against
    // a few families then does not pay for hashing every reference of a national database.
    std::unordered_map<std::string_view, int> referenceIndex;
    for (const auto& record : pedigrees.families)
        for (const auto& p : record.persons)
            if (p.sample != "." && !p.sample.empty()) referenceIndex.emplace(p.sample, -1);
    for (std::size_t i = 0; i < references.size() && !referenceIndex.empty(); ++i) {
        const auto it = referenceIndex.find(references[i].name);
        if (it != referenceIndex.end() && it->second < 0) it->second = static_cast<int>(i);  // the first of a name
    }
    const auto findReference = [&](std::string_view sample) -> long {
        const auto it = referenceIndex.find(sample);
        return it == referenceIndex.end() ? -1 : it->second;
    };
    std::vector<Family> families;
    families.reserve(pedigrees.families.size());
    for (const auto& record : pedigrees.families) families.push_back(resolveFamily(record, findReference, referenceSource));
    return families;
}

}  // namespace

Family resolveFamily(const FamilyRecord& record, const std::function<long(std::string_view)>& findReference,
                     const std::string& referenceSource) {
    // Members in id order, not file order: the elimination order and the order of
    // floating-point products follow member order, and results must not depend on
    // how a lab happened to sort its pedigree rows. (Sorted as pointers: copying the
    // records of half a million persons would cost more than the rest of this step.)
    std::vector<const PersonRecord*> persons;
    persons.reserve(record.persons.size());
    for (const PersonRecord& p : record.persons) persons.push_back(&p);
    std::stable_sort(persons.begin(), persons.end(),
                     [](const PersonRecord* a, const PersonRecord* b) { return a->id < b->id; });
    Family family{record.name, {}, {}};
    family.persons.reserve(persons.size());
    std::unordered_map<std::string_view, int> personIndex;
    for (const PersonRecord* pp : persons) {
        const PersonRecord& p = *pp;
        if (!personIndex.emplace(p.id, static_cast<int>(family.persons.size())).second)
            throw InputError(p.pos.file, p.pos.line, "person " + p.id + " appears twice in family " + record.name);
        family.persons.push_back(Person{p.id, -1, -1, p.sex, -1, p.missing});
    }
    for (std::size_t i = 0; i < persons.size(); ++i) {
        const PersonRecord& p = *persons[i];
        Person& person = family.persons[i];
        auto parent = [&](const std::string& id, const char* role) {
            if (id == "0") return -1;
            const auto it = personIndex.find(id);
            if (it == personIndex.end())
                throw InputError(p.pos.file, p.pos.line,
                                 std::string(role) + " \"" + id + "\" of " + p.id + " is not a person of family " + record.name);
            return it->second;
        };
        person.father = parent(p.father, "father");
        person.mother = parent(p.mother, "mother");
        if ((person.father < 0) != (person.mother < 0))
            throw InputError(p.pos.file, p.pos.line, "person " + p.id + " has one parent (expected both or none)");
        if (p.sample != "." && !p.sample.empty()) {
            const long reference = findReference(p.sample);
            if (reference < 0)
                throw InputError(p.pos.file, p.pos.line,
                                 "sample \"" + p.sample + "\" of person " + p.id + " is not in the references " + referenceSource);
            person.reference = static_cast<int>(reference);
        }
        if (p.missing) family.missingPersons.push_back(static_cast<int>(i));
    }
    if (family.missingPersons.empty()) {
        const auto& first = record.persons.front().pos;
        throw InputError(first.file, first.line, "family " + record.name + " has no missing person (expected missing = 1 on at least one row)");
    }
    return family;
}

PreparedCase prepareCase(const FrequencyTable& frequencies, const ProfileSet& references, const PedigreeSet& pedigrees,
                         const ProfileSet& remains, const PrepareOptions& options, Warnings& warnings) {
    using namespace detail;
    std::vector<MarkerBuild> builds = readMarkers(frequencies, !options.withoutAutosomalMarkers, warnings);
    const auto index = markerIndex(builds);
    SpellingMemo memo(index, builds.size());
    collectRareAlleles(references, builds, memo, frequencies.source, warnings);
    collectRareAlleles(remains, builds, memo, frequencies.source, warnings);

    PreparedCase prepared;
    for (auto& build : builds) prepared.markers.push_back(finishMarker(std::move(build), options.effectiveRareAlleleFrequency(), warnings));
    checkAlleleCounts(prepared.markers, frequencies.source);
    prepared.references = resolveSamples(references, prepared.markers, memo);
    prepared.remains = resolveSamples(remains, prepared.markers, memo);
    prepared.families = resolveFamilies(pedigrees, prepared.references,
                                        options.referenceFiles.empty() ? references.source : options.referenceFiles);
    return prepared;
}

}  // namespace kinmatch::engine
