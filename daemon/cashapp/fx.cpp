#include "cashapp/fx.hpp"

#include <cctype>

#include "arcd/error.hpp"
#include "arcd/money.hpp"
#include "arcd/wide_int.hpp"

namespace arcd::cashapp {
namespace {

using i128 = arcd::int128;

i128 pow10(int n) {
  i128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// num / den rounded half away from zero; both positive here.
std::optional<std::int64_t> divide_rounded(i128 num, i128 den) {
  if (den == 0) return std::nullopt;
  const bool negative = (num < 0) != (den < 0);
  if (num < 0) num = -num;
  if (den < 0) den = -den;
  i128 q = num / den;
  if ((num % den) * 2 >= den) ++q;
  if (q > INT64_MAX) return std::nullopt;
  return static_cast<std::int64_t>(negative ? -q : q);
}

}  // namespace

std::optional<DecimalRate> parse_rate(std::string_view text) {
  DecimalRate r;
  bool seen_point = false, any_digit = false;
  int significant = 0;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      any_digit = true;
      if (r.digits > 0 || c != '0') ++significant;
      if (significant > 18) return std::nullopt;
      r.digits = r.digits * 10 + (c - '0');
      if (seen_point) ++r.scale;
    } else {
      return std::nullopt;
    }
  }
  if (!any_digit || r.digits <= 0 || r.scale > 18) return std::nullopt;
  return r;
}

std::optional<std::int64_t> convert(std::int64_t minor, Currency from, Currency to, DecimalRate rate) {
  // minor_to = minor_from * rate * 10^exp(to) / 10^exp(from)
  const i128 num = static_cast<i128>(minor) * rate.digits * pow10(to.exponent());
  const i128 den = pow10(rate.scale) * pow10(from.exponent());
  return divide_rounded(num, den);
}

std::optional<std::int64_t> convert_inverse(std::int64_t minor, Currency from, Currency to, DecimalRate rate) {
  // minor_to = minor_from / rate * 10^exp(to) / 10^exp(from)
  const i128 num = static_cast<i128>(minor) * pow10(rate.scale) * pow10(to.exponent());
  const i128 den = static_cast<i128>(rate.digits) * pow10(from.exponent());
  return divide_rounded(num, den);
}

std::optional<std::int64_t> payment_in(const Entry& e, std::int64_t minor, Currency to, const MatchSettings& settings,
                                       std::string& how) {
  const Currency from = e.amount.currency();
  if (from == to) {
    how.clear();
    return minor;
  }
  const auto& d = e.details;
  if (d.instructed_amount && d.instructed_amount->currency() == to && minor == e.amount.minor()) {
    how = "the instructed amount " + d.instructed_amount->to_display() + " from the bank";
    return d.instructed_amount->minor();
  }
  if (auto rate = parse_rate(d.exchange_rate)) {
    if (d.source_currency == from.code() && d.target_currency == to.code()) {
      how = "the bank's rate " + d.exchange_rate + " " + d.source_currency + "/" + d.target_currency;
      return convert(minor, from, to, *rate);
    }
    if (d.source_currency == to.code() && d.target_currency == from.code()) {
      how = "the bank's rate " + d.exchange_rate + " " + d.source_currency + "/" + d.target_currency;
      return convert_inverse(minor, from, to, *rate);
    }
  }
  const std::string direct = std::string(from.code()) + "/" + std::string(to.code());
  const std::string inverse = std::string(to.code()) + "/" + std::string(from.code());
  if (auto it = settings.rates.find(direct); it != settings.rates.end()) {
    if (auto rate = parse_rate(it->second)) {
      how = "the configured rate " + it->second + " " + direct;
      return convert(minor, from, to, *rate);
    }
  }
  if (auto it = settings.rates.find(inverse); it != settings.rates.end()) {
    if (auto rate = parse_rate(it->second)) {
      how = "the configured rate " + it->second + " " + inverse;
      return convert_inverse(minor, from, to, *rate);
    }
  }
  return std::nullopt;
}

std::int64_t major_text_to_minor(const std::string& text, Currency c) {
  if (text.empty()) return 0;
  try {
    const auto m = Money::parse(text, c);
    return m.minor() > 0 ? m.minor() : 0;
  } catch (const Error&) {
    return 0;  // validated when the configuration was read
  }
}

std::int64_t percent_to_basis_points(const std::string& text) {
  auto r = parse_rate(text);
  if (!r || r->scale > 2) {
    if (!r) return 0;
    // More than two decimals of a percent: truncate towards the stricter tolerance.
    std::int64_t v = r->digits;
    for (int i = 2; i < r->scale; ++i) v /= 10;
    return v;
  }
  std::int64_t v = r->digits;
  for (int i = r->scale; i < 2; ++i) v *= 10;
  return v;
}

}  // namespace arcd::cashapp
