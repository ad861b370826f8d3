#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate kinmatch's sample identification case in sample-data/.

Every person in the output is simulated: founders draw alleles from a public
East Asian STR frequency table, descendants inherit by Mendelian transmission
with an `equal` mutation model. The case is meant to exercise the engine on
realistic shapes (partial profiles, loops, several missing persons per family)
while keeping an answer key (truth.tsv) so results can be judged.

It then runs scripts/make-sample-lineage.py for the mtDNA and Y-STR files.

Usage: python3 scripts/make-sample-data.py [--source FREQ.csv] [--out DIR]
"""

import argparse
import importlib.util
import os
import random
import sys

# A fixed seed keeps the sample data byte-identical across runs, so a diff in
# sample-data/ always means the generator itself changed.
SEED = 20240618

MUTATION_RATE = 0.002

# The 20 markers most East Asian and European kits share; restricting to them
# keeps the sample small while staying representative of casework.
MARKERS = [
    "D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11",
    "D18S51", "D2S441", "D19S433", "TH01", "FGA", "D22S1045", "D5S818",
    "D13S317", "D7S820", "D10S1248", "D1S1656", "D12S391", "D2S1338",
]

N_REMAINS = 60
N_NOT_RECOVERED = 4  # missing persons whose remains are not among the 60
DEGRADED_FRACTION = 1 / 3
DEGRADED_DROP = (0.20, 0.50)
N_REFS_WITH_GAPS = 4

# Off-table but genuinely observed D21S11 variant; the table stops at 34.2,
# so the engine must fall back to --rare-allele-freq and warn.
RARE_MARKER = "D21S11"
RARE_ALLELE = "36.2"

PROVENANCE_LINE = (
    "| `frequencies/norstr-east-asia-2023.csv` | STR allele frequencies, 40 markers, "
    "East Asian reference population, minimum frequency 0.001; converted to the "
    "EuroForMix CSV layout of `spec/formats.md` | GitHub magnusdv/norSTR, "
    "`data-raw/OstAsiaDB_v2023.txt` (Department of Forensic Sciences, Oslo) | MIT |"
)

# Family shapes. Each person: (role, father, mother, sex, kind) where kind is
# "T" typed reference, "U" untyped, "M" missing person. Roles become ids
# "<family>-<role>". A person with one known parent still gets an untyped
# placeholder for the other, because the format requires both or none.
FAMILIES = [
    ("parent-child, both parents typed", [
        ("father", "0", "0", 1, "T"),
        ("mother", "0", "0", 2, "T"),
        ("MP", "father", "mother", 1, "M"),
    ]),
    ("parent-child, mother typed", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "T"),
        ("MP", "father", "mother", 2, "M"),
    ]),
    ("parent-child, father typed", [
        ("father", "0", "0", 1, "T"),
        ("mother", "0", "0", 2, "U"),
        ("MP", "father", "mother", 1, "M"),
    ]),
    ("two full siblings, parents untyped", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "U"),
        ("MP", "father", "mother", 1, "M"),
        ("sister", "father", "mother", 2, "T"),
        ("brother", "father", "mother", 1, "T"),
    ]),
    ("three full siblings, parents untyped", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "U"),
        ("MP", "father", "mother", 2, "M"),
        ("sister1", "father", "mother", 2, "T"),
        ("sister2", "father", "mother", 2, "T"),
        ("brother", "father", "mother", 1, "T"),
    ]),
    ("paternal half-brother + mother", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "T"),
        ("stepmother", "0", "0", 2, "U"),
        ("MP", "father", "mother", 1, "M"),
        ("half-brother", "father", "stepmother", 1, "T"),
    ]),
    ("paternal grandparents, father untyped", [
        ("grandfather", "0", "0", 1, "T"),
        ("grandmother", "0", "0", 2, "T"),
        ("father", "grandfather", "grandmother", 1, "U"),
        ("mother", "0", "0", 2, "U"),
        ("MP", "father", "mother", 1, "M"),
    ]),
    ("maternal grandmother + full sister", [
        ("grandfather", "0", "0", 1, "U"),
        ("grandmother", "0", "0", 2, "T"),
        ("mother", "grandfather", "grandmother", 2, "U"),
        ("father", "0", "0", 1, "U"),
        ("MP", "father", "mother", 2, "M"),
        ("sister", "father", "mother", 2, "T"),
    ]),
    ("paternal uncle + mother", [
        ("grandfather", "0", "0", 1, "U"),
        ("grandmother", "0", "0", 2, "U"),
        ("father", "grandfather", "grandmother", 1, "U"),
        ("uncle", "grandfather", "grandmother", 1, "T"),
        ("mother", "0", "0", 2, "T"),
        ("MP", "father", "mother", 1, "M"),
    ]),
    ("maternal first cousin + cousin's mother (aunt)", [
        ("grandfather", "0", "0", 1, "U"),
        ("grandmother", "0", "0", 2, "U"),
        ("mother", "grandfather", "grandmother", 2, "U"),
        ("aunt", "grandfather", "grandmother", 2, "T"),
        ("father", "0", "0", 1, "U"),
        ("aunt-husband", "0", "0", 1, "U"),
        ("MP", "father", "mother", 1, "M"),
        ("cousin", "aunt-husband", "aunt", 2, "T"),
    ]),
    ("missing father, wife + 3 children typed", [
        ("MP", "0", "0", 1, "M"),
        ("wife", "0", "0", 2, "T"),
        ("son", "MP", "wife", 1, "T"),
        ("daughter1", "MP", "wife", 2, "T"),
        ("daughter2", "MP", "wife", 2, "T"),
    ]),
    ("missing mother, husband + 2 children typed", [
        ("husband", "0", "0", 1, "T"),
        ("MP", "0", "0", 2, "M"),
        ("son", "husband", "MP", 1, "T"),
        ("daughter", "husband", "MP", 2, "T"),
    ]),
    ("two missing siblings, mother + brother typed", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "T"),
        ("MP1", "father", "mother", 1, "M"),
        ("MP2", "father", "mother", 2, "M"),
        ("brother", "father", "mother", 1, "T"),
    ]),
    ("maternal line with great-grandmother", [
        ("great-grandfather", "0", "0", 1, "U"),
        ("great-grandmother", "0", "0", 2, "T"),
        ("grandmother", "great-grandfather", "great-grandmother", 2, "T"),
        ("grandfather", "0", "0", 1, "U"),
        ("mother", "grandfather", "grandmother", 2, "T"),
        ("father", "0", "0", 1, "U"),
        ("MP", "father", "mother", 1, "M"),
    ]),
    # The parents of the missing person are first cousins: the paternal
    # grandfather and the maternal grandmother are siblings, closing a loop.
    ("cousin marriage loop: MP is child of first cousins", [
        ("great-grandfather", "0", "0", 1, "U"),
        ("great-grandmother", "0", "0", 2, "U"),
        ("paternal-grandfather", "great-grandfather", "great-grandmother", 1, "U"),
        ("paternal-grandmother", "0", "0", 2, "U"),
        ("maternal-grandmother", "great-grandfather", "great-grandmother", 2, "T"),
        ("maternal-grandfather", "0", "0", 1, "U"),
        ("father", "paternal-grandfather", "paternal-grandmother", 1, "T"),
        ("mother", "maternal-grandfather", "maternal-grandmother", 2, "U"),
        ("MP", "father", "mother", 2, "M"),
        ("brother", "father", "mother", 1, "T"),
    ]),
    ("single full brother, parents untyped", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "U"),
        ("MP", "father", "mother", 1, "M"),
        ("brother", "father", "mother", 1, "T"),
    ]),
    ("maternal aunt only", [
        ("grandfather", "0", "0", 1, "U"),
        ("grandmother", "0", "0", 2, "U"),
        ("mother", "grandfather", "grandmother", 2, "U"),
        ("aunt", "grandfather", "grandmother", 2, "T"),
        ("father", "0", "0", 1, "U"),
        ("MP", "father", "mother", 2, "M"),
    ]),
    ("missing mother and son, husband + daughter typed", [
        ("father", "0", "0", 1, "T"),
        ("MP-mother", "0", "0", 2, "M"),
        ("MP-son", "father", "MP-mother", 1, "M"),
        ("daughter", "father", "MP-mother", 2, "T"),
    ]),
    ("maternal grandparents + father typed", [
        ("grandfather", "0", "0", 1, "T"),
        ("grandmother", "0", "0", 2, "T"),
        ("mother", "grandfather", "grandmother", 2, "U"),
        ("father", "0", "0", 1, "T"),
        ("MP", "father", "mother", 1, "M"),
    ]),
    ("mother + full brother typed", [
        ("father", "0", "0", 1, "U"),
        ("mother", "0", "0", 2, "T"),
        ("MP", "father", "mother", 2, "M"),
        ("brother", "father", "mother", 1, "T"),
    ]),
]


def allele_key(a):
    # Labs list alleles in numeric order (9.3 after 9, before 10).
    try:
        return (0, float(a), a)
    except ValueError:
        return (1, 0.0, a)


def read_frequencies(path):
    """Return (header, rows, freqs) with rows kept as raw strings.

    Raw strings are kept so the copied table is byte-faithful to the source:
    the brief forbids renormalising or reformatting published values.
    """
    with open(path, encoding="utf-8") as f:
        lines = [ln.rstrip("\r\n") for ln in f if ln.strip()]
    header = [c.strip() for c in lines[0].split(",")]
    rows = [ln.split(",") for ln in lines[1:]]
    wanted = {m.upper() for m in MARKERS}
    cols = [j for j, name in enumerate(header) if j > 0 and name.upper() in wanted]
    missing = wanted - {header[j].upper() for j in cols}
    if missing:
        sys.exit(f"markers not in {path}: {sorted(missing)}")
    out_header = [header[0]] + [header[j] for j in cols]
    out_rows = []
    freqs = {header[j]: [] for j in cols}
    for r in rows:
        r = r + [""] * (len(header) - len(r))
        cells = [r[j].strip() for j in cols]
        if not any(cells):
            continue  # allele used only by markers we dropped
        out_rows.append([r[0].strip()] + cells)
        for j, c in zip(cols, cells):
            if c:
                freqs[header[j]].append((r[0].strip(), float(c)))
    # Canonical marker names follow MARKERS (source spelling may differ in case).
    by_upper = {m.upper(): m for m in MARKERS}
    freqs = {by_upper[k.upper()]: v for k, v in freqs.items()}
    return out_header, out_rows, freqs


class Simulator:
    def __init__(self, rng, freqs):
        self.rng = rng
        self.freqs = freqs
        self.mutations = []

    def draw_allele(self, marker):
        # Normalise only for drawing; the written table stays as published.
        table = self.freqs[marker]
        total = sum(p for _, p in table)
        u = self.rng.random() * total
        acc = 0.0
        for allele, p in table:
            acc += p
            if u < acc:
                return allele
        return table[-1][0]

    def founder(self):
        return {m: (self.draw_allele(m), self.draw_allele(m)) for m in MARKERS}

    def transmit(self, parent, marker, who):
        allele = parent[marker][self.rng.random() < 0.5]
        if self.rng.random() < MUTATION_RATE:
            # `equal` model: any other allele of the database is equally likely.
            others = [a for a, _ in self.freqs[marker] if a != allele]
            new = self.rng.choice(others)
            self.mutations.append((who, marker, allele, new))
            allele = new
        return allele

    def child(self, father, mother, who):
        return {
            m: (self.transmit(father, m, who), self.transmit(mother, m, who))
            for m in MARKERS
        }


def build_families():
    fams = []
    for i, (shape, people) in enumerate(FAMILIES, start=1):
        fid = f"FAM-{i:02d}"
        persons = []
        for role, fa, mo, sex, kind in people:
            persons.append({
                "family": fid,
                "id": f"{fid}-{role}",
                "father": "0" if fa == "0" else f"{fid}-{fa}",
                "mother": "0" if mo == "0" else f"{fid}-{mo}",
                "sex": sex,
                "kind": kind,
                "sample": ".",
            })
        fams.append({"id": fid, "shape": shape, "persons": persons})
    return fams


def simulate_family(sim, fam):
    # People are listed parents-first, so a single pass suffices; the assert
    # guards against a future edit that breaks that ordering.
    geno = {}
    for p in fam["persons"]:
        if p["father"] == "0":
            geno[p["id"]] = sim.founder()
        else:
            assert p["father"] in geno and p["mother"] in geno, p["id"]
            geno[p["id"]] = sim.child(geno[p["father"]], geno[p["mother"]], p["id"])
    return geno


def fmt_genotype(pair):
    a, b = sorted(pair, key=allele_key)
    return a, b


def write_profiles(path, profiles):
    """profiles: list of (sample, {marker: (a, b)}) in output order."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("SampleName,Marker,Allele1,Allele2\n")
        for name, prof in profiles:
            for m in MARKERS:
                if m in prof:
                    a, b = fmt_genotype(prof[m])
                    f.write(f"{name},{m},{a},{b}\n")


