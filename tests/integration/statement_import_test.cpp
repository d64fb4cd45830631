// Importing statement files into the store, on both backends: all or nothing, idempotent, and
// entries that arrive twice (intraday then end of day, a re-sent file) stored once.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <sstream>
#include <thread>

#include "statement_writers.hpp"
#include "statements/statement_import.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

class StatementImport : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam());
    store_ = open_store({db_->url(), 2, 5000});
    store_->migrate();
  }
  Result<statements::ImportReport> import(const std::string& name, const std::string& bytes) {
    return statements::import_statement_file(*store_, name, bytes, {}, "test");
  }
  std::string corpus(const std::string& rel) { return test::read_file(test::shared_dir() / "corpus" / rel); }
  std::int64_t entry_count() {
    auto tx = store_->begin();
    std::int64_t n = 0;
    for (Page p{0, 1000};;) {
      auto list = tx->statements().list(p);
      if (list.empty()) break;
      for (const auto& s : list) n += static_cast<std::int64_t>(tx->entries().list_by_statement(s.id, {0, 100000}).size());
      p.after_id = list.back().id.value();
    }
    return n;
  }
  std::unique_ptr<test::TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

const std::string kCamt052Pending =
    "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.08\"><BkToCstmrAcctRpt>"
    "<GrpHdr><MsgId>INTRADAY</MsgId></GrpHdr><Rpt><Id>R1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>"
    "<Ntry><Amt Ccy=\"EUR\">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><ValDt><Dt>2026-11-23</Dt></ValDt>"
    "<AcctSvcrRef>BANKREF-1</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs>"
    "<RmtInf><Ustrd>INV-1001</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Rpt></BkToCstmrAcctRpt></Document>";

std::string camt053_booked(const std::string& extra_entry = "") {
  return "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
         "<GrpHdr><MsgId>EOD</MsgId></GrpHdr><Stmt><Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>"
         "<Ntry><Amt Ccy=\"EUR\">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt>"
         "<ValDt><Dt>2026-11-23</Dt></ValDt><AcctSvcrRef>BANKREF-1</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId>"
         "</Refs><RmtInf><Ustrd>INV-1001</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>" +
         extra_entry + "</Stmt></BkToCstmrStmt></Document>";
}

}  // namespace

TEST_P(StatementImport, TheSameFileTwiceChangesNothing) {
  const auto bytes = corpus("camt053/abnamro_v02_bank_example_reversals.xml");
  auto first = import("abn.xml", bytes);
  ASSERT_TRUE(first) << first.problem().to_string();
  EXPECT_EQ(first.value().statements, 1);
  // 13 entries: 10 carry the 26 transaction details they are split into, 3 have none.
  EXPECT_EQ(first.value().entries_new, 29);
  const auto stored = entry_count();
  EXPECT_EQ(stored, 29);
  auto second = import("abn-again.xml", bytes);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second.value().already_imported);
  EXPECT_EQ(entry_count(), stored);
  auto tx = store_->begin();
  EXPECT_TRUE(tx->statements().has_raw_file(first.value().sha256));
  EXPECT_EQ(tx->audit().for_entity("raw_file", first.value().sha256).size(), 1u);
  // The file is kept byte for byte (compressed in the database).
  std::string kept;
  ASSERT_TRUE(tx->statements().read_raw_file(first.value().sha256, [&](std::string_view p) { kept += p; }));
  EXPECT_TRUE(kept == bytes) << kept.size() << " of " << bytes.size() << " bytes";
  EXPECT_EQ(sha256_hex(kept), first.value().sha256);
}

TEST_P(StatementImport, EntriesAlikeWithinOneFileAreAllKept) {
  // ING's example has two entries with the same bank reference, amount and day.
  auto r = import("ing.xml", corpus("camt053/ing_nl_v02_bank_example.xml"));
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_EQ(r.value().entries_new + r.value().entries_known, entry_count());
  EXPECT_EQ(r.value().entries_known, 0);
}

