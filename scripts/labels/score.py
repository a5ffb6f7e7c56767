#!/usr/bin/env python3
"""Scores a classification of the CVE snapshot against hand labels (docs/cve-labelling.md).

  ./oxidation cves classify --json > classify.json
  ./oxidation cves stats --json --as-of 2026-08-21 > stats.json
  python3 scripts/labels/score.py classify.json stats.json data/cve-labels/labels-v1.tsv --set holdout

--set holdout is run once, at the end (the held-out records were never used for rules or models); --set train
checks the script itself. Prints Markdown: exact class, memorySafety and preventedBySafeRust agreement (Wilson 95%
intervals), per-class precision and recall, and whether the corrected shares' 95% intervals of stats.json contain
the hand-labelled shares of the scored records (with their own sampling intervals).
"""
import argparse
import json
import math
from collections import Counter

MEMORY = {"use-after-free", "double-free", "out-of-bounds", "uninitialized", "invalid-pointer"}
PREVENTED = MEMORY | {"null-deref", "data-race"}


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (c - h, c + h)


def pct(x):
    return f"{100 * x:.1f}%"


ap = argparse.ArgumentParser()
ap.add_argument("classify")
ap.add_argument("stats")
ap.add_argument("labels")
ap.add_argument("--set", required=True, choices=["holdout", "train"])
a = ap.parse_args()

predicted = {r["id"]: r["class"] for r in json.load(open(a.classify))}
stats = json.load(open(a.stats))
rows = []
for line in open(a.labels):
    if line.startswith("#") or line.startswith("id\t"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[2] == a.set:
        rows.append((f[0], f[3], f[4]))

n = len(rows)
missing = [i for i, _, _ in rows if i not in predicted]
exact = sum(predicted.get(i) == c for i, c, _ in rows)
exact_alt = sum(predicted.get(i) in (c, alt) for i, c, alt in rows)
ms = sum((predicted.get(i) in MEMORY) == (c in MEMORY) for i, c, _ in rows)
pr = sum((predicted.get(i) in PREVENTED) == (c in PREVENTED) for i, c, _ in rows)

print(f"# Score on the {a.set} labels ({n} records of {a.labels})\n")
if missing:
    print(f"{len(missing)} labelled records have no classification: {', '.join(missing)}\n")
print("| measure | agreement | 95% interval |\n|---|---|---|")
for name, k in (("exact class", exact), ("class or its alt", exact_alt), ("memorySafety", ms), ("preventedBySafeRust", pr)):
    lo, hi = wilson(k, n)
    print(f"| {name} | {k}/{n} = {pct(k / n)} | {pct(lo)}–{pct(hi)} |")

print("\n| class | labelled | predicted | correct | precision | recall |\n|---|---|---|---|---|---|")
truth = Counter(c for _, c, _ in rows)
pred = Counter(predicted.get(i) for i, _, _ in rows)
for cls in sorted(set(truth) | set(k for k in pred if k)):
    ok = sum(1 for i, c, _ in rows if c == cls and predicted.get(i) == cls)
    p = f"{pct(ok / pred[cls])}" if pred[cls] else "–"
    r = f"{pct(ok / truth[cls])}" if truth[cls] else "–"
    print(f"| {cls} | {truth[cls]} | {pred[cls]} | {ok} | {p} | {r} |")

print("\n| share | hand-labelled on these records (95%) | corrected, whole snapshot (95%) | interval contains hand share |\n|---|---|---|---|")
for name, group, key in (("memorySafety", MEMORY, "memorySafetyCorrected"), ("preventedBySafeRust", PREVENTED, "preventedBySafeRustCorrected")):
    k = sum(c in group for _, c, _ in rows)
    lo, hi = wilson(k, n)
    s = stats[key]
    inside = s["low"] <= k / n <= s["high"]
    print(f"| {name} | {pct(k / n)} ({pct(lo)}–{pct(hi)}) | {pct(s['corrected'])} ({pct(s['low'])}–{pct(s['high'])}), "
          f"width {100 * (s['high'] - s['low']):.1f} pts | {'yes' if inside else 'no'} |")
