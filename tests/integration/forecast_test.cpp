// The expected-inflows forecast on known payment behaviour: a customer who always pays ten
// days late, a promise that overrides it, a dispute held out, a partial payment, cash on
// account, and the buckets treasury reads.
#include <gtest/gtest.h>

#include "cash_fixture.hpp"
#include "cashapp/ptp.hpp"
#include "forecast/backtest.hpp"
#include "forecast/feed_snapshot.hpp"
#include "forecast/forecast.hpp"

using namespace arcd;

namespace {

class Forecast : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    cash = std::make_unique<test::CashStore>(GetParam());
    // K pays each of three invoices ten days after its due date.
    const char* dues[] = {"2026-06-01", "2026-07-01", "2026-08-01"};
    for (int i = 0; i < 3; ++i) {
      const std::string ref = "PAYK" + std::to_string(i);
      cash->invoices({{.number = "K-" + std::to_string(i), .customer = "K", .amount = "100.00", .payment_reference = ref, .due = dues[i]}});
      cash->clock().set(*parse_iso8601(Date::parse_or_throw(dues[i]).plus_days(10).to_string() + "T12:00:00Z"));
      cash->credit({.amount = "100.00", .reference = ref, .payer_name = "K"});
      cash->run();
    }
    cash->clock().set(*parse_iso8601("2026-11-24T09:00:00Z"));
  }

  forecast::Forecast build(forecast::ForecastSettings s = {}) {
    auto tx = cash->store().begin();
    return forecast::build_forecast(*tx, s, Date(2026, 11, 24));
  }

  static const forecast::ExpectedInflow* flow(const forecast::Forecast& f, const std::string& number_key) {
    for (const auto& e : f.flows)
      if (e.key == number_key) return &e;
    return nullptr;
  }
  std::string key(const std::string& number) { return "inv:" + std::to_string(cash->invoice(number).id.value()); }

  std::unique_ptr<test::CashStore> cash;
};

}  // namespace

