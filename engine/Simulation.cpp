// SPDX-License-Identifier: MIT
#include "engine/Simulation.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "engine/Allele.hpp"
#include "engine/Errors.hpp"
#include "engine/Warnings.hpp"

namespace kinmatch::engine {

namespace {

// Each kind of draw has its own family of streams, so that e.g. remains 7 and family 7 never
// share random numbers.
constexpr std::uint64_t kFamilyStream = 1;
constexpr std::uint64_t kRemainsStream = 2;
constexpr std::uint64_t kPlanStream = 3;

// splitmix64's output function: a bijective 64-bit mixer.
std::uint64_t mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna), seeded through splitmix64 as its authors advise. Ours
// rather than <random>'s: the std:: distributions are implementation-defined, and the
// simulated case must be the same on every platform for a given seed.
class Rng {
  public:
    Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) noexcept {
        std::uint64_t x = mix(mix(mix(seed) ^ stream) ^ index);
        for (auto& word : state_) {
            x += 0x9e3779b97f4a7c15ULL;
            word = mix(x);
        }
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// Uniform in [0, n), n >= 1. The bias of scaling a 53-bit uniform is below 2^-30 for
    /// every n we use, far under anything a simulation could show.
    std::size_t below(std::size_t n) noexcept {
        const auto k = static_cast<std::size_t>(uniform() * static_cast<double>(n));
        return std::min(k, n - 1);
    }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4];
};

// The catalogue as written by hand (parents by role), resolved once into FamilyShape.
struct RowSpec {
    const char* role;
    const char* father;  // "" = founder
    const char* mother;
    Sex sex;
    char kind;  // 'T' typed reference, 'U' untyped, 'M' missing person
};
struct ShapeSpec {
    const char* name;
    std::vector<RowSpec> rows;
};

constexpr Sex kM = Sex::kMale;
constexpr Sex kF = Sex::kFemale;

