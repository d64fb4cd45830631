// camt entries read on worker threads come out exactly as when read on the caller's thread:
// same entries, positions, keys, batch keys, warnings and sums, in file order; a problem is
// the first one in the file, whatever the workers were doing.
#include <gtest/gtest.h>

#include <string>

#include "mapping/camt.hpp"

using namespace arcd;

namespace {

std::string detail(int i, int k, const std::string& amount) {
  return "<TxDtls><Refs><EndToEndId>E2E-" + std::to_string(i) + "-" + std::to_string(k) + "</EndToEndId></Refs>" +
         (amount.empty() ? "" : "<Amt Ccy=\"EUR\">" + amount + "</Amt>") +
         "<RltdPties><Dbtr><Pty><Nm>Payer " + std::to_string(i) + "</Nm></Pty></Dbtr></RltdPties>"
         "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18" + std::to_string(1000 + i) +
         "</Ref></CdtrRefInf></Strd><Ustrd>INV-" + std::to_string(i) + "</Ustrd></RmtInf></TxDtls>";
}

// Entry i: one detail, two details with amounts (a batch), or (every 7th) two details without
// amounts (kept whole, with a warning).
std::string entry(int i) {
  const std::string ref = "<AcctSvcrRef>REF" + std::to_string(i) + "</AcctSvcrRef>";
  const std::string head = "<Ntry><Amt Ccy=\"EUR\">" + std::to_string(10 + i) + ".00</Amt><CdtDbtInd>" + (i % 5 ? "CRDT" : "DBIT") +
                           "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt>" + ref + "<NtryDtls>";
  std::string body;
  if (i % 7 == 0) body = detail(i, 0, "") + detail(i, 1, "");
  else if (i % 2 == 0) body = detail(i, 0, std::to_string(4 + i) + ".00") + detail(i, 1, "6.00");
  else body = detail(i, 0, std::to_string(10 + i) + ".00");
  return head + body + "</NtryDtls></Ntry>\n";
}

std::string statement(const std::string& id, int from, int count) {
  std::string s = "<Stmt><Id>" + id + "</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>"
                  "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                  "<Dt><Dt>2026-11-23</Dt></Dt></Bal>"
                  "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                  "<Dt><Dt>2026-11-23</Dt></Dt></Bal>\n";
  for (int i = from; i < from + count; ++i) s += entry(i);
  return s + "</Stmt>\n";
}

std::string document(const std::string& statements) {
  return "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
         "<GrpHdr><MsgId>M</MsgId></GrpHdr>\n" + statements + "</BkToCstmrStmt></Document>\n";
}

// Several batches, a statement smaller than one batch, and a large one.
const std::string kFile = document(statement("S1", 0, 150) + statement("S2", 150, 10) + statement("S3", 160, 700));

struct Parsed {
  Result<mapping::ParseSummary> summary;
  mapping::CollectingSink sink;
};

Parsed parse(const std::string& file, int workers) {
  mapping::StatementParseOptions options;
  options.parse_workers = workers;
  Parsed p{Problem{}, {}};
  p.summary = mapping::parse_camt(file, "many.xml", p.sink, options);
  return p;
}

}  // namespace

