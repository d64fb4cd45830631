#include "arcd/money.hpp"
#include "arcd/wide_int.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "arcd/error.hpp"

namespace arcd {

Money Money::unset() noexcept {
  static const Money zero_euro(0, Currency::of("EUR"));
  return zero_euro;
}

namespace {

// 128-bit intermediates: amount * weight must not overflow before the division.
using Wide = int128;

[[noreturn]] void parse_error(std::string_view text, const std::string& why) {
  throw Error("MONEY_PARSE", "'" + std::string(text) + "' is not a decimal amount: " + why);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Money Money::parse(std::string_view text, Currency currency, DecimalFormat format) {
  std::string_view s = text;
  if (s.empty()) parse_error(text, "empty");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) parse_error(text, "sign without digits");

  // Integer part, with optional grouping in groups of three.
  std::int64_t minor = 0;
  const std::int64_t limit = std::numeric_limits<std::int64_t>::max();
  auto push_digit = [&](char c) {
    if (minor > (limit - (c - '0')) / 10) throw Error("MONEY_OVERFLOW", "'" + std::string(text) + "' does not fit");
    minor = minor * 10 + (c - '0');
  };
  std::size_t i = 0;
  std::size_t int_digits = 0;
  std::size_t group_len = 0;
  bool grouped = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (is_digit(c)) {
      push_digit(c);
      ++int_digits;
      ++group_len;
    } else if (format.group_separator != '\0' && c == format.group_separator) {
      if (int_digits == 0 || (grouped ? group_len != 3 : group_len > 3)) parse_error(text, "misplaced group separator");
      grouped = true;
      group_len = 0;
    } else {
      break;
    }
  }
  if (grouped && group_len != 3) parse_error(text, "misplaced group separator");

  // Fraction: keep up to `exponent` digits, any further digits must be zero.
  const int exponent = currency.exponent();
  int frac_digits = 0;
  std::size_t frac_seen = 0;
  if (i < s.size()) {
    if (s[i] != format.decimal_separator) parse_error(text, std::string("unexpected character '") + s[i] + "'");
    ++i;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (!is_digit(c)) parse_error(text, std::string("unexpected character '") + c + "'");
      ++frac_seen;
      if (frac_digits < exponent) {
        push_digit(c);
        ++frac_digits;
      } else if (c != '0') {
        throw Error("MONEY_PRECISION", "'" + std::string(text) + "' has a significant digit beyond the " +
                                           std::to_string(exponent) + " decimals of " +
                                           std::string(currency.code()));
      }
    }
  }
  if (int_digits + frac_seen == 0) parse_error(text, "no digits");
  for (; frac_digits < exponent; ++frac_digits) push_digit('0');
  return Money(negative ? -minor : minor, currency);
}

std::string Money::to_string() const {
  // Work in unsigned so INT64_MIN prints correctly.
  const bool neg = minor_ < 0;
  std::uint64_t v = neg ? std::uint64_t(0) - static_cast<std::uint64_t>(minor_) : static_cast<std::uint64_t>(minor_);
  const auto unit = static_cast<std::uint64_t>(currency_.minor_per_major());
  std::string out = neg ? "-" : "";
  out += std::to_string(v / unit);
  if (currency_.exponent() > 0) {
    std::string frac = std::to_string(v % unit);
    out += '.';
    out.append(static_cast<std::size_t>(currency_.exponent()) - frac.size(), '0');
    out += frac;
  }
  return out;
}

std::string Money::to_display() const { return std::string(currency_.code()) + " " + to_string(); }

void Money::require_same_currency(const Money& o, const char* op) const {
  if (!(currency_ == o.currency_)) {
    throw Error("MONEY_CURRENCY_MISMATCH", std::string("cannot ") + op + " " + to_display() + " and " + o.to_display());
  }
}

Money Money::operator+(const Money& o) const {
  require_same_currency(o, "add");
  std::int64_t r;
  if (__builtin_add_overflow(minor_, o.minor_, &r)) throw Error("MONEY_OVERFLOW", to_display() + " + " + o.to_display());
  return Money(r, currency_);
}

Money Money::operator-(const Money& o) const {
  require_same_currency(o, "subtract");
  std::int64_t r;
  if (__builtin_sub_overflow(minor_, o.minor_, &r)) throw Error("MONEY_OVERFLOW", to_display() + " - " + o.to_display());
  return Money(r, currency_);
}

Money Money::operator-() const {
  if (minor_ == std::numeric_limits<std::int64_t>::min()) throw Error("MONEY_OVERFLOW", "-" + to_display());
  return Money(-minor_, currency_);
}

Money Money::times(std::int64_t factor) const {
  std::int64_t r;
  if (__builtin_mul_overflow(minor_, factor, &r)) throw Error("MONEY_OVERFLOW", to_display() + " * " + std::to_string(factor));
  return Money(r, currency_);
}

int Money::compare(const Money& o) const {
  require_same_currency(o, "compare");
  return minor_ < o.minor_ ? -1 : (minor_ > o.minor_ ? 1 : 0);
}

std::vector<Money> Money::allocate(std::span<const std::int64_t> weights) const {
  if (weights.empty()) throw Error("MONEY_ALLOCATION", "no parts to allocate " + to_display() + " over");
  Wide total_weight = 0;
  for (auto w : weights) {
    if (w < 0) throw Error("MONEY_ALLOCATION", "negative weight");
    total_weight += w;
  }
  if (total_weight == 0) throw Error("MONEY_ALLOCATION", "all weights are zero");

  // Floor of each exact share (toward zero, sign handled on the magnitude), then hand the
  // leftover minor units to the largest remainders.
  const bool neg = minor_ < 0;
  const Wide amount = neg ? -static_cast<Wide>(minor_) : static_cast<Wide>(minor_);
  std::vector<Wide> base(weights.size());
  std::vector<Wide> remainder(weights.size());
  Wide given = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    const Wide product = amount * weights[k];
    base[k] = product / total_weight;
    remainder[k] = product % total_weight;
    given += base[k];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < amount; ++k, ++given) base[order[k % order.size()]] += 1;

  std::vector<Money> parts;
  parts.reserve(weights.size());
  for (auto b : base) parts.emplace_back(static_cast<std::int64_t>(neg ? -b : b), currency_);
  return parts;
}

std::vector<Money> Money::split(std::size_t n) const {
  std::vector<std::int64_t> weights(n, 1);
  return allocate(weights);
}

}  // namespace arcd
