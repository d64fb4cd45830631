// camt.052, camt.053 and camt.054 in every version from 001.02 to 001.13, each written the way
// its schema has it (the entry status a plain code up to version 06, a Cd element from 07 on),
// for the versions the corpus has no real file of as much as for those it has.
#include <gtest/gtest.h>

#include <cstdio>

#include "mapping/camt.hpp"
#include "mapping/statement_sink.hpp"

using namespace arcd;

namespace {

struct Message {
  const char* number;  // "053"
  const char* root;
  const char* record;
  const char* kind;
};

constexpr Message kMessages[] = {{"052", "BkToCstmrAcctRpt", "Rpt", "report"},
                                 {"053", "BkToCstmrStmt", "Stmt", "statement"},
                                 {"054", "BkToCstmrDbtCdtNtfctn", "Ntfctn", "notification"}};

std::string document(const Message& m, int version, const char* status) {
  char ns[64];
  std::snprintf(ns, sizeof ns, "camt.%s.001.%02d", m.number, version);
  const std::string sts = version <= 6 ? std::string("<Sts>") + status + "</Sts>" : std::string("<Sts><Cd>") + status + "</Cd></Sts>";
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:") + ns + "\">\n<" +
         m.root + "><GrpHdr><MsgId>M-" + ns + "</MsgId><CreDtTm>2026-11-23T18:00:00</CreDtTm></GrpHdr>\n<" + m.record +
         "><Id>S-1</Id><ElctrncSeqNb>42</ElctrncSeqNb><CreDtTm>2026-11-23T18:00:00</CreDtTm>"
         "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
         "<Ntry><NtryRef>N1</NtryRef><Amt Ccy=\"EUR\">1234.56</Amt><CdtDbtInd>CRDT</CdtDbtInd>" + sts +
         "<BookgDt><Dt>2026-11-23</Dt></BookgDt><ValDt><Dt>2026-11-24</Dt></ValDt><AcctSvcrRef>BANK-1</AcctSvcrRef>"
         "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
         "<NtryDtls><TxDtls><Refs><EndToEndId>E2E-" + std::to_string(version) + "</EndToEndId></Refs>"
         "<RltdPties><Dbtr><Nm>Acme Trading GmbH</Nm></Dbtr><DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct></RltdPties>"
         "<RmtInf><Ustrd>Invoice 2026-0815</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n</" +
         m.record + "></" + m.root + "></Document>\n";
}

}  // namespace

TEST(CamtVersions, EveryVersionOfEachMessage) {
  for (const auto& m : kMessages) {
    for (int version = 2; version <= 13; ++version) {
      for (const auto& [status, expected] : {std::pair{"BOOK", EntryStatus::booked}, std::pair{"PDNG", EntryStatus::pending}}) {
        const std::string file = document(m, version, status);
        const std::string label = std::string("camt.") + m.number + " v" + std::to_string(version) + " " + status;
        mapping::CollectingSink sink;
        auto r = mapping::parse_camt(file, "v.xml", sink);
        ASSERT_TRUE(r) << label << ": " << r.problem().to_string();
        char format[32];
        std::snprintf(format, sizeof format, "camt.%s.001.%02d", m.number, version);
        EXPECT_EQ(r.value().format, format) << label;
        ASSERT_EQ(sink.statements.size(), 1u) << label;
        const auto& s = sink.statements[0];
        EXPECT_EQ(s.statement.kind, m.kind) << label;
        EXPECT_EQ(s.statement.account, "DE89370400440532013000") << label;
        EXPECT_EQ(s.statement.bank_statement_id, "S-1") << label;
        EXPECT_EQ(s.statement.sequence, 42) << label;
        ASSERT_EQ(s.entries.size(), 1u) << label;
        const auto& e = s.entries[0];
        EXPECT_EQ(e.amount, Money(123456, Currency::of("EUR"))) << label;
        EXPECT_EQ(e.direction, Direction::credit) << label;
        EXPECT_EQ(e.status, expected) << label;
        EXPECT_EQ(e.booking_date, Date(2026, 11, 23)) << label;
        EXPECT_EQ(e.value_date, Date(2026, 11, 24)) << label;
        EXPECT_EQ(e.bank_reference, "BANK-1") << label;
        EXPECT_EQ(e.end_to_end_id, "E2E-" + std::to_string(version)) << label;
        EXPECT_EQ(e.payer_name, "Acme Trading GmbH") << label;
        EXPECT_EQ(e.payer_account, "DE02120300000000202051") << label;
        EXPECT_EQ(e.remittance, "Invoice 2026-0815") << label;
        EXPECT_EQ(e.bank_transaction_code.substr(0, 4), "PMNT") << label << ": " << e.bank_transaction_code;
      }
    }
  }
}
