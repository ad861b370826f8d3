// SPDX-License-Identifier: MIT
// The pedigree drawing, read back from its SVG text: the right persons, the right shapes,
// and lines that join the right people at the right places.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/Warnings.hpp"
#include "formats/PedigreeReader.hpp"
#include "formats/PedigreeSvg.hpp"
#include "tests/support/CliChecks.hpp"
#include "tests/support/RunKinmatch.hpp"

using kinmatch::Sex;
using kinmatch::formats::pedigreeSvg;
using kinmatch::formats::ReportPedigree;
using kinmatch::formats::ReportPerson;
using kinmatch::test::unescape;

namespace {

struct Tag {
    std::string name;
    std::map<std::string, std::string> attributes;  // unescaped
};

// Every start tag of the SVG, in order, with its attributes.
std::vector<Tag> tags(const std::string& svg) {
    static const std::regex tagPattern(R"(<([a-zA-Z]+)((?:\s+[a-zA-Z0-9-]+="[^"]*")*)\s*/?>)");
    static const std::regex attributePattern(R"x(([a-zA-Z0-9-]+)="([^"]*)")x");
    std::vector<Tag> result;
    for (std::sregex_iterator it(svg.begin(), svg.end(), tagPattern), end; it != end; ++it) {
        Tag tag{(*it)[1], {}};
        const std::string attributes = (*it)[2];
        for (std::sregex_iterator a(attributes.begin(), attributes.end(), attributePattern); a != end; ++a)
            tag.attributes[(*a)[1]] = unescape((*a)[2]);
        result.push_back(std::move(tag));
    }
    return result;
}

// A person as drawn: the shape that follows its <g>, where it is, and its classes.
struct Drawn {
    std::string sex;
    std::string shape;
    std::string classes;
    std::string fill;
    double x = 0, top = 0;  // centre x, top y of the symbol
};

std::map<std::string, Drawn> drawnPersons(const std::vector<Tag>& all) {
    std::map<std::string, Drawn> persons;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].name != "g" || all[i].attributes.count("data-id") == 0) continue;
        Drawn d;
        d.sex = all[i].attributes.at("data-sex");
        d.classes = all[i].attributes.at("class");
        // The <title> start tag comes first, then the symbol.
        const Tag& shape = all.at(i + 2);
        d.shape = shape.name;
        d.fill = shape.attributes.at("fill");
        if (shape.name == "rect") {
            d.x = std::stod(shape.attributes.at("x")) + std::stod(shape.attributes.at("width")) / 2;
            d.top = std::stod(shape.attributes.at("y"));
        } else if (shape.name == "circle") {
            d.x = std::stod(shape.attributes.at("cx"));
            d.top = std::stod(shape.attributes.at("cy")) - std::stod(shape.attributes.at("r"));
        } else {
            std::istringstream points(shape.attributes.at("points"));
            char comma = 0;
            points >> d.x >> comma >> d.top;  // the first point is the top corner
        }
        REQUIRE(persons.emplace(all[i].attributes.at("data-id"), d).second);
    }
    return persons;
}

// A pedigree TSV read by splitting lines, independently of the pedigree reader.
ReportPedigree readFamily(const std::string& tsv, const std::string& family) {
    ReportPedigree pedigree{family, {}};
    std::istringstream in(tsv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string field; std::getline(fields, field, '\t');) f.push_back(field);
        if (f.size() < 7 || f[0] != family) continue;
        ReportPerson p;
        p.id = f[1];
        p.father = f[2] == "0" ? "" : f[2];
        p.mother = f[3] == "0" ? "" : f[3];
        p.sex = f[4] == "1" ? Sex::kMale : f[4] == "2" ? Sex::kFemale : Sex::kUnknown;
        p.sample = f[5] == "." ? "" : f[5];
        p.missing = f[6] == "1";
        pedigree.persons.push_back(p);
    }
    return pedigree;
}

std::set<std::string> withClass(const std::map<std::string, Drawn>& persons, const std::string& cls) {
    std::set<std::string> ids;
    for (const auto& [id, d] : persons)
        if ((" " + d.classes + " ").find(" " + cls + " ") != std::string::npos) ids.insert(id);
    return ids;
}

}  // namespace

