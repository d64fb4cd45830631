#pragma once
// Reading SOCI rows the same way on both backends: integer widths and NULLs differ between
// SQLite and PostgreSQL result metadata, callers should not care.

#include <soci/soci.h>

#include <optional>
#include <string>

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

// Maps a SOCI exception to arcd::Error: DB_CONFLICT for unique/foreign-key violations,
// DB_QUERY otherwise, with `what` saying which operation failed.
[[noreturn]] void rethrow_db_error(const std::string& what);

}  // namespace arcd::store
