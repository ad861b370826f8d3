// SPDX-License-Identifier: MIT
#include "formats/MtdnaReader.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <unordered_set>

#include "engine/Errors.hpp"
#include "formats/TextLines.hpp"

namespace kinmatch::formats {

namespace mt = engine::mt;

namespace {

int decodePosition(std::string_view digits, std::string_view token) {
    int value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
        throw std::invalid_argument(quoted(token) + " has no position (expected e.g. 16069T, 315.1C or 249del)");
    if (value < 1 || value > mt::kGenomeLength)
        throw std::invalid_argument(quoted(token) + ": position " + std::string(digits) + " is outside 1-" +
                                    std::to_string(mt::kGenomeLength));
    return value;
}

std::size_t digitsFrom(std::string_view s, std::size_t i) {
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

bool isDeletionMark(std::string_view rest) { return rest == "DEL" || rest == "D" || rest == "-"; }

}  // namespace

void parseMtVariant(std::string_view token, std::vector<mt::Variant>& out) {
    std::string upper(token);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string_view s = upper;
    const std::string_view ref = mt::rcrs();

    // An optional reference base before the position (C16069T), checked against rCRS so that a
    // typo in the position is caught rather than silently moved.
    char stated = 0;
    if (!s.empty() && std::isalpha(static_cast<unsigned char>(s[0]))) {
        stated = s[0];
        s.remove_prefix(1);
    }
    const std::size_t positionEnd = digitsFrom(s, 0);
    const int position = decodePosition(s.substr(0, positionEnd), token);
    if (stated != 0 && stated != ref[position - 1])
        throw std::invalid_argument(quoted(token) + ": the reference base " + std::string(1, stated) +
                                    " is not the rCRS base at " + std::to_string(position) + " (" +
                                    std::string(1, ref[position - 1]) + ")");
    std::string_view rest = s.substr(positionEnd);

    if (!rest.empty() && rest[0] == '-' && rest.size() > 1) {  // a deleted run: 8281-8289del
        const std::size_t lastEnd = digitsFrom(rest, 1);
        const int last = decodePosition(rest.substr(1, lastEnd - 1), token);
        if (!isDeletionMark(rest.substr(lastEnd)) || last < position)
            throw std::invalid_argument(quoted(token) + " is not a deleted run (expected e.g. 8281-8289del)");
        for (int p = position; p <= last; ++p) out.push_back({static_cast<std::uint16_t>(p), 0, '-'});
        return;
    }
    if (isDeletionMark(rest)) {
        out.push_back({static_cast<std::uint16_t>(position), 0, '-'});
        return;
    }
    int index = 0;
    if (!rest.empty() && rest[0] == '.') {
        const std::size_t indexEnd = digitsFrom(rest, 1);
        const auto digits = rest.substr(1, indexEnd - 1);
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
        if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || index < 1)
            throw std::invalid_argument(quoted(token) +
                                        ": an insertion needs the number of the inserted base (e.g. 315.1C); "
                                        "an unknown count such as 573.XC cannot be compared");
        rest = rest.substr(indexEnd);
        if (rest.empty()) throw std::invalid_argument(quoted(token) + ": the inserted base is missing (e.g. 315.1C)");
        if (index + static_cast<int>(rest.size()) - 1 > 255)
            throw std::invalid_argument(quoted(token) + ": more than 255 inserted bases");
    }
    if (rest.empty()) throw std::invalid_argument(quoted(token) + ": the base is missing (e.g. 16069T)");
    if (index == 0 && rest.size() != 1)
        throw std::invalid_argument(quoted(token) + ": expected one base after the position (e.g. 16069T, 249del)");
    for (std::size_t k = 0; k < rest.size(); ++k) {
        const char base = rest[k];
        if (base == 'N')
            throw std::invalid_argument(quoted(token) + ": N is not a call; leave the position out of the Range");
        if (mt::baseMask(base) == 0 || (index > 0 && base == '-'))
            throw std::invalid_argument(quoted(token) + ": " + std::string(1, base) +
                                        " is not a base (A, C, G, T, an IUPAC two-base heteroplasmy code R Y K M S "
                                        "W, or del for a deletion)");
        out.push_back({static_cast<std::uint16_t>(position), static_cast<std::uint8_t>(index == 0 ? 0 : index + k),
                       base});
    }
}

mt::CoveredRange parseMtRange(std::string_view text) {
    mt::CoveredRange range;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ';' || text[i] == ',' || std::isspace(static_cast<unsigned char>(text[i]))))
            ++i;
        if (i == text.size()) break;
        std::size_t j = i;
        while (j < text.size() && text[j] != ';' && text[j] != ',' && !std::isspace(static_cast<unsigned char>(text[j])))
            ++j;
        const std::string_view item = text.substr(i, j - i);
        const auto dash = item.find('-');
        auto number = [&](std::string_view digits) {
            int value = 0;
            const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
                throw std::invalid_argument("item " + quoted(item) + " is not start-end (e.g. 16024-16569 or 16024-576)");
            if (value < 1 || value > mt::kGenomeLength)
                throw std::invalid_argument("item " + quoted(item) + ": " + std::string(digits) + " is outside 1-" +
                                            std::to_string(mt::kGenomeLength));
            return value;
        };
        if (dash == std::string_view::npos) {
            const int p = number(item);
            range.add(p, p);
        } else {
            range.add(number(item.substr(0, dash)), number(item.substr(dash + 1)));
        }
        i = j;
    }
    if (range.empty()) throw std::invalid_argument("no positions (expected e.g. 16024-16569;1-576)");
    return range;
}

