#!/usr/bin/env bash
# Installs what Oxidation, its tests and its benchmark need on a fresh Debian machine with the .NET 10 SDK:
# the real kernel trees (Debian's linux-source-6.1 and linux-source-6.12 leave tarballs in /usr/src),
# cloc (the peer the counter is checked and benchmarked against), git (history tests build and clone repositories),
# Debian's Chromium (the report tests drive it headless through Playwright; no browser download) and the NuGet packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
need=()
for pkg in linux-source-6.1 linux-source-6.12 cloc xz-utils git zlib1g chromium chromium-driver fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet restore Oxidation.slnx --nologo -v quiet
