#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Add simulated mtDNA and Y-STR results to kinmatch's sample case in sample-data/.

Reads the families and the answer key that scripts/make-sample-data.py wrote
(pedigrees.tsv, truth.tsv, remains.csv) and never changes them: this script
draws from its own random stream (seed below), so the STR files stay
byte-identical. Writes mtdna-{references,remains,database}.tsv (formats.md
section 6), ystr-{references,remains,database}.csv (section 7),
truth-lineage.tsv (the mtDNA-only remains) and the lineage sections of
PROVENANCE.md and README.md.

The haplotypes come from the population model of engine/LineageSimulation
(ported here with the same structure and numbers, its own random numbers): a simulated
haplogroup tree with site-specific mutation rates, sub-lineages and private
mutations for mtDNA; a tree of modal haplotypes with stepwise YHRD-rate
mutations for the Yfiler Plus loci. Nobody here is a real person.

Usage: python3 scripts/make-sample-lineage.py [--out DIR] [--rcrs FASTA]
"""

import argparse
import bisect
import math
import os
import random
import sys

# A separate seed and stream: drawing here never moves make-sample-data.py's numbers.
SEED = 20240619
DATABASE_SIZE = 1500

# --- the model (numbers as in engine/LineageSimulationModel.hpp) --------------------------

HOT_SITES = {16519: 60, 152: 40, 16189: 30, 146: 25, 195: 25, 16311: 25, 16093: 20, 150: 20,
             16129: 18, 16362: 18, 16172: 12, 198: 12, 199: 10, 16086: 10, 16209: 10, 16274: 8,
             215: 8, 16291: 8, 16092: 8, 16304: 8, 16261: 8, 16278: 8, 16294: 8, 189: 8,
             200: 6, 204: 6, 207: 6, 16163: 6, 16266: 6, 16188: 6}
CR_CLASSES = [(0.6, 0.05), (0.3, 1.0), (0.09, 4.0), (0.01, 20.0)]
CODING_CLASSES = [(0.5, 0.02), (0.5, 0.2)]
ROOT = {(263, 0): "G", (315, 1): "C", (750, 0): "G", (1438, 0): "G", (4769, 0): "G",
        (8860, 0): "G", (15326, 0): "G"}
MT_LEVELS = [(8, 14, 5.0), (3, 8, 4.0), (2, 6, 3.0), (2, 5, 2.0)]
Y_LEVELS = [(6, 10, 130.0), (3, 6, 100.0), (2, 5, 70.0), (2, 4, 40.0)]
CLADE_ROOT_SHARE = 0.45
SUB_LINEAGES = 5000
TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}
IUPAC = {frozenset("AG"): "R", frozenset("CT"): "Y", frozenset("GT"): "K",
         frozenset("AC"): "M", frozenset("CG"): "S", frozenset("AT"): "W"}

# Yfiler Plus in kit order: name, copies, modal alleles, in the 17-locus Yfiler, YHRD
# release 61 rate per copy (engine/YstrMutationRates.cpp; DYS385 and DYF387S1 per-copy rates
# are the simulator's assumptions; DYS389II's own part is its rate minus DYS389I's).
Y_LOCI = [
    ("DYS576", 1, (18,), False, 1.26e-2), ("DYS389I", 1, (13,), True, 2.72e-3),
    ("DYS635", 1, (23,), True, 4.21e-3), ("DYS389II", 1, (29,), True, 4.33e-3 - 2.72e-3),
    ("DYS627", 1, (21,), False, 1.32e-2), ("DYS460", 1, (11,), False, 5.82e-3),
    ("DYS458", 1, (17,), True, 6.17e-3), ("DYS19", 1, (14,), True, 2.20e-3),
    ("Y-GATA-H4", 1, (12,), True, 3.01e-3), ("DYS448", 1, (19,), True, 1.39e-3),
    ("DYS391", 1, (10,), True, 2.53e-3), ("DYS456", 1, (16,), True, 4.41e-3),
    ("DYS390", 1, (24,), True, 2.08e-3), ("DYS438", 1, (12,), True, 3.51e-4),
    ("DYS392", 1, (13,), True, 4.96e-4), ("DYS518", 1, (38,), False, 1.46e-2),
    ("DYS570", 1, (17,), False, 1.14e-2), ("DYS437", 1, (15,), True, 1.32e-3),
    ("DYS385", 2, (11, 14), True, 1.5e-3), ("DYS449", 1, (30,), False, 9.44e-3),
    ("DYS393", 1, (13,), True, 1.07e-3), ("DYS439", 1, (12,), True, 5.46e-3),
    ("DYS481", 1, (22,), False, 4.88e-3), ("DYF387S1", 2, (35, 37), False, 6.0e-3),
    ("DYS533", 1, (12,), False, 3.68e-3),
]
Y_SLOTS = [(locus, copy) for locus, entry in enumerate(Y_LOCI) for copy in range(entry[1])]
Y_SPREAD = 6


def in_control_region(p):
    return p >= 16024 or p <= 576


class Model:
    """The population: mtDNA and Y haplogroup trees, built once from the seed."""

    def __init__(self, rng, rcrs):
        self.rng = rng
        self.rcrs = rcrs
        rates = []
        for p in range(1, len(rcrs) + 1):
            u = rng.random()
            for share, rate in (CR_CLASSES if in_control_region(p) else CODING_CLASSES):
                u -= share
                if u < 0:
                    break
            rates.append(0.0 if rcrs[p - 1] == "N" else HOT_SITES.get(p, rate))
        self.site_cdf = list(accumulate(rates))
        self.cr_cdf = list(accumulate(r if in_control_region(p + 1) else 0.0
                                      for p, r in enumerate(rates)))
        self.mt_leaves = []
        self.grow_mt(dict(ROOT), 0)
        self.mt_cdf = zipf_cdf(len(self.mt_leaves), rng)
        self.sub_cdf = list(accumulate((s + 1) ** -1.1 for s in range(SUB_LINEAGES)))
        self.sub_cache = {}
        self.y_leaves = []
        self.grow_y([10 * Y_LOCI[l][2][c] for l, c in Y_SLOTS], 0)
        self.y_cdf = zipf_cdf(len(self.y_leaves), rng)

    def base(self, hap, p):
        return hap.get((p, 0), self.rcrs[p - 1])

    def set_base(self, hap, p, b):
        if b == self.rcrs[p - 1]:
            hap.pop((p, 0), None)
        else:
            hap[(p, 0)] = b

    def mutate_mt(self, hap, rng, cdf=None, heteroplasmic=False):
        cdf = cdf or self.site_cdf
        p = pick(cdf, rng) + 1
        cur = self.base(hap, p)
        if cur not in TRANSITION:
            return None
        new = TRANSITION[cur]
        if rng.random() >= (0.97 if in_control_region(p) else 0.92):
            new = ("CT" if cur in "AG" else "AG")[rng.random() < 0.5]
        self.set_base(hap, p, IUPAC[frozenset(cur + new)] if heteroplasmic else new)
        return p

    def grow_mt(self, hap, level):
        if level == len(MT_LEVELS):
            self.mt_leaves.append(hap)
            return
        lo, hi, mean = MT_LEVELS[level]
        for _ in range(lo + int(self.rng.random() * (hi - lo + 1))):
            child = dict(hap)
            for _ in range(poisson(mean, self.rng)):
                self.mutate_mt(child, self.rng)
            if self.rng.random() < 0.02:
                self.set_base(child, 249, "-")
            self.grow_mt(child, level + 1)

    def draw_mt(self, rng):
        clade = pick(self.mt_cdf, rng)
        hap = dict(self.mt_leaves[clade])
        if rng.random() >= CLADE_ROOT_SHARE:
            sub = pick(self.sub_cdf, rng)
            key = (clade, sub)
            if key not in self.sub_cache:
                sub_rng = random.Random(f"{SEED}/sub/{clade}/{sub}")
                extra = dict(hap)
                for _ in range(1 + poisson(0.5, sub_rng)):
                    self.mutate_mt(extra, sub_rng)
                self.sub_cache[key] = extra
            hap = dict(self.sub_cache[key])
        for _ in range(poisson(2.5, rng)):
            self.mutate_mt(hap, rng)
        return hap

    def mutate_y(self, alleles, generations, rng):
        for s, (locus, _) in enumerate(Y_SLOTS):
            for _ in range(poisson(Y_LOCI[locus][4] * generations, rng)):
                size = 2 if rng.random() < 0.03 else 1
                steps = size if rng.random() < 0.5 else -size
                self.step_y(alleles, s, steps)
                if Y_LOCI[locus][0] == "DYS389I":
                    self.step_y(alleles, slot_of("DYS389II"), steps)

    @staticmethod
    def step_y(alleles, s, steps):
        locus, copy = Y_SLOTS[s]
        modal = 10 * Y_LOCI[locus][2][copy]
        partial = alleles[s] % 10
        v = alleles[s] - partial + 10 * steps
        lo, hi = modal - 10 * Y_SPREAD, modal + 10 * Y_SPREAD
        v = 2 * lo - v if v < lo else 2 * hi - v if v > hi else v
        alleles[s] = v + partial

    def grow_y(self, alleles, level):
        if level == len(Y_LEVELS):
            self.y_leaves.append(alleles)
            return
        lo, hi, generations = Y_LEVELS[level]
        for _ in range(lo + int(self.rng.random() * (hi - lo + 1))):
            child = list(alleles)
            self.mutate_y(child, generations, self.rng)
            if level == 0 and self.rng.random() < 0.15:
                child[slot_of("DYS458")] += 2
            self.grow_y(child, level + 1)

    def draw_y(self, rng):
        alleles = list(self.y_leaves[pick(self.y_cdf, rng)])
        self.mutate_y(alleles, 30.0 - 80.0 * math.log(1.0 - rng.random()), rng)
        return alleles


def accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def pick(cdf, rng):
    return min(bisect.bisect_right(cdf, rng.random() * cdf[-1]), len(cdf) - 1)


def poisson(mean, rng):
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def zipf_cdf(n, rng):
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    weight = [0.0] * n
    for rank, i in enumerate(order):
        weight[i] = (rank + 3.0) ** -1.5
    return list(accumulate(weight))


def slot_of(name):
    return next(s for s, (locus, _) in enumerate(Y_SLOTS) if Y_LOCI[locus][0] == name)


# --- typing ------------------------------------------------------------------------------

CONTROL_REGION = [(16024, 16569), (1, 576)]
HVS = [(16024, 16365), (73, 340)]
WHOLE = [(1, 16569)]
AMPLICONS = [(16024, 16150), (16151, 16270), (16271, 16365), (16366, 16480), (16481, 16569),
             (1, 120), (121, 240), (241, 340), (341, 470), (471, 576)]


def covered(rng_list, p):
    return any(a <= p <= b for a, b in rng_list)


def degraded_range(rng):
    loss = 0.15 + 0.45 * rng.random()
    kept = [a for a in AMPLICONS if rng.random() >= loss]
    while len(kept) < 2:
        a = AMPLICONS[int(rng.random() * len(AMPLICONS))]
        if a not in kept:
            kept.append(a)
    return merge(kept)


def merge(intervals):
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def type_mt(model, truth, ranges, rng, heteroplasmy=None):
    """A lab's result: the truth within `ranges`, C-stretch length variants, normalised order."""
    hap = {k: v for k, v in truth.items() if covered(ranges, k[0])}
    if covered(ranges, 309) and rng.random() < 0.35:
        hap[(309, 1)] = "C"
        if rng.random() < 0.3:
            hap[(309, 2)] = "C"
    long_stretch = hap.get((16189, 0)) == "C"
    if covered(ranges, 16193) and rng.random() < (0.7 if long_stretch else 0.01):
        hap[(16193, 1)] = "C"
        if long_stretch and rng.random() < 0.2:
            hap[(16193, 2)] = "C"
    if heteroplasmy:
        p, code = heteroplasmy
        hap[(p, 0)] = code
    return ranges, hap