TEST_CASE("The dvir grave pedigree is drawn with its persons, shapes and family lines", "[report][formats]") {
    const std::string tsv =
        kinmatch::test::readFile(kinmatch::test::testDataDir() / "conformance" / "dvir_grave" / "pedigrees.tsv");
    const ReportPedigree pedigree = readFamily(tsv, "F1");
    REQUIRE(pedigree.persons.size() == 23);
    const std::string svg = pedigreeSvg(pedigree, "MP1");
    const auto all = tags(svg);
    const auto drawn = drawnPersons(all);

    SECTION("every person once, squares for males, circles for females, typed ones filled") {
        REQUIRE(drawn.size() == pedigree.persons.size());
        for (const auto& p : pedigree.persons) {
            INFO(p.id);
            REQUIRE(drawn.count(p.id) == 1);
            const Drawn& d = drawn.at(p.id);
            CHECK(d.shape == (p.sex == Sex::kMale ? "rect" : "circle"));  // the file has no unknown sex
            CHECK(d.sex == (p.sex == Sex::kMale ? "male" : "female"));
            CHECK((d.fill == "#555") == p.typed());
        }
        // R1..R5 are the typed relatives of the file; MP1..MP8 its missing persons.
        CHECK(withClass(drawn, "typed") == std::set<std::string>{"R1", "R2", "R3", "R4", "R5"});
        CHECK(withClass(drawn, "missing") ==
              std::set<std::string>{"MP1", "MP2", "MP3", "MP4", "MP5", "MP6", "MP7", "MP8"});
        CHECK(withClass(drawn, "focus") == std::set<std::string>{"MP1"});
    }

    SECTION("one descent line per child, from its parents' couple line down to the child") {
        std::set<std::tuple<std::string, std::string, std::string>> expected, seen;
        std::set<std::pair<std::string, std::string>> couples, seenCouples;
        for (const auto& p : pedigree.persons)
            if (!p.father.empty()) expected.emplace(p.father, p.mother, p.id), couples.emplace(p.father, p.mother);
        REQUIRE(expected.size() == 15);  // the file: 23 persons, 8 of them founders
        for (const auto& t : all) {
            const auto cls = t.attributes.count("class") ? t.attributes.at("class") : "";
            if (t.name == "line" && cls == "couple") {
                const auto& f = drawn.at(t.attributes.at("data-father"));
                const auto& m = drawn.at(t.attributes.at("data-mother"));
                // Joins the two symbols' centres, on one row.
                CHECK(std::stod(t.attributes.at("x1")) == Approx(f.x));
                CHECK(std::stod(t.attributes.at("x2")) == Approx(m.x));
                CHECK(f.top == Approx(m.top));
                CHECK(seenCouples.emplace(t.attributes.at("data-father"), t.attributes.at("data-mother")).second);
            }
            if (t.name == "path" && cls == "descent") {
                const std::string child = t.attributes.at("data-child");
                const auto& c = drawn.at(child);
                const auto& f = drawn.at(t.attributes.at("data-father"));
                const auto& m = drawn.at(t.attributes.at("data-mother"));
                double startX = 0, startY = 0, bar = 0, endX = 0, endY = 0;
                REQUIRE(std::sscanf(t.attributes.at("d").c_str(), "M%lf %lf V%lf H%lf V%lf", &startX, &startY, &bar,
                                    &endX, &endY) == 5);
                INFO(child);
                CHECK(startX == Approx((f.x + m.x) / 2).margin(0.1));  // middle of the couple line
                CHECK(endX == Approx(c.x).margin(0.1));
                CHECK(endY == Approx(c.top).margin(0.1));              // ends on the child's symbol
                CHECK(c.top > f.top);                                  // children below parents
                CHECK(seen.emplace(t.attributes.at("data-father"), t.attributes.at("data-mother"), child).second);
            }
        }
        CHECK(seen == expected);
        CHECK(seenCouples == couples);
    }

    SECTION("no two symbols of a row overlap") {
        for (const auto& [a, da] : drawn)
            for (const auto& [b, db] : drawn)
                if (a < b && da.top == db.top) CHECK(std::fabs(da.x - db.x) >= 30.0);
    }

    SECTION("lineage relatives: MP1's maternal line, MP8's paternal line") {
        // Read off the file: MP1's mother R1, her mother GM (a founder); everyone whose
        // mothers lead up to GM shares MP1's mtDNA. MP1 is female, so no Y line.
        CHECK(withClass(drawn, "maternal-line") == std::set<std::string>{"GM", "R1", "MP2", "R2", "MP3", "FA"});
        CHECK(withClass(drawn, "paternal-line").empty());
        // MP8: father GF2 (founder); the males whose fathers lead to GF2 share its Y; its
        // mother GM3 is a founder with no other child.
        const auto drawn8 = drawnPersons(tags(pedigreeSvg(pedigree, "MP8")));
        CHECK(withClass(drawn8, "paternal-line") == std::set<std::string>{"GF2", "UN2", "R5", "MP7"});
        CHECK(withClass(drawn8, "maternal-line") == std::set<std::string>{"GM3"});
    }

    SECTION("the same input gives the same bytes") { CHECK(pedigreeSvg(pedigree, "MP1") == svg); }
}

