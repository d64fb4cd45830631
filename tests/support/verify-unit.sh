#!/usr/bin/env bash
# Runs `systemd-analyze verify` on the unit, with ExecStart pointing at the freshly built binary
# (verify checks that executables exist). Any warning about the unit itself fails the test.
set -euo pipefail
unit=${1:?unit}
binary=${2:?arcd binary}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed -e "s|/usr/bin/arcd|$binary|g" "$unit" > "$dir/arcd.service"
out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$dir/arcd.service" 2>&1 || echo "exit status $?")
# Lines about other units or the host (no running systemd in containers) are not ours.
ours=$(printf '%s\n' "$out" | grep -F "arcd.service" || true)
if [ -n "$ours" ]; then
  printf '%s\n' "$ours" >&2
  exit 1
fi
echo "systemd-analyze verify: arcd.service OK"