def format_mt(name, ranges, hap):
    # EMPOP order: the 16xxx part first, then 1-576 and the coding region.
    first = sorted(r for r in ranges if r[0] >= 16024) + sorted(r for r in ranges if r[0] < 16024)
    range_text = ";".join(f"{a}-{b}" for a, b in first)
    def key(item):
        (p, ins), _ = item
        return (0 if p >= 16024 and first[0][0] >= 16024 else 1, p, ins)
    variants = []
    for (p, ins), b in sorted(hap.items(), key=key):
        variants.append(f"{p}del" if b == "-" else f"{p}.{ins}{b}" if ins else f"{p}{b}")
    return f"{name}\t{range_text}\t{' '.join(variants)}\n"


def type_y(alleles, rng, yfiler_only=False, loss=0.0, keep=()):
    out, s = [], 0
    for name, copies, _, in_yfiler, _ in Y_LOCI:
        values = sorted(set(alleles[s:s + copies]))
        s += copies
        lost = rng.random() < loss and name not in keep
        if (yfiler_only and not in_yfiler) or lost:
            continue
        out.append((name, [f"{v // 10}.{v % 10}" if v % 10 else str(v // 10) for v in values]))
    return out


def format_y(name, typed):
    return "".join(f"{name},{locus},{alleles[0]},{alleles[1] if len(alleles) > 1 else ''}\n"
                   for locus, alleles in typed)


# --- the sample case -----------------------------------------------------------------------

HOTSPOTS = [(303, 315), (452, 455), (456, 463), (568, 573), (956, 965), (5895, 5899),
            (8272, 8276), (8281, 8285), (16184, 16193)]


def differences(a_ranges, a, b_ranges, b, rcrs):
    """mt::compare's count: keys over the common range, hotspot length variants left out, a
    heteroplasmy matching either of its bases."""
    def counts(key, base):
        p, ins = key
        if not (covered(a_ranges, p) and covered(b_ranges, p)):
            return False
        return not ((ins or base == "-") and any(lo <= p <= hi for lo, hi in HOTSPOTS))
    n = 0
    for key in set(k for k, v in a.items() if counts(k, v)) | set(k for k, v in b.items() if counts(k, v)):
        implicit = rcrs[key[0] - 1] if key[1] == 0 else ""
        x, y = a.get(key, implicit), b.get(key, implicit)
        bases = {"R": "AG", "Y": "CT", "K": "GT", "M": "AC", "S": "CG", "W": "AT"}
        if not set(bases.get(x, x) or "_") & set(bases.get(y, y) or "_"):
            n += 1
    return n


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def lines_of(persons):
    """Per missing person: typed ids on the maternal line and (male) on the paternal line."""
    by_id = {p["id"]: p for p in persons}
    def top(pid, parent):
        while by_id[pid][parent] != "0":
            pid = by_id[pid][parent]
        return pid
    def through(pid, parent, root):
        while pid != root:
            if by_id[pid][parent] == "0":
                return False
            pid = by_id[pid][parent]
        return True
    out = {}
    for mp in (p for p in persons if p["missing"] == "1"):
        mother_top = top(mp["id"], "mother")
        maternal = [p["id"] for p in persons if p["sample"] != "." and through(p["id"], "mother", mother_top)]
        paternal = []
        if mp["sex"] == "1":
            father_top = top(mp["id"], "father")
            paternal = [p["id"] for p in persons if p["sample"] != "." and p["sex"] == "1"
                        and through(p["id"], "father", father_top)]
        out[mp["id"]] = (maternal, paternal)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(root, "sample-data"))
    ap.add_argument("--rcrs", default=os.path.join(root, "engine", "data", "rCRS.fasta"))
    args = ap.parse_args()
    generate(args.out, args.rcrs)


def generate(out, rcrs_path):
    with open(rcrs_path, encoding="ascii") as f:
        rcrs = "".join(line.strip() for line in f if not line.startswith(">"))
    assert len(rcrs) == 16569, rcrs_path
    model = Model(random.Random(SEED), rcrs)
    stream = lambda *key: random.Random("/".join(map(str, (SEED,) + key)))

    persons = read_tsv(os.path.join(out, "pedigrees.tsv"))
    truth_rows = read_tsv(os.path.join(out, "truth.tsv"))
    with open(os.path.join(out, "remains.csv"), encoding="utf-8") as f:
        markers = {}
        for line in list(f)[1:]:
            name = line.split(",")[0]
            markers[name] = markers.get(name, 0) + 1
    families = {}
    for p in persons:
        families.setdefault(p["family"], []).append(p)

    # Truth: founders from the population, children inherit without mutation, except the one
    # planted Y-STR step (FAM-03-MP is one DYS576 repeat above his father).
    Y_STEP = ("FAM-03-MP", "DYS576", +1)
    mt_truth, y_truth = {}, {}
    for fid, members in families.items():
        rng = stream("family", fid)
        for p in members:  # parents come first in pedigrees.tsv
            pid = p["id"]
            mt_truth[pid] = dict(mt_truth[p["mother"]]) if p["mother"] != "0" else model.draw_mt(rng)
            if p["sex"] == "1":
                y_truth[pid] = list(y_truth[p["father"]]) if p["father"] != "0" else model.draw_y(rng)
            if pid == Y_STEP[0]:
                Model.step_y(y_truth[pid], slot_of(Y_STEP[1]), Y_STEP[2])

    # References: most typed relatives on a missing person's lines, and a few others.
    HETEROPLASMY = "FAM-14-mother"  # her sample shows 16093Y; her relatives 16093 as rCRS
    must_mt = {"FAM-12-son", "FAM-12-daughter", "FAM-18-daughter", "FAM-09-mother", HETEROPLASMY}
    must_y = {"FAM-03-father"}
    on_maternal, on_paternal = set(), set()
    for members in families.values():
        for maternal, paternal in lines_of(members).values():
            on_maternal.update(maternal)
            on_paternal.update(paternal)
    mt_refs, y_refs, mt_ref_rows = [], [], {}
    for p in persons:
        if p["sample"] == ".":
            continue
        rng = stream("reference", p["sample"])
        u = rng.random()
        ranges = WHOLE if u < 0.07 else HVS if u < 0.17 else CONTROL_REGION
        if p["id"] in must_mt or rng.random() < (0.9 if p["id"] in on_maternal else 0.15):
            het = None
            if p["id"] == HETEROPLASMY:
                b = model.base(mt_truth[p["id"]], 16093)
                het = (16093, IUPAC[frozenset(b + TRANSITION[b])])
            ranges, hap = type_mt(model, mt_truth[p["id"]], ranges, rng, het)
            mt_ref_rows[p["id"]] = (ranges, hap)
            mt_refs.append(format_mt(p["sample"], ranges, hap))
        if p["sex"] == "1" and (p["id"] in must_y or rng.random() < (0.9 if p["id"] in on_paternal else 0.1)):
            older = rng.random() < 0.1 and p["id"] not in must_y  # the 17-locus kit lacks DYS576
            y_refs.append(format_y(p["sample"], type_y(y_truth[p["id"]], rng, yfiler_only=older)))

    # Remains: most give mtDNA, men often Y-STRs; the degraded STR profiles are degraded bones.
    true_of = {r["remains"]: r["missing"] for r in truth_rows}
    sex_of = {p["id"]: p["sex"] for p in persons}
    mt_rem, y_rem, mt_rem_rows = [], [], {}
    for name in sorted(markers):
        rng = stream("remains", name)
        mp = true_of.get(name)
        degraded = markers[name] < 20
        mt = mt_truth[mp] if mp else model.draw_mt(rng)
        male = sex_of[mp] == "1" if mp else rng.random() < 0.5
        y = y_truth[mp] if mp and male else model.draw_y(rng) if male else None
        if rng.random() < 0.92:
            # mtDNA has hundreds of copies per cell: half the bones that lost STR loci still
            # give a whole control region.
            u = rng.random()
            ranges = degraded_range(rng) if degraded and u < 0.5 else WHOLE if u > 0.95 else CONTROL_REGION
            mt_rem_rows[name] = type_mt(model, mt, ranges, rng)
            mt_rem.append(format_mt(name, *mt_rem_rows[name]))
        if y and (name == "UR-0030" or rng.random() < 0.7):
            keep = (Y_STEP[1],) if mp == Y_STEP[0] else ()
            y_rem.append(format_y(name, type_y(y, rng, loss=0.3 if degraded else 0.0, keep=keep)))

    # Old bones with mtDNA only (no STR profile, so not in remains.csv or truth.tsv): three are
    # missing persons no STR remains was found for, two are unrelated.
    BONES = [("UR-0061", "FAM-12", "FAM-12-MP", [(16024, 16365)]),
             ("UR-0062", "FAM-18", "FAM-18-MP-son", None),
             ("UR-0063", "FAM-09", "FAM-09-MP", CONTROL_REGION),
             ("UR-0064", ".", ".", HVS),
             ("UR-0065", ".", ".", None)]
    for name, fid, mp, ranges in BONES:
        rng = stream("bone", name)
        mt = mt_truth[mp] if mp != "." else model.draw_mt(rng)
        mt_rem_rows[name] = type_mt(model, mt, ranges or degraded_range(rng), rng)
        mt_rem.append(format_mt(name, *mt_rem_rows[name]))

    # Population databases, as in LineageSimulation::mtDatabase / yDatabase.
    mt_db, y_db = [], []
    for i in range(1, DATABASE_SIZE + 1):
        rng = stream("mt-database", i)
        u = rng.random()
        ranges = WHOLE if u < 0.07 else HVS if u < 0.17 else CONTROL_REGION
        truth = model.draw_mt(rng)
        het = None
        if rng.random() < 0.03:
            p = pick(model.cr_cdf, rng) + 1
            b = model.base(truth, p)
            if covered(ranges, p) and b in TRANSITION:
                het = (p, IUPAC[frozenset(b + TRANSITION[b])])
        mt_db.append(format_mt(f"MT-DB-{i:04d}", *type_mt(model, truth, ranges, rng, het)))
        rng = stream("y-database", i)
        y_db.append(format_y(f"Y-DB-{i:04d}", type_y(model.draw_y(rng), rng, yfiler_only=rng.random() < 0.25)))

    # The promise of the sample: every true pair on the maternal line shows no difference.
    pairs = [(r["remains"], r["missing"]) for r in truth_rows] + [(b[0], b[2]) for b in BONES if b[1] != "."]
    lines = {}
    for members in families.values():
        lines.update(lines_of(members))
    checked = 0
    for remains, mp in pairs:
        if remains not in mt_rem_rows:
            continue
        for relative in lines[mp][0]:
            if relative in mt_ref_rows:
                assert differences(*mt_rem_rows[remains], *mt_ref_rows[relative], rcrs) == 0, (remains, relative)
                checked += 1

    write(out, "mtdna-references.tsv", "SampleName\tRange\tHaplotype\n", mt_refs)
    write(out, "mtdna-remains.tsv", "SampleName\tRange\tHaplotype\n", mt_rem)
    write(out, "mtdna-database.tsv", "SampleName\tRange\tHaplotype\n", mt_db)
    write(out, "ystr-references.csv", "SampleName,Marker,Allele1,Allele2\n", y_refs)
    write(out, "ystr-remains.csv", "SampleName,Marker,Allele1,Allele2\n", y_rem)
    write(out, "ystr-database.csv", "SampleName,Marker,Allele1,Allele2\n", y_db)
    write(out, "truth-lineage.tsv", "remains\tfamily\tmissing\n", [f"{b[0]}\t{b[1]}\t{b[2]}\n" for b in BONES])

    facts = dict(mt_refs=len(mt_refs), y_refs=len(y_refs), mt_rem=len(mt_rem), y_rem=len(y_rem),
                 partial=sum(1 for r, _ in mt_rem_rows.values() if r not in (CONTROL_REGION, WHOLE)),
                 checked=checked)
    replace_section(os.path.join(out, "PROVENANCE.md"), provenance_text(facts))
    replace_section(os.path.join(out, "README.md"), readme_text(facts))
    print(f"mtDNA: {len(mt_refs)} references, {len(mt_rem)} remains ({facts['partial']} partial), "
          f"{DATABASE_SIZE} database; Y-STR: {len(y_refs)} references, {len(y_rem)} remains, "
          f"{DATABASE_SIZE} database; {checked} true maternal pairs checked", file=sys.stderr)


def write(out, name, header, rows):
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.writelines(rows)


SECTION = "## Lineage markers (mtDNA, Y-STR)"


def replace_section(path, text):
    """Replaces this script's section (from its heading to the end) or appends it."""
    with open(path, encoding="utf-8") as f:
        content = f.read()
    if SECTION in content:
        content = content[:content.index(SECTION)]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(content.rstrip("\n") + "\n\n" + text)


def provenance_text(facts):
    return f"""{SECTION}

`mtdna-*.tsv`, `ystr-*.csv` and `truth-lineage.tsv` are simulated by
`scripts/make-sample-lineage.py` (seed {SEED}, a random stream of its own, so the files
above are unchanged by it) for the people of `pedigrees.tsv` and the remains of `remains.csv`,
plus five mtDNA-only remains. No haplotype belongs to a real person, and no real population
data was used: the population model is the one of `engine/LineageSimulation` (see
`engine/README.md`, "Lineage simulation") with the same numbers and Python's random numbers;
who is typed, and with what range or kit, is chosen per sample by the script. mtDNA: a simulated
haplogroup tree with site-specific rates (hot sites such as 16519, 152, 16189), sub-lineages
and private mutations, rCRS from `engine/data/rCRS.fasta`; Y-STR: a tree of modal Yfiler Plus
haplotypes with stepwise mutation at the YHRD release 61 per-locus rates.

Within the 20 families nothing mutates on the lineage markers except where planted:

- `FAM-03-MP` (remains `UR-0030`) carries DYS576 one repeat above his father `REF-0004`:
  one differing locus, `inconclusive` by the SWGDAM rule, as a father-son mutation looks.
- `REF-0031` (`FAM-14-mother`) shows the point heteroplasmy `16093Y` (C/T); her mother,
  grandmother and the remains of her son (`UR-0051`) show one of its bases, so they still
  cannot be excluded.

The {facts['checked']} pairs of a true remains and a typed maternal relative show no
difference (the script checks this with mt::compare's rules before writing).
"""


def readme_text(facts):
    return f"""{SECTION}

Simulated by `scripts/make-sample-lineage.py` (see `PROVENANCE.md`); formats of
`shared/spec/formats.md` §6 (mtDNA, EMPOP-style TSV) and §7 (Y-STR, profile CSV).
Reference haplotypes are keyed by the sample names of `pedigrees.tsv`, remains by their names.

| file | content |
|---|---|
| `mtdna-references.tsv` | {facts['mt_refs']} relatives, most on a missing person's maternal line; control regions (16024-16569;1-576), a few whole mitogenomes and older HVS-I/II-only results |
| `mtdna-remains.tsv` | {facts['mt_rem']} remains: most of `UR-0001`..`UR-0060` and the mtDNA-only bones `UR-0061`..`UR-0065`; {facts['partial']} with partial ranges (lost mini-amplicons, HVS-I only) |
| `mtdna-database.tsv` | {DATABASE_SIZE} unrelated simulated haplotypes, the population database for match statistics |
| `ystr-references.csv` | {facts['y_refs']} men, most on a male missing person's paternal line; Yfiler Plus (27 loci, DYS385 and DYF387S1 two copies), a few the 17-locus Yfiler |
| `ystr-remains.csv` | {facts['y_rem']} male remains; degraded ones lack some loci |
| `ystr-database.csv` | {DATABASE_SIZE} unrelated simulated men, a quarter typed with Yfiler only |
| `truth-lineage.tsv` | answer key of the mtDNA-only bones: `UR-0061` is FAM-12-MP, `UR-0062` FAM-18-MP-son, `UR-0063` FAM-09-MP; `UR-0064`, `UR-0065` are unrelated (`.`) |

Planted on purpose: `UR-0030` and its father `REF-0004` differ by one DYS576 step (a Y-STR
mutation), `REF-0031` shows the heteroplasmy `16093Y`. Try:

    kinmatch mtdna compare --query sample-data/mtdna-remains.tsv \\
        --references sample-data/mtdna-references.tsv --database sample-data/mtdna-database.tsv

Regenerate (deterministic; also run by `scripts/make-sample-data.py`):

    python3 scripts/make-sample-lineage.py
"""


if __name__ == "__main__":
    main()
