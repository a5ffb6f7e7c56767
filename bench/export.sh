#!/usr/bin/env bash
# Benchmarks `oxidation export` and `oxidation merge` on a database holding three scanned releases (Debian's 6.1 and
# 6.12 tarballs, and the 6.12 tree unpacked and scanned again as release 6.12.999, a stand-in for a vendor variant),
# the kernel CNA snapshot and a history (bench/make_history.py, default 20,000 commits). The peer is `cp` of the
# database file: the least an export of the same data can cost. Merge is timed for one, two and three releases
# (plus the snapshot and the history), as seconds per million rows.
# Usage: bench/export.sh [COMMITS] [WORKDIR]; REUSE=1 keeps the databases of an earlier run in WORKDIR (only the
# timings are run again; on this shared 2-core machine the load of other work moves them several-fold).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
commits="${1:-20000}"
work="${2:-/tmp/oxidation-bench-export}"
snapshot="${SNAPSHOT:-../shared/data/kernel-cna-cves-2026-08-21.tar.xz}"
[ -f "$snapshot" ] || snapshot=/work/shared/data/kernel-cna-cves-2026-08-21.tar.xz
if [ "${REUSE:-0}" != 1 ] || [ ! -f "$work/all.duckdb" ]; then
  REUSE=0
  rm -rf "$work" && mkdir -p "$work"
fi
bin="$work/bin"
dotnet publish src/Oxidation.Cli/Oxidation.Cli.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$bin" --nologo -v quiet >/dev/null
ox() { dotnet "$bin/Oxidation.Cli.dll" "$@"; }
t() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/stderr.txt" || { echo "bench: failed: $*: $(tail -3 "$work/stderr.txt")" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | awk '{printf "%.2f", $1 - $3}'
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
runs="${RUNS:-3}"

# The three releases, each in its own database (for the merge) and all in one (for the export).
if [ "$REUSE" != 1 ]; then
mkdir -p "$work/variant"
tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$work/variant" --strip-components=1
sed -i 's/^SUBLEVEL = .*/SUBLEVEL = 999/' "$work/variant/Makefile"
ox --db "$work/r1.duckdb" scan /usr/src/linux-source-6.1.tar.xz >/dev/null 2>&1
ox --db "$work/r2.duckdb" scan /usr/src/linux-source-6.12.tar.xz >/dev/null 2>&1
ox --db "$work/r3.duckdb" scan "$work/variant" >/dev/null 2>&1
rm -rf "$work/variant"
ox --db "$work/cves.duckdb" cves import "$snapshot" >/dev/null 2>&1
mkdir -p "$work/repo"
git -C "$work/repo" init --quiet
python3 bench/make_history.py "$commits" | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" checkout --quiet master
ox --db "$work/history.duckdb" history "$work/repo" --since v6.1 >/dev/null 2>&1
ox merge "$work/all.duckdb" "$work/r1.duckdb" "$work/r2.duckdb" "$work/r3.duckdb" "$work/cves.duckdb" "$work/history.duckdb" >/dev/null
fi
echo "load average before the timings: $(cut -d' ' -f1-3 /proc/loadavg)"

exports=() copies=()
for i in $(seq "$runs"); do
  rm -rf "$work/out"
  exports+=("$(t ox --db "$work/all.duckdb" export --out "$work/out")")
  rm -f "$work/copy.duckdb"
  copies+=("$(t cp "$work/all.duckdb" "$work/copy.duckdb")")
done
export_s=$(median "${exports[@]}") copy_s=$(median "${copies[@]}")
rows=$(python3 -c 'import json,sys; print(sum(t["rows"] for t in json.load(open(sys.argv[1]))["tables"]))' "$work/out/manifest.json")
echo "export runs: ${exports[*]}; cp runs: ${copies[*]}"
echo "export of 3 releases + CVE snapshot + history ($rows rows, $(du -sh "$work/out" | cut -f1) of Parquet from a $(du -h "$work/all.duckdb" | cut -f1) database): ${export_s} s (target < 5 s); cp of the database ${copy_s} s; ratio $(awk -v e="$export_s" -v c="$copy_s" 'BEGIN {printf "%.1f", e / (c > 0 ? c : 0.01)}')x"

# Merge time against rows: exports of one, two and three releases (each with the snapshot and the history).
for n in 1 2 3; do
  rm -rf "$work/e$n"
  ox --db "$work/r$n.duckdb" export --out "$work/e$n" >/dev/null
done
rm -rf "$work/ecves" "$work/ehistory"
ox --db "$work/cves.duckdb" export --out "$work/ecves" >/dev/null
ox --db "$work/history.duckdb" export --out "$work/ehistory" >/dev/null
inputs=("$work/ecves" "$work/ehistory")
for n in 1 2 3; do
  inputs+=("$work/e$n")
  merges=()
  for i in $(seq "$runs"); do
    rm -f "$work/m.duckdb"
    merges+=("$(t ox merge "$work/m.duckdb" "${inputs[@]}")")
  done
  m=$(median "${merges[@]}")
  r=$(python3 -c 'import json,sys; print(sum(t["rows"] for d in sys.argv[1:] for t in json.load(open(d + "/manifest.json"))["tables"]))' "${inputs[@]}")
  echo "merge of $n release(s) + snapshot + history: $r rows, ${m} s (runs ${merges[*]}), $(awk -v s="$m" -v r="$r" 'BEGIN {printf "%.2f", s / r * 1e6}') s per million rows"
done