const std::vector<ShapeSpec>& shapeSpecs() {
    static const std::vector<ShapeSpec> specs{
        {"child of two typed parents",
         {{"father", "", "", kM, 'T'}, {"mother", "", "", kF, 'T'}, {"MP", "father", "mother", kM, 'M'}}},
        {"daughter of a typed mother",
         {{"father", "", "", kM, 'U'}, {"mother", "", "", kF, 'T'}, {"MP", "father", "mother", kF, 'M'}}},
        {"son of a typed father",
         {{"father", "", "", kM, 'T'}, {"mother", "", "", kF, 'U'}, {"MP", "father", "mother", kM, 'M'}}},
        {"two typed full siblings, parents untyped",
         {{"father", "", "", kM, 'U'},
          {"mother", "", "", kF, 'U'},
          {"MP", "father", "mother", kM, 'M'},
          {"sister", "father", "mother", kF, 'T'},
          {"brother", "father", "mother", kM, 'T'}}},
        {"three typed full siblings, parents untyped",
         {{"father", "", "", kM, 'U'},
          {"mother", "", "", kF, 'U'},
          {"MP", "father", "mother", kF, 'M'},
          {"sister1", "father", "mother", kF, 'T'},
          {"sister2", "father", "mother", kF, 'T'},
          {"brother", "father", "mother", kM, 'T'}}},
        {"paternal half-brother and mother typed",
         {{"father", "", "", kM, 'U'},
          {"mother", "", "", kF, 'T'},
          {"stepmother", "", "", kF, 'U'},
          {"MP", "father", "mother", kM, 'M'},
          {"half-brother", "father", "stepmother", kM, 'T'}}},
        {"maternal half-sister typed",
         {{"father", "", "", kM, 'U'},
          {"mother", "", "", kF, 'U'},
          {"stepfather", "", "", kM, 'U'},
          {"MP", "father", "mother", kF, 'M'},
          {"half-sister", "stepfather", "mother", kF, 'T'}}},
        {"missing father of two typed children, their mother typed",
         {{"MP", "", "", kM, 'M'},
          {"wife", "", "", kF, 'T'},
          {"son", "MP", "wife", kM, 'T'},
          {"daughter", "MP", "wife", kF, 'T'}}},
        {"missing mother of three typed children, their father typed",
         {{"husband", "", "", kM, 'T'},
          {"MP", "", "", kF, 'M'},
          {"son", "husband", "MP", kM, 'T'},
          {"daughter1", "husband", "MP", kF, 'T'},
          {"daughter2", "husband", "MP", kF, 'T'}}},
        {"paternal grandparents typed",
         {{"grandfather", "", "", kM, 'T'},
          {"grandmother", "", "", kF, 'T'},
          {"father", "grandfather", "grandmother", kM, 'U'},
          {"mother", "", "", kF, 'U'},
          {"MP", "father", "mother", kM, 'M'}}},
        {"maternal grandmother and a full sister typed",
         {{"grandfather", "", "", kM, 'U'},
          {"grandmother", "", "", kF, 'T'},
          {"mother", "grandfather", "grandmother", kF, 'U'},
          {"father", "", "", kM, 'U'},
          {"MP", "father", "mother", kF, 'M'},
          {"sister", "father", "mother", kF, 'T'}}},
        {"paternal uncle and mother typed",
         {{"grandfather", "", "", kM, 'U'},
          {"grandmother", "", "", kF, 'U'},
          {"father", "grandfather", "grandmother", kM, 'U'},
          {"uncle", "grandfather", "grandmother", kM, 'T'},
          {"mother", "", "", kF, 'T'},
          {"MP", "father", "mother", kM, 'M'}}},
        {"maternal aunt typed",
         {{"grandfather", "", "", kM, 'U'},
          {"grandmother", "", "", kF, 'U'},
          {"mother", "grandfather", "grandmother", kF, 'U'},
          {"aunt", "grandfather", "grandmother", kF, 'T'},
          {"father", "", "", kM, 'U'},
          {"MP", "father", "mother", kF, 'M'}}},
        {"two paternal first cousins typed",
         {{"grandfather", "", "", kM, 'U'},
          {"grandmother", "", "", kF, 'U'},
          {"father", "grandfather", "grandmother", kM, 'U'},
          {"uncle", "grandfather", "grandmother", kM, 'U'},
          {"mother", "", "", kF, 'U'},
          {"uncle-wife", "", "", kF, 'U'},
          {"MP", "father", "mother", kM, 'M'},
          {"cousin1", "uncle", "uncle-wife", kF, 'T'},
          {"cousin2", "uncle", "uncle-wife", kM, 'T'}}},
        {"maternal first cousin and her mother typed",
         {{"grandfather", "", "", kM, 'U'},
          {"grandmother", "", "", kF, 'U'},
          {"mother", "grandfather", "grandmother", kF, 'U'},
          {"aunt", "grandfather", "grandmother", kF, 'T'},
          {"father", "", "", kM, 'U'},
          {"aunt-husband", "", "", kM, 'U'},
          {"MP", "father", "mother", kM, 'M'},
          {"cousin", "aunt-husband", "aunt", kF, 'T'}}},
        {"missing mother and son, husband and daughter typed",
         {{"father", "", "", kM, 'T'},
          {"MP-mother", "", "", kF, 'M'},
          {"MP-son", "father", "MP-mother", kM, 'M'},
          {"daughter", "father", "MP-mother", kF, 'T'}}},
        {"two missing brothers, mother and sister typed",
         {{"father", "", "", kM, 'U'},
          {"mother", "", "", kF, 'T'},
          {"MP1", "father", "mother", kM, 'M'},
          {"MP2", "father", "mother", kM, 'M'},
          {"sister", "father", "mother", kF, 'T'}}},
    };
    return specs;
}

// Resolves parent names and checks the catalogue's promises; a broken catalogue is a bug.
std::vector<FamilyShape> resolveShapes() {
    std::vector<FamilyShape> shapes;
    for (const ShapeSpec& spec : shapeSpecs()) {
        FamilyShape shape{spec.name, {}};
        std::unordered_map<std::string_view, int> index;
        int typed = 0;
        int missing = 0;
        for (const RowSpec& row : spec.rows) {
            auto parent = [&](std::string_view role, Sex sex) {
                if (role.empty()) return -1;
                const auto it = index.find(role);
                if (it == index.end() || shape.persons[static_cast<std::size_t>(it->second)].sex != sex)
                    throw std::logic_error("family shape \"" + std::string(spec.name) + "\": bad parent " +
                                           std::string(role));
                return it->second;
            };
            ShapePerson person{row.role, parent(row.father, kM), parent(row.mother, kF),
                               row.sex,  row.kind == 'T',        row.kind == 'M'};
            if ((person.father < 0) != (person.mother < 0) || !index.emplace(row.role, shape.persons.size()).second)
                throw std::logic_error("family shape \"" + std::string(spec.name) + "\": bad person " + row.role);
            typed += person.typed;
            missing += person.missing;
            shape.persons.push_back(person);
        }
        if (typed < 1 || typed > 4 || missing < 1 || missing > 2)
            throw std::logic_error("family shape \"" + std::string(spec.name) + "\": wrong typed/missing count");
        shapes.push_back(std::move(shape));
    }
    return shapes;
}

