#include <gtest/gtest.h>

#include <limits>
#include <numeric>
#include <random>
#include <sstream>

#include "arcd/error.hpp"
#include "arcd/money.hpp"

using arcd::Currency;
using arcd::DecimalFormat;
using arcd::Error;
using arcd::Money;

namespace {

std::string code_of(auto f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "no error";
}

Money eur(std::int64_t minor) { return Money(minor, Currency::of("EUR")); }

}  // namespace

TEST(Currency, ExponentsFollowIso4217) {
  const std::pair<const char*, int> expected[] = {
      {"EUR", 2}, {"USD", 2}, {"GBP", 2}, {"CHF", 2}, {"SEK", 2}, {"JPY", 0}, {"KRW", 0}, {"VND", 0}, {"ISK", 0},
      {"CLP", 0}, {"XOF", 0}, {"XAF", 0}, {"XPF", 0}, {"BHD", 3}, {"KWD", 3}, {"OMR", 3}, {"JOD", 3}, {"TND", 3},
      {"LYD", 3}, {"IQD", 3}, {"CLF", 4}, {"UYW", 4}, {"HUF", 2}, {"IDR", 2}, {"MRU", 2}, {"VES", 2}, {"XCG", 2}};
  for (const auto& [code, exp] : expected) {
    auto c = Currency::find(code);
    ASSERT_TRUE(c) << code;
    EXPECT_EQ(c->exponent(), exp) << code;
  }
}

TEST(Currency, EveryKnownCodeRoundTripsThroughParseAndFormat) {
  std::istringstream codes{std::string(arcd::known_currency_codes())};
  int count = 0;
  for (std::string code; codes >> code; ++count) {
    const Currency c = Currency::of(code);
    EXPECT_EQ(c.code(), code);
    EXPECT_GE(c.exponent(), 0);
    EXPECT_LE(c.exponent(), 4);
    const Money m(-123456789, c);
    EXPECT_EQ(Money::parse(m.to_string(), c), m) << code << " " << m.to_string();
  }
  EXPECT_GT(count, 150);
}

TEST(Currency, UnknownOrMoneylessCodesAreRejected) {
  for (const char* bad : {"XXX", "XAU", "XDR", "EURO", "eu", "", "eur", "ABC"}) {
    EXPECT_FALSE(Currency::find(bad)) << bad;
    EXPECT_EQ(code_of([&] { Currency::of(bad); }), "MONEY_UNKNOWN_CURRENCY") << bad;
  }
}

TEST(MoneyParse, ExactDecimals) {
  const Currency EUR = Currency::of("EUR");
  EXPECT_EQ(Money::parse("1234.5", EUR).minor(), 123450);
  EXPECT_EQ(Money::parse("-0.01", EUR).minor(), -1);
  EXPECT_EQ(Money::parse("+7", EUR).minor(), 700);
  EXPECT_EQ(Money::parse("0", EUR).minor(), 0);
  EXPECT_EQ(Money::parse(".5", EUR).minor(), 50);
  EXPECT_EQ(Money::parse("5.", EUR).minor(), 500);
  EXPECT_EQ(Money::parse("8.850", EUR).minor(), 885);     // trailing zeros beyond the exponent
  EXPECT_EQ(Money::parse("18.15000000", EUR).minor(), 1815);
  EXPECT_EQ(Money::parse("1500", Currency::of("JPY")).minor(), 1500);
  EXPECT_EQ(Money::parse("1500.000", Currency::of("JPY")).minor(), 1500);
  EXPECT_EQ(Money::parse("1.234", Currency::of("BHD")).minor(), 1234);
  EXPECT_EQ(Money::parse("0.0001", Currency::of("CLF")).minor(), 1);
}

TEST(MoneyParse, SignificantDigitBeyondExponentIsAnErrorNeverARounding) {
  EXPECT_EQ(code_of([] { Money::parse("8.855", Currency::of("EUR")); }), "MONEY_PRECISION");
  EXPECT_EQ(code_of([] { Money::parse("1500.5", Currency::of("JPY")); }), "MONEY_PRECISION");
  EXPECT_EQ(code_of([] { Money::parse("1.2345", Currency::of("KWD")); }), "MONEY_PRECISION");
  EXPECT_EQ(code_of([] { Money::parse("0.0000001", Currency::of("EUR")); }), "MONEY_PRECISION");
}

TEST(MoneyParse, MalformedStrings) {
  const Currency EUR = Currency::of("EUR");
  for (const char* bad : {"", "-", "+", ".", "1.2.3", "1,5", "1e5", "12a", " 1", "1 ", "--1", "0x10", "1.-5", "NaN", "∞"}) {
    EXPECT_EQ(code_of([&] { Money::parse(bad, EUR); }), "MONEY_PARSE") << "'" << bad << "'";
  }
}

