#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite, on a loopback port in a temporary folder.
#   pg-cluster.sh start STATE_DIR   -> writes STATE_DIR/url (postgresql://...) and STATE_DIR/datadir
#   pg-cluster.sh stop STATE_DIR    -> stops the server and removes the folder
# As root, the server runs as the postgres user (initdb refuses root).
set -euo pipefail
cmd=${1:?start|stop}
state=${2:?state dir}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  mkdir -p "$state"
  if [ -f "$state/datadir" ] && [ -d "$(cat "$state/datadir")" ]; then "$0" stop "$state"; mkdir -p "$state"; fi
  data=$(mktemp -d /tmp/arcd-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
  as_pg "$bin/initdb" -D "$data/db" -A trust -U arcd -E UTF8 --no-sync >"$data/initdb.log" 2>&1 \
    || { cat "$data/initdb.log" >&2; exit 1; }
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 30000))
    if as_pg "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 \
         -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
         start >/dev/null 2>&1; then
      echo "postgresql://arcd@127.0.0.1:$port/postgres" > "$state/url"
      echo "$data" > "$state/datadir"
      echo "pg-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($data)"
      exit 0
    fi
  done
  cat "$data/server.log" >&2 || true
  echo "pg-cluster: could not start PostgreSQL on a free port" >&2
  exit 1
  ;;
stop)
  if [ -f "$state/datadir" ]; then
    data=$(cat "$state/datadir")
    as_pg "$bin/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$data"
  fi
  rm -f "$state/url" "$state/datadir"
  ;;
*) echo "usage: pg-cluster.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
