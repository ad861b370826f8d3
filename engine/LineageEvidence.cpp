// SPDX-License-Identifier: MIT
#include "engine/LineageEvidence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/Errors.hpp"
#include "engine/Lineage.hpp"

namespace kinmatch::engine::lineage {

namespace {

// Name -> index; a name given twice in one file would make "the" haplotype of a sample
// ambiguous, so it is an input error at the second row.
template <typename Haplotype>
std::unordered_map<std::string, int> indexByName(const std::vector<Haplotype>& haplotypes, std::string_view what) {
    std::unordered_map<std::string, int> index;
    for (std::size_t i = 0; i < haplotypes.size(); ++i) {
        const auto& h = haplotypes[i];
        if (!index.emplace(h.sample, static_cast<int>(i)).second)
            throw InputError(h.source.file.str(), h.source.line,
                             "field SampleName: sample " + h.sample + " has a second " + std::string(what) +
                                 " haplotype (one per sample)");
    }
    return index;
}

int lookup(const std::unordered_map<std::string, int>& index, const std::string& name) {
    const auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
}

std::string signedSteps(int steps) { return (steps > 0 ? "+" : "") + std::to_string(steps); }

std::string countNote(std::size_t unused, std::size_t total, std::string_view what, std::string_view role,
                      const std::string& example) {
    return std::to_string(unused) + " of " + std::to_string(total) + " " + std::string(what) + " " +
           std::string(role) + " haplotypes match no sample of the run (e.g. " + example + ") and are not used";
}

}  // namespace

// Y-STR database counts of one remains, per set of LR loci: against a family's worth of
// references the set rarely changes, and counting scans the whole database.
class LineageEvidence::YstrCountCache {
  public:
    const ystr::Database::Count& count(const ystr::Database& database, const ystr::Haplotype& remains,
                                       const std::vector<std::string>& loci) {
        auto it = counts_.find(loci);
        if (it == counts_.end()) it = counts_.emplace(loci, database.count(remains, loci)).first;
        return it->second;
    }

  private:
    std::map<std::vector<std::string>, ystr::Database::Count> counts_;
};

// The log10 LR of one remains' mtDNA matches (cannot_exclude) per compared range: the database
// count depends only on the remains' haplotype and that range, and most relatives share one of
// a few ranges.
class LineageEvidence::MtWeightCache {
  public:
    double log10Lr(const mt::Haplotype& remains, const mt::Haplotype& reference, const mt::Database* database) {
        if (!database) return 0.0;  // as mt::weigh: no database, no weight
        mt::CoveredRange common = remains.range.intersect(reference.range);
        for (const auto& [range, value] : weights_)
            if (range == common) return value;
        const double value = mt::log10LrOfCount(database->count(remains, common));
        weights_.emplace_back(std::move(common), value);
        return value;
    }