TEST_P(StatementImport, PendingThenBookedIsOneEntry) {
  auto intraday = import("intraday.xml", kCamt052Pending);
  ASSERT_TRUE(intraday) << intraday.problem().to_string();
  EXPECT_EQ(intraday.value().entries_new, 1);
  const std::string extra =
      "<Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt>"
      "<AcctSvcrRef>FEE-1</AcctSvcrRef></Ntry>";
  auto eod = import("eod.xml", camt053_booked(extra));
  ASSERT_TRUE(eod) << eod.problem().to_string();
  EXPECT_EQ(eod.value().entries_booked, 1);
  EXPECT_EQ(eod.value().entries_new, 1);
  EXPECT_EQ(entry_count(), 2);
  {
    auto tx = store_->begin();
    auto list = tx->entries().list_by_statement(StatementId(1), {});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].status, EntryStatus::booked);
    EXPECT_EQ(list[0].booking_date, Date(2026, 11, 23));
  }
  // A re-sent end-of-day statement with one more entry adds only that one.
  const std::string later =
      "<Ntry><Amt Ccy=\"EUR\">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt>"
      "<AcctSvcrRef>LATE-1</AcctSvcrRef></Ntry>";
  auto resent = import("eod-2.xml", camt053_booked(extra + later));
  ASSERT_TRUE(resent) << resent.problem().to_string();
  EXPECT_EQ(resent.value().entries_new, 1);
  EXPECT_EQ(resent.value().entries_known, 2);
  EXPECT_EQ(entry_count(), 3);
}

// Booked entries wait for cash application once each: new ones when their statement is in, a
// pending one when the bank books it, a re-delivered one not again; pending ones not yet.
TEST_P(StatementImport, BookedEntriesWaitForCashApplicationOnceEach) {
  const auto waiting = [&] {
    std::vector<std::string> refs;
    for (const auto& [e, state] : store_->begin()->cash().entries_to_match(EntryId(0), 1000)) refs.push_back(e.bank_reference);
    std::sort(refs.begin(), refs.end());
    return refs;
  };
  ASSERT_TRUE(import("intraday.xml", kCamt052Pending));
  EXPECT_TRUE(waiting().empty());
  const std::string fee =
      "<Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt>"
      "<AcctSvcrRef>FEE-1</AcctSvcrRef></Ntry>";
  const std::string pending =
      "<Ntry><Amt Ccy=\"EUR\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><AcctSvcrRef>LATER-1</AcctSvcrRef></Ntry>";
  ASSERT_TRUE(import("eod.xml", camt053_booked(fee + pending)));
  EXPECT_EQ(waiting(), (std::vector<std::string>{"BANKREF-1", "FEE-1"}));
  {
    auto tx = store_->begin();
    tx->cash().seen_up_to(EntryId(1000000));
    tx->commit();
  }
  EXPECT_TRUE(waiting().empty());
  const std::string late =
      "<Ntry><Amt Ccy=\"EUR\">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-23</Dt></BookgDt>"
      "<AcctSvcrRef>LATE-1</AcctSvcrRef></Ntry>";
  auto resent = import("eod-2.xml", camt053_booked(fee + pending + late));
  ASSERT_TRUE(resent) << resent.problem().to_string();
  EXPECT_EQ(resent.value().entries_new, 1);
  EXPECT_EQ(waiting(), (std::vector<std::string>{"LATE-1"}));
}

TEST_P(StatementImport, ARejectedFileLeavesNothing) {
  const auto bad = camt053_booked("<Ntry><Amt Ccy=\"EUR\">1.001</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>");
  auto r = import("bad.xml", bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "CAMT_BAD_AMOUNT");
  {
    auto tx = store_->begin();
    EXPECT_TRUE(tx->statements().list({}).empty());
    EXPECT_FALSE(tx->statements().has_raw_file(arcd::sha256_hex(bad)));
  }
  EXPECT_EQ(entry_count(), 0);
}

TEST_P(StatementImport, EveryFormatStoresEveryField) {
  std::mt19937_64 rng(7);
  const auto g = test::random_statement(rng, 5, 3, Currency::of("EUR"));
  std::ostringstream camt, bai2, mt940;
  test::write_camt053(camt, g);
  test::write_bai2(bai2, g);
  test::write_mt940(mt940, g);
  for (const auto& [name, bytes] : {std::pair{"g.xml", camt.str()}, {"g.bai2", bai2.str()}, {"g.sta", mt940.str()}}) {
    auto r = import(name, bytes);
    ASSERT_TRUE(r) << name << ": " << r.problem().to_string();
    EXPECT_GT(r.value().entries_new, 0) << name;
  }
  auto tx = store_->begin();
  const auto statements = tx->statements().list({});
  ASSERT_EQ(statements.size(), 3u);
  const auto camt_entries = tx->entries().list_by_statement(statements[0].id, {});
  ASSERT_FALSE(camt_entries.empty());
  const auto& e = camt_entries.front();
  EXPECT_EQ(e.amount, g.entries[0].details[0].amount);
  EXPECT_EQ(e.payer_name, g.entries[0].details[0].payer_name);
  EXPECT_EQ(e.entry_amount, g.entries[0].entry.amount);
  EXPECT_EQ(e.detail_count, static_cast<int>(g.entries[0].details.size()));
  EXPECT_EQ(tx->statements().get(statements[0].id)->balances.size(), 2u);  // list() leaves balances out
  EXPECT_EQ(statements[0].format, "camt.053.001.08");
  EXPECT_EQ(statements[1].format, "bai2");
  EXPECT_EQ(statements[2].format, "mt940");
}

