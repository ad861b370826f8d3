// SPDX-License-Identifier: MIT
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/program_options/errors.hpp>

#include "cli/Commands.hpp"
#include "engine/Errors.hpp"
#include "engine/Version.hpp"
#include "formats/OutputFile.hpp"

namespace {

using kinmatch::cli::Command;

// A static table, not self-registration: every command is visible here and none can be
// dropped by the linker.
constexpr Command kCommands[] = {
    {"match", "rank candidate missing persons for every remains (autosomal STR LRs)", kinmatch::cli::runMatch,
     "Matching"},
    {"validate", "check inputs and list every problem found, without matching", kinmatch::cli::runValidate,
     "Matching"},
    {"mtdna", "compare mtDNA haplotypes (compare) or call them from BAM/CRAM/VCF (call)", kinmatch::cli::runMtdna,
     "Lineage markers"},
    {"db", "create a case database, list its runs, look up and export results", kinmatch::cli::runDb, "Case database"},
    {"report", "write a static HTML report of a run (pedigrees, genotypes, LRs)", kinmatch::cli::runReport,
     "Case database"},
    {"simulate", "write a synthetic population of families and remains with an answer key",
     kinmatch::cli::runSimulate, "Testing"},
};

void printCommandList(std::ostream& out) {
    out << "\nProgram: kinmatch (DNA identification: match remains to missing persons' families)\n"
        << "Version: " << kinmatch::kVersion << "\n\n"
        << "Usage:   kinmatch <command> [options]\n\n";
    const char* category = "";
    for (const auto& c : kCommands) {
        if (std::string(category) != c.category) {
            category = c.category;
            out << " -- " << category << '\n';
        }
        out << "    " << c.name << std::string(12 - std::string(c.name).size(), ' ') << c.summary << '\n';
    }
    out << " -- Information\n"
        << "    help CMD    usage of a command\n"
        << "    --version   versions of kinmatch, htslib and oneTBB\n\n";
}

const Command* findCommand(const std::string& name) {
    for (const auto& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

// Removes a half-written output when the run is interrupted; unlink is async-signal-safe.
extern "C" void removePendingOutput(int signal) {
    kinmatch::formats::OutputFile::removePendingTemporaries();
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGINT, removePendingOutput);
    std::signal(SIGTERM, removePendingOutput);
    std::signal(SIGHUP, removePendingOutput);

    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printCommandList(std::cerr);
        return 1;
    }
    const std::string first = args.front();
    if (first == "--version") {
        std::cout << kinmatch::cli::versionLine() << '\n';
        return 0;
    }
    if (first == "--version-only") {
        std::cout << kinmatch::kVersion << '\n';
        return 0;
    }
    if (first == "-h" || first == "--help") {
        printCommandList(std::cout);
        return 0;
    }
    std::string commandName = first;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (first == "help") {
        if (rest.empty()) {
            printCommandList(std::cout);
            return 0;
        }
        commandName = rest.front();
        rest = {"--help"};
    }
    const Command* command = findCommand(commandName);
    if (!command) {
        std::cerr << "kinmatch: error: unknown command \"" << commandName << "\"\n";
        printCommandList(std::cerr);
        return 2;
    }
    if (rest.empty()) rest = {"--help"};

    std::string commandLine = "kinmatch";
    for (const auto& a : args) commandLine += " " + a;
    try {
        return command->run(rest, commandLine);
    } catch (const kinmatch::UsageError& e) {
        std::cout.flush();
        std::cerr << "kinmatch " << command->name << ": error: " << e.what() << "\n"
                  << "Try 'kinmatch help " << command->name << "' for the options.\n";
        return 2;
    } catch (const boost::program_options::error& e) {
        std::cout.flush();
        std::cerr << "kinmatch " << command->name << ": error: " << e.what() << "\n"
                  << "Try 'kinmatch help " << command->name << "' for the options.\n";
        return 2;
    } catch (const kinmatch::Error& e) {
        std::cout.flush();
        std::cerr << "kinmatch " << command->name << ": error: " << e.what() << '\n';
        return 1;
    } catch (const std::bad_alloc&) {
        std::cout.flush();
        std::cerr << "kinmatch " << command->name << ": error: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "kinmatch " << command->name << ": internal error (please report): " << e.what() << '\n';
        return 1;
    }
}
