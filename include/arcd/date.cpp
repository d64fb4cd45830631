#include "arcd/date.hpp"

#include <cstdio>

#include "arcd/error.hpp"

namespace arcd {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// Writes `v` as exactly `n` decimal digits, zero-padded.
void put_digits(char* out, unsigned v, int n) {
  for (int i = n - 1; i >= 0; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
}

// "YYYY-MM-DD" into out[0..10). Written by hand: a date is formatted for every stored entry
// (twice) and every timestamp, and snprintf was a twentieth of a cash-application write.
bool put_date(char* out, const std::chrono::year_month_day& ymd) {
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return false;
  put_digits(out, static_cast<unsigned>(y), 4);
  out[4] = '-';
  put_digits(out + 5, static_cast<unsigned>(ymd.month()), 2);
  out[7] = '-';
  put_digits(out + 8, static_cast<unsigned>(ymd.day()), 2);
  return true;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view s) noexcept {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date(std::chrono::sys_days(ymd));
}

Date Date::parse_or_throw(std::string_view iso) {
  if (auto d = parse(iso)) return *d;
  throw Error("DATE_PARSE", "'" + std::string(iso) + "' is not a calendar date YYYY-MM-DD");
}

std::string Date::to_string() const {
  std::chrono::year_month_day ymd{days_};
  char buf[16];
  if (put_date(buf, ymd)) return std::string(buf, 10);
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string to_iso8601(Instant t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss hms{t - day};
  char buf[40];
  if (put_date(buf, std::chrono::year_month_day{day})) {
    buf[10] = 'T';
    put_digits(buf + 11, static_cast<unsigned>(hms.hours().count()), 2);
    buf[13] = ':';
    put_digits(buf + 14, static_cast<unsigned>(hms.minutes().count()), 2);
    buf[16] = ':';
    put_digits(buf + 17, static_cast<unsigned>(hms.seconds().count()), 2);
    buf[19] = 'Z';
    return std::string(buf, 20);
  }
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", Date(day).to_string().c_str(), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<Instant> parse_iso8601(std::string_view s) noexcept {
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  auto date = Date::parse(s.substr(0, 10));
  int h, mi, se;
  if (!date || !digits(s, 11, 2, h) || !digits(s, 14, 2, mi) || !digits(s, 17, 2, se)) return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {  // fractional seconds are dropped
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  int offset_minutes = 0;
  std::string_view zone = s.substr(pos);
  if (zone == "Z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh, om;
    if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om)) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return Instant(date->days()) + std::chrono::hours(h) + std::chrono::minutes(mi - offset_minutes) +
         std::chrono::seconds(se);
}

}  // namespace arcd
