// One conformance suite, run against every Store backend (SQLite and PostgreSQL).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <filesystem>
#include <functional>
#include <random>
#include <regex>
#include <thread>

#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "store/entry_details_json.hpp"
#include "store/log_checkpointer.hpp"
#include "store/migrations.hpp"
#include "store/schema_text_edit.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam());
    clock_ = std::make_shared<test::ManualClock>(*parse_iso8601("2026-11-23T10:00:00Z"));
    store_ = open_store({db_->url(), 2, 5000}, clock_);
    store_->migrate();
  }

  Customer customer(const std::string& ext) {
    Customer c;
    c.source = "erp";
    c.external_id = ext;
    c.name = "Customer " + ext;
    c.email = ext + "@example.com";
    return c;
  }

  Invoice invoice(CustomerId cid, const std::string& number, std::int64_t total, const char* cur = "EUR") {
    Invoice i;
    i.source = "erp";
    i.number = number;
    i.customer_id = cid;
    i.issue_date = Date(2026, 10, 1);
    i.due_date = Date(2026, 10, 31);
    i.amount_total = Money(total, Currency::of(cur));
    i.amount_open = Money(total, Currency::of(cur));
    i.payment_reference = "RF18" + number;
    return i;
  }

  std::string error_code(auto f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    } catch (const std::exception& e) {
      return std::string("other: ") + e.what();
    }
    return "no error";
  }

  // Runs `f` in a fresh transaction and expects the database to refuse it with `code`; after
  // that the transaction must refuse to commit on every backend.
  void expect_refused(const std::string& code, const std::function<void(Transaction&)>& f) {
    auto tx = store_->begin();
    EXPECT_EQ(error_code([&] { f(*tx); }), code);
    EXPECT_EQ(error_code([&] { tx->commit(); }), "DB_TX_ABORTED");
  }

  std::unique_ptr<test::TestDatabase> db_;
  std::shared_ptr<test::ManualClock> clock_;
  std::unique_ptr<Store> store_;
};

}  // namespace

TEST_P(StoreConformance, MigrationsAreAppliedOnceAndReported) {
  auto st = store_->schema_status();
  EXPECT_EQ(st.current_version, st.known_version);
  EXPECT_GE(st.known_version, 1);
  EXPECT_TRUE(st.pending.empty());
  EXPECT_EQ(st.applied.front(), "0001_init");
  auto again = store_->migrate();  // idempotent
  EXPECT_EQ(again.current_version, st.current_version);
  EXPECT_TRUE(store_->ping());
  EXPECT_EQ(store_->backend(), GetParam());
}

TEST_P(StoreConformance, AFreshDatabaseReportsPendingMigrations) {
  test::TestDatabase other(GetParam());
  auto s = open_store({other.url(), 1, 1000});
  auto st = s->schema_status();
  EXPECT_EQ(st.current_version, 0);
  EXPECT_FALSE(st.pending.empty());
}

TEST_P(StoreConformance, ANewerSchemaRefusesToStart) {
  // What a newer arcd would leave behind: a migration this binary does not know.
  test::exec_raw_sql(db_->url(), "INSERT INTO schema_migrations(version, name, applied_at) VALUES(999, '0999_future', 'x')");
  auto s = open_store({db_->url(), 1, 1000});
  EXPECT_EQ(error_code([&] { s->schema_status(); }), "DB_SCHEMA_TOO_NEW");
  EXPECT_EQ(error_code([&] { s->migrate(); }), "DB_SCHEMA_TOO_NEW");
}

TEST_P(StoreConformance, CustomersRoundTripWithOptimisticVersions) {
  auto tx = store_->begin();
  const auto id = tx->customers().insert(customer("C1"));
  auto c = tx->customers().get(id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->external_id, "C1");
  EXPECT_EQ(c->version, 1);
  EXPECT_EQ(tx->customers().find_by_external_id("erp", "C1")->id, id);
  EXPECT_FALSE(tx->customers().find_by_external_id("other", "C1"));
  c->name = "Renamed";
  tx->customers().update(*c);
  EXPECT_EQ(tx->customers().get(id)->name, "Renamed");
  EXPECT_EQ(tx->customers().get(id)->version, 2);
  EXPECT_EQ(error_code([&] { tx->customers().update(*c); }), "DB_CONFLICT");  // stale version 1
  tx->commit();
  expect_refused("DB_CONFLICT", [&](Transaction& t) { t.customers().insert(customer("C1")); });
  EXPECT_EQ(store_->begin()->customers().get(id)->name, "Renamed");
}

TEST_P(StoreConformance, ACommitLeavingTheCheckpointIsACommitAndACheckpointCatchesUp) {
  CustomerId first, second;
  {
    auto tx = store_->begin();
    first = tx->customers().insert(customer("C1"));
    tx->commit_without_checkpoint();
  }
  store_->checkpoint();
  {
    auto tx = store_->begin();  // the connection checkpoints as before on its next commit
    second = tx->customers().insert(customer("C2"));
    tx->commit();
  }
  store_->checkpoint();
  // Reopened: both commits are in the database, whichever connection wrote them.
  store_.reset();
  store_ = open_store({db_->url(), 2, 5000}, clock_);
  {
    auto tx = store_->begin();
    EXPECT_EQ(tx->customers().get(first)->external_id, "C1");
    EXPECT_EQ(tx->customers().get(second)->external_id, "C2");
  }
  // A failed transaction refuses this commit as well.
  auto failing = store_->begin();
  EXPECT_EQ(error_code([&] { failing->customers().insert(customer("C1")); }), "DB_CONFLICT");
  EXPECT_EQ(error_code([&] { failing->commit_without_checkpoint(); }), "DB_TX_ABORTED");
}

TEST_P(StoreConformance, CustomerAccountsAreIdempotentAndSearchable) {
  auto tx = store_->begin();
  const auto a = tx->customers().insert(customer("A"));
  const auto b = tx->customers().insert(customer("B"));
  tx->customers().add_account({a, "DE89370400440532013000", "master"});
  tx->customers().add_account({a, "DE89370400440532013000", "master"});
  tx->customers().add_account({b, "DE89370400440532013000", "learned"});
  EXPECT_EQ(tx->customers().accounts(a).size(), 1u);
  EXPECT_EQ(tx->customers().find_by_account("DE89370400440532013000").size(), 2u);
  tx->commit();
  expect_refused("DB_QUERY", [&](Transaction& t) { t.customers().add_account({a, "X", "guessed"}); });
  expect_refused("DB_CONFLICT", [&](Transaction& t) { t.customers().add_account({CustomerId(999999), "X", "master"}); });
}

