#pragma once
// ISO 4217 currencies and their minor-unit exponents (JPY 0, EUR 2, BHD 3, CLF 4).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arcd {

// A three-letter ISO 4217 alphabetic code whose minor unit is known. Only currencies with a
// defined minor unit can carry money; "XXX" or "XAU" are rejected where money is made.
class Currency {
 public:
  // Throws arcd::Error (code "MONEY_UNKNOWN_CURRENCY") for an unknown or malformed code.
  static Currency of(std::string_view code);
  // nullopt for an unknown or malformed code.
  static std::optional<Currency> find(std::string_view code) noexcept;

  std::string_view code() const noexcept { return {code_.data(), 3}; }
  int exponent() const noexcept { return exponent_; }
  // 10^exponent: how many minor units make one major unit.
  std::int64_t minor_per_major() const noexcept;

  friend bool operator==(const Currency& a, const Currency& b) noexcept { return a.code_ == b.code_; }
  friend auto operator<=>(const Currency& a, const Currency& b) noexcept { return a.code_ <=> b.code_; }

 private:
  Currency(std::array<char, 3> code, int exponent) noexcept : code_(code), exponent_(exponent) {}
  std::array<char, 3> code_;
  int exponent_;
};

// Every active code in the table, in alphabetical order (for tests and documentation).
std::string_view known_currency_codes() noexcept;

}  // namespace arcd
