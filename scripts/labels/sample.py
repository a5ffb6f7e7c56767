#!/usr/bin/env python3
"""Draws the CVE labelling samples of docs/cve-labelling.md from the kernel CNA snapshot.

Reproducible: fixed seed, published records only, the 150 records already labelled
(tests/Oxidation.Tests/Fixtures/cve-labels.tsv) left out, allocation proportional to each year's
published records (largest remainder, at least one per year), then each year's draw split at random
into held-out and training records, and a subset marked for a second, independent reading.

  python3 scripts/labels/sample.py SNAPSHOT_DIR > data/cve-labels/sample-v1.tsv
  python3 scripts/labels/sample.py SNAPSHOT_DIR 2 > data/cve-labels/sample-v2.tsv

Sample 2 (400 training records, seed 20261203) is drawn the same way from the records neither the 150 earlier
labels nor sample 1 hold; it has no held-out part (sample 1's 220 stay the one held-out set) and no second reading.

Sample 3 (240 records, seed 20261204, all held out) is drawn the same way from the records none of the earlier labels
or samples hold. Sample 1's held-out set was scored once (data/cve-labels/holdout-score-v1.md); a classifier changed
after that score is scored on sample 3, once, and sample 3 trains nothing.

  python3 scripts/labels/sample.py SNAPSHOT_DIR 3 > data/cve-labels/sample-v3.tsv

Sample 4 (480 records, seed 20261205: 240 held out, 240 for training) is drawn the same way from the records none of
the earlier labels or samples hold. Sample 3 was scored once (data/cve-labels/holdout-score-v3.md); once a held-out set
has been scored it is spent, and its records train like any other; the classifier changed after that is scored on
sample 4's 240 held-out records, once.

  python3 scripts/labels/sample.py SNAPSHOT_DIR 4 > data/cve-labels/sample-v4.tsv

Sample 5 (240 records, seed 20261206, all held out) is drawn the same way once sample 4's held-out records were scored
(data/cve-labels/holdout-score-v4.md): the next classifier change is scored on it, once.

  python3 scripts/labels/sample.py SNAPSHOT_DIR 5 > data/cve-labels/sample-v5.tsv

Sample 6 (480 records, seed 20261207: 240 held out, 240 for training) is drawn the same way once sample 5's held-out
records were scored (data/cve-labels/holdout-score-v5.md): samples 4 and 5's held-out records are then spent and train,
and the next classifier change is scored on sample 6's 240 held-out records, once.

  python3 scripts/labels/sample.py SNAPSHOT_DIR 6 > data/cve-labels/sample-v6.tsv

Sample 7 (240 records, seed 20261208, all held out) is drawn the same way once sample 6's held-out records were scored
(data/cve-labels/holdout-score-v6.md): the next classifier change is scored on it, once.

  python3 scripts/labels/sample.py SNAPSHOT_DIR 7 > data/cve-labels/sample-v7.tsv

SNAPSHOT_DIR is the unpacked snapshot (tar -xJf kernel-cna-cves-2026-08-21.tar.xz -C DIR).
"""
import os
import random
import sys

root = sys.argv[1]
VERSION = int(sys.argv[2]) if len(sys.argv) > 2 else 1
SEED, TOTAL, HOLDOUT, SECOND = {1: (20261202, 660, 220, 120), 2: (20261203, 400, 0, 0), 3: (20261204, 240, 240, 0), 4: (20261205, 480, 240, 0), 5: (20261206, 240, 240, 0), 6: (20261207, 480, 240, 0), 7: (20261208, 240, 240, 0)}[VERSION]
# SECOND (sample 1): 60 from the held-out records, 60 from the training records
labelled = set()
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "tests", "Oxidation.Tests", "Fixtures", "cve-labels.tsv")) as f:
    for line in f:
        if line.startswith("#") or line.startswith("id\t"):
            continue
        labelled.add(line.split("\t")[0])
for earlier in range(1, VERSION):
    with open(os.path.join(here, "..", "..", "data", "cve-labels", f"sample-v{earlier}.tsv")) as f:
        labelled |= {line.split("\t")[0] for line in f if line.startswith("CVE-")}

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

left_out = "the 150 earlier labels" + "".join(f" and sample v{v}" for v in range(1, VERSION))
print(f"# CVE labelling sample v{VERSION}: seed {SEED}, {TOTAL} published records of the 2026-08-21 snapshot, "
      f"stratified by year ({' '.join(f'{y}:{quota[y]}' for y in sorted(quota))}), {left_out} left out.")
print(f"# set=holdout ({HOLDOUT}): labelled first, scored once at the end; set=train: for rules and models. "
      f"second=yes: read again independently ({SECOND}).")
print("id\tyear\tset\tsecond")
for year, cve in drawn:
    print(f"{cve}\t{year}\t{'holdout' if cve in holdout else 'train'}\t{'yes' if cve in second else 'no'}")