TEST(MoneyParse, GroupingOnlyWhereTheFormatSaysSo) {
  const Currency EUR = Currency::of("EUR");
  EXPECT_EQ(code_of([&] { Money::parse("1,234.50", EUR); }), "MONEY_PARSE");
  const DecimalFormat us{'.', ','};
  EXPECT_EQ(Money::parse("1,234.50", EUR, us).minor(), 123450);
  EXPECT_EQ(Money::parse("1,234,567.89", EUR, us).minor(), 123456789);
  EXPECT_EQ(Money::parse("999.99", EUR, us).minor(), 99999);
  for (const char* bad : {"1,23.50", "12,3456.00", ",123.00", "1,,234.00", "1234,567.00", "1,234,"}) {
    EXPECT_EQ(code_of([&] { Money::parse(bad, EUR, us); }), "MONEY_PARSE") << bad;
  }
  const DecimalFormat de{',', '.'};
  EXPECT_EQ(Money::parse("1.234,50", EUR, de).minor(), 123450);
  const DecimalFormat mt940{',', '\0'};
  EXPECT_EQ(Money::parse("1234,5", EUR, mt940).minor(), 123450);
}

TEST(MoneyParse, OverflowIsDetected) {
  const Currency EUR = Currency::of("EUR");
  EXPECT_EQ(Money::parse("92233720368547758.07", EUR).minor(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(code_of([&] { Money::parse("92233720368547758.08", EUR); }), "MONEY_OVERFLOW");
  EXPECT_EQ(code_of([&] { Money::parse("99999999999999999999999", EUR); }), "MONEY_OVERFLOW");
}

TEST(MoneyFormat, UsesTheCurrencyExponent) {
  EXPECT_EQ(eur(123450).to_string(), "1234.50");
  EXPECT_EQ(eur(-1).to_string(), "-0.01");
  EXPECT_EQ(eur(0).to_string(), "0.00");
  EXPECT_EQ(Money(1500, Currency::of("JPY")).to_string(), "1500");
  EXPECT_EQ(Money(-5, Currency::of("BHD")).to_string(), "-0.005");
  EXPECT_EQ(Money(std::numeric_limits<std::int64_t>::min(), Currency::of("EUR")).to_string(), "-92233720368547758.08");
  EXPECT_EQ(eur(995).to_display(), "EUR 9.95");
}

TEST(MoneyArithmetic, CheckedAndCurrencySafe) {
  EXPECT_EQ(eur(150) + eur(250), eur(400));
  EXPECT_EQ(eur(150) - eur(250), eur(-100));
  EXPECT_EQ(-eur(5), eur(-5));
  EXPECT_EQ(eur(7).times(3), eur(21));
  EXPECT_TRUE(eur(1) < eur(2));
  const Money usd(100, Currency::of("USD"));
  EXPECT_EQ(code_of([&] { (void)(eur(1) + usd); }), "MONEY_CURRENCY_MISMATCH");
  EXPECT_EQ(code_of([&] { (void)(eur(1) < usd); }), "MONEY_CURRENCY_MISMATCH");
  EXPECT_FALSE(eur(100) == usd);
  const auto max = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(code_of([&] { (void)(eur(max) + eur(1)); }), "MONEY_OVERFLOW");
  EXPECT_EQ(code_of([&] { (void)(eur(-max) - eur(2)); }), "MONEY_OVERFLOW");
  EXPECT_EQ(code_of([&] { (void)(-eur(std::numeric_limits<std::int64_t>::min())); }), "MONEY_OVERFLOW");
  EXPECT_EQ(code_of([&] { (void)eur(max / 2 + 1).times(2); }), "MONEY_OVERFLOW");
}

TEST(MoneyAllocate, PartsAlwaysSumToTheWhole) {
  const auto parts = eur(100).split(3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], eur(34));
  EXPECT_EQ(parts[1], eur(33));
  EXPECT_EQ(parts[2], eur(33));
  const std::int64_t w[] = {1, 1, 1};
  const auto neg = eur(-100).allocate(w);
  EXPECT_EQ(neg[0] + neg[1] + neg[2], eur(-100));
  EXPECT_EQ(neg[0], eur(-34));
  const std::int64_t w2[] = {70, 20, 10};
  const auto byweight = eur(1001).allocate(w2);
  EXPECT_EQ(byweight[0], eur(701));
  EXPECT_EQ(byweight[1], eur(200));
  EXPECT_EQ(byweight[2], eur(100));
  const std::int64_t zero_part[] = {0, 5};
  EXPECT_EQ(eur(10).allocate(zero_part)[0], eur(0));
}

TEST(MoneyAllocate, RandomCasesNeverLoseACent) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t amount = static_cast<std::int64_t>(rng() % 2000000000000ULL) - 1000000000000LL;
    std::vector<std::int64_t> weights(1 + rng() % 12);
    for (auto& w : weights) w = static_cast<std::int64_t>(rng() % 1000000);
    weights[0] += 1;
    const auto parts = eur(amount).allocate(weights);
    Money sum = eur(0);
    for (const auto& p : parts) {
      sum += p;
      EXPECT_TRUE(amount >= 0 ? !p.is_negative() : !p.is_positive());
    }
    ASSERT_EQ(sum, eur(amount));
  }
}

TEST(MoneyAllocate, RejectsBadWeights) {
  EXPECT_EQ(code_of([] { (void)eur(10).allocate(std::vector<std::int64_t>{}); }), "MONEY_ALLOCATION");
  EXPECT_EQ(code_of([] { (void)eur(10).allocate(std::vector<std::int64_t>{0, 0}); }), "MONEY_ALLOCATION");
  EXPECT_EQ(code_of([] { (void)eur(10).allocate(std::vector<std::int64_t>{3, -1}); }), "MONEY_ALLOCATION");
}
