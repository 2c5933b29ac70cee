#!/usr/bin/env bash
# Makes `npm test` work on a fresh machine: installs the Debian packages the test suite
# needs (listed in .ci/apt-packages) when they are missing and we may install them.
set -euo pipefail
cd "$(dirname "$0")/.."
finish() {
  # The PostgreSQL suites need a running server; start (and if needed install) one when we may.
  if [ -z "${DOZVON_TEST_PG_URL:-}" ] && [ "$(id -u)" = "0" ]; then
    bash scripts/ci-postgres.sh >/dev/null || echo "PostgreSQL could not be started: the PostgreSQL suites will say so" >&2
  fi
}
trap finish EXIT
pkgs=$(grep -v '^\s*#' .ci/apt-packages | xargs || true)
[ -z "$pkgs" ] && exit 0
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing test dependencies:$missing" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "missing Debian packages for the tests:$missing (install them: sudo apt-get install$missing)" >&2
  exit 1
fi