TEST_P(StoreConformance, InvoicesKeepMoneyExactInEveryCurrency) {
  auto tx = store_->begin();
  const auto cid = tx->customers().insert(customer("C1"));
  const auto eur = tx->invoices().insert(invoice(cid, "E1", 123456789012345));
  const auto jpy = tx->invoices().insert(invoice(cid, "J1", 1500, "JPY"));
  const auto bhd = tx->invoices().insert(invoice(cid, "B1", -1, "BHD"));
  EXPECT_EQ(tx->invoices().get(eur)->amount_total, Money(123456789012345, Currency::of("EUR")));
  EXPECT_EQ(tx->invoices().get(jpy)->amount_open.currency().code(), "JPY");
  EXPECT_EQ(tx->invoices().get(bhd)->amount_total.to_string(), "-0.001");
  EXPECT_EQ(tx->invoices().get(eur)->due_date, Date(2026, 10, 31));
  EXPECT_EQ(tx->invoices().find_by_number("erp", "J1")->id, jpy);
  tx->commit();
  expect_refused("DB_CONFLICT", [&](Transaction& t) { t.invoices().insert(invoice(cid, "E1", 5)); });
  expect_refused("DB_CONFLICT", [&](Transaction& t) { t.invoices().insert(invoice(CustomerId(424242), "X9", 5)); });
}

TEST_P(StoreConformance, InvoiceUpdatesDetectConcurrentChanges) {
  InvoiceId id;
  {
    auto tx = store_->begin();
    id = tx->invoices().insert(invoice(tx->customers().insert(customer("C1")), "I1", 1000));
    tx->commit();
  }
  auto tx = store_->begin();
  auto a = *tx->invoices().get(id);
  auto b = a;
  a.amount_open = Money(400, Currency::of("EUR"));
  tx->invoices().update(a);
  b.amount_open = Money(300, Currency::of("EUR"));
  EXPECT_EQ(error_code([&] { tx->invoices().update(b); }), "DB_CONFLICT");
  tx->commit();
}

// The totals an application moves (SQLite writes them through its own prepared statement): an
// invoice is paid at zero, open again when a reversal gives back, stays cancelled, and is never
// taken below zero.
TEST_P(StoreConformance, InvoiceTotalsFollowApplicationsAndNeverGoBelowZero) {
  InvoiceId id, cancelled;
  {
    auto tx = store_->begin();
    const auto cid = tx->customers().insert(customer("C1"));
    id = tx->invoices().insert(invoice(cid, "I1", 1000));
    auto c = invoice(cid, "I2", 500);
    c.status = InvoiceStatus::cancelled;
    cancelled = tx->invoices().insert(c);
    tx->commit();
  }
  auto tx = store_->begin();
  tx->cash().add_to_invoice(id, 600, 0);
  auto i = *tx->invoices().get(id);
  EXPECT_EQ(i.amount_open.minor(), 400);
  EXPECT_EQ(i.applied_minor, 600);
  EXPECT_EQ(i.status, InvoiceStatus::open);
  EXPECT_EQ(i.version, 2);
  tx->cash().add_to_invoice(id, 300, 100);
  i = *tx->invoices().get(id);
  EXPECT_EQ(i.amount_open.minor(), 0);
  EXPECT_EQ(i.applied_minor, 900);
  EXPECT_EQ(i.adjusted_minor, 100);
  EXPECT_EQ(i.status, InvoiceStatus::paid);
  tx->cash().add_to_invoice(id, -300, 0);  // a reversal gives back
  i = *tx->invoices().get(id);
  EXPECT_EQ(i.amount_open.minor(), 300);
  EXPECT_EQ(i.status, InvoiceStatus::open);
  tx->cash().add_to_invoice(cancelled, 100, 0);
  EXPECT_EQ(tx->invoices().get(cancelled)->status, InvoiceStatus::cancelled);
  tx->commit();
  expect_refused("CASH_OVERAPPLIED", [&](Transaction& t) { t.cash().add_to_invoice(id, 301, 0); });
  expect_refused("CASH_OVERAPPLIED", [&](Transaction& t) { t.cash().add_to_invoice(InvoiceId(424242), 1, 0); });
  EXPECT_EQ(store_->begin()->invoices().get(id)->amount_open.minor(), 300);
}