// `prefix` followed by the 1-based number, zero-padded to 7 digits (wider when needed).
std::string numberedName(char prefix, std::size_t index) {
    std::string digits = std::to_string(index + 1);
    if (digits.size() < 7) digits.insert(0, 7 - digits.size(), '0');
    return prefix + digits;
}

std::vector<double> cumulative(const std::vector<double>& values) {
    std::vector<double> sums(values.size());
    double total = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) sums[i] = total += values[i];
    return sums;
}

// Index of the first cumulative entry above u, or else the last entry that adds mass: a u
// just below the total can exceed the rounded sum, and must still land on a possible allele.
std::size_t sampleCdf(const double* cdf, std::size_t n, double u) noexcept {
    const std::size_t j = static_cast<std::size_t>(std::upper_bound(cdf, cdf + n, u) - cdf);
    if (j < n) return j;
    for (std::size_t k = n; k-- > 1;)
        if (cdf[k] > cdf[k - 1]) return k;
    return 0;
}

std::string formatNumber(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

void requireProbability(double value, const char* option, bool allowOne) {
    if (!std::isfinite(value) || value < 0.0 || value > 1.0 || (!allowOne && value == 1.0))
        throw UsageError(std::string(option) + ": " + formatNumber(value) + " is outside " +
                         (allowOne ? "[0,1]" : "[0,1)"));
}

}  // namespace

void validateSimulationOptions(const SimulationOptions& options) {
    requireProbability(options.trueFraction, "--true-fraction", true);
    requireProbability(options.missingMarkerRate, "--missing-marker-rate", false);
}

const std::vector<FamilyShape>& familyShapes() {
    static const std::vector<FamilyShape> shapes = resolveShapes();
    return shapes;
}

std::string Simulation::familyName(std::size_t index) {
    return numberedName('F', index);
}
std::string Simulation::remainsName(std::size_t index) {
    return numberedName('R', index);
}

Simulation::Simulation(const FrequencyTable& frequencies, const MutationModel& model, const SimulationOptions& options)
    : options_(options) {
    validateSimulationOptions(options);
    validateMutationModel(model);

    frequencies_.source = frequencies.source;
    std::size_t available = 0;
    for (const auto& m : frequencies.markers) {
        if (isAmelogenin(m.marker)) continue;
        if (options.markers == 0 || available < options.markers) frequencies_.markers.push_back(m);
        ++available;
    }
    if (options.markers > available)
        throw UsageError("--markers: " + std::to_string(options.markers) + " markers asked for, but " +
                         frequencies.source + " has only " + std::to_string(available) + " STR markers");

    // prepareCase gives the markers exactly as `kinmatch match` will see them when it reads
    // the written files back: canonical labels, sorted, normalised, zero frequencies dropped.
    Warnings warnings;
    markers_ = prepareCase(frequencies_, ProfileSet{}, PedigreeSet{}, ProfileSet{}, PrepareOptions{}, warnings).markers;
    warnings_ = warnings.messages();
    for (const Marker& marker : markers_) {
        MarkerTables tables;
        tables.founderCdf = cumulative(marker.frequencies);
        const auto n = static_cast<std::size_t>(marker.alleleCount());
        auto transmission = [&](const MutationParameters& params) {
            const std::vector<double> matrix =
                buildMutationMatrix(params, marker.name, marker.alleles, marker.frequencies);
            Transmission t{std::vector<double>(n), std::vector<double>(n * n)};
            for (std::size_t i = 0; i < n; ++i) {
                t.stay[i] = matrix[i * n + i];
                double total = 0.0;
                for (std::size_t j = 0; j < n; ++j)
                    t.mutatedCdf[i * n + j] = total += (j == i ? 0.0 : matrix[i * n + j]);
            }
            return t;
        };
        tables.female = transmission(model.female);
        tables.male = transmission(model.male);
        tables_.push_back(std::move(tables));
    }

    // Which missing persons are found among the remains: k of them, uniformly, by selection
    // sampling in family order (Knuth's algorithm S), which needs one pass and no set.
    const auto& shapes = familyShapes();
    std::vector<std::uint8_t> shapeIndex(options.families);
    for (std::size_t f = 0; f < options.families; ++f) {
        shapeIndex[f] = static_cast<std::uint8_t>(shapeOf(f));
        for (const auto& p : shapes[shapeIndex[f]].persons) missingPersons_ += p.missing;
    }
    const double wanted = std::floor(options.trueFraction * static_cast<double>(options.remains) + 0.5);
    trueRemains_ = std::min(static_cast<std::size_t>(wanted), missingPersons_);
    Rng rng(options.seed, kPlanStream, 0);
    std::size_t needed = trueRemains_;
    std::size_t left = missingPersons_;
    plan_.reserve(options.remains);
    for (std::size_t f = 0; f < options.families && needed > 0; ++f) {
        const auto& persons = shapes[shapeIndex[f]].persons;
        for (std::size_t p = 0; p < persons.size(); ++p) {
            if (!persons[p].missing) continue;
            if (rng.uniform() * static_cast<double>(left) < static_cast<double>(needed)) {
                plan_.push_back(RemainsSource{f, static_cast<int>(p)});
                --needed;
            }
            --left;
        }
    }
    plan_.resize(options.remains, RemainsSource{kUnrelated, -1});
    // Shuffled, so that a remains' position in the file says nothing about who it is.
    for (std::size_t i = plan_.size(); i > 1; --i) std::swap(plan_[i - 1], plan_[rng.below(i)]);
}

