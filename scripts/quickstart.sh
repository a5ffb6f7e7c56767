#!/usr/bin/env bash
# Sets everything up and scans a kernel tree end to end: with no argument, Debian's Linux 6.12 LTS tarball.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
tree="${1:-/usr/src/linux-source-6.12.tar.xz}"
shift || true
exec ./oxidation scan "$tree" "$@"