TEST_P(StoreConformance, InvoiceFiltersAndKeysetPaging) {
  auto tx = store_->begin();
  const auto c1 = tx->customers().insert(customer("C1"));
  const auto c2 = tx->customers().insert(customer("C2"));
  for (int i = 0; i < 25; ++i) {
    auto inv = invoice(i % 2 ? c1 : c2, "N" + std::to_string(i), 100 + i);
    if (i % 5 == 0) inv.status = InvoiceStatus::paid;
    tx->invoices().insert(inv);
  }
  EXPECT_EQ(tx->invoices().count({}), 25);
  EXPECT_EQ(tx->invoices().count({c1, std::nullopt, std::nullopt}), 12);
  EXPECT_EQ(tx->invoices().count({std::nullopt, InvoiceStatus::paid, std::nullopt}), 5);
  EXPECT_EQ(tx->invoices().count({c1, InvoiceStatus::open, std::string("erp")}), 10);
  std::vector<std::int64_t> seen;
  for (Page p{0, 7};;) {
    auto page = tx->invoices().list({}, p);
    if (page.empty()) break;
    for (const auto& i : page) seen.push_back(i.id.value());
    p.after_id = page.back().id.value();
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  tx->commit();
}

TEST_P(StoreConformance, RollbackOnDestructionLeavesNothing) {
  {
    auto tx = store_->begin();
    tx->customers().insert(customer("Ghost"));
    // no commit
  }
  auto tx = store_->begin();
  EXPECT_EQ(tx->customers().count(), 0);
  EXPECT_FALSE(tx->customers().find_by_external_id("erp", "Ghost"));
}

TEST_P(StoreConformance, RawFilesReadBackExactlyAsReceived) {
  // Over one chunk (8 MiB), compressible text with binary bytes in it.
  std::string big;
  for (int i = 0; big.size() < (9u << 20); ++i) big += "<Ntry><Amt Ccy=\"EUR\">" + std::to_string(i) + ".00</Amt>" + std::string(1, char(i % 256)) + "</Ntry>\n";
  {
    auto tx = store_->begin();
    EXPECT_TRUE(tx->statements().store_raw_file("big", "big.xml", big));
    EXPECT_TRUE(tx->statements().store_raw_file("empty", "empty.xml", ""));
    tx->commit();
  }
  auto tx = store_->begin();
  std::string back;
  int pieces = 0;
  ASSERT_TRUE(tx->statements().read_raw_file("big", [&](std::string_view p) {
    back += p;
    ++pieces;
  }));
  EXPECT_EQ(pieces, 2);
  EXPECT_TRUE(back == big) << back.size() << " bytes read back of " << big.size();
  std::string none = "untouched";
  ASSERT_TRUE(tx->statements().read_raw_file("empty", [&](std::string_view p) { none = std::string(p); }));
  EXPECT_EQ(none, "");
  EXPECT_FALSE(tx->statements().read_raw_file("not-stored", [](std::string_view) {}));
}

TEST_P(StoreConformance, StatementsEntriesAndRawFiles) {
  auto tx = store_->begin();
  EXPECT_TRUE(tx->statements().store_raw_file("abc123", "stmt.xml", std::string("<xml>\0binary\xff", 14)));
  EXPECT_FALSE(tx->statements().store_raw_file("abc123", "again.xml", "<xml/>"));
  EXPECT_TRUE(tx->statements().has_raw_file("abc123"));
  Statement s;
  s.format = "camt.053.001.08";
  s.file_sha256 = "abc123";
  s.account = "DE89370400440532013000";
  s.bank_statement_id = "STMT-1";
  s.sequence = 42;
  s.created_at = parse_iso8601("2026-11-23T06:00:00Z");
  s.from_date = Date(2026, 11, 22);
  s.to_date = Date(2026, 11, 22);
  s.balances = {{"OPBD", Money(100000, Currency::of("EUR")), Date(2026, 11, 22)},
                {"CLBD", Money(-5000, Currency::of("EUR")), Date(2026, 11, 22)}};
  const auto sid = tx->statements().insert(s);
  auto back = tx->statements().get(sid);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sequence, 42);
  EXPECT_EQ(back->created_at, s.created_at);
  ASSERT_EQ(back->balances.size(), 2u);
  EXPECT_EQ(back->balances[1].amount.minor(), -5000);

  Entry e;
  e.statement_id = sid;
  e.entry_key = "DE89370400440532013000|BANKREF-1";
  e.amount = Money(123450, Currency::of("EUR"));
  e.booking_date = Date(2026, 11, 22);
  e.payer_name = "Acme GmbH";
  e.remittance = "INV-1\nINV-2";
  const auto eid = tx->entries().insert(e);
  EXPECT_EQ(tx->entries().get(eid)->remittance, "INV-1\nINV-2");
  EXPECT_FALSE(tx->entries().get(eid)->value_date);
  EXPECT_EQ(tx->entries().find_by_key(e.entry_key)->id, eid);
  EXPECT_EQ(tx->entries().list_by_statement(sid, {}).size(), 1u);
  Entry negative = e;
  negative.entry_key = "neg";
  negative.amount = Money(-1, Currency::of("EUR"));
  EXPECT_EQ(error_code([&] { tx->entries().insert(negative); }), "DB_INVARIANT");  // refused before the database
  tx->commit();
  expect_refused("DB_CONFLICT", [&](Transaction& t) { t.entries().insert(e); });
  EXPECT_EQ(store_->begin()->entries().list_by_statement(sid, {}).size(), 1u);
}

TEST_P(StoreConformance, ApplicationsAreAppendOnly) {
  auto tx = store_->begin();
  tx->statements().store_raw_file("h", "f", "x");
  Statement s;
  s.format = "bai2";
  s.file_sha256 = "h";
  s.account = "1";
  const auto sid = tx->statements().insert(s);
  Entry e;
  e.statement_id = sid;
  e.entry_key = "k";
  e.amount = Money(1000, Currency::of("EUR"));
  const auto eid = tx->entries().insert(e);
  const auto cid = tx->customers().insert(customer("C1"));
  const auto iid = tx->invoices().insert(invoice(cid, "I1", 1000));
  Application a;
  a.entry_id = eid;
  a.invoice_id = iid;
  a.amount = Money(1000, Currency::of("EUR"));
  a.rule = "structured_reference";
  a.actor = "system:cashapp";
  const auto aid = tx->applications().insert(a);
  Application undo = a;
  undo.kind = ApplicationKind::unapply;
  undo.amount = Money(-1000, Currency::of("EUR"));
  undo.reverses = aid;
  undo.reason = "wrong customer";
  undo.actor = "alice";
  tx->applications().insert(undo);
  auto list = tx->applications().for_entry(eid);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].reverses, aid);
  EXPECT_EQ(tx->applications().for_invoice(iid).size(), 2u);
  EXPECT_EQ(list[0].created_at, clock_->now());
  tx->commit();
  tx.reset();
  EXPECT_THROW(test::exec_raw_sql(db_->url(), "DELETE FROM applications"), std::runtime_error);
  EXPECT_THROW(test::exec_raw_sql(db_->url(), "UPDATE applications SET amount = 1"), std::runtime_error);
  EXPECT_EQ(store_->begin()->applications().for_entry(eid).size(), 2u);
}

