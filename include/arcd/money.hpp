#pragma once
// Money: integer minor units in one ISO 4217 currency. Never floating point.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arcd/currency.hpp"

namespace arcd {

// How a decimal string is written. Files say which: camt uses '.', MT940 uses ',', a CSV export
// may group thousands with ','. Grouping is only accepted where a format asks for it.
struct DecimalFormat {
  char decimal_separator = '.';
  char group_separator = '\0';  // '\0': no grouping accepted
};

class Money {
 public:
  Money(std::int64_t minor, Currency currency) noexcept : minor_(minor), currency_(currency) {}
  static Money zero(Currency currency) noexcept { return Money(0, currency); }
  // What a Money member holds before it is set (zero euro), without a currency lookup each
  // time a record is made: parsers make millions.
  static Money unset() noexcept;

  // Exact parse of a decimal string: "1234.5", "-0.01", "+7", "8.850" (trailing zeros beyond
  // the exponent are fine). Throws arcd::Error with code MONEY_PARSE for a malformed string,
  // MONEY_PRECISION for a significant digit beyond the currency's exponent, MONEY_OVERFLOW
  // when it does not fit in int64 minor units. Never rounds.
  static Money parse(std::string_view text, Currency currency, DecimalFormat format = {});

  std::int64_t minor() const noexcept { return minor_; }
  Currency currency() const noexcept { return currency_; }
  bool is_zero() const noexcept { return minor_ == 0; }
  bool is_negative() const noexcept { return minor_ < 0; }
  bool is_positive() const noexcept { return minor_ > 0; }

  // "-1234.50" with exactly the currency's exponent of decimals, no grouping.
  std::string to_string() const;
  // "EUR -1234.50"
  std::string to_display() const;

  // Checked arithmetic: currency mismatch throws MONEY_CURRENCY_MISMATCH, overflow throws
  // MONEY_OVERFLOW. Nothing wraps and nothing converts silently.
  Money operator+(const Money& o) const;
  Money operator-(const Money& o) const;
  Money operator-() const;
  Money& operator+=(const Money& o) { return *this = *this + o; }
  Money& operator-=(const Money& o) { return *this = *this - o; }
  Money times(std::int64_t factor) const;

  // Splits this amount over parts proportional to `weights` (non-negative, not all zero) so
  // that the parts add up exactly to this amount; the remainder cents go to the parts with the
  // largest fractional shares, earlier parts first on ties. Throws MONEY_ALLOCATION on bad weights.
  std::vector<Money> allocate(std::span<const std::int64_t> weights) const;
  // Splits into n near-equal parts (the first parts get the extra cents).
  std::vector<Money> split(std::size_t n) const;

  friend bool operator==(const Money& a, const Money& b) noexcept {
    return a.currency_ == b.currency_ && a.minor_ == b.minor_;
  }
  // Ordering across currencies is meaningless: compare() throws on mismatch.
  int compare(const Money& o) const;
  bool operator<(const Money& o) const { return compare(o) < 0; }
  bool operator>(const Money& o) const { return compare(o) > 0; }
  bool operator<=(const Money& o) const { return compare(o) <= 0; }
  bool operator>=(const Money& o) const { return compare(o) >= 0; }

 private:
  void require_same_currency(const Money& o, const char* op) const;
  std::int64_t minor_;
  Currency currency_;
};

}  // namespace arcd
