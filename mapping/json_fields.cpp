#include "mapping/json_fields.hpp"

#include <boost/json/parse.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "arcd/erp_connector.hpp"
#include "arcd/error.hpp"

namespace arcd::mapping {
namespace json = boost::json;

namespace {

[[noreturn]] void bad(const std::string& where, std::string_view key, const std::string& what) {
  throw Error("ERP_FIELD", where + ": " + std::string(key) + ": " + what);
}

// "1150.10000000001" -> rounded to `exponent` decimals, half away from zero, as a decimal string.
std::string round_decimal(std::string s, int exponent) {
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  const auto dot = s.find('.');
  if (dot == std::string::npos || s.size() - dot - 1 <= static_cast<std::size_t>(exponent)) return (negative ? "-" : "") + s;
  const bool up = s[dot + 1 + exponent] >= '5';
  std::string digits = s.substr(0, dot) + s.substr(dot + 1, exponent);
  if (up) {
    int i = static_cast<int>(digits.size()) - 1;
    while (i >= 0 && digits[i] == '9') digits[i--] = '0';
    if (i < 0) digits.insert(digits.begin(), '1');
    else ++digits[i];
  }
  if (exponent > 0) digits.insert(digits.size() - exponent, ".");
  return (negative ? "-" : "") + digits;
}

}  // namespace

const json::value* field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null() || (v->is_bool() && !v->get_bool())) return nullptr;
  return v;
}

std::string text_field(const json::object& o, std::string_view key, const std::string& where, bool required) {
  const json::value* v = field(o, key);
  if (!v) {
    if (required) bad(where, key, "missing");
    return {};
  }
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  bad(where, key, "expected a string");
}

std::int64_t int_field(const json::object& o, std::string_view key, const std::string& where) {
  const json::value* v = field(o, key);
  if (!v) bad(where, key, "missing");
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->get_uint64());
  bad(where, key, "expected an integer");
}

Money money_from_json(const json::value& v, Currency currency, const std::string& where) {
  try {
    if (v.is_string()) return Money::parse(std::string(v.get_string()), currency);
    if (v.is_int64()) return Money::parse(std::to_string(v.get_int64()), currency);
    if (v.is_uint64()) return Money::parse(std::to_string(v.get_uint64()), currency);
    if (v.is_double()) {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double(), std::chars_format::fixed);
      if (ec != std::errc{}) throw Error("ERP_FIELD", where + ": amount out of range");
      return Money::parse(round_decimal(std::string(buf, end), currency.exponent()), currency);
    }
  } catch (const Error& e) {
    if (e.code() == "ERP_FIELD") throw;
    throw Error("ERP_FIELD", where + ": " + e.detail());
  }
  throw Error("ERP_FIELD", where + ": expected an amount");
}

Money money_field(const json::object& o, std::string_view key, Currency currency, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) bad(where, key, "missing");
  if (v->is_bool()) return Money::zero(currency);  // Odoo writes false for an empty monetary field
  return money_from_json(*v, currency, where + ": " + std::string(key));
}

Date date_field(const json::object& o, std::string_view key, const std::string& where) {
  const std::string s = text_field(o, key, where, true);
  auto d = Date::parse(std::string_view(s).substr(0, 10));
  if (!d) bad(where, key, "not a date: '" + s + "'");
  return *d;
}

json::value money_to_json(const Money& m) { return json::value(std::strtod(m.to_string().c_str(), nullptr)); }

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += char(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

json::value parse_json(std::string_view body, const std::string& what) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    std::string head(body.substr(0, 120));
    throw ErpError(ErpFailure::transient, what + ": malformed JSON (" + ec.message() + "): " + head);
  }
  return v;
}

}  // namespace arcd::mapping
