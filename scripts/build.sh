#!/usr/bin/env bash
# Configures and builds arcd into ./build (ccache when present). Extra arguments go to cmake,
# e.g. -DARCD_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j "$jobs" 2>&1 | grep -vE '^\[ *[0-9]+%\]|^(Consolidate|Scanning|Built target)' || true
test -x build/daemon/arcd && test -x build/daemon/arcctl/arcctl