TEST_P(StoreConformance, OutboxIsIdempotentAndDeliversInOrder) {
  auto tx = store_->begin();
  const Instant now = clock_->now(), lease = now + std::chrono::minutes(5);
  OutboxEvent e;
  e.destination = "odoo-eu";
  e.kind = "payment.applied";
  e.idempotency_key = "app-1";
  e.ordering_key = "invoice:1";
  e.payload = R"({"amount":"10.00"})";
  const auto first = tx->outbox().enqueue(e);
  EXPECT_EQ(tx->outbox().enqueue(e), first);
  e.idempotency_key = "app-2";
  const auto second = tx->outbox().enqueue(e);  // same invoice: waits for the first
  e.idempotency_key = "app-3";
  e.ordering_key = "invoice:2";
  const auto third = tx->outbox().enqueue(e);
  e.idempotency_key = "tms-1";
  e.destination = "tms";
  tx->outbox().enqueue(e);

  auto due = tx->outbox().claim("odoo-eu", now, lease, "daemon-a", 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].id, first);
  EXPECT_EQ(due[1].id, third);
  EXPECT_EQ(due[0].claimed_by, "daemon-a");
  // Claimed events are nobody else's until the lease lapses.
  EXPECT_TRUE(tx->outbox().claim("odoo-eu", now, lease, "daemon-b", 10).empty());
  EXPECT_FALSE(tx->outbox().mark_delivered(first, "daemon-b", "P1"));
  EXPECT_TRUE(tx->outbox().mark_delivered(first, "daemon-a", "P1"));
  EXPECT_EQ(tx->outbox().get(first)->remote_id, "P1");
  // daemon-a dies holding the third: its claim lapses with the lease (below).
  // The first is delivered: the second of its invoice may go now.
  due = tx->outbox().claim("odoo-eu", now, lease, "daemon-b", 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, second);
  EXPECT_TRUE(tx->outbox().mark_retry(second, "daemon-b", "HTTP 503", now + std::chrono::minutes(5)));
  EXPECT_TRUE(tx->outbox().claim("odoo-eu", now, lease, "daemon-b", 10).empty());
  auto later = tx->outbox().claim("odoo-eu", now + std::chrono::minutes(6), now + std::chrono::minutes(11), "daemon-b", 10);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].id, second);
  EXPECT_EQ(later[0].attempts, 1);
  EXPECT_EQ(later[0].last_error, "HTTP 503");
  EXPECT_EQ(later[1].id, third);  // daemon-a's lapsed claim, taken over
  EXPECT_FALSE(tx->outbox().mark_delivered(third, "daemon-a", "late"));
  EXPECT_TRUE(tx->outbox().mark_delivered(third, "daemon-b", "P3"));
  EXPECT_TRUE(tx->outbox().mark_dead(second, "daemon-b", "HTTP 400"));
  EXPECT_TRUE(tx->outbox().claim("odoo-eu", now + std::chrono::minutes(20), now + std::chrono::minutes(25), "daemon-c", 10).empty());

  EXPECT_EQ(tx->outbox().list({OutboxStatus::dead, std::nullopt}, {}).size(), 1u);
  EXPECT_EQ(tx->outbox().list({OutboxStatus::delivered, std::nullopt}, {}).size(), 2u);
  EXPECT_EQ(tx->outbox().list({std::nullopt, std::string("tms")}, {}).size(), 1u);
  EXPECT_EQ(tx->outbox().list({}, {}).size(), 4u);
  EXPECT_FALSE(tx->outbox().retry(first, now));  // delivered stays delivered
  EXPECT_TRUE(tx->outbox().retry(second, now));
  EXPECT_EQ(tx->outbox().get(second)->attempts, 0);
  EXPECT_TRUE(tx->outbox().drop(second));
  EXPECT_EQ(tx->outbox().get(second)->status, OutboxStatus::dropped);
  const auto stats = tx->outbox().stats();
  ASSERT_FALSE(stats.empty());
  tx->commit();
}

TEST_P(StoreConformance, SyncCursorsAreKeptPerSourceAndStream) {
  auto tx = store_->begin();
  EXPECT_FALSE(tx->cursors().get("odoo", "invoices"));
  tx->cursors().put("odoo", "invoices", {"2024-05-10 08:15:42", std::nullopt});
  tx->cursors().put("odoo", "invoices", {"2024-05-10 09:02:11", clock_->now()});
  tx->cursors().put("odoo", "customers", {"c", std::nullopt});
  const auto c = tx->cursors().get("odoo", "invoices");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cursor, "2024-05-10 09:02:11");
  EXPECT_EQ(c->full_sweep_at, clock_->now());
  tx->commit();
}

TEST_P(StoreConformance, AuditLogIsAppendOnly) {
  {
    auto tx = store_->begin();
    tx->audit().append({{}, {}, "alice", "invoice.updated", "invoice", "7", "correction", R"({"amount_open":{"old":"1","new":"2"}})"});
    tx->audit().append({{}, {}, "bob", "invoice.updated", "invoice", "8", "", ""});
    EXPECT_EQ(error_code([&] { tx->audit().append({{}, {}, "", "x", "invoice", "7", "", ""}); }), "DB_INVARIANT");
    tx->commit();
  }
  {
    auto tx = store_->begin();
    auto recs = tx->audit().for_entity("invoice", "7");
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].actor, "alice");
    EXPECT_EQ(recs[0].reason, "correction");
    EXPECT_EQ(recs[0].at, clock_->now());
    EXPECT_EQ(tx->audit().list({}).size(), 2u);
  }
  // The database itself refuses to rewrite history (no transaction of ours is open here).
  EXPECT_THROW(test::exec_raw_sql(db_->url(), "UPDATE audit_log SET actor = 'mallory'"), std::runtime_error);
  EXPECT_THROW(test::exec_raw_sql(db_->url(), "DELETE FROM audit_log"), std::runtime_error);
  test::exec_raw_sql(db_->url(), "SELECT 1");  // while plain access works
  EXPECT_EQ(store_->begin()->audit().list({}).size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& param_info) { return param_info.param; });

// Files stored before schema 10 are the bytes as received, and read back as such.
TEST(RawFileStore, FilesStoredBeforeCompressionReadBackAsStored) {
  test::TempDir dir;
  const auto path = (dir / "old.db").string();
  auto store = open_store({"sqlite://" + path, 1, 5000});
  store->migrate();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db,
                              "INSERT INTO raw_files(sha256, name, size, received_at) VALUES('old', 'old.xml', 11, '2026-01-01T00:00:00Z');"
                              "INSERT INTO raw_file_chunks(sha256, chunk, content) VALUES('old', 0, CAST('<xml>as is' AS BLOB));"
                              "INSERT INTO raw_file_chunks(sha256, chunk, content) VALUES('old', 1, CAST('!' AS BLOB));",
                              nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  auto tx = store->begin();
  std::string back;
  ASSERT_TRUE(tx->statements().read_raw_file("old", [&](std::string_view p) { back += p; }));
  EXPECT_EQ(back, "<xml>as is!");
}

// Schema 12 turns SQLite's cash-application queues into rowid tables: what was queued before
// is queued after, and the separate key index is gone.
namespace {

// A SQLite database at an older schema, built by running the migrations up to `version` by
// hand and recording them as the runner does; migrate() then applies the rest.
struct OldSchemaDatabase {
  test::TempDir dir;
  std::string path = (dir / "old.db").string();
  sqlite3* db = nullptr;

