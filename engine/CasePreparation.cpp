// SPDX-License-Identifier: MIT
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
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

// A hash map from pooled text addresses to `Value`, open-addressed in one array. The memo
// below is consulted three times per marker call, millions of times; std::unordered_map
// would cost a node, and so a cache miss, per entry. References to values stay valid until
// the next insert.
template <typename Value>
class PointerMap {
  public:
    Value* find(const std::string* key) {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = slot(key);; i = (i + 1) & (slots_.size() - 1)) {
            if (slots_[i].first == key) return &slots_[i].second;
            if (slots_[i].first == nullptr) return nullptr;
        }
    }

    // `key` must not be present yet.
    Value& insert(const std::string* key, Value value) {
        if (2 * (size_ + 1) > slots_.size()) grow();
        std::size_t i = slot(key);
        while (slots_[i].first != nullptr) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = {key, std::move(value)};
        ++size_;
        return slots_[i].second;
    }

  private:
    std::size_t slot(const std::string* key) const noexcept {
        // Fibonacci hashing: the high bits of the product mix every bit of the address.
        return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(key) * 0x9E3779B97F4A7C15ULL) >> shift_);
    }
    void grow() {
        std::vector<std::pair<const std::string*, Value>> old(slots_.empty() ? 16 : 2 * slots_.size());
        old.swap(slots_);
        shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
        size_ = 0;
        for (auto& [key, value] : old)
            if (key != nullptr) insert(key, std::move(value));
    }

    std::vector<std::pair<const std::string*, Value>> slots_;
    std::size_t size_ = 0;
    unsigned shift_ = 64;
};

// Resolves the interned marker spellings and allele labels of profiles. A reference file
// repeats a few hundred distinct texts millions of times, so each is resolved once (key,
// canonical label) and then found by its pooled address.
class SpellingMemo {
  public:
    explicit SpellingMemo(const std::unordered_map<std::string, std::size_t>& index, std::size_t markerCount)
        : index_(index), labels_(markerCount) {}

    // The marker's index in the case, or -1 when the frequency table does not have it.
    int marker(const InternedString& spelling) {
        if (const int* known = markers_.find(spelling.get())) return *known;
        const auto found = index_.find(markerKey(spelling.view()));
        return markers_.insert(spelling.get(), found == index_.end() ? -1 : static_cast<int>(found->second));
    }

    // The canonical spelling of `label` at marker `m` (`09` -> `9`), computed once per label.
    const std::string& canonical(int m, const InternedString& label) {
        Label& entry = find(m, label);
        return entry.canonical;
    }

    // Whether `label` at marker `m` is in the frequency table (`inTable` computes it once).
    template <typename InTable>
    bool known(int m, const InternedString& label, InTable inTable) {
        Label& entry = find(m, label);
        if (entry.known < 0) entry.known = inTable(entry.canonical) ? 1 : 0;
        return entry.known == 1;
    }

    // The allele index of `label` at marker `m` of the finished markers.
    std::int16_t allele(int m, const InternedString& label,
                        const std::vector<std::unordered_map<std::string, int>>& alleleIndex) {
        Label& entry = find(m, label);
        if (entry.index < 0)
            entry.index = static_cast<std::int16_t>(alleleIndex[static_cast<std::size_t>(m)].at(entry.canonical));
        return entry.index;
    }

  private:
    struct Label {
        std::string canonical;
        int known = -1;           // -1 not yet looked up, else 0/1
        std::int16_t index = -1;  // in the finished marker; -1 not yet looked up
    };

    Label& find(int m, const InternedString& label) {
        auto& labels = labels_[static_cast<std::size_t>(m)];
        if (Label* known = labels.find(label.get())) return *known;
        return labels.insert(label.get(), Label{.canonical = canonicalAllele(label.view())});
    }

    const std::unordered_map<std::string, std::size_t>& index_;
    PointerMap<int> markers_;
    std::vector<PointerMap<Label>> labels_;
};

// The rare-allele warning names the first five carriers in sorted order and says whether
// there are more, so six names per allele are all that need keeping.
constexpr std::size_t kRareCarriersKept = 6;

void collectRareAlleles(const ProfileSet& profiles, std::vector<MarkerBuild>& markers, SpellingMemo& memo,
                        const std::string& frequencySource, Warnings& warnings) {
    std::set<std::string> unknownMarkers;
    for (const auto& profile : profiles.profiles) {
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

    std::vector<Family> families;
    for (const auto& unsortedRecord : pedigrees.families) {
        // Members in id order, not file order: the elimination order and the order of
        // floating-point products follow member order, and results must not depend on
        // how a lab happened to sort its pedigree rows. (Sorted as pointers: copying the
        // records of half a million persons would cost more than the rest of this step.)
        std::vector<const PersonRecord*> persons;
        persons.reserve(unsortedRecord.persons.size());
        for (const PersonRecord& p : unsortedRecord.persons) persons.push_back(&p);
        std::stable_sort(persons.begin(), persons.end(),
                         [](const PersonRecord* a, const PersonRecord* b) { return a->id < b->id; });
        const FamilyRecord& record = unsortedRecord;
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
                const auto it = referenceIndex.find(p.sample);
                if (it == referenceIndex.end() || it->second < 0)
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
    std::vector<MarkerBuild> builds = readMarkers(frequencies, !options.withoutAutosomalMarkers, warnings);
    const auto index = markerIndex(builds);
    SpellingMemo memo(index, builds.size());
    collectRareAlleles(references, builds, memo, frequencies.source, warnings);
    collectRareAlleles(remains, builds, memo, frequencies.source, warnings);

    PreparedCase prepared;
    for (auto& build : builds) prepared.markers.push_back(finishMarker(std::move(build), options.effectiveRareAlleleFrequency(), warnings));
    for (const auto& marker : prepared.markers)
        if (marker.alleleCount() > 32767)
            throw InputError(frequencies.source, 0, "marker " + marker.name + " has more alleles than kinmatch supports");
    prepared.references = resolveSamples(references, prepared.markers, memo);
    prepared.remains = resolveSamples(remains, prepared.markers, memo);
    prepared.families = resolveFamilies(pedigrees, prepared.references,
                                        options.referenceFiles.empty() ? references.source : options.referenceFiles);
    return prepared;
}

}  // namespace kinmatch::engine
