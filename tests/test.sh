#!/usr/bin/env bash
# Runs every WebStudio test, browser tests included. Installs Debian's chromium first when it is missing
# (Playwright drives /usr/bin/chromium; it cannot download its own browser here).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

dotnet build WebStudio.sln -c Release
# One test assembly at a time: the machine has two cores and several suites start servers.
dotnet test WebStudio.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@"