std::size_t Simulation::shapeOf(std::size_t family) const {
    Rng rng(options_.seed, kFamilyStream, family);
    return rng.below(familyShapes().size());
}

std::vector<std::int16_t> Simulation::familyGenotypes(std::size_t family, std::size_t& shape) const {
    // The shape is the stream's first draw, as in shapeOf, so both always agree.
    Rng rng(options_.seed, kFamilyStream, family);
    shape = rng.below(familyShapes().size());
    const auto& persons = familyShapes()[shape].persons;
    const std::size_t markerCount = markers_.size();
    std::vector<std::int16_t> genotypes(persons.size() * markerCount * 2);
    auto founderAllele = [&](std::size_t m) {
        const auto& cdf = tables_[m].founderCdf;
        return static_cast<std::int16_t>(sampleCdf(cdf.data(), cdf.size(), rng.uniform()));
    };
    auto transmit = [&](const Transmission& t, const std::int16_t* parent) {
        const std::int16_t allele = parent[rng.below(2)];
        const double u = rng.uniform();
        const auto a = static_cast<std::size_t>(allele);
        if (u < t.stay[a]) return allele;
        const std::size_t n = t.stay.size();
        return static_cast<std::int16_t>(sampleCdf(&t.mutatedCdf[a * n], n, u - t.stay[a]));
    };
    for (std::size_t p = 0; p < persons.size(); ++p) {
        std::int16_t* own = &genotypes[p * markerCount * 2];
        const ShapePerson& person = persons[p];
        for (std::size_t m = 0; m < markerCount; ++m) {
            if (person.father < 0) {
                own[2 * m] = founderAllele(m);
                own[2 * m + 1] = founderAllele(m);
            } else {
                const std::int16_t* father =
                    &genotypes[(static_cast<std::size_t>(person.father) * markerCount + m) * 2];
                const std::int16_t* mother =
                    &genotypes[(static_cast<std::size_t>(person.mother) * markerCount + m) * 2];
                own[2 * m] = transmit(tables_[m].male, father);
                own[2 * m + 1] = transmit(tables_[m].female, mother);
            }
        }
    }
    return genotypes;
}

void Simulation::checkRange(std::size_t first, std::size_t count, std::size_t size, const char* what) const {
    if (first > size || count > size - first)
        throw std::out_of_range(std::string("Simulation: ") + what + " [" + std::to_string(first) + ", +" +
                                std::to_string(count) + ") beyond " + std::to_string(size));
}

namespace {

// The markers' names and allele labels interned once per slice, so that making millions
// of marker calls copies pointers instead of looking texts up in the shared pool.
class CallMaker {
  public:
    explicit CallMaker(const std::vector<Marker>& markers) {
        names_.reserve(markers.size());
        labels_.reserve(markers.size());
        for (const Marker& marker : markers) {
            names_.emplace_back(marker.name);
            labels_.emplace_back(marker.alleles.begin(), marker.alleles.end());
        }
    }

    // A typed marker call in table spelling, alleles in the marker's sorted order.
    MarkerCall operator()(std::size_t m, std::int16_t a, std::int16_t b) const {
        if (a > b) std::swap(a, b);
        const auto& labels = labels_[m];
        return MarkerCall{names_[m], {labels[static_cast<std::size_t>(a)], labels[static_cast<std::size_t>(b)]}, {}};
    }

