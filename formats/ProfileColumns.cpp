// SPDX-License-Identifier: MIT
#include "formats/ProfileColumns.hpp"

#include <charconv>
#include <map>
#include <optional>

#include "engine/Errors.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace {

std::string headerKey(std::string_view name) {
    std::string key;
    for (char c : lowerAscii(name)) {
        if (c != ' ' && c != '_') key += c;
    }
    return key;
}

// The allele number N of an `AlleleN` header key, or nullopt.
std::optional<int> tryAlleleColumn(std::string_view key) {
    constexpr std::string_view kPrefix = "allele";
    if (!key.starts_with(kPrefix) || key.size() == kPrefix.size()) return std::nullopt;
    key.remove_prefix(kPrefix.size());
    int number = 0;
    const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
    if (ec != std::errc() || ptr != key.data() + key.size() || number < 1) return std::nullopt;
    return number;
}

}  // namespace

ProfileColumns decodeProfileHeader(const std::vector<std::string>& header, const SourcePos& pos,
                                   std::string_view expected) {
    std::optional<std::size_t> sample;
    std::optional<std::size_t> marker;
    std::map<int, std::size_t> alleles;
    const auto fail = [&](const std::string& what) {
        throw InputError(pos.file, pos.line, what + " (" + std::string(expected) + ")");
    };
    for (std::size_t col = 0; col < header.size(); ++col) {
        const std::string key = headerKey(header[col]);
        std::optional<std::size_t>* slot = nullptr;
        std::optional<std::size_t> alleleSlot;
        if (key == "samplename") {
            slot = &sample;
        } else if (key == "marker") {
            slot = &marker;
        } else if (const auto number = tryAlleleColumn(key)) {
            if (const auto it = alleles.find(*number); it != alleles.end()) alleleSlot = it->second;
            slot = &alleleSlot;
            alleles.emplace(*number, col);
        }
        if (slot == nullptr) continue;
        if (*slot) fail("header column " + quoted(header[col]) + " repeats column " + quoted(header[**slot]));
        *slot = col;
    }
    if (!sample) fail("header has no SampleName column");
    if (!marker) fail("header has no Marker column");
    if (alleles.empty()) fail("header has no Allele1 column");
    ProfileColumns columns{.sample = *sample, .marker = *marker, .alleles = {}, .width = header.size()};
    for (const auto& [number, col] : alleles) columns.alleles.push_back(col);
    while (columns.width > 0 && header[columns.width - 1].empty()) --columns.width;
    return columns;
}

}  // namespace kinmatch::formats
