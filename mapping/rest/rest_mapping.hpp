#pragma once
// The generic REST/JSON connector's declarative mapping (config/mappings/*.toml): which
// endpoints list changed and open invoices and get one, how pages follow each other (offset,
// page number, cursor, next link), how to authenticate (bearer, basic, a header), where each
// arcd invoice field sits in the ERP's JSON and how to convert it, and the request templates
// that look for, create and cancel payments and post notes. Pure: text in, a mapping or an
// error naming file:line and key out; JSON records in, arcd records out.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arcd/erp_connector.hpp"

namespace arcd::mapping::rest {

// One HTTP request. Templates may use {name} placeholders: values are percent-encoded in the
// path and query, JSON-escaped in the body (write the quotes around string values yourself).
struct RequestTemplate {
  std::string method = "GET";
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string records;  // where the list of records is in the answer ("data"; "" = the answer itself)
  std::string id;       // where the id of what was found or created is (in a record, or in the answer)
  bool present() const { return !path.empty(); }
};

struct Paging {
  std::string style = "offset";  // offset | page | cursor | next_link | none
  int first_page = 1;            // page style
  std::string next;              // cursor: the next cursor's path in the answer; next_link: the next URL's path
};

// Where an arcd field comes from: a path, a constant, or a comparison (cancelled = docstatus is 2).
struct FieldRule {
  std::string path;
  std::string type = "text";  // text | decimal | date
  std::optional<std::string> constant;
  std::optional<std::string> equals;  // for booleans: true when the value's text equals this
};

struct Auth {
  std::string type = "none";  // none | bearer | basic | header
  std::string header = "Authorization";
  std::string value;          // template: the bearer token, the header's value
  std::string user, password; // templates (basic)
};

struct RestMapping {
  std::string file;
  Auth auth;
  RequestTemplate changed;             // incremental: {since}, {page_size} and the paging variables
  std::optional<RequestTemplate> open; // full sweep; absent: `changed` with an empty {since}
  RequestTemplate one;                 // one invoice: {id}; `records` names the document
  Paging paging;
  std::map<std::string, FieldRule> fields;  // external_id, number, customer_id, customer_name, customer_email, currency,
                                            // total, open, issue_date, due_date, payment_reference, modified, cancelled
  // Optional: the customers of a page ({customer_ids} is a JSON array of their ids,
  // {customer_count} how many) with their e-mail, and their bank accounts.
  RequestTemplate customers, accounts;
  std::map<std::string, std::string> customer_fields;  // id, email
  std::map<std::string, std::string> account_fields;   // customer_id, account
  RequestTemplate payment_lookup, payment_create;  // {key}, {amount}, {currency}, {date}, {invoice_id}, {invoice_number}, {customer_id}
  RequestTemplate cancel_lookup, cancel;           // cancel: also {remote_id}
  RequestTemplate note_lookup, note_create;        // {key}, {text}, {invoice_id}
};

// Throws arcd::Error CFG_PARSE / CFG_MISSING_KEY / CFG_UNKNOWN_KEY / CFG_RANGE "file:line: key: what".
RestMapping parse_rest_mapping(std::string_view toml_text, const std::string& file);

// The value at a dotted path ("data.name", "value.0.id"); nullptr when absent.
const boost::json::value* at_path(const boost::json::value& v, const std::string& path);

// A record as an arcd invoice. Throws arcd::Error ERP_FIELD naming the record and field.
InvoiceRecord record_from(const RestMapping& m, const boost::json::object& row, int line);

enum class Escape { none, url, json };
// Replaces {name} (an identifier in braces) with vars[name]; other braces are text. An
// unknown name is an error (ERP_TEMPLATE).
std::string expand(const std::string& text, const std::map<std::string, std::string>& vars, Escape escape);

}  // namespace arcd::mapping::rest
