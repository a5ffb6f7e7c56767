#!/usr/bin/env python3
"""Draws the CVE labelling sample of docs/cve-labelling.md (v1) from the kernel CNA snapshot.

Reproducible: fixed seed, published records only, the 150 records already labelled
(tests/Oxidation.Tests/Fixtures/cve-labels.tsv) left out, allocation proportional to each year's
published records (largest remainder, at least one per year), then each year's draw split at random
into held-out and training records, and a subset marked for a second, independent reading.

  python3 scripts/labels/sample.py SNAPSHOT_DIR > data/cve-labels/sample-v1.tsv

SNAPSHOT_DIR is the unpacked snapshot (tar -xJf kernel-cna-cves-2026-08-21.tar.xz -C DIR).
"""
import os
import random
import sys

SEED = 20261202
TOTAL = 660
HOLDOUT = 220
SECOND = 120  # second reading: 60 from the held-out records, 60 from the training records

root = sys.argv[1]
labelled = set()
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "tests", "Oxidation.Tests", "Fixtures", "cve-labels.tsv")) as f:
    for line in f:
        if line.startswith("#") or line.startswith("id\t"):
            continue
        labelled.add(line.split("\t")[0])

published = os.path.join(root, "cve", "published")
years = {}
for year in sorted(os.listdir(published)):
    ids = sorted(n[:-5] for n in os.listdir(os.path.join(published, year)) if n.endswith(".json"))
    rest = [i for i in ids if i not in labelled]
    if rest:  # 2019's two published records are both among the earlier labels
        years[year] = rest

population = sum(len(v) for v in years.values())
quota = {y: max(1, TOTAL * len(v) // population) for y, v in years.items()}
remainders = sorted(years, key=lambda y: -(TOTAL * len(years[y]) / population - TOTAL * len(years[y]) // population))
i = 0
while sum(quota.values()) < TOTAL:
    quota[remainders[i % len(remainders)]] += 1
    i += 1

rng = random.Random(SEED)
drawn = []
for year in sorted(years):
    drawn += [(year, cve) for cve in rng.sample(years[year], quota[year])]
rng.shuffle(drawn)
holdout = set(c for _, c in drawn[:HOLDOUT])
second = set(c for _, c in drawn[:SECOND // 2]) | set(c for _, c in drawn[HOLDOUT:HOLDOUT + SECOND // 2])

print(f"# CVE labelling sample v1: seed {SEED}, {TOTAL} published records of the 2026-08-21 snapshot, "
      f"stratified by year ({' '.join(f'{y}:{quota[y]}' for y in sorted(quota))}), the 150 earlier labels left out.")
print(f"# set=holdout ({HOLDOUT}): labelled first, scored once at the end; set=train: for rules and models. "
      f"second=yes: read again independently ({SECOND}).")
print("id\tyear\tset\tsecond")
for year, cve in drawn:
    print(f"{cve}\t{year}\t{'holdout' if cve in holdout else 'train'}\t{'yes' if cve in second else 'no'}")
