#include "store/row_util.hpp"

#include "arcd/error.hpp"

namespace arcd::store {

long long col_i64(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) throw Error("DB_QUERY", "unexpected NULL in column " + r.get_properties(i).get_name());
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_string: return std::stoll(r.get<std::string>(i));
    default: throw Error("DB_QUERY", "column " + r.get_properties(i).get_name() + " is not an integer");
  }
}

std::optional<long long> col_opt_i64(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return col_i64(r, i);
}

std::string col_str(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return {};
  if (r.get_properties(i).get_data_type() != soci::dt_string) return std::to_string(col_i64(r, i));
  return r.get<std::string>(i);
}

std::optional<std::string> col_opt_str(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return col_str(r, i);
}

Date col_date(const soci::row& r, std::size_t i) { return Date::parse_or_throw(col_str(r, i)); }

std::optional<Date> col_opt_date(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return col_date(r, i);
}

std::optional<Instant> col_stamp(const soci::row& r, std::size_t i) {
  const std::string text = col_str(r, i);
  if (text.empty()) return std::nullopt;
  return col_instant(r, i);
}

std::optional<Date> col_day(const soci::row& r, std::size_t i) {
  const std::string text = col_str(r, i);
  if (text.empty()) return std::nullopt;
  return col_date(r, i);
}

Instant col_instant(const soci::row& r, std::size_t i) {
  auto t = parse_iso8601(col_str(r, i));
  if (!t) throw Error("DB_QUERY", "column " + r.get_properties(i).get_name() + " is not an ISO 8601 instant");
  return *t;
}

std::optional<Instant> col_opt_instant(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return col_instant(r, i);
}

Money col_money(const soci::row& r, std::size_t amount, std::size_t currency) {
  return Money(col_i64(r, amount), Currency::of(col_str(r, currency)));
}

void rethrow_db_error(const std::string& what) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const soci::soci_error& e) {
    const std::string msg = e.get_error_message();
    const bool conflict = msg.find("UNIQUE constraint") != std::string::npos ||
                          msg.find("duplicate key") != std::string::npos ||
                          msg.find("FOREIGN KEY constraint") != std::string::npos ||
                          msg.find("violates foreign key") != std::string::npos;
    throw Error(conflict ? "DB_CONFLICT" : "DB_QUERY", what + ": " + msg);
  } catch (const std::exception& e) {
    throw Error("DB_QUERY", what + ": " + e.what());
  }
}

}  // namespace arcd::store
