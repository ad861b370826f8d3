// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/MtHaplotype.hpp"

namespace kinmatch::test {

namespace mt = engine::mt;

// Simulated haplotypes built to stress every rule the index must respect: lineages of related
// haplotypes (so many pairs lie 0-2 differences apart), partial and origin-crossing ranges,
// point heteroplasmies, hotspot length variants and deletions. std::mt19937_64 output is fixed
// by the standard; only its raw output is used, never a std:: distribution.
class MtSimulator {
  public:
    /// `stress`: also short random ranges (anywhere, across the origin) and haplotypes with more
    /// heteroplasmies than the index hashes, which it must hand over whole; otherwise the ranges
    /// labs use and at most one heteroplasmy.
    MtSimulator(std::uint64_t seed, bool stress) : rng_(seed), stress_(stress) {}

    std::vector<mt::Haplotype> haplotypes(std::size_t count, std::size_t lineages) {
        std::vector<std::vector<mt::Variant>> founders;
        for (std::size_t l = 0; l < lineages; ++l) {
            std::vector<mt::Variant> vs;
            for (int k = 0; k < 8; ++k) vs.push_back(randomSubstitution());
            founders.push_back(vs);
        }
        std::vector<mt::Haplotype> out;
        for (std::size_t i = 0; i < count; ++i) {
            mt::Haplotype h;
            h.sample = "H";
            h.sample += std::to_string(i);
            h.range = randomRange();
            std::vector<mt::Variant> vs = founders[below(lineages)];
            const auto changes = below(4);  // 0-3 private changes
            for (std::size_t c = 0; c < changes; ++c) {
                if (!vs.empty() && below(3) == 0)
                    vs.erase(vs.begin() + static_cast<long>(below(vs.size())));
                else
                    vs.push_back(randomSubstitution());
            }
            if (below(4) == 0) vs.push_back({315, 1, 'C'});
            if (below(5) == 0) vs.push_back({309, 1, 'C'});
            if (below(6) == 0) vs.push_back({16193, 1, 'C'});
            if (below(8) == 0) vs.push_back({249, 0, '-'});
            if (below(10) == 0) vs.push_back({573, 0, '-'});
            if (below(5) == 0) {  // a heteroplasmy at one of the lineage's sites or a new one
                auto het = vs.empty() || below(2) ? randomSubstitution() : vs[below(vs.size())];
                if (het.insertion == 0 && het.base != '-') {
                    het.base = heteroplasmyOf(mt::rcrs()[het.position - 1u], het.base);
                    std::erase_if(vs, [&](const mt::Variant& x) { return x.position == het.position && x.insertion == 0; });
                    vs.push_back(het);
                }
            }
            if (stress_ && below(40) == 0)  // past the index's heteroplasmy limit
                for (int p = 0; p < 6; ++p)
                    vs.push_back({static_cast<std::uint16_t>(16101 + 10 * p), 0,
                                  heteroplasmyOf(mt::rcrs()[16100u + 10 * p], 'A')});
            std::erase_if(vs, [&](const mt::Variant& x) { return !h.range.contains(x.position); });
            h.variants = vs;
            std::sort(h.variants.begin(), h.variants.end());
            h.variants.erase(std::unique(h.variants.begin(), h.variants.end(),
                                         [](const auto& a, const auto& b) {
                                             return a.position == b.position && a.insertion == b.insertion;
                                         }),
                             h.variants.end());
            mt::normalise(h);
            out.push_back(std::move(h));
        }
        return out;
    }

  private:
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

    static char heteroplasmyOf(char a, char b) {
        const unsigned m = mt::baseMask(a) | mt::baseMask(b);
        for (char code : {'R', 'Y', 'K', 'M', 'S', 'W'})
            if (mt::baseMask(code) == m) return code;
        return 'Y';  // a == b: any heteroplasmy will do
    }

    mt::Variant randomSubstitution() {
        // Mostly the control region, where ranges overlap most; sometimes the coding region.
        const int position = below(3) ? static_cast<int>(16024 + below(546 + 576)) : static_cast<int>(1 + below(16569));
        const int p = position > 16569 ? position - 16569 : position;
        const char ref = mt::rcrs()[static_cast<std::size_t>(p - 1)];
        const char bases[] = {'A', 'C', 'G', 'T'};
        char base = ref;
        while (base == ref) base = bases[below(4)];
        return {static_cast<std::uint16_t>(p), 0, base};
    }

    mt::CoveredRange randomRange() {
        mt::CoveredRange r;
        switch (below(stress_ ? 6 : 4)) {
            case 0: r.add(16024, 576); break;
            case 1: r.add(16024, 16365); r.add(73, 340); break;
            case 2: r = mt::CoveredRange::whole(); break;
            case 3: r.add(16024, 16569); r.add(1, 576); r.add(700, 9000); break;
            default: {  // arbitrary, possibly across the origin, possibly tiny
                const int a = static_cast<int>(1 + below(16569));
                const int len = static_cast<int>(1 + below(below(2) ? 2000 : 40));
                const int b = a + len > 16569 ? a + len - 16569 : a + len;
                r.add(a, b);
                if (below(2)) r.add(16024, 16365);
            }
        }
        return r;
    }

    std::mt19937_64 rng_;
    bool stress_;
};

}  // namespace kinmatch::test