  explicit OldSchemaDatabase(int version) {
    open_store({"sqlite://" + path, 1, 5000})->schema_status();  // makes schema_migrations
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    exec("PRAGMA foreign_keys = ON");
    for (const auto& m : store::migrations_for(store::Backend::sqlite)) {
      if (m.version > version) break;
      // As the store's runner does (schema_text_edit.hpp), with a connection of its own.
      const bool edits_text = m.sql.find(store::kEditsSchemaText) != std::string_view::npos;
      exec("BEGIN;" + std::string(edits_text ? "PRAGMA writable_schema = ON;" : "") + std::string(m.sql));
      if (edits_text) exec("PRAGMA schema_version = " + std::to_string(number("PRAGMA schema_version") + 1) + "; PRAGMA writable_schema = OFF;");
      exec("INSERT INTO schema_migrations VALUES(" + std::to_string(m.version) + ", '" + m.name + "', '2026-11-25T00:00:00Z'); COMMIT;");
    }
  }
  ~OldSchemaDatabase() { sqlite3_close(db); }

  void exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "") << " in " << sql.substr(0, 120);
    sqlite3_free(error);
  }
  // What EXPLAIN QUERY PLAN says of `sql`, a line per step.
  std::string query_plan(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW) plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + "\n";
    sqlite3_finalize(st);
    return plan;
  }
  // The opcodes SQLite compiles `sql` to, one per line.
  std::string opcodes(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN " + sql).c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string ops;
    while (sqlite3_step(st) == SQLITE_ROW) ops += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))) + "\n";
    sqlite3_finalize(st);
    return ops;
  }
  // The message SQLite refuses `sql` with, empty when it runs.
  std::string refusal(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = rc == SQLITE_OK ? "" : (error ? error : "refused");
    sqlite3_free(error);
    return message;
  }
  long long number(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW) << sql;
    const auto n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }
};

// One of everything that schemas 12 and 13 rebuild or that refers to it, with ids that have gaps
// (valid from schema 2 on).
constexpr const char* kSchema12Rows =
    "INSERT INTO customers(id, source, external_id, name, created_at, updated_at) VALUES (4, 'erp', 'C4', 'Acme', 't', 't');"
    "INSERT INTO invoices(id, source, number, customer_id, issue_date, due_date, currency, amount_total, amount_open, status,"
    " created_at, updated_at) VALUES (9, 'erp', 'INV-9', 4, '2026-11-01', '2026-11-30', 'EUR', 10000, 6000, 'open', 't', 't');"
    "INSERT INTO raw_files(sha256, name, size, received_at) VALUES ('f00d', 'a.xml', 3, 't');"
    "INSERT INTO statements(id, format, file_sha256, account, currency, imported_at) VALUES (2, 'camt.053.001.08', 'f00d', 'DE89', 'EUR', 't');"
    "INSERT INTO entries(id, statement_id, entry_key, position, amount, currency, direction, status, end_to_end_id)"
    " VALUES (11, 2, 'k11', 0, 4000, 'EUR', 'credit', 'booked', 'E2E-11'), (17, 2, 'k17', 1, 2500, 'EUR', 'credit', 'booked', '');"
    "INSERT INTO cash_inbox(entry_id) VALUES (17);"
    "INSERT INTO applications(id, entry_id, invoice_id, customer_id, kind, amount, currency, actor, created_at)"
    " VALUES (30, 11, 9, 4, 'apply', 4000, 'EUR', 'cashapp', 't');"
    "INSERT INTO ptps(id, customer_id, amount, currency, promised_date, channel, state, recorded_by, created_at)"
    " VALUES (1, 4, 4000, 'EUR', '2026-11-20', 'phone', 'kept', 'ann', 't');"
    "INSERT INTO ptp_events(ptp_id, state, paid, application_id, actor, at) VALUES (1, 'kept', 4000, 30, 'cashapp', 't');"
    "INSERT INTO outbox(id, destination, kind, idempotency_key, payload, status, next_attempt_at, created_at)"
    " VALUES (40, 'erp', 'payment_applied', 'pay-30', '{}', 'pending', 't', 't');";

}  // namespace

TEST(QueueTables, Schema12KeepsWhatWasQueued) {
  // At schema 11: the queue tables as schema 2 made them, with an entry queued and one in the
  // exception queue, and no index of raw files by size.
  OldSchemaDatabase old(11);
  old.exec(kSchema12Rows);
  old.exec("INSERT INTO cash_exceptions(entry_id, amount, currency, reason, detail, candidates, updated_at)"
           " VALUES (11, 1250, 'EUR', 'ambiguous', 'two invoices', '[1,2]', '2026-11-25T00:00:00Z');");
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_cash_%'"), 2);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_master WHERE name = 'raw_files_by_size'"), 0);
  open_store({"sqlite://" + old.path, 1, 5000})->migrate();
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_cash_%'"), 0);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_master WHERE name = 'raw_files_by_size'"), 1);
  EXPECT_EQ(old.number("SELECT SUM(entry_id) FROM cash_inbox"), 17);
  EXPECT_EQ(old.number("SELECT amount FROM cash_exceptions WHERE entry_id = 11 AND reason = 'ambiguous' AND candidates = '[1,2]'"), 1250);
}

