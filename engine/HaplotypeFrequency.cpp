// SPDX-License-Identifier: MIT
#include "engine/HaplotypeFrequency.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace kinmatch::engine {

namespace {

// Continued fraction for I_x(a, b) (modified Lentz), convergent for x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double a, double b, double x) {
    constexpr double kTiny = 1e-300;
    constexpr double kEpsilon = 1e-15;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::fabs(d) < kTiny) d = kTiny;
    d = 1.0 / d;
    double result = d;
    for (int m = 1; m <= 10000; ++m) {
        const double m2 = 2.0 * m;
        // Even step.
        double numerator = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + numerator * d;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = 1.0 + numerator / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1.0 / d;
        result *= d * c;
        // Odd step.
        numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + numerator * d;
        if (std::fabs(d) < kTiny) d = kTiny;
        c = 1.0 + numerator / c;
        if (std::fabs(c) < kTiny) c = kTiny;
        d = 1.0 / d;
        const double step = d * c;
        result *= step;
        if (std::fabs(step - 1.0) < kEpsilon) break;
    }
    return result;
}

}  // namespace

double regularisedIncompleteBeta(double a, double b, double x) {
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                            b * std::log1p(-x);
    const double front = std::exp(logFront);
    // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges fast.
    if (x < (a + 1.0) / (a + b + 2.0)) return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double clopperPearsonUpper(std::size_t matches, std::size_t total, double confidence) {
    if (total == 0 || matches > total || !(confidence > 0.0 && confidence < 1.0))
        throw std::invalid_argument("clopperPearsonUpper: need 0 <= matches <= total, total > 0, 0 < confidence < 1");
    if (matches == total) return 1.0;
    const double n = static_cast<double>(total);
    if (matches == 0) return 1.0 - std::pow(1.0 - confidence, 1.0 / n);
    // The upper bound is the `confidence` quantile of Beta(matches + 1, total - matches);
    // its CDF is increasing in p, so bisection finds it to full double precision.
    const double a = static_cast<double>(matches) + 1.0;
    const double b = n - static_cast<double>(matches);
    double low = 0.0;
    double high = 1.0;
    for (int i = 0; i < 200 && high - low > std::numeric_limits<double>::epsilon() * high; ++i) {
        const double mid = 0.5 * (low + high);
        (regularisedIncompleteBeta(a, b, mid) < confidence ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

}  // namespace kinmatch::engine
