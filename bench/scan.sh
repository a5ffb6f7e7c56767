#!/usr/bin/env bash
# Benchmarks `oxidation scan` against cloc and against simply reading every byte, in one run,
# on the unpacked linux-source-6.12 tree with a warm cache; then the tarball against `xz -dc`.
# Usage: bench/scan.sh [WORKDIR]   (WORKDIR gets the unpacked tree; default /tmp/oxidation-bench)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
work="${1:-/tmp/oxidation-bench}"
tarball=/usr/src/linux-source-6.12.tar.xz
tree="$work/linux-source-6.12"
if [ ! -f "$tree/Makefile" ]; then
  mkdir -p "$work" && tar -xJf "$tarball" -C "$work"
fi
# Build once into a private directory: a launcher call could rebuild mid-run if sources change.
bin="$work/bin"
dotnet publish src/Oxidation.Cli/Oxidation.Cli.csproj -c Release -o "$bin" --nologo -v quiet >/dev/null
ox() { dotnet "$bin/Oxidation.Cli.dll" "$@"; }
db="$work/bench.duckdb"
t() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | awk '{printf "%.2f", $1 - $3}'; }
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "warming the page cache" >&2
find "$tree" -type f -print0 | xargs -0 cat > /dev/null
read_s=$(t bash -c "find '$tree' -type f -print0 | xargs -0 cat > /dev/null")
scan_s=$(t ox scan "$tree" --db "$db")
scan_kb=$(peak dotnet "$bin/Oxidation.Cli.dll" scan "$tree" --no-store)
cloc_s=$(t cloc --quiet "$tree")
xz_s=$(t bash -c "xz -dc '$tarball' > /dev/null")
tar_s=$(t ox scan "$tarball" --no-store)
tar_kb=$(peak dotnet "$bin/Oxidation.Cli.dll" scan "$tarball" --no-store)
awk -v r="$read_s" -v s="$scan_s" -v c="$cloc_s" -v x="$xz_s" -v ts="$tar_s" -v m="$scan_kb" -v tm="$tar_kb" 'BEGIN {
  printf "read every byte (find | xargs cat): %6.2f s\n", r
  printf "oxidation scan (directory):        %6.2f s  = %.2fx reading, cloc/oxidation = %.1fx, peak %d MiB\n", s, s / r, c / s, m / 1024
  printf "cloc 1.96:                         %6.2f s\n", c
  printf "xz -dc of the tarball:             %6.2f s\n", x
  printf "oxidation scan (tarball):          %6.2f s  = %.2fx decompressing, peak %d MiB\n", ts, ts / x, tm / 1024
}'
