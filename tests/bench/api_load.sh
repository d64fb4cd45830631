#!/usr/bin/env bash
# HTTP load on the two endpoints AR staff hammer: a customer's balance and the worklist, with
# wrk on 127.0.0.1 while a large camt.053 upload is being imported. Prints requests/s and
# latency percentiles per endpoint; fails only when a request failed (errors must be zero),
# never on a timing. Usage: api_load.sh ARCD ARCCTL [SECONDS] [ENTRIES]
set -euo pipefail
arcd=${1:?usage: api_load.sh ARCD ARCCTL [SECONDS] [ENTRIES]}
arcctl=${2:?usage: api_load.sh ARCD ARCCTL [SECONDS] [ENTRIES]}
seconds=${3:-10}
entries=${4:-120000}
cache_ms=${ARCD_LOAD_CACHE_MS:-1000}  # 0: every request reads the database
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/arcd-load.XXXXXX)
daemon_pid=""
cleanup() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/arcd.toml" <<TOML
[database]
url = "sqlite://$work/arcd.db"
[http]
port = 0
body_limit_bytes = 268435456
response_cache_ms = $cache_ms
TOML
bash "$root/scripts/make-demo-data.sh" "$work/invoices.csv" >/dev/null
"$arcctl" --config "$work/arcd.toml" db migrate >/dev/null
"$arcctl" --config "$work/arcd.toml" invoices import "$work/invoices.csv" >/dev/null
token=$("$arcctl" --config "$work/arcd.toml" --format json tokens create --user load --role manager | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')

# A statement big enough that its import outlasts the measurement.
awk -v n="$entries" 'BEGIN {
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
  print "<GrpHdr><MsgId>LOAD</MsgId><CreDtTm>2026-11-20T18:00:00Z</CreDtTm></GrpHdr><Stmt><Id>LOAD-1</Id>"
  print "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>"
  for (i = 1; i <= n; i++)
    printf "<Ntry><Amt Ccy=\"EUR\">%d.%02d</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>L%08d</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E%08d</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>Payer %d</Nm></Pty></Dbtr></RltdPties><RmtInf><Ustrd>invoice %d</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n", 10 + i % 5000, i % 100, i, i, i % 997, 900000 + i
  print "</Stmt></BkToCstmrStmt></Document>"
}' > "$work/big.xml"

"$arcd" --config "$work/arcd.toml" > "$work/arcd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's/.*HTTP_LISTENING address=[^ ]* port=\([0-9]*\).*/\1/p' "$work/arcd.log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { cat "$work/arcd.log"; exit 1; }
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
customer=$(curl -s -H "$auth" "$base/api/v1/customers?limit=1" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')

echo "api_load: $(wc -l < "$work/invoices.csv") invoices; uploading a $(du -m "$work/big.xml" | cut -f1) MB camt.053 ($entries entries) while measuring"
curl -s -o "$work/upload.json" -w '%{http_code} %{time_total}\n' -H "$auth" --data-binary @"$work/big.xml" \
  "$base/api/v1/statements?name=big.xml" > "$work/upload.status" &
upload_pid=$!
sleep 0.5

failed=0
for target in "/api/v1/customers/$customer" "/api/v1/worklist?limit=20"; do
  out=$(wrk -t2 -c32 -d"${seconds}s" --latency -H "$auth" "$base$target")
  [ -n "${ARCD_LOAD_VERBOSE:-}" ] && echo "$out"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  socket=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
  errors=$(( ${non2xx:-0} + ${socket:-0} ))
  importing=$(kill -0 "$upload_pid" 2>/dev/null && echo "import still running" || echo "import had finished")
  printf 'api_load: GET %-28s %10s req/s  p50 %8s  p99 %8s  errors %d  (%s)\n' "$target" "$rps" "$p50" "$p99" "$errors" "$importing"
  [ "$errors" -eq 0 ] || failed=1
done
wait "$upload_pid" || true
echo "api_load: upload answered $(cat "$work/upload.status") s: $(head -c 300 "$work/upload.json")"
curl -s "$base/metrics" | grep -E '^arcd_http_cache_(hits|misses)_total ' | sed 's/^/api_load: /'
exit $failed