TEST_P(Forecast, ACustomerWhoPaysTenDaysLateIsExpectedTenDaysAfterTheDueDate) {
  cash->invoices({{.number = "K-9", .customer = "K", .amount = "500.00", .payment_reference = "PAYK9", .due = "2026-12-01"}});
  const auto f = build();
  const auto* e = flow(f, key("K-9"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->expected, Date(2026, 12, 11));
  EXPECT_EQ(e->basis, forecast::Basis::behaviour);
  EXPECT_EQ(e->days_late_assumed, 10);
  EXPECT_EQ(e->probability, forecast::Probability::high);
  EXPECT_EQ(e->amount.to_string(), "500.00");
  // Too little history (min_payments 5): the due date plus the fallback, medium.
  forecast::ForecastSettings strict;
  strict.min_payments = 5;
  strict.fallback_days = 3;
  const auto g = build(strict);
  EXPECT_EQ(flow(g, key("K-9"))->expected, Date(2026, 12, 4));
  EXPECT_EQ(flow(g, key("K-9"))->basis, forecast::Basis::due_date);
  EXPECT_EQ(flow(g, key("K-9"))->probability, forecast::Probability::medium);
}

TEST_P(Forecast, ANewCustomerTakesItsSegmentsBehaviour) {
  cash->invoices({{.number = "N-1", .customer = "N", .amount = "80.00", .payment_reference = "PAYN1", .due = "2026-12-20"}});
  const auto* e = flow(build(), key("N-1"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->expected, Date(2026, 12, 30));  // K's segment (same tier) pays ten days late
  EXPECT_EQ(e->basis, forecast::Basis::behaviour);
}

TEST_P(Forecast, APromiseMovesWhatItCoversAndTheRestStaysOnBehaviour) {
  cash->invoices({{.number = "P-1", .customer = "P", .amount = "600.00", .payment_reference = "PAYP1", .due = "2026-11-01"}});
  {
    auto tx = cash->store().begin();
    auto req = cashapp::ptp_request(*tx, "P", {"P-1"}, "400.00", "EUR", "2026-12-05", "call", 3);
    ASSERT_TRUE(req) << req.problem().to_string();
    ASSERT_TRUE(cashapp::add_ptp(*tx, req.value(), Date(2026, 11, 24), "test"));
    tx->commit();
  }
  const auto f = build();
  const forecast::ExpectedInflow *promised = nullptr, *rest = nullptr;
  for (const auto& e : f.flows) {
    if (e.invoice != cash->invoice("P-1").id) continue;
    (e.basis == forecast::Basis::ptp ? promised : rest) = &e;
  }
  ASSERT_NE(promised, nullptr);
  ASSERT_NE(rest, nullptr);
  EXPECT_EQ(promised->expected, Date(2026, 12, 5));
  EXPECT_EQ(promised->amount.to_string(), "400.00");
  EXPECT_EQ(promised->probability, forecast::Probability::high);
  EXPECT_EQ(rest->amount.to_string(), "200.00");
  // Due 11-01 plus ten days is past: late even for this segment, expected tomorrow, low.
  EXPECT_EQ(rest->expected, Date(2026, 11, 25));
  EXPECT_EQ(rest->probability, forecast::Probability::low);
}

TEST_P(Forecast, DisputedAmountsAreHeldOutAndPartialPaymentsAndCashOnAccountCount) {
  cash->invoices({{.number = "D-1", .customer = "D", .amount = "300.00", .payment_reference = "PAYD1", .due = "2026-12-10"},
                  {.number = "D-2", .customer = "D", .amount = "50.00", .payment_reference = "PAYD2", .due = "2026-12-10"},
                  {.number = "Q-1", .customer = "Q", .amount = "250.00", .payment_reference = "PAYQ1", .due = "2026-12-15"},
                  {.number = "Q-0", .customer = "Q", .amount = "100.00", .payment_reference = "PAYQ0", .due = "2026-11-20"}});
  const auto d1 = cash->invoice("D-1").id, d2 = cash->invoice("D-2").id;  // read before the write transaction (SQLite: one writer)
  {
    auto tx = cash->store().begin();
    Dispute part;
    part.invoice_id = d1;
    part.reason = "pricing";
    part.opened_by = "test";
    part.amount = Money(10000, Currency::of("EUR"));
    tx->disputes().insert(part);
    Dispute whole;
    whole.invoice_id = d2;
    whole.reason = "damaged";
    whole.opened_by = "test";
    tx->disputes().insert(whole);
    tx->commit();
  }
  cash->credit({.amount = "60.00", .reference = "PAYQ1", .payer_name = "Q"});  // a partial payment
  cash->credit({.amount = "130.00", .reference = "PAYQ0", .payer_name = "Q"});  // 30.00 over: on account
  cash->run();
  const auto f = build();
  EXPECT_EQ(flow(f, key("D-1"))->amount.to_string(), "200.00");
  EXPECT_EQ(flow(f, key("D-2")), nullptr);
  EXPECT_EQ(f.disputed.at("EUR"), 15000);
  EXPECT_EQ(f.on_account.at("EUR"), 3000);
  EXPECT_EQ(flow(f, key("Q-1"))->amount.to_string(), "160.00");  // 250 - 60 paid - 30 on account
}

TEST_P(Forecast, BucketsAreDaysThenWeeksThenMonthsPerCurrencyOrEntity) {
  cash->invoices({{.number = "K-10", .customer = "K", .amount = "10.00", .payment_reference = "PAYK10", .due = "2026-11-20"},   // 11-30
                  {.number = "K-11", .customer = "K", .amount = "20.00", .payment_reference = "PAYK11", .due = "2026-12-10"},   // 12-20
                  {.number = "K-12", .customer = "K", .amount = "40.00", .payment_reference = "PAYK12", .due = "2027-03-20"},   // 03-30
                  {.number = "K-13", .customer = "K", .amount = "5.00", .payment_reference = "PAYK13", .currency = "USD", .due = "2026-11-15"}});
  const auto buckets = forecast::bucket_forecast(build(), 180, forecast::GroupBy::currency);
  std::map<std::string, std::string> seen;  // "period from currency" -> amount
  for (const auto& b : buckets) seen[b.period + " " + b.from.to_string() + " " + b.currency] = std::to_string(b.amount_minor);
  EXPECT_EQ(seen["day 2026-11-30 EUR"], "1000");
  EXPECT_EQ(seen["day 2026-11-25 USD"], "500");            // 11-25 expected: late, tomorrow
  EXPECT_EQ(seen["week 2026-12-16 EUR"], "2000");          // the week of days 22-28 holds 12-20
  EXPECT_EQ(seen["month 2027-03-01 EUR"], "4000");         // past week 13: calendar months
  EXPECT_EQ(buckets.front().from, Date(2026, 11, 25));
  for (const auto& b : forecast::bucket_forecast(build(), 180, forecast::GroupBy::entity)) EXPECT_EQ(b.group, "erp");
}

INSTANTIATE_TEST_SUITE_P(Backends, Forecast, ::testing::ValuesIn(test::store_backends()), [](const auto& p) { return p.param; });

TEST_P(Forecast, FeedSnapshotsAreVersionedAndListWhatVanished) {
  cash->invoices({{.number = "K-20", .customer = "K", .amount = "70.00", .payment_reference = "PAYK20", .due = "2026-12-01"},
                  {.number = "K-21", .customer = "K", .amount = "30.00", .payment_reference = "PAYK21", .due = "2026-12-05"}});
  const auto now = *parse_iso8601("2026-11-24T09:00:00Z");
  std::string paid_reference;
  std::optional<ForecastFeedRepository::Snapshot> previous;
  {
    auto tx = cash->store().begin();
    const auto first = forecast::next_feed_snapshot(*tx, forecast::build_forecast(*tx, {}, Date(2026, 11, 24)), now, {});
    tx->commit();
    EXPECT_EQ(first.version, 1);
    EXPECT_EQ(first.feed.feed_id, "ARCD-FC-2026-11-24-000001");
    ASSERT_EQ(first.feed.flows.size(), 2u);
    EXPECT_TRUE(first.feed.removed_references.empty());
    for (const auto& fl : first.feed.flows) {
      EXPECT_EQ(fl.certainty, "PREDICTED");
      EXPECT_EQ(fl.probability_percent, 80);
      EXPECT_EQ(fl.counterparty_id, "K");
      if (fl.invoice_number == "K-20") paid_reference = fl.reference;
    }
    EXPECT_EQ(paid_reference, "arcd:erp:" + std::to_string(cash->invoice("K-20").id.value()));
    previous = cash->store().begin()->feeds().latest();
  }
  cash->credit({.amount = "70.00", .reference = "PAYK20", .payer_name = "K"});
  cash->run();
  auto tx = cash->store().begin();
  const auto second = forecast::next_feed_snapshot(*tx, forecast::build_forecast(*tx, {}, Date(2026, 11, 24)), now + std::chrono::hours(1), {});
  const auto sent = forecast::feed_since(*tx, second, previous, {});
  tx->commit();
  EXPECT_EQ(second.version, 2);
  ASSERT_EQ(second.feed.flows.size(), 1u);
  EXPECT_EQ(second.feed.flows[0].invoice_number, "K-21");
  EXPECT_EQ(sent.removed_references, std::vector<std::string>{paid_reference});  // the receiver drops it
  // ... and learns that it was paid: the receipt names the flow it turns into an actual.
  ASSERT_EQ(sent.receipts.size(), 1u);
  EXPECT_EQ(sent.receipts[0].reference, paid_reference);
  EXPECT_EQ(sent.receipts[0].amount.to_string(), "70.00");
  EXPECT_EQ(sent.receipts[0].invoice_number, "K-20");
  EXPECT_EQ(sent.receipts[0].counterparty_id, "K");
  EXPECT_FALSE(sent.receipts[0].account_id.empty());  // the statement's account
  // The customer's flows are expected on the account it pays into.
  EXPECT_EQ(second.feed.flows[0].account_id, sent.receipts[0].account_id);
  // The same flow keeps its reference from one snapshot to the next (the receiver upserts).
  EXPECT_EQ(second.feed.flows[0].reference, "arcd:erp:" + std::to_string(cash->invoice("K-21").id.value()));
}

TEST_P(Forecast, APromisedFlowCarriesItsPromiseIntoTheFeed) {
  cash->invoices({{.number = "P-9", .customer = "P", .amount = "90.00", .payment_reference = "PAYP9", .due = "2026-11-10"}});
  PtpId promise;
  {
    auto tx = cash->store().begin();
    auto req = cashapp::ptp_request(*tx, "P", {"P-9"}, "90.00", "EUR", "2026-12-02", "call", 3);
    ASSERT_TRUE(req);
    auto id = cashapp::add_ptp(*tx, req.value(), Date(2026, 11, 24), "test");
    ASSERT_TRUE(id);
    promise = id.value();
    tx->commit();
  }
  auto tx = cash->store().begin();
  const auto s = forecast::next_feed_snapshot(*tx, forecast::build_forecast(*tx, {}, Date(2026, 11, 24)), *parse_iso8601("2026-11-24T09:00:00Z"), {});
  ASSERT_EQ(s.feed.flows.size(), 1u);
  EXPECT_EQ(s.feed.flows[0].certainty, "PROMISED");
  EXPECT_EQ(s.feed.flows[0].probability_percent, 95);
  EXPECT_EQ(s.feed.flows[0].ptp_id, promise.value());
  EXPECT_EQ(s.feed.flows[0].value_date, Date(2026, 12, 2));
  EXPECT_NE(mapping::tms::feed_file(s.feed, mapping::tms::FileLayout::coupa).find("promised"), std::string::npos);
}

namespace {

// Pays invoice `number` (amount `amount`, reference `ref`) on `day` at noon.
void pay_on(test::CashStore& cash, const std::string& day, const std::string& amount, const std::string& ref, const std::string& payer) {
  cash.clock().set(*parse_iso8601(day + "T12:00:00Z"));
  cash.credit({.amount = amount, .reference = ref, .payer_name = payer});
  cash.run();
}

const forecast::BacktestBand* band(const forecast::Backtest& b, int from_day) {
  for (const auto& x : b.bands)
    if (x.from_day == from_day) return &x;
  return nullptr;
}

}  // namespace

TEST_P(Forecast, TheBacktestOfACustomerWhoKeepsToItsHabitHasNoError) {
  // K keeps paying ten days late: September's and October's invoices too.
  cash->invoices({{.number = "K-3", .customer = "K", .amount = "300.00", .payment_reference = "PAYK3", .due = "2026-09-01"},
                  {.number = "K-4", .customer = "K", .amount = "400.00", .payment_reference = "PAYK4", .due = "2026-10-01"}});
  pay_on(*cash, "2026-09-11", "300.00", "PAYK3", "K");
  pay_on(*cash, "2026-10-11", "400.00", "PAYK4", "K");
  auto tx = cash->store().begin();
  const auto b = forecast::run_backtest(*tx, {}, Date(2026, 8, 20), Date(2026, 9, 24), 7, Date(2026, 11, 24));
  EXPECT_EQ(b.as_of_dates, 6);
  EXPECT_EQ(b.payments, 5);
  // On 2026-08-20 K-3 (due 09-01) was expected on 09-11, 22 days ahead, and came then.
  const auto* mid = band(b, 15);
  ASSERT_NE(mid, nullptr);
  EXPECT_GT(mid->actual_minor, 0);
  EXPECT_EQ(mid->predicted_minor, mid->actual_minor);
  for (const auto& x : b.bands) {
    EXPECT_EQ(x.abs_error_minor, 0) << x.from_day << "-" << x.to_day;
    EXPECT_EQ(x.mae_bp().value_or(0), 0);
    EXPECT_EQ(x.bias_bp().value_or(0), 0);
  }
}

TEST_P(Forecast, TheBacktestShowsTheErrorWhenACustomerPaysLaterThanItsHabit) {
  // K-3 comes 20 days late instead of 10: forecast for days 15-30 ahead, it arrived in 31-60.
  cash->invoices({{.number = "K-3", .customer = "K", .amount = "300.00", .payment_reference = "PAYK3", .due = "2026-09-01"}});
  pay_on(*cash, "2026-09-21", "300.00", "PAYK3", "K");
  auto tx = cash->store().begin();
  const auto b = forecast::run_backtest(*tx, {}, Date(2026, 8, 15), Date(2026, 8, 15), 7, Date(2026, 11, 24));
  const auto* expected_band = band(b, 15);  // 08-15 + 27 days = 09-11
  const auto* arrived_band = band(b, 31);   // 08-15 + 37 days = 09-21
  ASSERT_NE(expected_band, nullptr);
  ASSERT_NE(arrived_band, nullptr);
  EXPECT_EQ(expected_band->predicted_minor, 30000);
  EXPECT_EQ(expected_band->actual_minor, 0);
  EXPECT_EQ(arrived_band->actual_minor, 30000);
  EXPECT_EQ(arrived_band->predicted_minor, 0);
  EXPECT_EQ(arrived_band->mae_bp(), 10000);   // wholly missed: 100 %
  EXPECT_EQ(arrived_band->bias_bp(), -10000); // expected too little in that band
  EXPECT_FALSE(expected_band->mae_bp());      // nothing arrived there: no share to give
  // A range the data does not cover yet is refused, and bands without known actuals are left out.
  EXPECT_THROW(forecast::run_backtest(*tx, {}, Date(2026, 9, 1), Date(2026, 8, 1), 7, Date(2026, 11, 24)), Error);
  const auto late = forecast::run_backtest(*tx, {}, Date(2026, 11, 10), Date(2026, 11, 10), 7, Date(2026, 11, 24));
  for (const auto& x : late.bands) EXPECT_LE(x.to_day, 7);
}
