#include <gtest/gtest.h>

#include "cashapp/allocation.hpp"
#include "cashapp/fx.hpp"

using namespace arcd;
using namespace arcd::cashapp;

namespace {

OpenInvoice inv(std::int64_t id, std::int64_t open, const char* currency = "EUR") {
  OpenInvoice o;
  o.id = InvoiceId(id);
  o.customer = CustomerId(1);
  o.number = "I" + std::to_string(id);
  o.currency = Currency::of(currency);
  o.open = open;
  return o;
}

Entry credit(std::int64_t minor, const char* currency = "EUR") {
  Entry e;
  e.amount = e.entry_amount = Money(minor, Currency::of(currency));
  return e;
}

std::int64_t entry_sum(const Allocation& a) {
  std::int64_t s = a.on_account_minor;
  for (const auto& l : a.lines) s += l.entry_minor;
  return s;
}

}  // namespace

TEST(Allocation, SeveralInvoicesSplitExactly) {
  MatchSettings s;
  const auto a = inv(1, 10000), b = inv(2, 2550);
  std::string why;
  const auto r = allocate(credit(12550), 12550, {&a, &b}, s, why);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->lines.size(), 2u);
  EXPECT_EQ(r->lines[0].invoice_minor, 10000);
  EXPECT_EQ(r->lines[1].invoice_minor, 2550);
  EXPECT_EQ(entry_sum(*r), 12550);
}

TEST(Allocation, ShortPayWithinToleranceClosesWithAnAdjustment) {
  MatchSettings s;
  s.small_difference = {"5.00", "1"};
  const auto a = inv(1, 10000);
  std::string why;
  const auto r = allocate(credit(9950), 9950, {&a}, s, why);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lines[0].invoice_minor, 9950);
  EXPECT_EQ(r->lines[0].adjusted_minor, 50);
  EXPECT_EQ(r->lines[0].adjust_reason, "small_difference");
}

TEST(Allocation, ShortPayOutsideToleranceIsPartialOldestFirst) {
  MatchSettings s;
  s.small_difference = {"5.00", "1"};
  const auto a = inv(1, 10000), b = inv(2, 5000);
  std::string why;
  const auto r = allocate(credit(12000), 12000, {&a, &b}, s, why);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lines[0].invoice_minor, 10000);
  EXPECT_EQ(r->lines[1].invoice_minor, 2000);
  EXPECT_EQ(r->lines[1].adjusted_minor, 0);
  EXPECT_EQ(entry_sum(*r), 12000);
}

TEST(Allocation, OverpaymentGoesOnAccount) {
  MatchSettings s;
  const auto a = inv(1, 10000);
  std::string why;
  const auto r = allocate(credit(10500), 10500, {&a}, s, why);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->on_account_minor, 500);
  EXPECT_EQ(entry_sum(*r), 10500);
}

TEST(Allocation, ForeignCurrencyUsesTheBanksRateAndNeverLosesACent) {
  MatchSettings s;
  Entry e = credit(92345, "EUR");  // EUR 923.45 received for a USD invoice
  e.details.exchange_rate = "0.9234";
  e.details.source_currency = "USD";
  e.details.target_currency = "EUR";
  const auto a = inv(1, 60000, "USD"), b = inv(2, 40007, "USD");
  std::string why;
  const auto r = allocate(e, 92345, {&a, &b}, s, why);
  ASSERT_TRUE(r) << why;
  EXPECT_NE(r->fx.find("0.9234"), std::string::npos);
  // 923.45 EUR / 0.9234 = 1000.0541 USD -> 1000.05: two cents short of the two invoices, left open.
  EXPECT_EQ(r->lines[0].invoice_minor + r->lines[1].invoice_minor, 100005);
  EXPECT_EQ(entry_sum(*r), 92345);
}

TEST(Allocation, NoRateNoMatch) {
  MatchSettings s;
  const auto a = inv(1, 10000, "USD");
  std::string why;
  EXPECT_FALSE(allocate(credit(9000), 9000, {&a}, s, why));
  EXPECT_EQ(why, "unknown_currency");
}

TEST(Fx, ExactDecimalConversion) {
  const auto r = parse_rate("1.08575");
  ASSERT_TRUE(r);
  EXPECT_EQ(*convert(100000, Currency::of("EUR"), Currency::of("USD"), *r), 108575);
  EXPECT_EQ(*convert(100, Currency::of("EUR"), Currency::of("JPY"), *parse_rate("161.5")), 162);   // 161.5 -> 162 (half up)
  EXPECT_EQ(*convert_inverse(108575, Currency::of("USD"), Currency::of("EUR"), *r), 100000);
  EXPECT_FALSE(parse_rate("-1"));
  EXPECT_FALSE(parse_rate("1e5"));
  EXPECT_FALSE(parse_rate("0"));
}