  private:
    std::vector<std::pair<mt::CoveredRange, double>> weights_;
};

LineageEvidence::LineageEvidence(const PreparedCase& prepared, std::optional<MtInputs> mtdna,
                                 std::optional<YstrInputs> ystr)
    : prepared_(prepared), mt_(std::move(mtdna)), y_(std::move(ystr)) {
    std::unordered_map<std::string, int> mtReferences, mtRemains, yReferences, yRemains;
    if (mt_) {
        mt_->options.validate();
        mtReferences = indexByName(mt_->references, "mtDNA");
        mtRemains = indexByName(mt_->remains, "mtDNA");
    }
    if (y_) {
        yReferences = indexByName(y_->references, "Y-STR");
        yRemains = indexByName(y_->remains, "Y-STR");
    }
    remainsMt_.assign(prepared.remains.size(), -1);
    remainsY_.assign(prepared.remains.size(), -1);
    for (std::size_t r = 0; r < prepared.remains.size(); ++r) {
        remainsMt_[r] = lookup(mtRemains, prepared.remains[r].name);
        remainsY_[r] = lookup(yRemains, prepared.remains[r].name);
    }

    // Every lineage sample should be someone's; an unused one is most likely a misspelt name.
    std::unordered_set<std::string> referenceNames;
    for (const auto& family : prepared.families)
        for (const auto& person : family.persons)
            if (person.reference >= 0) referenceNames.insert(prepared.references[person.reference].name);
    const auto reportUnused = [&](const auto& haplotypes, const auto& isUsed, std::string_view what,
                                  std::string_view role) {
        std::size_t unused = 0;
        std::string example;
        for (const auto& h : haplotypes)
            if (!isUsed(h.sample) && unused++ == 0) example = h.sample;
        if (unused > 0) warnings_.push_back(countNote(unused, haplotypes.size(), what, role, example));
    };
    const auto isReference = [&](const std::string& name) { return referenceNames.count(name) > 0; };
    std::unordered_set<std::string> remainsNames;
    for (const Sample& s : prepared.remains) remainsNames.insert(s.name);
    const auto isRemains = [&](const std::string& name) { return remainsNames.count(name) > 0; };
    if (mt_) {
        reportUnused(mt_->references, isReference, "mtDNA", "reference");
        reportUnused(mt_->remains, isRemains, "mtDNA", "remains");
    }
    if (y_) {
        reportUnused(y_->references, isReference, "Y-STR", "reference");
        reportUnused(y_->remains, isRemains, "Y-STR", "remains");
    }

    const auto relativesOf = [&](const Family& family, const std::vector<engine::lineage::Relative>& line,
                                 const std::unordered_map<std::string, int>& index) {
        std::vector<Relative> relatives;
        for (const auto& relative : line) {
            const int reference = family.persons[static_cast<std::size_t>(relative.person)].reference;
            if (reference < 0) continue;
            const std::string& sample = prepared.references[static_cast<std::size_t>(reference)].name;
            const int haplotype = lookup(index, sample);
            if (haplotype >= 0) relatives.push_back({haplotype, relative.meioses, sample});
        }
        std::sort(relatives.begin(), relatives.end(), [](const Relative& a, const Relative& b) {
            return a.meioses != b.meioses ? a.meioses < b.meioses : a.sample < b.sample;
        });
        return relatives;
    };
    for (const Family& family : prepared.families) {
        firstMissingOfFamily_.push_back(static_cast<int>(missing_.size()));
        const Pedigree pedigree = pedigreeOf(family);
        const std::vector<MissingPersonLines> lines = linesOf(pedigree);
        for (const int person : family.missingPersons) {
            const auto it = std::find_if(lines.begin(), lines.end(),
                                         [&](const MissingPersonLines& l) { return l.missing == person; });
            MissingLines entry;
            if (it != lines.end()) {
                if (mt_) entry.maternal = relativesOf(family, it->maternal, mtReferences);
                if (y_ && it->paternalLineApplies) entry.paternal = relativesOf(family, it->paternal, yReferences);
            }
            missing_.push_back(std::move(entry));
        }

        const auto haplotypeOf = [&](int person, const std::unordered_map<std::string, int>& index) {
            const int reference = family.persons[static_cast<std::size_t>(person)].reference;
            return reference < 0 ? -1 : lookup(index, prepared.references[static_cast<std::size_t>(reference)].name);
        };
        if (mt_) {
            const auto consistent = [&](int a, int b, int) {
                const int ha = haplotypeOf(a, mtReferences);
                const int hb = haplotypeOf(b, mtReferences);
                if (ha < 0 || hb < 0) return true;
                return mt::compare(mt_->references[static_cast<std::size_t>(ha)],
                                   mt_->references[static_cast<std::size_t>(hb)], mt_->options)
                           .outcome != mt::Outcome::kExclusion;
            };
            for (const auto& d : findDisagreements(pedigree, lines, Line::kMaternal, consistent))
                warnings_.push_back(warningFor(pedigree, d, "mtDNA"));
        }
        if (y_) {
            const auto consistent = [&](int a, int b, int meioses) {
                const int ha = haplotypeOf(a, yReferences);
                const int hb = haplotypeOf(b, yReferences);
                if (ha < 0 || hb < 0) return true;
                return ystr::compareForLr(y_->references[static_cast<std::size_t>(ha)],
                                          y_->references[static_cast<std::size_t>(hb)], meioses, y_->rates,
                                          y_->thresholds)
                           .outcome != ystr::Outcome::kExclusion;
            };
            for (const auto& d : findDisagreements(pedigree, lines, Line::kPaternal, consistent))
                warnings_.push_back(warningFor(pedigree, d, "Y-STR"));
        }
    }
}

LineageEvidence::~LineageEvidence() = default;

SystemEvidence LineageEvidence::mtdnaEvidence(int remains, const MissingLines& lines, MtWeightCache* weights) const {
    SystemEvidence evidence;
    const int own = remainsMt_[static_cast<std::size_t>(remains)];
    if (own < 0) return evidence;  // not_typed
    if (lines.maternal.empty()) {
        evidence.outcome = kNoRelative;
        return evidence;
    }
    const mt::Haplotype& query = mt_->remains[static_cast<std::size_t>(own)];
    if (weights) {
        // Ranking needs the value alone: the one the full path below gives, from the same
        // relative (the nearest the remains can be compared with), without listing differences.
        for (const Relative& relative : lines.maternal) {
            const mt::Haplotype& reference = mt_->references[static_cast<std::size_t>(relative.haplotype)];
            const mt::Outcome outcome = mt::quickOutcome(query, reference, mt_->options);
            if (outcome == mt::Outcome::kInsufficientOverlap) continue;
            evidence.outcome = mt::outcomeName(outcome);
            if (outcome == mt::Outcome::kExclusion)
                evidence.log10Lr = -std::numeric_limits<double>::infinity();
            else if (outcome == mt::Outcome::kCannotExclude)
                evidence.log10Lr = weights->log10Lr(query, reference, mt_->database.get());
            return evidence;  // inconclusive: log10 LR 0
        }
        evidence.outcome = mt::outcomeName(mt::Outcome::kInsufficientOverlap);
        return evidence;  // no relative to compare with: log10 LR 0
    }
    // The nearest relative the remains can be compared with; failing all, the nearest.
    const Relative* chosen = &lines.maternal.front();
    mt::Comparison comparison;
    bool compared = false;
    for (const Relative& relative : lines.maternal) {
        mt::Comparison c = mt::compare(query, mt_->references[static_cast<std::size_t>(relative.haplotype)], mt_->options);
        if (!compared) comparison = c;  // kept for the insufficient_overlap report
        compared = true;
        if (c.outcome != mt::Outcome::kInsufficientOverlap) {
            chosen = &relative;
            comparison = std::move(c);
            break;
        }
    }
    const mt::PairEvidence weighed = mt::weigh(query, mt_->references[static_cast<std::size_t>(chosen->haplotype)],
                                               std::move(comparison), mt_->database.get());
    evidence.outcome = mt::outcomeName(weighed.comparison.outcome);
    evidence.log10Lr = weighed.log10Lr;
    evidence.reference = chosen->sample;
    evidence.meioses = chosen->meioses;
    evidence.differences = weighed.comparison.differences;
    evidence.compared = weighed.comparison.comparedPositions;
    for (const auto& d : weighed.comparison.differing) evidence.differing.push_back(mt::differenceText(d));
    return evidence;
}

SystemEvidence LineageEvidence::ystrEvidence(int remains, const MissingLines& lines, YstrCountCache* cache) const {
    SystemEvidence evidence;
    const int own = remainsY_[static_cast<std::size_t>(remains)];
    if (own < 0) return evidence;  // not_typed
    if (lines.paternal.empty()) {
        evidence.outcome = kNoRelative;
        return evidence;
    }
    const ystr::Haplotype& query = y_->remains[static_cast<std::size_t>(own)];
    for (const Relative& relative : lines.paternal) {
        ystr::Evidence scored = ystr::compareForLr(query, y_->references[static_cast<std::size_t>(relative.haplotype)],
                                                   relative.meioses, y_->rates, y_->thresholds);
        if (scored.loci.empty()) continue;  // no common locus: try the next relative
        // A difference the meioses cannot explain is LR 0 whatever the frequency; the count is
        // skipped (the value is the same) unless the pair is shown in full.
        if (cache == nullptr)
            ystr::weighByCount(scored, y_->database.count(query, scored.lrLoci), y_->confidence);
        else if (scored.log10DifferenceProbability != -std::numeric_limits<double>::infinity())
            ystr::weighByCount(scored, cache->count(y_->database, query, scored.lrLoci), y_->confidence);
        evidence.outcome = ystr::toString(scored.outcome);
        evidence.log10Lr = scored.log10Lr;
        evidence.reference = relative.sample;
        evidence.meioses = relative.meioses;
        evidence.differences = static_cast<std::size_t>(scored.differingLoci);
        evidence.compared = scored.loci.size();
        for (const auto& locus : scored.loci) {
            if (!locus.differs()) continue;
            if (!locus.stepwise) {
                evidence.differing.push_back(locus.locus + ":non-stepwise");
                continue;
            }
            std::string text = locus.locus + ":";
            for (std::size_t i = 0; i < locus.copySteps.size(); ++i)
                text += (i > 0 ? "," : "") + signedSteps(locus.copySteps[i]);
            evidence.differing.push_back(std::move(text));
        }
        return evidence;
    }
    evidence.outcome = "insufficient_overlap";
    evidence.reference = lines.paternal.front().sample;
    evidence.meioses = lines.paternal.front().meioses;
    return evidence;
}

void LineageEvidence::log10Lrs(int remains, std::span<double> out) const {
    if (out.size() != missing_.size()) throw std::invalid_argument("LineageEvidence: one value per missing person");
    YstrCountCache cache;
    MtWeightCache weights;
    for (std::size_t k = 0; k < missing_.size(); ++k) {
        double sum = 0.0;
        if (mt_) sum += mtdnaEvidence(remains, missing_[k], &weights).log10Lr;
        if (y_) sum += ystrEvidence(remains, missing_[k], &cache).log10Lr;
        out[k] = sum;
    }
}

int LineageEvidence::missingIndex(int family, int missingPerson) const {
    const auto& missing = prepared_.families.at(static_cast<std::size_t>(family)).missingPersons;
    const auto it = std::find(missing.begin(), missing.end(), missingPerson);
    if (it == missing.end()) throw std::out_of_range("LineageEvidence: not a missing person of the family");
    return firstMissingOfFamily_[static_cast<std::size_t>(family)] + static_cast<int>(it - missing.begin());
}

PairLineage LineageEvidence::evaluate(int remains, int family, int missingPerson) const {
    const MissingLines& lines = missing_[static_cast<std::size_t>(missingIndex(family, missingPerson))];
    PairLineage pair;
    if (mt_) pair.mtdna = mtdnaEvidence(remains, lines, nullptr);
    if (y_) pair.ystr = ystrEvidence(remains, lines, nullptr);
    return pair;
}

}  // namespace kinmatch::engine::lineage
