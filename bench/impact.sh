#!/usr/bin/env bash
# Benchmarks issue 14's speed targets in one run, warm cache, on Debian's 6.12 tree:
#   the reach index in the scan      RustReach.Analyze timed apart (bench/reach-pass.cs: the scan has no switch to leave
#                                    it out), against the scan (target: adds <= 10%)
#   impact PATCH from the database   a 45-file patch (the 6.12 -> 6.1 diff of 45 changed include/linux headers; target < 1 s)
#   impact --symbol from the database, and coverage from the database (target < 1 s)
#   impact PATCH --repo --rev v6.12  the pre-image read from git objects (only the files the scan keeps), and --tree
# Each command is timed 5 times (median wall clock, and its user+sys CPU: on a shared machine the wall clock waits for cores).
# Usage: bench/impact.sh [WORKDIR]   (WORKDIR gets the unpacked tree; default /tmp/oxidation-bench)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
work="${1:-/tmp/oxidation-bench}"
tree="$work/linux-source-6.12"
if [ ! -f "$tree/Makefile" ]; then
  mkdir -p "$work" && tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$work"
fi
repo="$(scripts/make-release-repo.sh)"
bin="$work/bin"
dotnet publish src/Oxidation.Cli/Oxidation.Cli.csproj -c Release -o "$bin" --nologo -v quiet >/dev/null
ox() { dotnet "$bin/Oxidation.Cli.dll" "$@"; }
# Median of 5 runs: "wall cpu" seconds (GNU time's %e, and %U + %S).
median5() {
  local runs=() i log
  log="$(mktemp)"
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "%e %U %S" -o "$log" "$@" >/dev/null 2>&1 || true
    runs+=("$(awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$log")")
  done
  rm -f "$log"
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p
}
echo "warming the page cache" >&2
find "$tree" -type f -print0 | xargs -0 cat > /dev/null
cat "$repo"/objects/pack/* > /dev/null
db="$work/impact-bench.duckdb"
rm -f "$db"
ox scan "$tree" --db "$db" >/dev/null
patch="$work/impact-bench.patch"
mapfile -t headers < <(git -C "$repo" diff --name-only --diff-filter=M v6.12 v6.1 -- include/linux/ | head -45)
git -C "$repo" diff v6.12 v6.1 -- "${headers[@]}" > "$patch"
files=$(grep -c '^diff --git' "$patch")
lines=$(wc -l < "$patch")
echo "RustReach part of the scan (3 runs each)" >&2
reach="$(dotnet run bench/reach-pass.cs -- "$tree" 3)"
read -r patch_w patch_c < <(median5 dotnet "$bin/Oxidation.Cli.dll" impact "$patch" --db "$db")
declarations=$(ox impact "$patch" --db "$db" --json | grep -c '"verdict"')
read -r symbol_w symbol_c < <(median5 dotnet "$bin/Oxidation.Cli.dll" impact --symbol kmalloc --symbol 'struct phy_device' --db "$db")
read -r coverage_w coverage_c < <(median5 dotnet "$bin/Oxidation.Cli.dll" coverage --db "$db")
read -r version_w version_c < <(median5 dotnet "$bin/Oxidation.Cli.dll" --version)
read -r rev_w rev_c < <(median5 dotnet "$bin/Oxidation.Cli.dll" impact "$patch" --repo "$repo" --rev v6.12)
read -r dir_w dir_c < <(median5 dotnet "$bin/Oxidation.Cli.dll" impact "$patch" --tree "$tree")
echo "$reach"
printf 'a %d-file patch (%d lines), %d declarations touched; median of 5, wall clock (user+sys CPU), load %s\n' "$files" "$lines" "$declarations" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'oxidation --version (start-up):         %5.2f s (%.2f s)\n' "$version_w" "$version_c"
printf 'impact PATCH --db (target < 1 s):       %5.2f s (%.2f s)\n' "$patch_w" "$patch_c"
printf 'impact --symbol x2 --db (target < 1 s): %5.2f s (%.2f s)\n' "$symbol_w" "$symbol_c"
printf 'coverage --db (target < 1 s):           %5.2f s (%.2f s)\n' "$coverage_w" "$coverage_c"
printf 'impact PATCH --repo --rev v6.12:        %5.2f s (%.2f s)\n' "$rev_w" "$rev_c"
printf 'impact PATCH --tree (directory):        %5.2f s (%.2f s)\n' "$dir_w" "$dir_c"
