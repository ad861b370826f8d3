// SPDX-License-Identifier: MIT
// BM_ReadReferencesWhole: a references file parsed into a ProfileSet (formats::readProfileFile,
// the whole reading). BM_ReadReferencesCensus: the same file streamed into an
// engine::ReferenceCensus (formats::streamProfileFile, the streamed `kinmatch match`), finished.
// Both on both cores (the readers parse chunks in parallel), items = reference profiles,
// bytes = the file. Counter `kept_bytes_per_sample`: what the result holds per profile (the
// ProfileSet's estimated footprint, or the ReferenceStore's), which is what decides a national
// run's memory.
// The file: the references of a synthetic case (makeSyntheticCase), 21 markers, written once
// to the system temp dir.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "bench/SyntheticCase.hpp"
#include "engine/ReferenceCensus.hpp"
#include "formats/CaseStream.hpp"
#include "formats/ProfileReader.hpp"

namespace kinmatch::bench {

namespace {

struct ReferencesFile {
    std::string path;
    FrequencyTable frequencies;
    std::size_t profiles = 0;
    std::size_t bytes = 0;
};

const ReferencesFile& referencesFile() {
    static const ReferencesFile file = [] {
        const engine::PreparedCase prepared = makeSyntheticCase({.families = 20000});
        ReferencesFile f;
        f.path = (std::filesystem::temp_directory_path() / "kinmatch-bench-references.csv").string();
        std::ofstream out(f.path, std::ios::binary);
        out << "SampleName,Marker,Allele1,Allele2\n";
        for (const engine::Sample& s : prepared.references) {
            for (std::size_t m = 0; m < prepared.markers.size(); ++m) {
                const engine::Genotype g = s.genotypes[m];
                if (!g.typed()) continue;
                const engine::Marker& marker = prepared.markers[m];
                out << s.name << ',' << marker.name << ',' << marker.alleles[static_cast<std::size_t>(g.allele1)] << ','
                    << marker.alleles[static_cast<std::size_t>(g.allele2)] << '\n';
            }
        }
        out.close();
        f.profiles = prepared.references.size();
        f.bytes = static_cast<std::size_t>(std::filesystem::file_size(f.path));
        f.frequencies.source = "synthetic";
        for (const engine::Marker& marker : prepared.markers)
            f.frequencies.markers.push_back(MarkerFrequencies{marker.name, marker.alleles, marker.frequencies, {}});
        return f;
    }();
    return file;
}

// A ProfileSet's heap and inline bytes, as the whole reading holds them until prepareCase.
std::size_t footprint(const ProfileSet& set) {
    std::size_t bytes = set.profiles.capacity() * sizeof(Profile);
    for (const Profile& p : set.profiles) {
        bytes += p.markers.capacity() * sizeof(MarkerCall);
        if (p.sampleName.size() >= sizeof(std::string)) bytes += p.sampleName.capacity() + 1;
    }
    return bytes;
}

void BM_ReadReferencesWhole(benchmark::State& state) {
    const ReferencesFile& file = referencesFile();
    std::size_t kept = 0;
    for (auto _ : state) {
        const ProfileSet set = formats::readProfileFile(file.path);
        kept = footprint(set);
        benchmark::DoNotOptimize(set.profiles.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * file.profiles));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.bytes));
    state.counters["kept_bytes_per_sample"] = static_cast<double>(kept) / static_cast<double>(file.profiles);
}
BENCHMARK(BM_ReadReferencesWhole)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadReferencesCensus(benchmark::State& state) {
    const ReferencesFile& file = referencesFile();
    std::size_t samples = 0;
    std::size_t kept = 0;
    for (auto _ : state) {
        Warnings warnings;
        engine::ReferenceCensus census(file.frequencies, engine::PrepareOptions{}, warnings);
        formats::streamProfileFile(file.path, [&](const Profile& p) { census.add(p); });
        const auto finished = census.finish(ProfileSet{}, file.path);
        samples = finished.references.size();
        kept = finished.references.memoryBytes();
        benchmark::DoNotOptimize(samples);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * file.profiles));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.bytes));
    state.counters["kept_bytes_per_sample"] = static_cast<double>(kept) / static_cast<double>(file.profiles);
    if (samples != file.profiles) state.SkipWithError("the census lost profiles");
}
BENCHMARK(BM_ReadReferencesCensus)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

}  // namespace kinmatch::bench
