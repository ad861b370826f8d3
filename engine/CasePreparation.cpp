// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "engine/Allele.hpp"
#include "engine/Case.hpp"
#include "engine/Errors.hpp"

namespace kinmatch::engine {

namespace {

std::string formatNumber(double v) {
    std::ostringstream out;
    out.precision(10);
    out << v;
    return out.str();
}

struct MarkerBuild {
    std::string name;
    std::vector<std::string> labels;  // canonical, file order
    std::vector<double> frequencies;
    // rare allele -> samples that carry it (sorted, so the warning text is order-free)
    std::map<std::string, std::set<std::string>> rare;
};

std::vector<MarkerBuild> readMarkers(const FrequencyTable& table, Warnings& warnings) {
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
    if (markers.empty()) throw InputError(table.source, 0, "no STR marker in the frequency table");
    return markers;
}

std::unordered_map<std::string, std::size_t> markerIndex(const std::vector<MarkerBuild>& markers) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < markers.size(); ++i) index.emplace(markerKey(markers[i].name), i);
    return index;
}

void collectRareAlleles(const ProfileSet& profiles, std::vector<MarkerBuild>& markers,
                        const std::unordered_map<std::string, std::size_t>& index, const std::string& frequencySource,
                        Warnings& warnings) {
    std::set<std::string> unknownMarkers;
    for (const auto& profile : profiles.profiles) {
        for (const auto& call : profile.markers) {
            const auto it = index.find(markerKey(call.marker));
            if (it == index.end()) {
                unknownMarkers.insert(call.marker);
                continue;
            }
            MarkerBuild& m = markers[it->second];
            for (const auto& allele : call.alleles) {
                const std::string label = canonicalAllele(allele);
                if (std::find(m.labels.begin(), m.labels.end(), label) == m.labels.end())
                    m.rare[label].insert(profile.sampleName);
            }
        }
    }
    for (const auto& name : unknownMarkers)
        warnings.add(profiles.source + ": marker " + name + " is not in the frequency table " + frequencySource +
                     "; it is ignored");
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

std::vector<Sample> resolveSamples(const ProfileSet& profiles, const std::vector<Marker>& markers,
                                   const std::unordered_map<std::string, std::size_t>& index) {
    std::vector<std::unordered_map<std::string, int>> alleleIndex(markers.size());
    for (std::size_t m = 0; m < markers.size(); ++m)
        for (int a = 0; a < markers[m].alleleCount(); ++a) alleleIndex[m].emplace(markers[m].alleles[a], a);

    std::vector<Sample> samples;
    samples.reserve(profiles.profiles.size());
    for (const auto& profile : profiles.profiles) {
        Sample sample{profile.sampleName, std::vector<Genotype>(markers.size())};
        for (const auto& call : profile.markers) {
            const auto it = index.find(markerKey(call.marker));
            if (it == index.end() || call.alleles.empty()) continue;
            if (call.alleles.size() > 2)
                throw InputError(call.pos.file, call.pos.line,
                                 "sample " + profile.sampleName + " has " + std::to_string(call.alleles.size()) +
                                     " alleles at " + call.marker + " (expected at most 2 for a single-source profile)");
            const auto& lookup = alleleIndex[it->second];
            int a = lookup.at(canonicalAllele(call.alleles.front()));
            int b = lookup.at(canonicalAllele(call.alleles.back()));  // one allele = homozygote
            if (a > b) std::swap(a, b);
            sample.genotypes[it->second] = Genotype{static_cast<std::int16_t>(a), static_cast<std::int16_t>(b)};
        }
        samples.push_back(std::move(sample));
    }
    return samples;
}

std::vector<Family> resolveFamilies(const PedigreeSet& pedigrees, const std::vector<Sample>& references,
                                    const std::string& referenceSource) {
    std::unordered_map<std::string, int> referenceIndex;
    for (std::size_t i = 0; i < references.size(); ++i) referenceIndex.emplace(references[i].name, static_cast<int>(i));

    std::vector<Family> families;
    for (const auto& unsortedRecord : pedigrees.families) {
        // Members in id order, not file order: the elimination order and the order of
        // floating-point products follow member order, and results must not depend on
        // how a lab happened to sort its pedigree rows.
        FamilyRecord record = unsortedRecord;
        std::stable_sort(record.persons.begin(), record.persons.end(),
                         [](const PersonRecord& a, const PersonRecord& b) { return a.id < b.id; });
        Family family{record.name, {}, {}};
        std::unordered_map<std::string, int> personIndex;
        for (const auto& p : record.persons) {
            if (!personIndex.emplace(p.id, static_cast<int>(family.persons.size())).second)
                throw InputError(p.pos.file, p.pos.line, "person " + p.id + " appears twice in family " + record.name);
            family.persons.push_back(Person{p.id, -1, -1, p.sex, -1, p.missing});
        }
        for (std::size_t i = 0; i < record.persons.size(); ++i) {
            const auto& p = record.persons[i];
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
                const auto it = referenceIndex.find(p.sample);
                if (it == referenceIndex.end())
                    throw InputError(p.pos.file, p.pos.line,
                                     "sample \"" + p.sample + "\" of person " + p.id + " is not in the references " + referenceSource);
                person.reference = it->second;
            }
            if (p.missing) family.missingPersons.push_back(static_cast<int>(i));
        }
        if (family.missingPersons.empty()) {
            const auto& first = unsortedRecord.persons.front().pos;
            throw InputError(first.file, first.line, "family " + record.name + " has no missing person (expected missing = 1 on at least one row)");
        }
        families.push_back(std::move(family));
    }
    return families;
}

}  // namespace

PreparedCase prepareCase(const FrequencyTable& frequencies, const ProfileSet& references, const PedigreeSet& pedigrees,
                         const ProfileSet& remains, const PrepareOptions& options, Warnings& warnings) {
    std::vector<MarkerBuild> builds = readMarkers(frequencies, warnings);
    const auto index = markerIndex(builds);
    collectRareAlleles(references, builds, index, frequencies.source, warnings);
    collectRareAlleles(remains, builds, index, frequencies.source, warnings);

    PreparedCase prepared;
    for (auto& build : builds) prepared.markers.push_back(finishMarker(std::move(build), options.effectiveRareAlleleFrequency(), warnings));
    for (const auto& marker : prepared.markers)
        if (marker.alleleCount() > 32767)
            throw InputError(frequencies.source, 0, "marker " + marker.name + " has more alleles than kinmatch supports");
    prepared.references = resolveSamples(references, prepared.markers, index);
    prepared.remains = resolveSamples(remains, prepared.markers, index);
    prepared.families = resolveFamilies(pedigrees, prepared.references, references.source);
    return prepared;
}

}  // namespace kinmatch::engine
