#!/usr/bin/env bash
# Runs everything CI checks: setup, formatting, a warnings-as-errors build, every test project.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
dotnet format Oxidation.slnx --verify-no-changes --no-restore
dotnet build Oxidation.slnx -c Release --no-restore --nologo -v quiet -warnaserror
results="$(mktemp -d)"
status=0
dotnet test Oxidation.slnx -c Release --no-build --nologo --logger "trx" --results-directory "$results" || status=$?
# One closing line in the plain form every runner understands.
sum() { grep -ho "$1=\"[0-9]*\"" "$results"/*.trx | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed)
failed=$(sum failed)
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