TEST_CASE("Pedigree drawings escape ids and draw unknown sex and placeholder founders plainly", "[report][formats]") {
    SECTION("hostile ids never reach the SVG as markup") {
        ReportPedigree pedigree{"F<&>", {}};
        pedigree.persons.push_back({"<b>\"dad\"", Sex::kMale, "", "", "S&1", false, false});
        pedigree.persons.push_back({"mum's", Sex::kFemale, "", "", "", false, false});
        pedigree.persons.push_back({"</svg><script>x</script>", Sex::kUnknown, "<b>\"dad\"", "mum's", "", true, false});
        const std::string svg = pedigreeSvg(pedigree, "</svg><script>x</script>");
        CHECK(svg.find("<script") == std::string::npos);
        CHECK(svg.find("<b>") == std::string::npos);
        CHECK(svg.find("mum's") == std::string::npos);
        CHECK(svg.find("&lt;script&gt;") != std::string::npos);
        // One closing tag only: the document's own.
        CHECK(svg.find("</svg>") == svg.rfind("</svg>"));
        const auto drawn = drawnPersons(tags(svg));
        REQUIRE(drawn.size() == 3);
        CHECK(drawn.at("</svg><script>x</script>").shape == "polygon");  // unknown sex: a diamond
        CHECK(drawn.at("<b>\"dad\"").shape == "rect");
        CHECK(drawn.count("mum's") == 1);
    }

    SECTION("a placeholder parent added by the reader is drawn like any untyped person") {
        std::istringstream in(
            "family\tid\tfather\tmother\tsex\tsample\tmissing\n"
            "F\tdad\t0\t0\t1\tREF-1\t0\n"
            "F\tMP\tdad\t0\t2\t.\t1\n");
        kinmatch::Warnings warnings;
        const auto set = kinmatch::formats::readPedigrees(in, "p.tsv", warnings);
        ReportPedigree pedigree{"F", {}};
        for (const auto& r : set.families.at(0).persons)
            pedigree.persons.push_back({r.id, r.sex, r.father == "0" ? "" : r.father, r.mother == "0" ? "" : r.mother,
                                        r.sample == "." ? "" : r.sample, r.missing, r.id.find('~') != std::string::npos});
        const auto drawn = drawnPersons(tags(pedigreeSvg(pedigree, "MP")));
        REQUIRE(drawn.count("MP~mother") == 1);
        const Drawn& placeholder = drawn.at("MP~mother");
        CHECK(placeholder.fill == "#fff");
        CHECK(placeholder.classes == "person maternal-line");  // MP's mother, untyped, not missing
        CHECK(placeholder.top == Approx(drawn.at("dad").top));  // beside her spouse
    }
}
