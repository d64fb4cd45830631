#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, creates demo data and runs the
# daemon in the foreground on SQLite with the HTTP server on 127.0.0.1:8470. Ctrl-C stops it.
# Everything lives in ./demo (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
demo=$PWD/demo
mkdir -p "$demo/invoices/inbox" "$demo/statements/inbox"
cat > "$demo/arcd.toml" <<TOML
# Demo configuration written by scripts/demo.sh; see config/arcd.toml for every key.
[daemon]
log_level = "info"

[database]
url = "sqlite://$demo/arcd.db"

[http]
listen_address = "127.0.0.1"
port = ${ARCD_DEMO_PORT:-8470}

[connectors.demo-erp]
type = "csv"
inbox = "$demo/invoices/inbox"
archive = "$demo/invoices/archive"
quarantine = "$demo/invoices/quarantine"
poll_seconds = 10
stable_seconds = 1

[statements.demo-bank]
type = "inbox"
inbox = "$demo/statements/inbox"
archive = "$demo/statements/archive"
quarantine = "$demo/statements/quarantine"
poll_seconds = 10
stable_seconds = 1

# Short payments of up to EUR 10 (2 %) close the invoice, as a finance team would set it.
[cashapp.tolerance.small_difference]
absolute = "10.00"
percent = "2"
TOML
if [ ! -f "$demo/arcd.db" ]; then
  bash scripts/make-demo-data.sh "$demo/invoices/inbox/demo-invoices.csv"
  bash scripts/make-demo-statement.sh "$demo/invoices/inbox/demo-invoices.csv" "$demo/statements/inbox/demo-camt053.xml"
  touch "$demo/invoices/inbox/demo-invoices.csv.done" "$demo/statements/inbox/demo-camt053.xml.done"
fi
# A token to sign in to the dashboard with (kept in demo/, made once).
build/daemon/arcctl/arcctl --config "$demo/arcd.toml" db migrate >/dev/null
if [ ! -s "$demo/admin.token" ]; then
  build/daemon/arcctl/arcctl --config "$demo/arcd.toml" --format json tokens create --user demo-admin --role admin \
    --note "scripts/demo.sh" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p' > "$demo/admin.token"
  chmod 600 "$demo/admin.token"
fi
echo "arcd demo: dashboard http://127.0.0.1:${ARCD_DEMO_PORT:-8470}/ui/  sign in with the token in $demo/admin.token:"
echo "           $(cat "$demo/admin.token")"
echo "           API: curl -H \"Authorization: Bearer \$(cat $demo/admin.token)\" http://127.0.0.1:${ARCD_DEMO_PORT:-8470}/api/v1/customers"
echo "           (config $demo/arcd.toml)"
echo "           try: build/daemon/arcctl/arcctl --config $demo/arcd.toml customers list"
exec build/daemon/arcd --config "$demo/arcd.toml"