namespace {

struct Columns {
    std::size_t sample = 0;
    std::size_t range = 1;
    std::size_t variants = 2;  // this column and every one after it hold variants
};

bool isOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
    for (auto n : names)
        if (equalsIgnoreCase(name, n)) return true;
    return false;
}

Columns decodeHeader(const std::vector<std::string_view>& fields, const SourcePos& pos) {
    constexpr std::string_view kExpected = "SampleName<TAB>Range<TAB>Haplotype";
    std::optional<std::size_t> sample, range, variants;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto f = fields[i];
        if (!sample && isOneOf(f, {"SampleName", "SampleID", "Sample", "Sample_ID", "Sample Name", "ID", "EMPOP-ID",
                                   "EMPOP ID", "Name"}))
            sample = i;
        else if (!range && isOneOf(f, {"Range", "Ranges"}))
            range = i;
        else if (!variants && isOneOf(f, {"Haplotype", "Polymorphisms", "Variants", "Mutations", "Profile"}))
            variants = i;
    }
    auto missing = [&](const char* what) {
        throw InputError(pos.file, pos.line, std::string("header has no ") + what + " column (expected " +
                                                 std::string(kExpected) + ")");
    };
    if (!sample) missing("sample (SampleName)");
    if (!range) missing("Range");
    if (!variants) missing("Haplotype");
    if (*variants < *sample || *variants < *range)
        throw InputError(pos.file, pos.line, "header: the Haplotype column must come after the sample and Range columns");
    return {*sample, *range, *variants};
}

}  // namespace