def validate(fams, ref_names):
    # Mirrors the pedigree errors of formats.md §3, so a bad edit to FAMILIES
    # fails here rather than in the engine's reader.
    for fam in fams:
        ids = {p["id"]: p for p in fam["persons"]}
        assert len(ids) == len(fam["persons"]), f"duplicate id in {fam['id']}"
        for p in fam["persons"]:
            assert (p["father"] == "0") == (p["mother"] == "0"), p["id"]
            if p["father"] != "0":
                assert ids[p["father"]]["sex"] == 1, p["id"]
                assert ids[p["mother"]]["sex"] == 2, p["id"]
            assert p["sample"] == "." or p["sample"] in ref_names, p["id"]
        assert any(p["kind"] == "M" for p in fam["persons"]), fam["id"]
        for p in fam["persons"]:
            stack, seen = [p["father"], p["mother"]], set()
            while stack:
                q = stack.pop()
                if q == "0" or q in seen:
                    continue
                assert q != p["id"], f"{p['id']} is their own ancestor"
                seen.add(q)
                stack += [ids[q]["father"], ids[q]["mother"]]
        typed = sum(p["kind"] == "T" for p in fam["persons"])
        assert 1 <= typed <= 4, fam["id"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    default_src = os.path.join(root, "..", "shared", "data", "frequencies",
                               "norstr-east-asia-2023.csv")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default=None,
                    help="norSTR East Asia CSV (default: ../shared/data/frequencies/"
                         "norstr-east-asia-2023.csv, else the existing "
                         "sample-data/frequencies.csv, which is a verbatim subset)")
    ap.add_argument("--out", default=os.path.join(root, "sample-data"))
    args = ap.parse_args()

    src = args.source
    if src is None:
        src = default_src
        if not os.path.exists(src):
            src = os.path.join(args.out, "frequencies.csv")
    header, rows, freqs = read_frequencies(src)
    os.makedirs(args.out, exist_ok=True)

    rng = random.Random(SEED)
    sim = Simulator(rng, freqs)
    fams = build_families()

    # --- families and references -------------------------------------------
    references = []
    missing_persons = []  # (family, id, genotype)
    ref_no = 0
    for fam in fams:
        geno = simulate_family(sim, fam)
        for p in fam["persons"]:
            if p["kind"] == "T":
                ref_no += 1
                p["sample"] = f"REF-{ref_no:04d}"
                references.append((p["sample"], dict(geno[p["id"]])))
            elif p["kind"] == "M":
                missing_persons.append((fam["id"], p["id"], geno[p["id"]]))

    # Some family references miss a marker or two, as with failed re-runs or
    # older kits; the engine must treat those as untyped, not as exclusions.
    for name, prof in rng.sample(references, N_REFS_WITH_GAPS):
        for m in rng.sample(MARKERS, rng.randint(1, 2)):
            del prof[m]

    # --- remains -----------------------------------------------------------
    recovered = rng.sample(missing_persons, len(missing_persons) - N_NOT_RECOVERED)
    recovered.sort(key=lambda t: t[1])  # stable order before shuffling
    remains = [{"truth": (fam, pid), "geno": dict(g)} for fam, pid, g in recovered]
    while len(remains) < N_REMAINS:
        remains.append({"truth": None, "geno": sim.founder()})
    # Shuffle so that position in the file says nothing about identity.
    rng.shuffle(remains)
    for i, r in enumerate(remains, start=1):
        r["name"] = f"UR-{i:04d}"

    # Old bones give partial profiles. Real loss favours long amplicons; dropping
    # loci at random is a simplification that still forces per-locus handling.
    n_degraded = round(N_REMAINS * DEGRADED_FRACTION)
    degraded = rng.sample(remains, n_degraded)
    for r in degraded:
        frac = rng.uniform(*DEGRADED_DROP)
        k = max(1, round(frac * len(MARKERS)))
        for m in rng.sample(MARKERS, k):
            del r["geno"][m]
        r["degraded"] = True

    # One unrelated remains carries an off-table allele so the sample job
    # shows the rare-allele warning; an unrelated one keeps truth.tsv clean.
    candidates = [r for r in remains if r["truth"] is None and RARE_MARKER in r["geno"]
                  and not r.get("degraded")]
    rare = rng.choice(candidates)
    keep = rng.choice(rare["geno"][RARE_MARKER])
    rare["geno"][RARE_MARKER] = (keep, RARE_ALLELE)
    assert all(a != RARE_ALLELE for a, _ in freqs[RARE_MARKER])

    # --- write -------------------------------------------------------------
    out = args.out
    with open(os.path.join(out, "frequencies.csv"), "w", encoding="utf-8",
              newline="\n") as f:
        for r in [header] + rows:
            f.write(",".join(r) + "\n")

    with open(os.path.join(out, "pedigrees.tsv"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write("family\tid\tfather\tmother\tsex\tsample\tmissing\n")
        for fam in fams:
            for p in fam["persons"]:
                f.write("\t".join([p["family"], p["id"], p["father"], p["mother"],
                                   str(p["sex"]), p["sample"],
                                   "1" if p["kind"] == "M" else "0"]) + "\n")

    write_profiles(os.path.join(out, "references.csv"), references)
    write_profiles(os.path.join(out, "remains.csv"),
                   [(r["name"], r["geno"]) for r in remains])

    truth = sorted((r["name"], *r["truth"]) for r in remains if r["truth"])
    with open(os.path.join(out, "truth.tsv"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write("remains\tfamily\tmissing\n")
        for row in truth:
            f.write("\t".join(row) + "\n")

    validate(fams, {n for n, _ in references})

    n_mp = len(missing_persons)
    n_typed = len(references)
    not_found = sorted(set(pid for _, pid, _ in missing_persons)
                       - {t[2] for t in truth})
    shapes = "\n".join(f"| {fam['id']} | {fam['shape']} | "
                       f"{sum(p['kind'] == 'T' for p in fam['persons'])} | "
                       f"{sum(p['kind'] == 'M' for p in fam['persons'])} |"
                       for fam in fams)
    degraded_true = sum(1 for r in degraded if r["truth"])

    with open(os.path.join(out, "PROVENANCE.md"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write(f"""# Provenance of sample-data/

`frequencies.csv` is a copy of `shared/data/frequencies/norstr-east-asia-2023.csv`
restricted to {len(MARKERS)} markers; rows and frequencies are exactly as in the source
(not renormalised). Source, as recorded in `shared/data/README.md`:

| file | what | source | licence |
|---|---|---|---|
{PROVENANCE_LINE}

Every person in `pedigrees.tsv`, `references.csv`, `remains.csv` and `truth.tsv` is
simulated by `scripts/make-sample-data.py` (seed {SEED}). No profile belongs to a real
person. Founders draw alleles from the frequencies above; children inherit one allele
from each parent, mutated with probability {MUTATION_RATE} per meiosis to another
allele of the table chosen uniformly (`equal` model).

Deliberate oddity: remains `{rare['name']}` carries {RARE_MARKER} allele `{RARE_ALLELE}`,
which is not in the frequency table, so a run on this data must warn about a rare
allele. That remains is an unrelated person (not in `truth.tsv`).
""")
        if sim.mutations:
            f.write("\nMutations that occurred during the simulation (person, marker, "
                    "parental allele -> transmitted allele):\n\n")
            for who, m, a, b in sim.mutations:
                f.write(f"- `{who}` {m}: {a} -> {b}\n")

    with open(os.path.join(out, "README.md"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write(f"""# Sample identification case

A small, entirely simulated disaster-victim / missing-person case for trying kinmatch.
Formats are those of `shared/spec/formats.md` §1-3.

| file | content |
|---|---|
| `frequencies.csv` | STR allele frequencies, {len(MARKERS)} markers, EuroForMix CSV (see `PROVENANCE.md`) |
| `pedigrees.tsv` | {len(fams)} families, {sum(len(f['persons']) for f in fams)} persons, {n_mp} missing persons |
| `references.csv` | {n_typed} family reference profiles (`REF-0001`..); a few lack 1-2 markers |
| `remains.csv` | {N_REMAINS} unidentified remains `UR-0001`..`UR-{N_REMAINS:04d}`; {n_degraded} are degraded (20-50% of markers missing) |
| `truth.tsv` | answer key: which remains is which missing person ({len(truth)} rows) |

{len(truth)} remains are truly a missing person ({degraded_true} of them degraded); the other
{N_REMAINS - len(truth)} are unrelated people. {len(not_found)} missing persons have no remains in the set
({', '.join(not_found)}). Remains `{rare['name']}` has an off-table {RARE_MARKER} allele on purpose.
The {len(sim.mutations)} mutations of the simulation are listed in `PROVENANCE.md`; a mutation
between a typed relative and a recovered missing person shows up as a Mendelian
inconsistency that only a mutation model explains.

| family | shape | typed | missing |
|---|---|---|---|
{shapes}

Regenerate (deterministic, fixed seed):

    python3 scripts/make-sample-data.py
""")

    print(f"families {len(fams)}, references {n_typed}, missing persons {n_mp}, "
          f"remains {N_REMAINS} ({len(truth)} true, {n_degraded} degraded), "
          f"mutations {len(sim.mutations)}, rare allele on {rare['name']}",
          file=sys.stderr)

    # The mtDNA and Y-STR files of the same people, from their own seed and random stream
    # (so nothing above depends on them); they also add their sections to the two .md files.
    spec = importlib.util.spec_from_file_location("make_sample_lineage",
                                                  os.path.join(here, "make-sample-lineage.py"))
    lineage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lineage)
    lineage.generate(out, os.path.join(root, "engine", "data", "rCRS.fasta"))


if __name__ == "__main__":
    main()
