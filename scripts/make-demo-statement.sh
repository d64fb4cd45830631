#!/usr/bin/env bash
# Writes a demo camt.053.001.08 bank statement from a demo invoices CSV: credits that pay
# about a third of the open invoices (by RF reference, by invoice number in free text, or
# short by a bank charge), the way customers actually pay. Usage: make-demo-statement.sh INVOICES.csv OUT.xml
set -euo pipefail
invoices=${1:?usage: make-demo-statement.sh INVOICES.csv OUT.xml}
out=${2:?usage: make-demo-statement.sh INVOICES.csv OUT.xml}
today=$(date -u +%Y-%m-%d)
awk -F, -v today="$today" '
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "", s); return s }
BEGIN {
  srand(7)
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  print "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
  print "  <BkToCstmrStmt>"
  print "    <GrpHdr><MsgId>DEMO-" today "</MsgId><CreDtTm>" today "T18:00:00Z</CreDtTm></GrpHdr>"
  print "    <Stmt>"
  print "      <Id>DEMO-STMT-" today "</Id>"
  print "      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>"
}
# Unpaid EUR invoices per customer: the last credit below pays two invoices of one customer at once
# without a word of reference, from an account nobody knows - work for the exceptions queue.
NR > 1 && $4 == "EUR" && $6 + 0 > 0 && !($2 in first) { first[$2] = $1; first_amount[$2] = $6; next_line = 1 }
NR > 1 && $4 == "EUR" && $6 + 0 > 0 && ($2 in first) && first[$2] != $1 && !($2 in second) && !next_line { second[$2] = $1; second_amount[$2] = $6; pair = $2 }
{ next_line = 0 }
NR > 1 && $4 == "EUR" && $6 + 0 > 0 && first[$2] != $1 && second[$2] != $1 && rand() < 0.35 {
  n++
  amount = $6
  how = rand()
  if (how < 0.15) amount = sprintf("%.2f", $6 - 7.50)   # a bank charge taken on the way
  printf "      <Ntry>\n        <Amt Ccy=\"EUR\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\n", amount
  printf "        <BookgDt><Dt>%s</Dt></BookgDt><ValDt><Dt>%s</Dt></ValDt><AcctSvcrRef>DEMO%06d</AcctSvcrRef>\n", today, today, n
  printf "        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
  printf "        <NtryDtls><TxDtls><Refs><EndToEndId>E2E-%s</EndToEndId></Refs><Amt Ccy=\"EUR\">%s</Amt>\n", $1, amount
  name = $3; gsub(/"/, "", name)
  printf "          <RltdPties><Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr>", esc(name)
  if ($10 != "") printf "<DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct>", $10
  printf "</RltdPties>\n"
  if (how < 0.5) printf "          <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>%s</Ref></CdtrRefInf></Strd></RmtInf>\n", $9
  else printf "          <RmtInf><Ustrd>Payment %s thank you</Ustrd></RmtInf>\n", tolower($1)
  printf "        </TxDtls></NtryDtls>\n      </Ntry>\n"
}
END {
  if (pair != "") {
    total = sprintf("%.2f", first_amount[pair] + second_amount[pair])
    printf "      <Ntry>\n        <Amt Ccy=\"EUR\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\n", total
    printf "        <BookgDt><Dt>%s</Dt></BookgDt><ValDt><Dt>%s</Dt></ValDt><AcctSvcrRef>DEMO-HARD-1</AcctSvcrRef>\n", today, today
    printf "        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy=\"EUR\">%s</Amt>\n", total
    printf "          <RltdPties><Dbtr><Pty><Nm>Treuhand Mueller KG</Nm></Pty></Dbtr></RltdPties>\n"
    printf "          <RmtInf><Ustrd>Sammelzahlung Oktober</Ustrd></RmtInf>\n        </TxDtls></NtryDtls>\n      </Ntry>\n"
  }
  print "    </Stmt>"
  print "  </BkToCstmrStmt>"
  print "</Document>"
}' "$invoices" > "$out"
