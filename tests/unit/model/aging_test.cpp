#include <gtest/gtest.h>

#include "arcd/aging.hpp"

using namespace arcd;

namespace {
Invoice inv(const char* currency, std::int64_t open, Date due, InvoiceStatus status = InvoiceStatus::open) {
  Invoice i;
  i.amount_total = Money(open, Currency::of(currency));
  i.amount_open = Money(open, Currency::of(currency));
  i.due_date = due;
  i.status = status;
  return i;
}
}  // namespace

TEST(Aging, BucketBoundaries) {
  const Date today(2026, 11, 23);
  EXPECT_EQ(aging_bucket(today.plus_days(5), today), AgingBucket::not_due);
  EXPECT_EQ(aging_bucket(today, today), AgingBucket::not_due);
  EXPECT_EQ(aging_bucket(today.plus_days(-1), today), AgingBucket::d0_30);
  EXPECT_EQ(aging_bucket(today.plus_days(-30), today), AgingBucket::d0_30);
  EXPECT_EQ(aging_bucket(today.plus_days(-31), today), AgingBucket::d31_60);
  EXPECT_EQ(aging_bucket(today.plus_days(-60), today), AgingBucket::d31_60);
  EXPECT_EQ(aging_bucket(today.plus_days(-61), today), AgingBucket::d61_90);
  EXPECT_EQ(aging_bucket(today.plus_days(-91), today), AgingBucket::d91_120);
  EXPECT_EQ(aging_bucket(today.plus_days(-120), today), AgingBucket::d91_120);
  EXPECT_EQ(aging_bucket(today.plus_days(-121), today), AgingBucket::over_120);
}

TEST(Aging, SumsPerCurrencyAndSkipsClosedInvoices) {
  const Date today(2026, 11, 23);
  std::vector<Invoice> list = {inv("EUR", 10000, today.plus_days(10)), inv("EUR", 2500, today.plus_days(-45)),
                               inv("EUR", 99, today.plus_days(-200)), inv("JPY", 5000, today.plus_days(-3)),
                               inv("EUR", 777, today.plus_days(-3), InvoiceStatus::paid)};
  const auto a = age_invoices(list, today);
  ASSERT_EQ(a.size(), 2u);
  const auto& eur = a.at("EUR");
  EXPECT_EQ(eur.open_total.minor(), 12599);
  EXPECT_EQ(eur.overdue_total.minor(), 2599);
  EXPECT_EQ(eur.buckets[0].minor(), 10000);
  EXPECT_EQ(eur.buckets[2].minor(), 2500);
  EXPECT_EQ(eur.buckets[5].minor(), 99);
  EXPECT_EQ(a.at("JPY").buckets[1].minor(), 5000);
}