TEST(CamtWorkers, EntriesComeOutAsWhenReadOnTheCallersThread) {
  const Parsed alone = parse(kFile, 0);
  ASSERT_TRUE(alone.summary) << alone.summary.problem().to_string();
  ASSERT_EQ(alone.sink.statements.size(), 3u);
  EXPECT_GT(alone.summary.value().warnings.size(), 100u);  // batches without amounts, and the balance checks
  for (int workers : {1, 2, 3}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    const Parsed p = parse(kFile, workers);
    ASSERT_TRUE(p.summary) << p.summary.problem().to_string();
    EXPECT_EQ(p.summary.value().entries, alone.summary.value().entries);
    EXPECT_EQ(p.summary.value().warnings, alone.summary.value().warnings);
    ASSERT_EQ(p.sink.statements.size(), alone.sink.statements.size());
    for (std::size_t s = 0; s < p.sink.statements.size(); ++s) {
      const auto& a = alone.sink.statements[s];
      const auto& b = p.sink.statements[s];
      EXPECT_EQ(b.statement.warnings, a.statement.warnings);
      EXPECT_EQ(b.statement.currency.code(), a.statement.currency.code());
      ASSERT_EQ(b.entries.size(), a.entries.size());
      for (std::size_t i = 0; i < a.entries.size(); ++i) {
        const Entry& x = a.entries[i];
        const Entry& y = b.entries[i];
        ASSERT_EQ(y.entry_key, x.entry_key) << i;
        EXPECT_EQ(y.position, x.position);
        EXPECT_EQ(y.batch_key, x.batch_key);
        EXPECT_EQ(y.amount.minor(), x.amount.minor());
        EXPECT_EQ(y.entry_amount.minor(), x.entry_amount.minor());
        EXPECT_EQ(y.direction, x.direction);
        EXPECT_EQ(y.payer_name, x.payer_name);
        EXPECT_EQ(y.remittance, x.remittance);
        EXPECT_EQ(y.structured_reference, x.structured_reference);
        EXPECT_EQ(y.end_to_end_id, x.end_to_end_id);
        EXPECT_EQ(y.detail_index, x.detail_index);
        EXPECT_EQ(y.detail_count, x.detail_count);
        EXPECT_EQ(y.details.creditor_references.size(), x.details.creditor_references.size());
      }
    }
  }
  // The reading is right, not only the same: S1's entry 2 is a batch of two, split.
  const auto& s1 = alone.sink.statements[0].entries;
  EXPECT_EQ(s1[2].batch_key, "DE89370400440532013000|REF2|2");
  EXPECT_EQ(s1[2].amount.minor(), 600);
  EXPECT_EQ(s1[3].amount.minor(), 600);
  EXPECT_EQ(s1[3].remittance, "INV-2");
}

TEST(CamtWorkers, TheFirstProblemInTheFileIsTheOneReported) {
  // Two bad entries far apart in a long statement: workers may read the later one first.
  std::string stmt = statement("S1", 0, 400);
  const auto bad_amount = [](std::string s, int i) {
    const std::string good = "<Amt Ccy=\"EUR\">" + std::to_string(10 + i) + ".00</Amt><CdtDbtInd>";
    return s.replace(s.find(good), good.size(), "<Amt Ccy=\"EUR\">1.001</Amt><CdtDbtInd>");
  };
  stmt = bad_amount(bad_amount(stmt, 390), 130);
  for (int workers : {0, 1, 2}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    const Parsed p = parse(document(stmt), workers);
    ASSERT_FALSE(p.summary);
    EXPECT_EQ(p.summary.problem().code, "CAMT_BAD_AMOUNT");
    EXPECT_NE(p.summary.problem().where.find("Stmt[1]/Ntry[131]/Amt"), std::string::npos) << p.summary.problem().where;
  }
  // The scanner finds the file cut short while a worker still holds the bad entry: the bad
  // entry comes first in the file, so it is what is reported.
  const std::string whole = document(stmt);
  const std::string cut = whole.substr(0, whole.find("<Ntry>", whole.find("REF395")) + 20);
  for (int workers : {0, 1}) {
    const Parsed p = parse(cut, workers);
    ASSERT_FALSE(p.summary);
    EXPECT_EQ(p.summary.problem().code, "CAMT_BAD_AMOUNT") << "workers " << workers << ": " << p.summary.problem().to_string();
  }
  // Cut short with every entry fine: the scanner's problem.
  const std::string fine = document(statement("S1", 0, 400));
  for (int workers : {0, 1}) {
    const Parsed p = parse(fine.substr(0, fine.find("<Ntry>", fine.find("REF395")) + 20), workers);
    ASSERT_FALSE(p.summary);
    EXPECT_EQ(p.summary.problem().code, "XML_MALFORMED") << "workers " << workers;
  }
  // Broken XML inside an entry, seen by a worker: the line is the one in the file.
  std::string broken = statement("S1", 0, 300);
  const std::string marker = "<Nm>Payer 250</Nm>";
  broken.replace(broken.find(marker), marker.size(), "<Nm>Payer 250</Name>");
  const std::string file = document(broken);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(file.find("</Name>")), '\n'));
  for (int workers : {0, 2}) {
    const Parsed p = parse(file, workers);
    ASSERT_FALSE(p.summary);
    EXPECT_EQ(p.summary.problem().code, "XML_MALFORMED");
    EXPECT_EQ(p.summary.problem().where, "many.xml:" + std::to_string(line)) << "workers " << workers;
  }
}