// Of two files with the same size, the second is hashed before it is parsed (it may be the
// first again); any other file is hashed beside the parse. Both ways store the right file.
TEST_P(StatementImport, AFileOfAStoredFilesSizeButOtherBytesIsNew) {
  std::string first = camt053_booked();
  std::string second = first;
  const auto at = second.find("BANKREF-1");
  ASSERT_NE(at, std::string::npos);
  second.replace(at, 9, "BANKREF-2");
  ASSERT_EQ(first.size(), second.size());
  auto a = import("a.xml", first);
  auto b = import("b.xml", second);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(b.value().already_imported);
  EXPECT_EQ(b.value().entries_new, 1);
  EXPECT_EQ(a.value().sha256, sha256_hex(first));
  EXPECT_EQ(b.value().sha256, sha256_hex(second));
  auto tx = store_->begin();
  const auto statements = tx->statements().list({});
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].file_sha256, a.value().sha256);
  EXPECT_EQ(statements[1].file_sha256, b.value().sha256);
}

// A file larger than one stored chunk (8 MiB), imported twice at once: it is stored once,
// byte for byte, and the other import says it was there already.
TEST_P(StatementImport, OneLargeFileImportedTwiceAtOnceIsStoredOnce) {
  // Whitespace between the declaration and the document makes it large without many entries
  // (which would only make the test slow).
  std::string bytes = camt053_booked();
  std::string padding;
  for (int line = 0; padding.size() <= kRawFileChunkBytes + 4096; ++line) padding += std::string(line % 120, ' ') + "\n";
  bytes.insert(bytes.find("?>") + 2, padding);
  ASSERT_GT(bytes.size(), kRawFileChunkBytes) << "the file should span several chunks";
  std::optional<Result<statements::ImportReport>> results[2];
  std::thread other([&] { results[1].emplace(import("twice-b.xml", bytes)); });
  results[0].emplace(import("twice-a.xml", bytes));
  other.join();
  ASSERT_TRUE(*results[0]) << results[0]->problem().to_string();
  ASSERT_TRUE(*results[1]) << results[1]->problem().to_string();
  const auto& r0 = results[0]->value();
  const auto& r1 = results[1]->value();
  EXPECT_NE(r0.already_imported, r1.already_imported);
  const auto& stored = r0.already_imported ? r1 : r0;
  EXPECT_EQ(stored.sha256, sha256_hex(bytes));
  EXPECT_EQ((r0.already_imported ? r0 : r1).sha256, stored.sha256);
  EXPECT_EQ(entry_count(), stored.entries_new);
  auto tx = store_->begin();
  EXPECT_EQ(tx->statements().list({}).size(), 1u);
  std::string kept;
  ASSERT_TRUE(tx->statements().read_raw_file(stored.sha256, [&](std::string_view p) { kept += p; }));
  EXPECT_TRUE(kept == bytes) << kept.size() << " of " << bytes.size() << " bytes";
}

// A raw file whose compressed frames cannot wait on disk (the spool's folder is gone) fails
// the import with the reason, and leaves nothing: no statement, no entry, no file.
TEST_P(StatementImport, ARawFileThatCannotBeSpooledFailsTheImportAndLeavesNothing) {
  // Random letters in a comment: a valid file whose compressed frames pass the 16 MiB held in
  // memory (letters compress to about 60 %).
  std::mt19937_64 rng(11);
  std::string comment(std::size_t(36) << 20, ' ');
  for (auto& c : comment) c = static_cast<char>('a' + rng() % 26);
  std::string bytes = camt053_booked();
  bytes.insert(bytes.find("?>") + 2, "<!--" + comment + "-->");
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string saved = old_tmpdir ? old_tmpdir : "";
  ::setenv("TMPDIR", "/nonexistent/arcd-spool", 1);
  std::string code, message;
  try {
    auto r = import("spool.xml", bytes);
    if (!r) code = r.problem().code;
  } catch (const Error& e) {
    code = e.code();
    message = e.what();
  }
  if (old_tmpdir) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  EXPECT_EQ(code, "RAW_FILE_SPOOL");
  EXPECT_NE(message.find("/nonexistent/arcd-spool"), std::string::npos) << message;
  {
    auto tx = store_->begin();
    EXPECT_TRUE(tx->statements().list({}).empty());
    EXPECT_FALSE(tx->statements().has_raw_file(sha256_hex(bytes)));
  }
  EXPECT_EQ(entry_count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StatementImport, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& param_info) { return param_info.param; });