std::vector<mt::Haplotype> readMtdnaHaplotypes(std::istream& in, const std::string& fileName, MtdnaLayout layout) {
    // An .emp file is either a table with a header row or EMPOP's own submission layout; its
    // first row tells which (see below).
    bool empDecides = false;
    if (layout == MtdnaLayout::kAuto) {
        const auto dot = fileName.rfind('.');
        const std::string_view extension = dot == std::string::npos ? "" : std::string_view(fileName).substr(dot);
        layout = equalsIgnoreCase(extension, ".hsd") ? MtdnaLayout::kHsd : MtdnaLayout::kTable;
        empDecides = equalsIgnoreCase(extension, ".emp");
    }
    std::optional<mt::CoveredRange> empopRange;  // the current `#!` range (kEmpop)
    std::string empopRangeText;
    TextLines lines(in, fileName);
    FieldSplitter splitter;
    std::optional<Columns> columns;
    std::vector<mt::Haplotype> out;
    std::unordered_set<std::string> seen;
    std::vector<mt::Variant> parsed;
    while (lines.next()) {
        if (lines.blank()) continue;
        const SourcePos pos = lines.pos();
        const std::string_view line = lines.line();
        if (empDecides && line.starts_with("#!")) {
            empDecides = false;
            layout = MtdnaLayout::kEmpop;
        } else if (empDecides && line.front() != '#') {  // a comment line leaves it to the next
            empDecides = false;
            try {
                columns = decodeHeader(splitter.split(line, '\t'), pos);
                continue;  // the table form: this was its header row
            } catch (const InputError&) {
                layout = MtdnaLayout::kEmpop;  // EMPOP's title line, not a header
            }
        }
        if (layout == MtdnaLayout::kEmpop) {
            if (line.starts_with("#!")) {
                std::string_view text = line.substr(2);
                while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
                empopRangeText = std::string(text);
                try {
                    empopRange = parseMtRange(empopRangeText);
                } catch (const std::invalid_argument& e) {
                    throw InputError(fileName, pos.line, "range line (#!): " + std::string(e.what()));
                }
                columns = Columns{0, 0, 2};  // the range comes from the #! line; field 2 is count or variant
                continue;
            }
            if (!empopRange) continue;  // the title and origin lines before the first range
        }
        if (line.front() == '#') continue;
        const auto& fields = splitter.split(line, '\t');
        if (!columns) {
            if (layout == MtdnaLayout::kHsd) {
                columns = Columns{0, 1, 3};
                // HaploGrep writes the header row only sometimes: a row whose Range parses is data.
                bool header = fields.size() < 2;
                if (!header) try {
                        parseMtRange(fields[1]);
                    } catch (const std::invalid_argument&) {
                        header = true;
                    }
                if (header) continue;
            } else {
                columns = decodeHeader(fields, pos);
                continue;
            }
        }
        auto field = [&](std::size_t i) { return i < fields.size() ? fields[i] : std::string_view(); };
        const std::string sample(field(columns->sample));
        if (sample.empty()) throw InputError(fileName, pos.line, "field SampleName: empty");
        const bool empop = layout == MtdnaLayout::kEmpop;
        if (!empop && fields.size() <= columns->range)
            throw InputError(fileName, pos.line, "sample " + quoted(sample) + ": the row has no Range field");
        if (!seen.insert(sample).second)
            throw InputError(fileName, pos.line, "field SampleName: sample " + quoted(sample) + " appears twice");

        mt::Haplotype h;
        h.sample = sample;
        h.source = pos;
        std::string_view rangeText;
        std::size_t firstVariant = columns->variants;
        std::size_t count = 1;
        if (empop) {
            h.range = *empopRange;
            rangeText = empopRangeText;
            // The count column may be left out: a third field of digits only is a count.
            const std::string_view third = field(2);
            if (!third.empty() && third.find_first_not_of("0123456789") == std::string_view::npos) {
                const auto [end, error] = std::from_chars(third.data(), third.data() + third.size(), count);
                if (error != std::errc() || count == 0 || count > 1000000)
                    throw InputError(fileName, pos.line,
                                     "field Count: " + quoted(third) + " is not a number of samples from 1 to 10^6");
                firstVariant = 3;
            }
        } else {
            rangeText = field(columns->range);
            try {
                h.range = parseMtRange(rangeText);
            } catch (const std::invalid_argument& e) {
                throw InputError(fileName, pos.line, "field Range: " + std::string(e.what()));
            }
        }
        for (std::size_t i = firstVariant; i < fields.size(); ++i) {
            const std::string_view text = fields[i];
            std::size_t a = 0;
            while (a < text.size()) {
                while (a < text.size() && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
                std::size_t b = a;
                while (b < text.size() && !std::isspace(static_cast<unsigned char>(text[b]))) ++b;
                if (b == a) break;
                const std::string_view token = text.substr(a, b - a);
                parsed.clear();
                try {
                    parseMtVariant(token, parsed);
                } catch (const std::invalid_argument& e) {
                    throw InputError(fileName, pos.line, "field Haplotype: " + std::string(e.what()));
                }
                for (const auto& v : parsed) {
                    if (!h.range.contains(v.position))
                        throw InputError(fileName, pos.line,
                                         "field Haplotype: " + quoted(token) + " lies outside the Range " +
                                             quoted(rangeText));
                    h.variants.push_back(v);
                }
                a = b;
            }
        }
        mt::normalise(h);  // throws InputError with this row's position
        const std::size_t first = out.size();
        out.push_back(std::move(h));
        for (std::size_t copy = 2; copy <= count; ++copy) {
            mt::Haplotype same = out[first];
            same.sample = sample + "#" + std::to_string(copy);
            if (!seen.insert(same.sample).second)
                throw InputError(fileName, pos.line, "field SampleName: sample " + quoted(same.sample) + " appears twice");
            out.push_back(std::move(same));
        }
    }
    if (layout == MtdnaLayout::kEmpop && !empopRange)
        throw InputError(fileName, 0, "EMPOP file without a range line (#!<TAB>16024-576 before the haplotypes)");
    if (!columns) throw InputError(fileName, 0, "empty file (expected a header SampleName<TAB>Range<TAB>Haplotype)");
    if (out.empty()) throw InputError(fileName, 0, "no haplotypes after the header");
    return out;
}

std::vector<mt::Haplotype> readMtdnaFile(const std::string& path) {
    auto in = openTextFile(path);
    return readMtdnaHaplotypes(in, path);
}

}  // namespace kinmatch::formats