  private:
    std::vector<InternedString> names_;
    std::vector<std::vector<InternedString>> labels_;
};

}  // namespace

PedigreeSet Simulation::pedigrees(std::size_t first, std::size_t count) const {
    checkRange(first, count, familyCount(), "families");
    PedigreeSet set{"simulation", {}};
    set.families.reserve(count);
    for (std::size_t f = first; f < first + count; ++f) {
        const FamilyShape& shape = familyShapes()[shapeOf(f)];
        FamilyRecord record{familyName(f), {}};
        record.persons.reserve(shape.persons.size());
        const std::string prefix = record.name + "-";
        for (const ShapePerson& p : shape.persons) {
            const std::string id = prefix + std::string(p.role);
            auto parent = [&](int index) {
                return index < 0 ? std::string("0")
                                 : prefix + std::string(shape.persons[static_cast<std::size_t>(index)].role);
            };
            record.persons.push_back(PersonRecord{
                id, parent(p.father), parent(p.mother), p.sex, p.typed ? id : std::string("."), p.missing, {}});
        }
        set.families.push_back(std::move(record));
    }
    return set;
}

ProfileSet Simulation::references(std::size_t first, std::size_t count) const {
    checkRange(first, count, familyCount(), "families");
    ProfileSet set{"simulation", {}};
    const std::size_t markerCount = markers_.size();
    const CallMaker markerCall(markers_);
    for (std::size_t f = first; f < first + count; ++f) {
        std::size_t shape = 0;
        const std::vector<std::int16_t> genotypes = familyGenotypes(f, shape);
        const auto& persons = familyShapes()[shape].persons;
        for (std::size_t p = 0; p < persons.size(); ++p) {
            if (!persons[p].typed) continue;
            Profile profile{familyName(f) + "-" + std::string(persons[p].role), {}, {}, {}};
            profile.markers.reserve(markerCount);
            const std::int16_t* own = &genotypes[p * markerCount * 2];
            for (std::size_t m = 0; m < markerCount; ++m)
                profile.markers.push_back(markerCall(m, own[2 * m], own[2 * m + 1]));
            set.profiles.push_back(std::move(profile));
        }
    }
    return set;
}

SimulatedRemains Simulation::remains(std::size_t first, std::size_t count) const {
    checkRange(first, count, remainsCount(), "remains");
    SimulatedRemains out{ProfileSet{"simulation", {}}, {}};
    out.profiles.profiles.reserve(count);
    out.truth.reserve(count);
    const std::size_t markerCount = markers_.size();
    const CallMaker markerCall(markers_);
    std::vector<std::int16_t> own(markerCount * 2);
    std::vector<bool> kept(markerCount);
    for (std::size_t r = first; r < first + count; ++r) {
        const RemainsSource& source = plan_[r];
        Rng rng(options_.seed, kRemainsStream, r);
        TruthRow truth{remainsName(r), ".", "."};
        if (source.family == kUnrelated) {
            for (std::size_t m = 0; m < markerCount; ++m)
                for (int k = 0; k < 2; ++k)
                    own[2 * m + static_cast<std::size_t>(k)] = static_cast<std::int16_t>(
                        sampleCdf(tables_[m].founderCdf.data(), tables_[m].founderCdf.size(), rng.uniform()));
        } else {
            std::size_t shape = 0;
            const std::vector<std::int16_t> genotypes = familyGenotypes(source.family, shape);
            const auto person = static_cast<std::size_t>(source.person);
            std::copy_n(&genotypes[person * markerCount * 2], markerCount * 2, own.begin());
            truth.family = familyName(source.family);
            truth.missing = truth.family + "-" + std::string(familyShapes()[shape].persons[person].role);
        }
        bool any = false;
        for (std::size_t m = 0; m < markerCount; ++m) {
            kept[m] = !(rng.uniform() < options_.missingMarkerRate);
            any = any || kept[m];
        }
        if (!any) kept[rng.below(markerCount)] = true;

        Profile profile{truth.remains, {}, {}, {}};
        for (std::size_t m = 0; m < markerCount; ++m)
            if (kept[m]) profile.markers.push_back(markerCall(m, own[2 * m], own[2 * m + 1]));
        out.profiles.profiles.push_back(std::move(profile));
        out.truth.push_back(std::move(truth));
    }
    return out;
}

}  // namespace kinmatch::engine
