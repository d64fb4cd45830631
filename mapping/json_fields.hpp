#pragma once
// Reading ERP JSON records field by field, with errors that name the record and the field.
// ERPs send money as JSON floats (Odoo, ERPNext, Business Central): a float is read through
// its shortest decimal form and rounded half away from zero to the currency's exponent, the
// rounding the ERP itself applies to the amounts it stores. Strings are parsed exactly.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "arcd/date.hpp"
#include "arcd/money.hpp"

namespace arcd::mapping {

// The member, or nullptr when absent, null, or `false` (Odoo's empty value).
const boost::json::value* field(const boost::json::object& o, std::string_view key);

// Throw arcd::Error ERP_FIELD "<where>: <key>: what" when the field is missing or of the wrong kind.
std::string text_field(const boost::json::object& o, std::string_view key, const std::string& where, bool required);
std::int64_t int_field(const boost::json::object& o, std::string_view key, const std::string& where);
Money money_field(const boost::json::object& o, std::string_view key, Currency currency, const std::string& where);
// "YYYY-MM-DD" (a longer date-time is cut to its date).
Date date_field(const boost::json::object& o, std::string_view key, const std::string& where);

// A JSON number or decimal string as money (see above).
Money money_from_json(const boost::json::value& v, Currency currency, const std::string& where);
// The amount as the JSON number nearest its exact decimal value (what the ERPs expect).
boost::json::value money_to_json(const Money& m);

// Percent-encodes for a URL path segment or query value (RFC 3986 unreserved characters stay).
std::string percent_encode(std::string_view s);

// Parses a JSON document; throws ErpError(transient) "what: malformed JSON ..." when it is not.
boost::json::value parse_json(std::string_view body, const std::string& what);

}  // namespace arcd::mapping
