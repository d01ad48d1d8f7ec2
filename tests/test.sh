#!/usr/bin/env bash
# Runs every WebStudio test, browser tests included. Installs Debian's chromium, redis-server, PostgreSQL and tzdata first
# when they are missing (Playwright drives /usr/bin/chromium; it cannot download its own browser here; the ScaleOut
# tests start their own Redis and PostgreSQL servers on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -d /usr/share/zoneinfo/Asia ] || missing+=(tzdata) # the viewer's time zone, by its IANA name
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian's ${missing[*]} for the tests..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Free space first: a full disk otherwise shows up as a confusing build or test failure.
df -h . "${TMPDIR:-/tmp}" 2>/dev/null || true
dotnet build WebStudio.sln -c Release

# One test assembly at a time: the machine has two cores and several suites start servers.
# The log is kept so that a failure deep in a long run is repeated at the very end, where it is read.
log="$(mktemp -t webstudio-tests.XXXXXX.log)"
set +e
dotnet test WebStudio.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

echo
echo "=== Test summary ==="
grep -E "^Test run for |^Total tests:|^ +(Passed|Failed|Skipped): " "$log" | sed -E 's#^Test run for .*/([^/]+\.dll).*#\1#' || true
if [ "$status" -ne 0 ]; then
  echo
  echo "=== Failed tests (exit $status) ==="
  # Each failure with the lines of its message and the top of its stack.
  grep -E -A 25 "^ +Failed WebStudio\." "$log" | head -n 400 || true
fi
exit "$status"
