#pragma once
// Exact conversion between currencies with a decimal rate: no floating point anywhere.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arcd/currency.hpp"
#include "arcd/model.hpp"
#include "cashapp/settings.hpp"

namespace arcd::cashapp {

// A decimal written as text ("0.9234", "1.08575"), held as digits and a scale.
struct DecimalRate {
  std::int64_t digits = 0;  // 9234
  int scale = 0;            // 4
};
// nullopt for anything but a positive plain decimal of at most 18 significant digits.
std::optional<DecimalRate> parse_rate(std::string_view text);

// `minor` of `from` in `to` at "1 from = rate to", rounded half away from zero to `to`'s
// minor unit; nullopt on overflow.
std::optional<std::int64_t> convert(std::int64_t minor, Currency from, Currency to, DecimalRate rate);
// The same at "1 to = rate from" (the rate quoted the other way round).
std::optional<std::int64_t> convert_inverse(std::int64_t minor, Currency from, Currency to, DecimalRate rate);

// A payment of `minor` in the entry's currency, expressed in `to`: the bank's own figures
// first (the instructed amount when it is in `to` and the payment is the whole entry, then
// the exchange rate the bank reported), else the configured rate. `how` says which was used.
std::optional<std::int64_t> payment_in(const Entry& e, std::int64_t minor, Currency to, const MatchSettings& settings,
                                       std::string& how);

// "5.00" of a currency (major units, as in the tolerance settings) in minor units; 0 when unset.
std::int64_t major_text_to_minor(const std::string& text, Currency c);
// "0.5" percent as hundredths of a percent (50); 0 when unset.
std::int64_t percent_to_basis_points(const std::string& text);

}  // namespace arcd::cashapp
