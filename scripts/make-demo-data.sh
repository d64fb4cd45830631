#!/usr/bin/env bash
# Writes a demo invoices CSV: a few hundred invoices across a few dozen customers in several
# currencies, due dates spread around today so every aging bucket has something.
# Deterministic for a given day. Usage: make-demo-data.sh OUT.csv [CUSTOMERS] [INVOICES]
set -euo pipefail
out=${1:?usage: make-demo-data.sh OUT.csv [CUSTOMERS] [INVOICES]}
customers=${2:-36}
invoices=${3:-300}
today=$(date -u +%s)
awk -v customers="$customers" -v invoices="$invoices" -v today="$today" '
function iban_de(n,   bban, rearranged) {
  bban = sprintf("37040044%010d", n)            # bank code + account number
  rearranged = bban "131400"                    # "DE" = 13 14, check digits 00
  rem = 0
  return sprintf("DE%02d%s", 98 - mod97(rearranged), bban)
}
function mod97(digits,   i, rem) {
  rem = 0
  for (i = 1; i <= length(digits); i++) rem = (rem * 10 + substr(digits, i, 1)) % 97
  return rem
}
function rf(ref) { return sprintf("RF%02d%s", 98 - mod97(ref "271500"), ref) }  # ISO 11649: R=27 F=15
function day(offset) { return strftime("%Y-%m-%d", today + offset * 86400, 1) }
BEGIN {
  srand(20261123)
  split("Acme Trading GmbH|Nordwind Logistik AG|Brightline Foods Ltd|Kestrel Engineering BV|Solara Energy SAS|Polar Optics Oy|Meridian Retail Inc|Bluefin Marine KK|Atlas Components SpA|Cedar & Finch LLP|Helios Pharma AG|Quarry Stone Co|Vireo Software GmbH|Tidewater Supply Ltd|Orchid Textiles SRL|Granite Peak LLC", names, "|")
  split("EUR EUR EUR EUR USD USD GBP CHF JPY SEK", currencies, " ")
  print "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,customer_iban,customer_email"
  for (c = 1; c <= customers; c++) {
    base = names[(c - 1) % 16 + 1]
    cname[c] = (c > 16) ? base " " int((c - 1) / 16) + 1 : base
    ccur[c] = currencies[int(rand() * 10) + 1]
    ciban[c] = (rand() < 0.7) ? iban_de(1000000 + c) : ""
    slug = tolower(cname[c]); gsub(/[^a-z0-9]+/, "", slug)
    cmail[c] = "ap@" slug ".example"
  }
  for (i = 1; i <= invoices; i++) {
    c = int(rand() * customers) + 1
    issued = -int(rand() * 200)
    due = issued + (rand() < 0.5 ? 30 : 14)
    cur = ccur[c]
    if (cur == "JPY") { total = int(rand() * 2000000) + 5000; fmt = "%d" }
    else { total = (int(rand() * 2500000) + 5000) / 100; fmt = "%.2f" }
    r = rand()
    open_amt = (r < 0.15) ? 0 : (r < 0.30 ? total / 2 : total)
    if (cur == "JPY") open_amt = int(open_amt)
    printf "INV-%06d,C%04d,\"%s\",%s," fmt "," fmt ",%s,%s,%s,%s,%s\n", 100000 + i, c, cname[c], cur, total, open_amt, day(issued), day(due), rf(100000 + i), ciban[c], cmail[c]
  }
}' > "$out"
