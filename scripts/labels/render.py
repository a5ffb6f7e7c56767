#!/usr/bin/env python3
"""Renders CVE records as plain text for reading and labelling (docs/cve-labelling.md): subject, the whole
description, the fixed files and the CVSS scenario where there is one.

  python3 scripts/labels/render.py SNAPSHOT_DIR CVE-ID [CVE-ID ...]
"""
import json
import os
import sys

root = sys.argv[1]


def find(cve):
    year = cve.split("-")[1]
    for state in ("published", "rejected"):
        path = os.path.join(root, "cve", state, year, cve + ".json")
        if os.path.exists(path):
            return path
    raise SystemExit(f"{cve}: not in {root}")


for cve in sys.argv[2:]:
    record = json.load(open(find(cve)))
    cna = record["containers"]["cna"]
    text = next((d["value"] for d in cna.get("descriptions", []) if d.get("lang", "").startswith("en")), "")
    files = sorted({f for a in cna.get("affected", []) for f in a.get("programFiles", [])})
    scenario = [s["value"] for m in cna.get("metrics", []) for s in m.get("scenarios", [])]
    print(f"===== {cve}")
    print(text.strip())
    print(f"--- fixed files: {', '.join(files) if files else '(none)'}")
    for s in scenario:
        print("--- CVSS scenario: " + s.strip().replace("\n", " | "))
    print()
