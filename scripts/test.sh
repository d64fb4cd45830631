#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test (unit,
# integration against SQLite and a throwaway PostgreSQL, e2e process tests). Ends with ctest's
# summary line. Pass a label to run one kind only: scripts/test.sh unit
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
label=${1:-}
args=(--test-dir build --output-on-failure -j "$(nproc)" --timeout 600)
[ -n "$label" ] && args+=(-L "$label")
ctest "${args[@]}"
