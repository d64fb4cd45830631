#pragma once
// Reading SOCI rows the same way on both backends: integer widths and NULLs differ between
// SQLite and PostgreSQL result metadata, callers should not care.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arcd/date.hpp"
#include "arcd/money.hpp"

namespace arcd::store {

long long col_i64(const soci::row& r, std::size_t i);
std::optional<long long> col_opt_i64(const soci::row& r, std::size_t i);
std::string col_str(const soci::row& r, std::size_t i);  // NULL -> ""
std::optional<std::string> col_opt_str(const soci::row& r, std::size_t i);
Date col_date(const soci::row& r, std::size_t i);
std::optional<Date> col_opt_date(const soci::row& r, std::size_t i);
Instant col_instant(const soci::row& r, std::size_t i);
std::optional<Instant> col_opt_instant(const soci::row& r, std::size_t i);
// Money from an amount column and a currency column.
Money col_money(const soci::row& r, std::size_t amount, std::size_t currency);

// Runs `query` with `binds` (soci::use(...) of variables that outlive the call) and maps every
// row with `map`. The one place the prepare/rowset/map loop is written.
template <class Map, class... Binds>
auto fetch_all(soci::session& sql, const std::string& query, Map map, Binds&&... binds) {
  auto prepared = (sql.prepare << query);
  (prepared, ..., std::forward<Binds>(binds));
  soci::rowset<soci::row> rows(prepared);
  std::vector<decltype(map(std::declval<const soci::row&>()))> out;
  for (const auto& r : rows) out.push_back(map(r));
  return out;
}

// The first row mapped, or nullopt.
template <class Map, class... Binds>
auto fetch_one(soci::session& sql, const std::string& query, Map map, Binds&&... binds) {
  auto all = fetch_all(sql, query, map, std::forward<Binds>(binds)...);
  using T = typename decltype(all)::value_type;
  return all.empty() ? std::optional<T>() : std::optional<T>(std::move(all.front()));
}

// Maps a SOCI exception to arcd::Error: DB_CONFLICT for unique/foreign-key violations,
// DB_QUERY otherwise, with `what` saying which operation failed.
[[noreturn]] void rethrow_db_error(const std::string& what);

}  // namespace arcd::store
