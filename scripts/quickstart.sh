#!/usr/bin/env bash
# Sets everything up and runs the main job end to end: scans a kernel tree (with no argument, Debian's Linux 6.12 LTS
# tarball), imports the kernel CNA's CVE records (the snapshot in ../shared/data, or $OXIDATION_CVES: a vulns checkout
# or archive) when present, and writes the report to report/ (open report/index.html).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
tree="${1:-/usr/src/linux-source-6.12.tar.xz}"
shift || true
./oxidation scan "$tree" "$@"
cves="${OXIDATION_CVES:-../shared/data/kernel-cna-cves-2026-08-21.tar.xz}"
if [ -e "$cves" ]; then
  ./oxidation cves import "$cves"
else
  echo "quickstart: no CVE records at $cves (set OXIDATION_CVES); the report will say so" >&2
fi
./oxidation report --out report
echo "quickstart: open report/index.html, or run ./oxidation serve"
