// SPDX-License-Identifier: MIT
#include "engine/ReferenceCensus.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "engine/CasePreparationDetail.hpp"

namespace kinmatch::engine {

namespace {

// One marker's alleles numbered before the marker is finished: the table's alleles by their
// table position, an allele the table lacks by order of first sight in the references. The
// numbers only have to be stable until finish() maps them to the sorted alleles.
class ProvisionalAlleles {
  public:
    explicit ProvisionalAlleles(const std::vector<std::string>& tableLabels) {
        for (const auto& label : tableLabels) number(label);
    }

    int number(const std::string& canonical) {
        const auto [it, added] = numbers_.emplace(canonical, static_cast<int>(labels_.size()));
        if (added) labels_.push_back(canonical);
        return it->second;
    }

    // Canonical labels by provisional number.
    const std::vector<std::string>& labels() const noexcept { return labels_; }

  private:
    std::vector<std::string> labels_;
    std::unordered_map<std::string, int> numbers_;
};

}  // namespace

struct ReferenceCensus::Impl {
    Impl(const FrequencyTable& frequencies, const PrepareOptions& options, Warnings& warnings_)
        : frequencySource(frequencies.source),
          rareFrequency(options.effectiveRareAlleleFrequency()),
          warnings(warnings_),
          builds(detail::readMarkers(frequencies, !options.withoutAutosomalMarkers, warnings_)),
          index(detail::markerIndex(builds)),
          memo(index, builds.size()),
          store(builds.size()),
          genotypes(builds.size()) {
        provisional.reserve(builds.size());
        for (const auto& build : builds) provisional.emplace_back(build.labels);
    }

    std::string frequencySource;
    double rareFrequency;
    Warnings& warnings;
    std::vector<detail::MarkerBuild> builds;
    std::unordered_map<std::string, std::size_t> index;  // before memo, which refers to it
    detail::SpellingMemo memo;
    std::vector<ProvisionalAlleles> provisional;  // per marker
    // prepareCase warns about the references' unknown markers only after reading them all.
    std::set<std::string> unknownMarkers;
    ReferenceStore store;
    std::vector<Genotype> genotypes;  // of the profile being added; kept to spare an allocation per add
    bool finished = false;
};

ReferenceCensus::ReferenceCensus(const FrequencyTable& frequencies, const PrepareOptions& options, Warnings& warnings)
    : impl_(std::make_unique<Impl>(frequencies, options, warnings)) {}

ReferenceCensus::~ReferenceCensus() = default;

void ReferenceCensus::add(const Profile& reference) {
    Impl& c = *impl_;
    if (c.finished) throw std::logic_error("ReferenceCensus::add after finish");
    detail::collectRareAlleles(reference, c.builds, c.memo, c.unknownMarkers);

    std::fill(c.genotypes.begin(), c.genotypes.end(), Genotype{});
    for (const auto& call : reference.markers) {
        const int m = c.memo.marker(call.marker);
        if (m < 0 || call.alleles.empty()) continue;
        ProvisionalAlleles& alleles = c.provisional[static_cast<std::size_t>(m)];
        const auto number = [&](const InternedString& label) {
            const int n = c.memo.provisionalAllele(m, label, [&](const std::string& canonical) { return alleles.number(canonical); });
            // A number past int16 means the marker has more alleles than kinmatch supports:
            // finish() then throws before any stored genotype is used, so clamping is harmless.
            return static_cast<std::int16_t>(std::min(n, int{std::numeric_limits<std::int16_t>::max()}));
        };
        // As in prepareCase: one allele = homozygote, and a later call of a marker wins.
        c.genotypes[static_cast<std::size_t>(m)] = Genotype{number(call.alleles.front()), number(call.alleles.back())};
    }
    c.store.add(reference.sampleName, c.genotypes);
}

ReferenceCensus::Finished ReferenceCensus::finish(const ProfileSet& remains, const std::string& referenceSource) {
    Impl& c = *impl_;
    if (c.finished) throw std::logic_error("ReferenceCensus::finish called twice");
    c.finished = true;  // the builds are consumed below, even if a marker then turns out too large

    detail::warnUnknownMarkers(c.unknownMarkers, referenceSource, c.frequencySource, c.warnings);
    detail::collectRareAlleles(remains, c.builds, c.memo, c.frequencySource, c.warnings);
    Finished finished;
    finished.markers.reserve(c.builds.size());
    for (auto& build : c.builds) finished.markers.push_back(detail::finishMarker(std::move(build), c.rareFrequency, c.warnings));
    detail::checkAlleleCounts(finished.markers, c.frequencySource);

    std::vector<std::vector<std::int16_t>> alleleMap(finished.markers.size());
    for (std::size_t m = 0; m < finished.markers.size(); ++m) {
        const Marker& marker = finished.markers[m];
        std::unordered_map<std::string_view, std::int16_t> finalIndex;
        for (int a = 0; a < marker.alleleCount(); ++a) finalIndex.emplace(marker.alleles[static_cast<std::size_t>(a)], static_cast<std::int16_t>(a));
        for (const auto& label : c.provisional[m].labels()) alleleMap[m].push_back(finalIndex.at(label));
    }
    c.store.renumberAlleles(alleleMap);
    // The store stays for the whole run: its growth slack would be up to half its size.
    c.store.shrinkToFit();
    finished.references = std::move(c.store);
    finished.remains = detail::resolveSamples(remains, finished.markers, c.memo);
    return finished;
}

}  // namespace kinmatch::engine
