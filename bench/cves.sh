#!/usr/bin/env bash
# Benchmarks `oxidation cves import` on the unpacked kernel CNA snapshot against a plain python3 json.load of the
# same files, in one run with a warm cache: the first import with the hybrid classifier (rules + the shipped light
# model: word n-grams and a linear model) and with the rules alone; a re-import of the unchanged checkout (the
# fingerprint matches: nothing to do); a forced re-import (every record read again, every classification from the
# cache); and an import of a snapshot with N records more than the last one (only the N are classified).
# Usage: bench/cves.sh [WORKDIR] [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="${1:-/tmp/oxidation-bench-cves}"
new="${2:-1000}"
archive="${OXIDATION_CVE_SNAPSHOT:-$(cd .. && pwd)/shared/data/kernel-cna-cves-2026-08-21.tar.xz}"
[ -f "$archive" ] || { echo "bench/cves.sh: $archive not found" >&2; exit 2; }
if [ ! -d "$work/cve" ]; then mkdir -p "$work" && tar -xJf "$archive" -C "$work"; fi
bin="$work/bin"
dotnet publish src/Oxidation.Cli/Oxidation.Cli.csproj -c Release -o "$bin" --nologo -v quiet >/dev/null
ox() { dotnet "$bin/Oxidation.Cli.dll" "$@"; }
db="$work/bench.duckdb"
rm -f "$db" "$db.wal" "$work/rules.duckdb" "$work/rules.duckdb.wal"
find "$work/cve" -type f -print0 | xargs -0 cat > /dev/null
t() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | awk '{printf "%.2f", $1 - $3}'; }
# The older snapshot: the same checkout without N published records (the last N by path).
old="$work/older"
rm -rf "$old" && mkdir -p "$old" && cp -r "$work/cve" "$old/cve"
find "$old/cve/published" -name '*.json' | sort | tail -n "$new" | xargs rm -f
py_s=$(t python3 -c "
import json, glob
for f in glob.glob('$work/cve/*/*/*.json'):
    with open(f) as h: json.load(h)")
import_s=$(t ox cves import "$work" --db "$db" --force)
rules_s=$(t ox cves import "$work" --db "$work/rules.duckdb" --force --rules-only)
/usr/bin/time -o "$work/time.txt" -f %M dotnet "$bin/Oxidation.Cli.dll" cves import "$work" --db "$db" --force >/dev/null 2>&1 || true
peak_kb=$(tail -1 "$work/time.txt")
reimport_s=$(t ox cves import "$work" --db "$db")
forced_s=$(t ox cves import "$work" --db "$db" --force)
# N new records: import the older snapshot into a fresh database, then the full one (N records it has not seen).
rm -f "$work/new.duckdb" "$work/new.duckdb.wal"
ox cves import "$old" --db "$work/new.duckdb" >/dev/null 2>&1 || true
new_s=$(t ox cves import "$work" --db "$work/new.duckdb")
classified=$(ox cves import "$old" --db "$work/new.duckdb" --json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['classified'])")
awk -v p="$py_s" -v i="$import_s" -v ru="$rules_s" -v r="$reimport_s" -v f="$forced_s" -v n="$new_s" -v k="$new" -v m="$peak_kb" 'BEGIN {
  printf "python3 json.load of every record:                       %6.2f s\n", p
  printf "first import, hybrid (parse, classify, store):           %6.2f s = %.2fx python, peak %d MiB\n", i, i / p, m / 1024
  printf "first import, --rules-only:                              %6.2f s = %.2fx python\n", ru, ru / p
  printf "re-import of the unchanged checkout:                     %6.2f s\n", r
  printf "forced re-import, every classification from the cache:   %6.2f s = %.2fx python\n", f, f / p
  printf "import with %d new records (only they are classified):  %6.2f s = %.2fx python; %.2f s over the forced re-import\n", k, n, n / p, n - f
}'
echo "(going back to the older snapshot classified $classified records: the cache holds both)"
