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
// Columns that say "not yet" with an empty string as well as NULL.
std::optional<Instant> col_stamp(const soci::row& r, std::size_t i);
std::optional<Date> col_day(const soci::row& r, std::size_t i);
// Money from an amount column and a currency column.
Money col_money(const soci::row& r, std::size_t amount, std::size_t currency);

// Runs `query` with `binds` (soci::use(...) of variables that outlive the call) and maps every
// row with `map`. The one place the prepare/rowset/map loop is written.
// Streams every row to `f` without holding them all (bulk reads of a whole table).
template <class F, class... Binds>
void for_each_row(soci::session& sql, const std::string& query, F f, Binds&&... binds) {
  auto prepared = (sql.prepare << query);
  if constexpr (sizeof...(Binds) > 0) (prepared, ..., std::forward<Binds>(binds));
  soci::rowset<soci::row> rows(prepared);
  for (const auto& r : rows) f(r);
}

template <class Map, class... Binds>
auto fetch_all(soci::session& sql, const std::string& query, Map map, Binds&&... binds) {
  std::vector<decltype(map(std::declval<const soci::row&>()))> out;
  for_each_row(sql, query, [&](const soci::row& r) { out.push_back(map(r)); }, std::forward<Binds>(binds)...);
  return out;
}

// The first row mapped, or nullopt.
template <class Map, class... Binds>
auto fetch_one(soci::session& sql, const std::string& query, Map map, Binds&&... binds) {
  auto all = fetch_all(sql, query, map, std::forward<Binds>(binds)...);
  using T = typename decltype(all)::value_type;
  return all.empty() ? std::optional<T>() : std::optional<T>(std::move(all.front()));
}

// Runs an UPDATE and says whether it changed exactly one row (a guarded state change).
template <class... Binds>
bool changed_one(soci::session& sql, const std::string& query, Binds&&... binds) {
  auto p = (sql.prepare << query);
  ((p, std::forward<Binds>(binds)), ...);
  soci::statement st(p);
  st.execute(true);
  return st.get_affected_rows() == 1;
}

// Row mappers shared by the repositories that read the same tables: the column lists and
// the functions that read rows selected with them.
extern const char* const kCustomerColumns;
extern const char* const kInvoiceColumns;
extern const char* const kEntryColumns;
extern const char* const kApplicationColumns;
}  // namespace arcd::store
namespace arcd {
struct Customer;
struct Invoice;
struct Entry;
struct Application;
}  // namespace arcd
namespace arcd::store {
Customer customer_from_row(const soci::row& r);
Invoice invoice_from_row(const soci::row& r);
Entry entry_from_row(const soci::row& r);
Application application_from_row(const soci::row& r);

// Maps a SOCI exception to arcd::Error: DB_CONFLICT for unique/foreign-key violations,
// DB_QUERY otherwise, with `what` saying which operation failed.
[[noreturn]] void rethrow_db_error(const std::string& what);

}  // namespace arcd::store
