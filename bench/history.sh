#!/usr/bin/env bash
# Benchmarks `oxidation history` against `git log --numstat` restricted to the same Rust paths and range, in one run,
# on a synthetic history (bench/make_history.py; default 100,000 commits), then a second run after 1,000 new commits.
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
# Three alternating runs of each, medians: on this 2-core machine a single run varies by up to 50%.
runs="${RUNS:-3}"
gitlogs=() firsts=()
for i in $(seq "$runs"); do
  g=$(t git -C "$repo" log --numstat --no-merges --format=%H%n%an%n%ae%n%B v6.0..HEAD -- '*.rs' 'rust/')
  gitlogs+=("$g")
  rm -f "$db"
  o=$(t dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$db")
  firsts+=("$o")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
gitlog_s=$(median "${gitlogs[@]}")
first_s=$(median "${firsts[@]}")
echo "git log runs: ${gitlogs[*]}; oxidation runs: ${firsts[*]}"
/usr/bin/time -o "$work/time.txt" -f %M dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$work/peak.duckdb" >/dev/null
peak_kb=$(tail -1 "$work/time.txt")
python3 bench/make_history.py 1000 $((commits + 1)) | git -C "$repo" fast-import --quiet
git -C "$repo" reset --quiet --hard master
second_s=$(t dotnet "$bin/Oxidation.Cli.dll" history "$repo" --since v6.1 --db "$db")
awk -v c="$commits" -v g="$gitlog_s" -v f="$first_s" -v s="$second_s" -v m="$peak_kb" 'BEGIN {
  printf "commits: %d (+1,000 for the second run)\n", c
  printf "git log --numstat on the Rust paths:  %7.2f s (median)\n", g
  printf "oxidation history, first run:         %7.2f s (median) = %.2fx git log, peak %d MiB\n", f, f / g, m / 1024
  printf "oxidation history, after 1,000 more:  %7.2f s\n", s
  printf "projection for 1.4 million commits (linear): %.0f s\n", f / c * 1400000
}'
