// SPDX-License-Identifier: MIT
#include "engine/Allele.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numeric>

namespace kinmatch::engine {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}
std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}
}  // namespace

std::string markerKey(std::string_view name) { return upper(trim(name)); }

bool isAmelogenin(std::string_view name) {
    const std::string key = markerKey(name);
    return key == "AMEL" || key == "AMELOGENIN";
}

std::optional<double> tryAlleleNumber(std::string_view label) {
    label = trim(label);
    // Only plain decimals: "1e3", "inf", "0x10" or a sign are not repeat counts.
    if (label.empty()) return std::nullopt;
    bool seenDot = false;
    bool seenDigit = false;
    for (char c : label) {
        if (c == '.') {
            if (seenDot) return std::nullopt;
            seenDot = true;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            seenDigit = true;
        } else {
            return std::nullopt;
        }
    }
    if (!seenDigit) return std::nullopt;
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(label.data(), label.data() + label.size(), value);
    if (ec != std::errc() || ptr != label.data() + label.size()) return std::nullopt;
    return value;
}

std::string canonicalAllele(std::string_view label) {
    label = trim(label);
    if (!tryAlleleNumber(label)) return upper(label);
    // Rewrite the digits rather than print the double, so that 22.2 never becomes 22.199999.
    std::string_view whole = label;
    std::string_view fraction;
    if (const auto dot = label.find('.'); dot != std::string_view::npos) {
        whole = label.substr(0, dot);
        fraction = label.substr(dot + 1);
    }
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    std::string out(whole.empty() ? std::string_view("0") : whole);
    if (!fraction.empty()) {
        out += '.';
        out += fraction;
    }
    return out;
}

std::vector<int> alleleSortOrder(const std::vector<std::string>& labels) {
    std::vector<int> order(labels.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::optional<double>> numbers;
    numbers.reserve(labels.size());
    bool allNumeric = true;
    for (const auto& label : labels) {
        numbers.push_back(tryAlleleNumber(label));
        allNumeric = allNumeric && numbers.back().has_value();
    }
    if (allNumeric) {
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return *numbers[a] < *numbers[b]; });
    } else {
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return labels[a] < labels[b]; });
    }
    return order;
}

}  // namespace kinmatch::engine
