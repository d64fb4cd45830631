#pragma once
// Calendar dates and UTC instants. Dates are civil (no time zone): due dates, booking dates.
// Instants are UTC seconds: when something happened.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace arcd {

class Date {
 public:
  constexpr Date() noexcept = default;  // 1970-01-01
  explicit constexpr Date(std::chrono::sys_days d) noexcept : days_(d) {}
  constexpr Date(int y, unsigned m, unsigned d) noexcept
      : days_(std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}) {}

  // Strict "YYYY-MM-DD" with a real calendar date. nullopt otherwise.
  static std::optional<Date> parse(std::string_view iso) noexcept;
  // Like parse; throws arcd::Error DATE_PARSE naming the text.
  static Date parse_or_throw(std::string_view iso);

  std::chrono::sys_days days() const noexcept { return days_; }
  std::string to_string() const;  // "YYYY-MM-DD"
  Date plus_days(int n) const noexcept { return Date(days_ + std::chrono::days{n}); }
  // b - a in days (positive when b is later).
  friend int days_between(Date a, Date b) noexcept { return static_cast<int>((b.days_ - a.days_).count()); }
  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  std::chrono::sys_days days_{};
};

using Instant = std::chrono::sys_seconds;

// "2026-11-23T23:15:53Z"
std::string to_iso8601(Instant t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" and "+HH:MM" offsets; nullopt otherwise.
std::optional<Instant> parse_iso8601(std::string_view text) noexcept;
// The UTC calendar date of an instant.
inline Date utc_date(Instant t) noexcept { return Date(std::chrono::floor<std::chrono::days>(t)); }

}  // namespace arcd
