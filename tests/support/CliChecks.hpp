// SPDX-License-Identifier: MIT
#pragma once

// Checks that several CLI test files share: a run that must succeed, argument lists joined,
// the PostgreSQL test server, and reading attributes back out of the HTML report.

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/RunKinmatch.hpp"

namespace kinmatch::test {

inline std::vector<std::string> operator+(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

/// Runs kinmatch and requires exit code 0, showing its stderr otherwise.
inline RunOutput succeed(const std::vector<std::string>& args) {
    RunOutput run = runKinmatch(args);
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    return run;
}

/// The throwaway server scripts/test-postgres starts, or nullopt (with a Catch warning) when
/// the tests run without one.
inline std::optional<std::string> postgresUrl() {
    const char* url = std::getenv("KINMATCH_TEST_POSTGRES_URL");
    if (!url || !*url) {
        WARN("KINMATCH_TEST_POSTGRES_URL is not set: PostgreSQL test skipped (scripts/test runs it)");
        return std::nullopt;
    }
    return std::string(url);
}

/// The SHA-256 of `file` as coreutils' sha256sum computes it: an independent check of the
/// checksums kinmatch records.
inline std::string sha256sum(const std::filesystem::path& file) {
    std::FILE* pipe = popen(("sha256sum '" + file.string() + "'").c_str(), "r");
    REQUIRE(pipe);
    char buffer[65] = {};
    const std::size_t got = std::fread(buffer, 1, 64, pipe);
    pclose(pipe);
    REQUIRE(got == 64);
    return buffer;
}

/// HTML text with the five entities the report writes turned back into characters.
inline std::string unescape(std::string text) {
    const std::pair<std::string, std::string> entities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [entity, plain] : entities)
        for (std::size_t at; (at = text.find(entity)) != std::string::npos;) text.replace(at, entity.size(), plain);
    return text;
}

/// The attributes (unescaped) of every start tag whose class list begins with `cls`, in page
/// order. Tags are found by their class text first: a regex over every tag of 60 pages is slow.
inline std::vector<std::map<std::string, std::string>> elements(const std::string& page, const std::string& cls) {
    static const std::regex attribute(R"x(([a-z0-9-]+)="([^"]*)")x");
    std::vector<std::map<std::string, std::string>> found;
    const std::string needle = " class=\"" + cls;
    for (std::size_t at = page.find(needle); at != std::string::npos; at = page.find(needle, at + 1)) {
        const std::size_t open = page.rfind('<', at);
        const std::size_t close = page.find('>', at);
        const std::string text = page.substr(open, close - open);
        std::map<std::string, std::string> attributes;
        for (std::sregex_iterator a(text.begin(), text.end(), attribute), end; a != end; ++a)
            attributes[(*a)[1]] = unescape((*a)[2]);
        found.push_back(attributes);
    }
    return found;
}

}  // namespace kinmatch::test
