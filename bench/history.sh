#!/usr/bin/env bash
# Benchmarks `oxidation history` against `git log --numstat` restricted to the same Rust paths and range, in one run,
# on a synthetic history (bench/make_history.py; default 100,000 commits) packed twice: as git fast-import writes it
# and as git gc repacks it; then a second run after 1,000 new commits, and one with nothing new.
# Usage: bench/history.sh [COMMITS] [WORKDIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
commits="${1:-100000}"
work="${2:-/tmp/oxidation-bench-history}"
repo="$work/repo"
rm -rf "$work" && mkdir -p "$repo"
bin="$work/bin"
# The build ./oxidation runs: ReadyToRun (precompiled), so start-up is not counted against the work.
dotnet publish src/Oxidation.Cli/Oxidation.Cli.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$bin" --nologo -v quiet >/dev/null
git -C "$repo" init --quiet
python3 bench/make_history.py "$commits" | git -C "$repo" fast-import --quiet
git -C "$repo" checkout --quiet master
# Times a command; a failed run stops the benchmark (a crash must not pass for a fast run).
t() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/stderr.txt" || { echo "bench: failed: $*: $(tail -3 "$work/stderr.txt")" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | awk '{printf "%.2f", $1 - $3}'
}
db="$work/history.duckdb"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Alternating runs of each (RUNS, default 3), medians: on this 2-core machine a single run varies by up to 50%.
runs="${RUNS:-3}"
# compare REPO LABEL: git log and a first oxidation run, alternating; sets gitlog_s and first_s.
compare() {
  local gitlogs=() firsts=() g o
  for i in $(seq "$runs"); do
    g=$(t git -C "$1" log --numstat --no-merges --format=%H%n%an%n%ae%n%B v6.0..HEAD -- '*.rs' 'rust/')
    gitlogs+=("$g")
    rm -f "$db"
    o=$(t dotnet "$bin/Oxidation.Cli.dll" history "$1" --since v6.1 --db "$db")
    firsts+=("$o")
  done
  gitlog_s=$(median "${gitlogs[@]}")
  first_s=$(median "${firsts[@]}")
  echo "$2: git log runs: ${gitlogs[*]}; oxidation runs: ${firsts[*]}"
}
compare "$repo" "fast-import pack"
/usr/bin/time -o "$work/time.txt" -f %M dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$work/peak.duckdb" >/dev/null
peak_kb=$(tail -1 "$work/time.txt")
# The same history packed as git gc and a clone's server pack it (deltas from newer to older, chains up to 50).
gc="$work/gc"
cp -r "$repo" "$gc"
git -C "$gc" repack -a -d -f -q --depth=50
fast_git=$gitlog_s fast_first=$first_s
compare "$gc" "gc pack"
gc_git=$gitlog_s gc_first=$first_s
rm -f "$db"
dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$db" >/dev/null 2>&1 || { echo "bench: the first run failed" >&2; exit 1; }
python3 bench/make_history.py 1000 $((commits + 1)) | git -C "$repo" fast-import --quiet
git -C "$repo" reset --quiet --hard master
second_s=$(t dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$db")
nothing_s=$(t dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$db")
awk -v c="$commits" -v g="$fast_git" -v f="$fast_first" -v gg="$gc_git" -v gf="$gc_first" -v n="$nothing_s" -v s="$second_s" -v m="$peak_kb" 'BEGIN {
  printf "commits: %d\n", c
  printf "fast-import pack: git log --numstat on the Rust paths %6.2f s, oxidation history %6.2f s = %.2fx (medians), peak %d MiB\n", g, f, f / g, m / 1024
  printf "gc pack:          git log --numstat on the Rust paths %6.2f s, oxidation history %6.2f s = %.2fx (medians)\n", gg, gf, gf / gg
  printf "after 1,000 new commits: %.2f s; then with nothing new to mine: %.2f s (the fixed cost)\n", s, n
  printf "projection for 1.4 million commits (linear, fast-import pack): %.0f s\n", f / c * 1400000
}'
