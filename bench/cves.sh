#!/usr/bin/env bash
# Benchmarks `oxidation cves import` on the unpacked kernel CNA snapshot against a plain python3 json.load of the
# same files, in one run with a warm cache; then a re-import of the unchanged checkout.
# Usage: bench/cves.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="${1:-/tmp/oxidation-bench-cves}"
archive="$(cd .. && pwd)/shared/data/kernel-cna-cves-2026-08-21.tar.xz"
[ -f "$archive" ] || { echo "bench/cves.sh: $archive not found" >&2; exit 2; }
if [ ! -d "$work/cve" ]; then mkdir -p "$work" && tar -xJf "$archive" -C "$work"; fi
bin="$work/bin"
dotnet publish src/Oxidation.Cli/Oxidation.Cli.csproj -c Release -o "$bin" --nologo -v quiet >/dev/null
ox() { dotnet "$bin/Oxidation.Cli.dll" "$@"; }
db="$work/bench.duckdb"
rm -f "$db" "$db.wal"
find "$work/cve" -type f -print0 | xargs -0 cat > /dev/null
t() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | awk '{printf "%.2f", $1 - $3}'; }
py_s=$(t python3 -c "
import json, glob
for f in glob.glob('$work/cve/*/*/*.json'):
    with open(f) as h: json.load(h)")
import_s=$(t ox cves import "$work" --db "$db" --force)
/usr/bin/time -o "$work/time.txt" -f %M dotnet "$bin/Oxidation.Cli.dll" cves import "$work" --db "$db" --force >/dev/null 2>&1 || true
peak_kb=$(tail -1 "$work/time.txt")
reimport_s=$(t ox cves import "$work" --db "$db")
awk -v p="$py_s" -v i="$import_s" -v r="$reimport_s" -v m="$peak_kb" 'BEGIN {
  printf "python3 json.load of every record:   %6.2f s\n", p
  printf "oxidation cves import (parse, classify, store): %6.2f s = %.2fx python, peak %d MiB\n", i, i / p, m / 1024
  printf "re-import of the unchanged checkout: %6.2f s\n", r
}'