// What the bank said beyond the columns is kept as JSON, built in a stack buffer: every field
// comes back, from a small document and from one far larger than the buffer.
TEST(EntryDetailsJson, EveryFieldComesBackFromASmallAndALargeDocument) {
  for (const std::size_t text : {std::size_t(3), std::size_t(9000)}) {
    const auto eur = Currency::of("EUR"), chf = Currency::of("CHF");
    EntryDetails d;
    d.entry_reference = "NTRY-" + std::string(text, 'r');
    d.message_id = "MSG";
    d.payment_information_id = "PMTINF";
    d.instruction_id = "INSTR";
    d.transaction_id = "TX";
    d.mandate_id = "MNDT";
    d.uetr = "eb6305c9-1f7f-49de-aed0-16487c27b42d";
    d.ultimate_debtor = "Ultimate \"Debtor\" AG";
    d.creditor_name = "Us GmbH";
    d.creditor_account = "DE89370400440532013000";
    d.payer_bic = "COBADEFFXXX";
    d.creditor_references = {{"SCOR", "ISO", "RF18539007547034"}, {"QRR", "", "210000000003139471430009017"}};
    d.referred_documents = {{"INV-1", Money::parse("12.50", eur)}, {"INV-2", std::nullopt}};
    d.instructed_amount = Money::parse("13.40", chf);
    d.transaction_amount = Money::parse("12.50", eur);
    d.exchange_rate = "1.0720";
    d.source_currency = "CHF";
    d.target_currency = "EUR";
    d.charges = Money::parse("0.90", eur);
    d.return_reason = "AC04";
    d.additional_entry_info = "entry info";
    d.additional_transaction_info = std::string(text, 'x') + "\n\u00e9";
    const auto back = store::entry_details_from_json(store::entry_details_to_json(d));
    EXPECT_EQ(back.entry_reference, d.entry_reference);
    EXPECT_EQ(back.message_id, d.message_id);
    EXPECT_EQ(back.payment_information_id, d.payment_information_id);
    EXPECT_EQ(back.instruction_id, d.instruction_id);
    EXPECT_EQ(back.transaction_id, d.transaction_id);
    EXPECT_EQ(back.mandate_id, d.mandate_id);
    EXPECT_EQ(back.uetr, d.uetr);
    EXPECT_EQ(back.ultimate_debtor, d.ultimate_debtor);
    EXPECT_EQ(back.creditor_name, d.creditor_name);
    EXPECT_EQ(back.creditor_account, d.creditor_account);
    EXPECT_EQ(back.payer_bic, d.payer_bic);
    ASSERT_EQ(back.creditor_references.size(), 2u);
    EXPECT_EQ(back.creditor_references[1].type, "QRR");
    EXPECT_EQ(back.creditor_references[0].issuer, "ISO");
    EXPECT_EQ(back.creditor_references[1].reference, d.creditor_references[1].reference);
    ASSERT_EQ(back.referred_documents.size(), 2u);
    EXPECT_EQ(back.referred_documents[0].number, "INV-1");
    EXPECT_EQ(back.referred_documents[0].amount, d.referred_documents[0].amount);
    EXPECT_FALSE(back.referred_documents[1].amount.has_value());
    EXPECT_EQ(back.instructed_amount, d.instructed_amount);
    EXPECT_EQ(back.transaction_amount, d.transaction_amount);
    EXPECT_EQ(back.charges, d.charges);
    EXPECT_EQ(back.exchange_rate, d.exchange_rate);
    EXPECT_EQ(back.source_currency, "CHF");
    EXPECT_EQ(back.target_currency, "EUR");
    EXPECT_EQ(back.return_reason, "AC04");
    EXPECT_EQ(back.additional_entry_info, d.additional_entry_info);
    EXPECT_EQ(back.additional_transaction_info, d.additional_transaction_info);
  }
  EXPECT_EQ(store::entry_details_to_json({}), "{}");
}

