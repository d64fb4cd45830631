// KPIs as of a date on a small book whose figures are worked out by hand, on both backends.
#include <gtest/gtest.h>

#include "collections/cases.hpp"
#include "collections/kpis.hpp"
#include "collections/worklist.hpp"
#include "test_support.hpp"

namespace arcd {
namespace {

class CollectionsKpis : public ::testing::TestWithParam<std::string> {};

TEST_P(CollectionsKpis, FiguresAsOfTodayAndTheDayBefore) {
  test::TestDatabase db(GetParam());
  const Date today(2026, 6, 30);
  auto clock = std::make_shared<test::ManualClock>(std::chrono::sys_days(today.days()) + std::chrono::hours(10));
  auto store = open_store({db.url(), 2, 5000}, clock);
  store->migrate();
  InvoiceId i1, i3;
  {
    auto tx = store->begin();
    Customer c;
    c.source = "erp";
    c.external_id = "K1";
    c.name = "K One";
    const auto cid = tx->customers().insert(c);
    auto add = [&](const char* number, int issued, int due, const char* total, const char* open) {
      Invoice i;
      i.source = "erp";
      i.number = number;
      i.customer_id = cid;
      i.issue_date = today.plus_days(issued);
      i.due_date = today.plus_days(due);
      i.amount_total = Money::parse(total, Currency::of("EUR"));
      i.amount_open = Money::parse(open, Currency::of("EUR"));
      i.status = i.amount_open.is_zero() ? InvoiceStatus::paid : InvoiceStatus::open;
      return tx->invoices().insert(i);
    };
    i1 = add("I-1", -40, -10, "1000.00", "1000.00");
    add("I-2", -100, -70, "500.00", "0.00");  // paid long ago, outside the 90-day sales
    i3 = add("I-3", -20, 10, "1000.00", "1000.00");
    auto w = collections::propose_writeoff(*tx, i1, Money::parse("200.00", Currency::of("EUR")), "goodwill", "alice");
    ASSERT_TRUE(w);
    ASSERT_TRUE(collections::decide_writeoff(*tx, w.value(), true, "bob", true));
    collections::CollectionsSettings s;
    ASSERT_TRUE(collections::open_dispute(*tx, s, {i3, std::nullopt, "pricing", "dora", ""}, "dora"));
    tx->commit();
  }
  auto tx = store->begin();
  const auto k = collections::compute_kpis(*tx, today);
  ASSERT_EQ(k.currencies.size(), 1u);
  const auto& e = k.currencies[0];
  EXPECT_EQ(e.ar.to_string(), "1800.00");          // 800 left of I-1, and I-3
  EXPECT_EQ(e.aging[0].to_string(), "1000.00");    // I-3 not due
  EXPECT_EQ(e.aging[1].to_string(), "800.00");     // I-1 ten days overdue
  EXPECT_EQ(e.dso_standard, "81.0");               // 1800 / 2000 x 90
  EXPECT_EQ(e.best_possible_dso, "45.0");          // 1000 / 2000 x 90
  EXPECT_EQ(e.average_days_delinquent, "36.0");
  EXPECT_EQ(e.dso_countback, "54.0");              // 30 days of I-3's month, 800/1000 of I-1's
  EXPECT_EQ(e.bad_debt_ratio, "8.0");              // 200 / 2500
  ASSERT_EQ(k.disputes.size(), 1u);
  EXPECT_EQ(k.disputes[0].reason, "pricing");
  EXPECT_EQ(k.disputes[0].count, 1);
  EXPECT_EQ(k.disputes[0].value.to_string(), "1000.00");

  // The day before, the write-off had not happened and the dispute was not open.
  const auto before = collections::compute_kpis(*tx, today.plus_days(-1));
  EXPECT_EQ(before.currencies[0].ar.to_string(), "2000.00");
  EXPECT_EQ(before.currencies[0].bad_debt_ratio, "0.0");
  EXPECT_TRUE(before.disputes.empty());

  // The worklist ranks the customer for its overdue 800.00, the disputed invoice left out.
  collections::CollectionsSettings s;
  const auto w = collections::worklist(*tx, s, today, std::nullopt, 10);
  ASSERT_EQ(w.size(), 1u);
  ASSERT_EQ(w[0].overdue.size(), 1u);
  EXPECT_EQ(w[0].overdue[0].to_string(), "800.00");
  EXPECT_EQ(w[0].oldest_days_overdue, 10);
  EXPECT_EQ(w[0].score, 19 + 2);  // amount: 40 x log10(1 + 800) / 6 = 19.4; days: 25 x 10 / 90 = 2.8, both rounded down
}

INSTANTIATE_TEST_SUITE_P(Backends, CollectionsKpis, ::testing::ValuesIn(test::store_backends()));

}  // namespace
}  // namespace arcd
