#!/usr/bin/env bash
# Installs exactly the Debian 12 packages arcd needs to build, run and test.
# Idempotent: prints nothing and touches nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libboost1.81-all-dev          # Asio, Beast, Fiber, Iostreams (zstd), program_options
  libboost-json1.81-dev         # not part of -all-dev in Debian 12
  libcurl4-openssl-dev          # HTTP client, SFTP, SMTP
  libssl-dev                    # SHA-256 of raw statement files
  libpugixml-dev                # XML
  libsoci-dev                   # SQL access; sqlite3 and postgresql backends
  libsqlite3-dev libpq-dev
  libspdlog-dev libfmt-dev
  libtomlplusplus-dev           # config
  libkainjow-mustache-dev       # reminder email templates (Mustache)
  python3-aiosmtpd              # a real SMTP server for the email tests
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  postgresql                    # throwaway clusters in tests
  openssh-server openssh-client # a real sshd for the SFTP statement source tests
  systemd                       # systemd-analyze verify in tests
  curl                          # process tests talk HTTP to the daemon
  chromium                      # headless browser for the dashboard tests
  python3-websocket             # the tests' DevTools-protocol client talks to Chromium over it
  wrk                           # HTTP load figures (tests/bench/api_load.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