// New SQLite databases get 8 KiB pages (an import writes its log in half the calls); one made
// before, with SQLite's default 4 KiB, keeps them and migrates and works as before.
TEST(PageSize, ANewDatabaseHas8KiBPagesAndAnOldOneKeepsItsOwn) {
  test::TempDir dir;
  const auto page_size = [](const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const auto size = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return size;
  };
  const auto fresh = (dir / "new.db").string();
  open_store({"sqlite://" + fresh, 2, 5000})->migrate();
  EXPECT_EQ(page_size(fresh), 8192);

  const auto old = (dir / "old.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(old.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE kept(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = open_store({"sqlite://" + old, 2, 5000});
  const auto status = store->migrate();
  EXPECT_EQ(status.current_version, static_cast<int>(store::migrations_for(store::Backend::sqlite).size()));
  auto tx = store->begin();
  Customer kept;
  kept.source = "erp";
  kept.external_id = "C-1";
  kept.name = "Kept Page Size GmbH";
  const auto id = tx->customers().insert(kept);
  tx->commit();
  EXPECT_TRUE(store->begin()->customers().get(id).has_value());
  EXPECT_EQ(page_size(old), 4096);
}

// A commit that leaves its checkpoint to the store's own thread: the pages reach the database
// file soon after, and nobody waits for them.
TEST(LogCheckpointer, ACheckpointAskedForCopiesTheLogIntoTheDatabaseFile) {
  test::TempDir dir;
  const auto path = (dir / "soon.db").string();
  auto store = open_store({"sqlite://" + path, 2, 5000});
  store->migrate();
  store->checkpoint();  // the migrations are in the file: what follows is only in the log
  const auto before = std::filesystem::file_size(path);
  std::mt19937_64 rng(3);
  std::string noise(std::size_t(4) << 20, '\0');  // does not compress: 4 MiB stored
  for (auto& c : noise) c = static_cast<char>(rng());
  {
    auto tx = store->begin();
    ASSERT_TRUE(tx->statements().store_raw_file("noise", "noise.bin", noise));
    tx->commit_without_checkpoint();
  }
  // Free pages the migrations left may take part of it: half the file's size tells.
  const auto arrived = before + noise.size() / 2;
  EXPECT_LT(std::filesystem::file_size(path), arrived) << "the commit itself copied the log";
  store->checkpoint_soon();
  for (int i = 0; i < 200 && std::filesystem::file_size(path) < arrived; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(std::filesystem::file_size(path), arrived);
  std::string back;
  ASSERT_TRUE(store->begin()->statements().read_raw_file("noise", [&](std::string_view p) { back += p; }));
  EXPECT_TRUE(back == noise);
}

TEST(LogCheckpointer, AsksWhileOneRunsMakeOneMoreNotOneEach) {
  test::TempDir dir;
  const auto path = (dir / "asks.db").string();
  auto store = open_store({"sqlite://" + path, 1, 5000});
  store->migrate();
  store::LogCheckpointer checkpointer(path);
  EXPECT_EQ(checkpointer.completed(), 0);  // no thread until asked
  checkpointer.request();
  for (int i = 0; i < 200 && checkpointer.completed() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(checkpointer.completed(), 1);
  for (int i = 0; i < 50; ++i) checkpointer.request();
  for (int i = 0; i < 200 && checkpointer.completed() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_GE(checkpointer.completed(), 2);
  EXPECT_LE(checkpointer.completed(), 3) << "fifty asks in a row are not fifty checkpoints";
}

// The checkpoint thread has no caller to throw to: a checkpoint that fails is told to whoever
// opened the store (the daemon logs it), and the thread goes on.
TEST(LogCheckpointer, ACheckpointThatFailsIsToldAndTheNextAskIsTriedAgain) {
  test::TempDir dir;
  const auto path = (dir / "not-a-database.db").string();
  { std::ofstream(path) << "these bytes are not an SQLite database, and are long enough to be read as a header\n"; }
  std::mutex m;
  std::vector<std::string> told;
  store::LogCheckpointer checkpointer(path, [&](const std::string& problem) {
    std::lock_guard lock(m);
    told.push_back(problem);
  });
  checkpointer.request();
  for (int i = 0; i < 200 && checkpointer.failed() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  checkpointer.request();
  for (int i = 0; i < 200 && checkpointer.failed() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(checkpointer.completed(), 0);
  EXPECT_EQ(checkpointer.failed(), 2);
  std::lock_guard lock(m);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_NE(told[0].find("STORE_CHECKPOINT_FAILED"), std::string::npos) << told[0];
  EXPECT_NE(told[0].find(path), std::string::npos) << told[0];
}

// Writers that commit without checkpointing one right after the other (a folder of small
// statement files) each began before the checkpointer had copied the last one's pages, and
// SQLite, which starts its log over only at a writer that begins with it wholly copied, never
// did. Past 64 MiB of log, a writer now waits for the checkpointer, and the log starts over.
TEST(LogCheckpointer, WritersOneAfterTheOtherLetALongLogStartOver) {
  test::TempDir dir;
  const auto path = (dir / "long.db").string();
  auto store = open_store({"sqlite://" + path, 2, 5000});
  store->migrate();
  store->checkpoint();
  std::mt19937_64 rng(5);
  std::string noise(std::size_t(2) << 20, '\0');  // does not compress: 2 MiB of log a commit
  for (auto& c : noise) c = static_cast<char>(rng());
  std::uintmax_t longest = 0;
  for (int i = 0; i < 60; ++i) {  // 120 MiB in all
    noise.replace(0, 8, std::to_string(10000000 + i));  // another file, made at once: the next writer follows at once
    auto tx = store->begin();
    ASSERT_TRUE(tx->statements().store_raw_file("noise-" + std::to_string(i), "noise.bin", noise));
    tx->commit_without_checkpoint();
    store->checkpoint_soon();
    longest = std::max(longest, std::filesystem::file_size(path + "-wal"));
  }
  EXPECT_LT(longest, std::uintmax_t{72} << 20) << "the log grew with every writer";
}


TEST(AppendOnlyTables, Schema13KeepsEveryRowItsIdAndItsReferencesAndDropsAutoincrement) {
  OldSchemaDatabase old(12);
  old.exec(kSchema12Rows);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_sequence WHERE name IN ('entries', 'applications', 'outbox')"), 3);

  auto store = open_store({"sqlite://" + old.path, 1, 5000});
  EXPECT_GE(store->migrate().current_version, 13);
  for (const char* table : {"entries", "applications", "outbox"}) {
    EXPECT_EQ(old.number(std::string("SELECT COUNT(*) FROM sqlite_master WHERE name = '") + table + "' AND sql LIKE '%AUTOINCREMENT%'"), 0)
        << table;
  }
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_sequence WHERE name IN ('entries', 'applications', 'outbox')"), 0);
  EXPECT_EQ(old.number("SELECT SUM(id) FROM entries"), 28);
  EXPECT_EQ(old.number("SELECT amount FROM entries WHERE id = 11 AND end_to_end_id = 'E2E-11'"), 4000);
  EXPECT_EQ(old.number("SELECT entry_id FROM applications WHERE id = 30 AND invoice_id = 9"), 11);
  EXPECT_EQ(old.number("SELECT id FROM outbox WHERE idempotency_key = 'pay-30'"), 40);
  EXPECT_EQ(old.number("SELECT entry_id FROM cash_inbox"), 17);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('entries_by_statement', "
                       "'entries_by_end_to_end_id', 'applications_by_entry', 'applications_by_invoice', 'outbox_by_order', "
                       "'outbox_claimable')"),
            6);
  // References still hold, and are still enforced; applications are still append-only.
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_EQ(old.number("PRAGMA foreign_keys"), 1);
  auto not_customer = [](long long entry, std::int64_t minor) {
    Application a;
    a.entry_id = EntryId(entry);
    a.kind = ApplicationKind::not_customer;
    a.amount = Money(minor, Currency::of("EUR"));
    a.actor = "test";
    return a;
  };
  try {
    auto tx = store->begin();
    tx->applications().insert(not_customer(999, 1));
    tx->commit();
    ADD_FAILURE() << "an application of an entry that does not exist was stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "DB_CONFLICT") << e.what();
  }
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(old.db, "UPDATE applications SET amount = 1 WHERE id = 30", nullptr, nullptr, &error), SQLITE_OK);
  sqlite3_free(error);
  // New rows go on after the highest id.
  auto tx = store->begin();
  EXPECT_EQ(tx->applications().insert(not_customer(17, 2500)).value(), 31);
  tx->commit();
}

TEST(AppendOnlyTables, Schema13RefusesADatabaseWithBrokenReferencesAndChangesNothing) {
  OldSchemaDatabase old(12);
  old.exec(kSchema12Rows);
  // An application that points to an entry that is not there, written with the checks off.
  old.exec("PRAGMA foreign_keys = OFF; INSERT INTO applications(id, entry_id, kind, amount, currency, actor, created_at)"
           " VALUES (31, 555, 'not_customer', 1, 'EUR', 'x', 't'); PRAGMA foreign_keys = ON;");
  auto store = open_store({"sqlite://" + old.path, 1, 5000});
  try {
    store->migrate();
    FAIL() << "schema 13 must refuse broken references";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "DB_MIGRATION_FAILED");
    EXPECT_NE(std::string(e.what()).find("row 31 of applications refers to a missing row of entries"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store->schema_status().current_version, 12);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM sqlite_master WHERE name = 'entries' AND sql LIKE '%AUTOINCREMENT%'"), 1);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM applications"), 2);
}

// `entries list --statement ID` pages by id: each page must be a range read of the index, not
// a sort of every entry of the statement (which made listing a large statement quadratic).
TEST(EntriesByStatement, APageOfAStatementsEntriesIsARangeReadInIdOrder) {
  OldSchemaDatabase db(static_cast<int>(store::migrations_for(store::Backend::sqlite).size()));
  const auto plan = db.query_plan("SELECT id FROM entries WHERE statement_id = 1 AND id > 5 ORDER BY id LIMIT 10");
  EXPECT_NE(plan.find("USING COVERING INDEX entries_by_statement (statement_id=? AND rowid>?)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

// A reversal finds the credit it undoes by end-to-end id through the partial index of credits
// with a usable id (schema 15), not by reading every entry.
TEST(EntriesByEndToEndId, TheReversalLookupUsesThePartialIndexOfCredits) {
  OldSchemaDatabase db(static_cast<int>(store::migrations_for(store::Backend::sqlite).size()));
  const auto plan = db.query_plan(
      "SELECT id FROM entries WHERE end_to_end_id = 'E2E-1' AND status = 'booked' AND direction = 'credit' "
      "AND end_to_end_id <> '' AND end_to_end_id <> 'NOTPROVIDED' AND end_to_end_id <> 'NONREF' ORDER BY id");
  EXPECT_NE(plan.find("USING INDEX entries_by_end_to_end_id (end_to_end_id=?)"), std::string::npos) << plan;
  // Only credits with a usable id are in it; a query without the index's own terms cannot use it.
  EXPECT_EQ(db.number("SELECT COUNT(*) FROM sqlite_master WHERE name = 'entries_by_end_to_end_id' AND "
                      "sql LIKE '%WHERE direction = ''credit'' AND end_to_end_id <> '''' AND end_to_end_id <> ''NOTPROVIDED'' "
                      "AND end_to_end_id <> ''NONREF'''"),
            1);
  EXPECT_EQ(db.query_plan("SELECT id FROM entries WHERE end_to_end_id = 'E2E-1' AND direction = 'credit'").find("entries_by_end_to_end_id"),
            std::string::npos);
}

// SQLite tests `x IN ('a', 'b', 'c')` in a CHECK or an index's WHERE against a temporary index it
// builds for every row written (schemas 16 and 17): a third of an entry's insert. Two values it
// writes as two comparisons itself.
TEST(SchemaText, NoConstraintOrPartialIndexTestsAListOfThreeOrMoreValues) {
  OldSchemaDatabase db(static_cast<int>(store::migrations_for(store::Backend::sqlite).size()));
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db.db, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL", -1, &st, nullptr), SQLITE_OK);
  const std::regex value_list(R"(\bIN\s*\(\s*'[^)]*,[^)]*,[^)]*\))", std::regex::icase);
  int checked = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    const std::string sql = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    ++checked;
    EXPECT_FALSE(std::regex_search(sql, value_list)) << name << ": " << sql;
  }
  sqlite3_finalize(st);
  EXPECT_GT(checked, 40);
  // Nor does what the hot writes compile to build one.
  for (const char* write :
       {"INSERT INTO entries(statement_id, entry_key, position, amount, currency, direction, status, end_to_end_id) "
        "VALUES (1, 'k', 0, 1, 'EUR', 'credit', 'booked', 'E2E')",
        "INSERT INTO applications(entry_id, kind, amount, currency, actor, created_at) VALUES (1, 'apply', 1, 'EUR', 'a', 't')",
        "INSERT INTO outbox(destination, kind, idempotency_key, payload, status, next_attempt_at, created_at) "
        "VALUES ('erp', 'k', 'i', '{}', 'pending', 't', 't')",
        "UPDATE invoices SET status = 'paid', amount_open = 0 WHERE id = 1"}) {
    EXPECT_EQ(db.opcodes(write).find("OpenEphemeral"), std::string::npos) << write;
  }
}

TEST(SchemaText, Schema16RestatesTheConstraintsWithoutCopyingARow) {
  OldSchemaDatabase old(15);
  old.exec(kSchema12Rows);
  const auto pages = old.number("PRAGMA page_count");
  EXPECT_NE(old.opcodes("INSERT INTO applications(entry_id, kind, amount, currency, actor, created_at) "
                        "VALUES (17, 'apply', 1, 'EUR', 'a', 't')")
                .find("OpenEphemeral"),
            std::string::npos);
  auto store = open_store({"sqlite://" + old.path, 1, 5000});
  EXPECT_GE(store->migrate().current_version, 17);
  EXPECT_EQ(old.number("PRAGMA page_count"), pages);  // edited in place, nothing copied
  EXPECT_EQ(old.number("SELECT SUM(id) FROM entries"), 28);
  EXPECT_EQ(old.number("SELECT entry_id FROM applications WHERE id = 30 AND invoice_id = 9"), 11);
  EXPECT_EQ(old.number("SELECT id FROM outbox WHERE idempotency_key = 'pay-30'"), 40);
  EXPECT_EQ(old.number("SELECT amount_open FROM invoices WHERE id = 9 AND status = 'open'"), 6000);
  EXPECT_EQ(old.number("SELECT COUNT(*) FROM pragma_quick_check WHERE quick_check <> 'ok'"), 0);
  // The constraints still refuse what they refused, in their new words; and allow the rest.
  EXPECT_NE(old.refusal("UPDATE invoices SET status = 'void' WHERE id = 9").find("CHECK constraint failed: status = 'open' OR"),
            std::string::npos);
  EXPECT_NE(old.refusal("UPDATE entries SET status = 'lost' WHERE id = 17").find("CHECK constraint failed"), std::string::npos);
  EXPECT_NE(old.refusal("INSERT INTO applications(entry_id, kind, amount, currency, actor, created_at) "
                        "VALUES (17, 'gift', 1, 'EUR', 'a', 't')")
                .find("CHECK constraint failed: kind = 'apply' OR"),
            std::string::npos);
  EXPECT_NE(old.refusal("UPDATE outbox SET status = 'lost' WHERE id = 40").find("CHECK constraint failed"), std::string::npos);
  EXPECT_EQ(old.refusal("UPDATE outbox SET status = 'dropped' WHERE id = 40"), "");
  EXPECT_EQ(old.refusal("UPDATE invoices SET status = 'cancelled' WHERE id = 9"), "");
  // A connection that was open across the migration compiles the new text once it reads again.
  EXPECT_EQ(old.opcodes("INSERT INTO applications(entry_id, kind, amount, currency, actor, created_at) "
                        "VALUES (17, 'apply', 1, 'EUR', 'a', 't')")
                .find("OpenEphemeral"),
            std::string::npos);
}
