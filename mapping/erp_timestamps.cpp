#include "mapping/erp_timestamps.hpp"

#include <cstdio>

#include "arcd/date.hpp"

namespace arcd::mapping {

std::string rewind_stamp(const std::string& stamp, std::chrono::seconds by) {
  if (stamp.size() < 19 || (stamp[10] != ' ' && stamp[10] != 'T')) return stamp;
  auto day = Date::parse(std::string_view(stamp).substr(0, 10));
  int h = 0, m = 0, s = 0;
  if (!day || std::sscanf(stamp.c_str() + 11, "%2d:%2d:%2d", &h, &m, &s) != 3) return stamp;
  const auto t = std::chrono::sys_seconds(day->days()) + std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(s) - by;
  const auto d = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - d};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%c%02d:%02d:%02d%s", Date(d).to_string().c_str(), stamp[10], static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()), stamp.back() == 'Z' ? "Z" : "");
  return buf;
}

bool stamp_before(const std::string& a, const std::string& b) {
  // Same ERP, same layout: the text orders like the time ('Z' after digits does not matter
  // at equal seconds because both carry it).
  return a < b;
}

}  // namespace arcd::mapping
