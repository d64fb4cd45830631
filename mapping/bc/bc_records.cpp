#include "mapping/bc/bc_records.hpp"

#include <boost/json/parse.hpp>

#include "mapping/json_fields.hpp"

namespace arcd::mapping::bc {
namespace json = boost::json;

bool is_posted(const json::object& row) {
  const auto* s = row.if_contains("status");
  const std::string status = s && s->is_string() ? std::string(s->get_string()) : "";
  return status != "Draft" && status != "In Review" && status != " " && !status.empty();
}

InvoiceRecord invoice_from(const json::object& row, const std::string& local_currency, int line) {
  InvoiceRecord r;
  r.line = line;
  const std::string id = text_field(row, "id", "salesInvoice row " + std::to_string(line), true);
  const std::string where = "salesInvoice " + id;
  r.external_id = id;
  r.invoice_number = text_field(row, "number", where, true);
  r.customer_external_id = text_field(row, "customerNumber", where, true);
  r.customer_name = text_field(row, "customerName", where, false);
  r.customer_email = text_field(row, "email", where, false);
  std::string code = text_field(row, "currencyCode", where, false);
  if (code.empty()) code = local_currency;  // "" is the company's local currency
  const auto currency = Currency::find(code);
  if (!currency) throw Error("ERP_FIELD", where + ": currencyCode: unknown currency '" + code + "'");
  r.amount_total = money_field(row, "totalAmountIncludingTax", *currency, where);
  r.amount_open = money_field(row, "remainingAmount", *currency, where);
  r.issue_date = date_field(row, "invoiceDate", where);
  r.due_date = field(row, "dueDate") ? date_field(row, "dueDate", where) : r.issue_date;
  r.payment_reference = text_field(row, "number", where, true);
  r.cancelled = text_field(row, "status", where, false) == "Canceled";
  r.modified = text_field(row, "lastModifiedDateTime", where, true);
  return r;
}

std::string changed_since_filter(const std::string& since) { return "lastModifiedDateTime ge " + since; }
std::string open_filter() { return "status eq 'Open'"; }

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

json::object payment_line(const PaymentPush& p, const std::string& customer_number) {
  // A customer payment in a cash receipt journal is a credit: a negative amount.
  const Money credit(-p.amount.minor(), p.amount.currency());
  return json::object{{"customerNumber", customer_number},
                      {"postingDate", p.date.to_string()},
                      {"externalDocumentNumber", p.key},
                      {"amount", money_to_json(credit)},
                      {"appliesToInvoiceNumber", p.invoice_number},
                      {"description", p.key}};
}

namespace {

const json::object* error_object(const std::string& body, json::value& holder) {
  json::error_code ec;
  holder = json::parse(body, ec);
  if (ec || !holder.is_object()) return nullptr;
  const auto* e = holder.get_object().if_contains("error");
  return e && e->is_object() ? &e->get_object() : nullptr;
}

}  // namespace

std::string error_code(const std::string& body) {
  json::value holder;
  const auto* e = error_object(body, holder);
  if (!e) return "";
  if (const auto* c = e->if_contains("code"); c && c->is_string()) return std::string(c->get_string());
  return "";
}

std::string error_message(const std::string& body) {
  json::value holder;
  const auto* e = error_object(body, holder);
  if (!e) {
    // The token endpoint's shape: {"error": "invalid_client", "error_description": "..."}
    if (holder.is_object()) {
      if (const auto* d = holder.get_object().if_contains("error_description"); d && d->is_string()) return std::string(d->get_string());
    }
    return body.substr(0, 300);
  }
  std::string code = error_code(body), message;
  if (const auto* m = e->if_contains("message"); m && m->is_string()) message = std::string(m->get_string());
  return code.empty() ? message : code + ": " + message;
}

}  // namespace arcd::mapping::bc
