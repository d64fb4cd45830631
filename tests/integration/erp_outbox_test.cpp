// Invoices pulled from a fake Odoo, cash applied, the outbox delivered back: exactly one
// payment in the ERP per application whatever the network does, open amounts never counted
// twice, reversals cancel, and two dispatchers sharing a PostgreSQL outbox never deliver one
// event twice.

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <set>
#include <thread>

#include "cash_fixture.hpp"
#include "cashapp/invariant.hpp"
#include "cashapp/manual.hpp"
#include "connectors/odoo/odoo_connector.hpp"
#include "fake_odoo.hpp"
#include "outbox/dispatcher.hpp"
#include "sync/erp_pull.hpp"

namespace arcd {
namespace {

using fakes::FakeOdoo;
using fakes::Fault;
using fakes::FaultKind;

class ErpOutbox : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    odoo_.load_fixture_dataset();
    clock_ = std::shared_ptr<const Clock>(std::shared_ptr<const Clock>{}, &cs_.clock());
  }
  std::unique_ptr<ErpConnector> connector() {
    connectors::OdooSettings s;
    s.http.base_url = odoo_.url();
    s.http.timeout = std::chrono::seconds(2);
    s.database = FakeOdoo::kDatabase;
    s.login = FakeOdoo::kLogin;
    s.api_key = FakeOdoo::kApiKey;
    s.journal_id = 7;
    return std::make_unique<connectors::OdooConnector>(s);
  }
  sync::ErpPullSummary pull() {
    auto erp = connector();
    sync::ErpPullSettings s;
    s.source = "erp";
    s.page_size = 50;
    return sync::pull_from_erp(cs_.store(), *erp, s, cs_.clock(), "system:erp.odoo", {[](std::chrono::seconds) {}, {}, nullptr});
  }
  std::unique_ptr<outbox::Dispatcher> dispatcher(const std::string& owner) {
    outbox::DispatchSettings s;
    s.base_backoff = std::chrono::seconds(1);
    s.breaker_failures = 1000;
    auto d = std::make_unique<outbox::Dispatcher>(cs_.store(), clock_, s, owner, std::make_shared<spdlog::logger>("outbox", std::make_shared<spdlog::sinks::null_sink_mt>()));
    d->add_target("erp", [this] { return connector(); });
    return d;
  }
  // Delivers until nothing is pending, moving the clock past every backoff.
  void deliver_all(outbox::Dispatcher& d) {
    for (int i = 0; i < 40 && pending() > 0; ++i) {
      d.drain(std::chrono::seconds(30));
      cs_.clock().advance(std::chrono::hours(2));
    }
    EXPECT_EQ(pending(), 0);
  }
  std::int64_t pending() {
    auto tx = cs_.store().begin();
    auto list = tx->outbox().list({OutboxStatus::pending, std::nullopt}, {0, 10000});
    tx->commit();
    return static_cast<std::int64_t>(list.size());
  }
  std::vector<OutboxEvent> events(OutboxStatus st) {
    auto tx = cs_.store().begin();
    auto list = tx->outbox().list({st, std::nullopt}, {0, 10000});
    tx->commit();
    return list;
  }
  void expect_invariant() {
    auto tx = cs_.store().begin();
    const auto report = cashapp::check_cash_invariant(*tx);
    tx->commit();
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
  int live_payments() {
    int n = 0;
    for (const auto& p : odoo_.payments()) n += p.state == "posted";
    return n;
  }

  test::CashStore cs_{GetParam()};
  FakeOdoo odoo_{17};
  std::shared_ptr<const Clock> clock_;
};

TEST_P(ErpOutbox, PullApplyPushAndPullAgainCountsNothingTwice) {
  const auto first = pull();
  EXPECT_TRUE(first.full_sweep);
  EXPECT_EQ(first.sync.invoices_created, 2);
  const Invoice deco = cs_.invoice("INV/2024/00007");
  EXPECT_EQ(deco.external_id, "42");
  EXPECT_EQ(deco.amount_open.minor(), 65000);
  EXPECT_EQ(cs_.customer("9").value() > 0, true);

  cs_.credit({.amount = "650.00", .remittance = "Payment INV/2024/00007 thank you", .payer_name = "Deco Addict"});
  const auto run = cs_.run();
  EXPECT_EQ(run.applied, 1);
  ASSERT_EQ(events(OutboxStatus::pending).size(), 1u);
  EXPECT_EQ(events(OutboxStatus::pending)[0].kind, "payment.applied");

  auto d = dispatcher("a");
  deliver_all(*d);
  ASSERT_EQ(odoo_.payments().size(), 1u);
  EXPECT_EQ(odoo_.payments()[0].amount_cents, 65000);
  EXPECT_EQ(odoo_.payments()[0].memo.rfind("ARCD-APP-", 0), 0u);
  EXPECT_EQ(odoo_.residual_of(42), "0.00");
  EXPECT_EQ(events(OutboxStatus::delivered)[0].remote_id, std::to_string(odoo_.payments()[0].id));
  Invoice after = cs_.invoice("INV/2024/00007");
  EXPECT_EQ(after.pushed_minor, 65000);
  EXPECT_EQ(after.amount_open.minor(), 0);
  expect_invariant();

  // The ERP now says 0.00 open: arcd must not subtract its payment a second time.
  odoo_.set_now("2024-05-10 11:00:00");
  cs_.clock().advance(std::chrono::minutes(10));
  const auto second = pull();
  EXPECT_FALSE(second.full_sweep);
  EXPECT_EQ(cs_.invoice("INV/2024/00007").amount_open.minor(), 0);
  EXPECT_EQ(cs_.invoice("INV/2024/00007").status, InvoiceStatus::paid);
  EXPECT_EQ(cs_.invoice("INV/2024/00008").amount_open.minor(), 230000);
  expect_invariant();
}

TEST_P(ErpOutbox, AReadingTakenBeforeAPushDoesNotUndoIt) {
  pull();
  cs_.credit({.amount = "650.00", .remittance = "INV/2024/00007"});
  cs_.run();
  // A page read now, imported after the push: it still says 650.00 open.
  auto erp = connector();
  const Instant read_at = cs_.clock().now();
  auto stale = erp->pull_invoice("42");
  ASSERT_TRUE(stale);
  cs_.clock().advance(std::chrono::seconds(5));
  deliver_all(*dispatcher("a"));
  sync::import_invoices(cs_.store(), "erp", {"erp:odoo", {*stale}, read_at}, "system");
  EXPECT_EQ(cs_.invoice("INV/2024/00007").amount_open.minor(), 0);
  expect_invariant();
}

TEST_P(ErpOutbox, APullWhileADeliveryIsInFlightDoesNotCountThePaymentTwice) {
  pull();
  cs_.credit({.amount = "650.00", .remittance = "INV/2024/00007"});
  cs_.run();
  // A daemon claims the event and reaches Odoo, then dies before it records anything.
  std::string key;
  {
    auto tx = cs_.store().begin();
    auto claimed = tx->outbox().claim("erp", cs_.clock().now(), cs_.clock().now() + std::chrono::minutes(5), "ghost", 10);
    tx->commit();
    ASSERT_EQ(claimed.size(), 1u);
    key = claimed[0].idempotency_key.substr(std::string("payment.applied:").size());
  }
  odoo_.set_now("2024-05-10 11:00:00");
  connector()->push_payment({key, "42", "INV/2024/00007", "9", Money::parse("650.00", Currency::of("EUR")), *Date::parse("2024-05-10")});
  // Meanwhile a pull reads Odoo, which already counts the payment.
  cs_.clock().advance(std::chrono::minutes(1));
  pull();
  EXPECT_EQ(cs_.invoice("INV/2024/00007").amount_open.minor(), 0);
  expect_invariant();
  // The claim lapses; another daemon finds the payment in Odoo and records it.
  cs_.clock().advance(std::chrono::minutes(10));
  deliver_all(*dispatcher("b"));
  EXPECT_EQ(live_payments(), 1);
  const Invoice after = cs_.invoice("INV/2024/00007");
  EXPECT_EQ(after.pushed_minor, 65000);
  EXPECT_EQ(after.amount_open.minor(), 0);
  cs_.clock().advance(std::chrono::minutes(1));
  pull();
  EXPECT_EQ(cs_.invoice("INV/2024/00007").amount_open.minor(), 0);
  expect_invariant();
}

TEST_P(ErpOutbox, EveryFaultEndsWithExactlyOnePaymentPerApplication) {
  pull();
  const std::vector<Fault> faults{
      {.kind = FaultKind::status, .status = 502, .match = "account.payment"},
      {.kind = FaultKind::status, .status = 503, .match = "action_create_payments"},
      {.kind = FaultKind::rate_limit, .retry_after_seconds = 1, .match = "account.payment"},
      {.kind = FaultKind::reset_before, .match = "action_create_payments"},
      {.kind = FaultKind::reset_after, .match = "action_create_payments"},
      {.kind = FaultKind::reset_after, .match = "account.payment.register"},
      {.kind = FaultKind::malformed, .match = "action_create_payments"},
      {.kind = FaultKind::slow, .delay = std::chrono::milliseconds(2500), .match = "action_create_payments"},  // past the timeout
  };
  auto d = dispatcher("a");
  int n = 0;
  for (const auto& f : faults) {
    ++n;
    odoo_.server().inject(f);
    // 1.00 at a time, each its own application, until the invoice has had one per fault.
    cs_.credit({.amount = "1.00", .remittance = "INV/2024/00008 part " + std::to_string(n)});
    cs_.run();
    if (n == 4) odoo_.expire_session();
    deliver_all(*d);
    odoo_.server().clear_faults();
  }
  std::map<std::string, int> per_memo;
  for (const auto& p : odoo_.payments()) per_memo[p.memo] += p.state == "posted";
  EXPECT_EQ(per_memo.size(), faults.size());
  for (const auto& [memo, count] : per_memo) EXPECT_EQ(count, 1) << memo;
  EXPECT_EQ(odoo_.residual_of(43), "2292.00");
  EXPECT_EQ(cs_.invoice("INV/2024/00008").pushed_minor, 800);
  EXPECT_TRUE(events(OutboxStatus::dead).empty());
  expect_invariant();
}

TEST_P(ErpOutbox, AReversedApplicationCancelsItsPaymentInTheErp) {
  pull();
  const EntryId entry = cs_.credit({.amount = "650.00", .remittance = "INV/2024/00007"});
  cs_.run();
  deliver_all(*dispatcher("a"));
  const auto apps = cs_.applications(entry);
  ASSERT_EQ(apps.size(), 1u);
  {
    auto tx = cs_.store().begin();
    auto r = cashapp::reverse_application(*tx, apps[0].id, "payer asked for it back", utc_date(cs_.clock().now()), "ann");
    ASSERT_TRUE(r) << r.problem().to_string();
    tx->commit();
  }
  deliver_all(*dispatcher("b"));
  EXPECT_EQ(live_payments(), 0);
  EXPECT_EQ(odoo_.residual_of(42), "650.00");
  EXPECT_EQ(cs_.invoice("INV/2024/00007").pushed_minor, 0);
  EXPECT_EQ(cs_.invoice("INV/2024/00007").amount_open.minor(), 65000);
  expect_invariant();
}

TEST_P(ErpOutbox, WhatTheErpRefusesGoesDeadForAPersonToDecide) {
  pull();
  cs_.credit({.amount = "650.00", .remittance = "INV/2024/00007"});
  cs_.run();
  // Someone paid it in Odoo meanwhile: nothing left to pay there.
  odoo_.add_invoice({42, "INV/2024/00007", 9, "2024-04-02", "2024-05-02", "1150.00", "0.00", "EUR", "INV/2024/00007", "posted",
                     "2024-05-10 12:00:00"});
  auto d = dispatcher("a");
  d->drain(std::chrono::seconds(10));
  const auto dead = events(OutboxStatus::dead);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(dead[0].last_error.find("nothing left to pay"), std::string::npos) << dead[0].last_error;
  EXPECT_EQ(live_payments(), 0);
  EXPECT_EQ(cs_.invoice("INV/2024/00007").pushed_minor, 0);
  {
    auto tx = cs_.store().begin();
    EXPECT_TRUE(tx->outbox().drop(dead[0].id));
    tx->commit();
  }
  EXPECT_EQ(pending(), 0);
}

TEST_P(ErpOutbox, TwoDispatchersNeverDeliverAnEventTwice) {
  std::vector<test::InvoiceSpec> none;
  for (int i = 0; i < 30; ++i) {
    odoo_.add_invoice({500 + i, "INV/2024/1" + std::to_string(100 + i), 10, "2024-04-15", "2024-05-15", "100.00", "100.00", "EUR",
                       "", "posted", "2024-05-10 09:30:00"});
  }
  pull();
  std::vector<test::CreditSpec> credits;
  for (int i = 0; i < 30; ++i) credits.push_back({.amount = "100.00", .remittance = "INV/2024/1" + std::to_string(100 + i)});
  cs_.credits(credits);
  EXPECT_EQ(cs_.run().applied, 30);
  odoo_.server().inject({.kind = FaultKind::slow, .delay = std::chrono::milliseconds(20), .times = 1000});
  auto a = dispatcher("a"), b = dispatcher("b");
  std::thread ta([&] { a->drain(std::chrono::seconds(60)); });
  std::thread tb([&] { b->drain(std::chrono::seconds(60)); });
  ta.join();
  tb.join();
  odoo_.server().clear_faults();
  deliver_all(*a);
  std::map<std::string, int> per_memo;
  for (const auto& p : odoo_.payments()) per_memo[p.memo] += 1;
  EXPECT_EQ(per_memo.size(), 30u);
  for (const auto& [memo, count] : per_memo) EXPECT_EQ(count, 1) << memo;
  EXPECT_EQ(a->counters().delivered + b->counters().delivered, 30);
  expect_invariant();
}

INSTANTIATE_TEST_SUITE_P(Backends, ErpOutbox, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace arcd
