#include "mapping/erpnext/erpnext_records.hpp"

#include <boost/json/parse.hpp>
#include <map>

#include "mapping/erp_pages.hpp"
#include "mapping/json_fields.hpp"

namespace arcd::mapping::erpnext {
namespace json = boost::json;

json::array invoice_fields() {
  return {"name", "customer", "customer_name", "posting_date", "due_date", "grand_total", "outstanding_amount", "currency", "status",
          "modified", "docstatus", "is_return"};
}

namespace {

json::array term(const char* f, const char* op, json::value v) { return json::array{f, op, std::move(v)}; }

}  // namespace

ListQuery changed_invoices(const std::string& since, const std::string& page_token) {
  ListQuery q;
  // Submitted and cancelled: a cancellation must reach arcd too.
  q.filters = json::array{term("docstatus", "in", json::array{1, 2}), term("is_return", "=", 0)};
  q.order_by = "modified asc, name asc";
  if (!since.empty()) q.filters.push_back(term("modified", ">=", json::value(since)));
  if (!page_token.empty()) {
    // (modified >= m) AND (modified > m OR name > n): after (m, n) in (modified, name) order.
    const auto bar = page_token.find('|');
    const std::string m = page_token.substr(0, bar), n = page_token.substr(bar + 1);
    q.filters.push_back(term("modified", ">=", json::value(m)));
    q.or_filters = json::array{term("modified", ">", json::value(m)), term("name", ">", json::value(n))};
  }
  return q;
}

ListQuery open_invoices(const std::string& page_token) {
  ListQuery q;
  q.filters = json::array{term("docstatus", "=", 1), term("is_return", "=", 0), term("outstanding_amount", "!=", 0)};
  q.order_by = "name asc";
  if (!page_token.empty()) q.filters.push_back(term("name", ">", json::value(page_token)));
  return q;
}

std::string page_token_after(const InvoiceRecord& last, bool incremental) {
  return incremental ? last.modified + "|" + last.external_id : last.external_id;
}

InvoiceRecord invoice_from(const json::object& row, int line) {
  InvoiceRecord r;
  r.line = line;
  const std::string name = text_field(row, "name", "Sales Invoice row " + std::to_string(line), true);
  const std::string where = "Sales Invoice " + name;
  r.external_id = name;
  r.invoice_number = name;
  r.customer_external_id = text_field(row, "customer", where, true);
  r.customer_name = text_field(row, "customer_name", where, false);
  if (r.customer_name.empty()) r.customer_name = r.customer_external_id;
  const std::string code = text_field(row, "currency", where, true);
  const auto currency = Currency::find(code);
  if (!currency) throw Error("ERP_FIELD", where + ": currency: unknown currency '" + code + "'");
  r.amount_total = money_field(row, "grand_total", *currency, where);
  r.amount_open = money_field(row, "outstanding_amount", *currency, where);
  r.issue_date = date_field(row, "posting_date", where);
  r.due_date = field(row, "due_date") ? date_field(row, "due_date", where) : r.issue_date;
  // ERPNext has no separate payment reference: the name is what its invoices ask payers to quote.
  r.payment_reference = name;
  const json::value* docstatus = field(row, "docstatus");
  r.cancelled = docstatus && docstatus->is_int64() && docstatus->get_int64() == 2;
  r.modified = text_field(row, "modified", where, true);
  return r;
}

void add_customer_details(std::vector<InvoiceRecord>& invoices, const json::array& customers, const json::array& bank_accounts) {
  CustomerDetails details;
  for (const auto& c : customers) {
    if (!c.is_object()) continue;
    const auto& o = c.get_object();
    details.email[text_field(o, "name", "Customer", true)] = text_field(o, "email_id", "Customer", false);
  }
  for (const auto& b : bank_accounts) {
    if (!b.is_object()) continue;
    const auto& o = b.get_object();
    const std::string iban = text_field(o, "iban", "Bank Account", false);
    details.add_account(text_field(o, "party", "Bank Account", false),
                        iban.empty() ? text_field(o, "bank_account_no", "Bank Account", false) : iban);
  }
  details.apply(invoices);
}

std::string error_message(const std::string& body) {
  json::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return body.substr(0, 300);
  const auto& o = v.get_object();
  if (const auto* sm = o.if_contains("_server_messages"); sm && sm->is_string()) {
    // A JSON string holding a list of JSON strings, each an object with a message.
    const json::value list = json::parse(sm->get_string(), ec);
    std::string out;
    if (!ec && list.is_array()) {
      for (const auto& item : list.get_array()) {
        if (!item.is_string()) continue;
        const json::value msg = json::parse(item.get_string(), ec);
        if (!ec && msg.is_object()) {
          if (const auto* m = msg.get_object().if_contains("message"); m && m->is_string()) {
            out += (out.empty() ? "" : "; ") + std::string(m->get_string());
          }
        }
      }
    }
    if (!out.empty()) return out;
  }
  if (const auto* e = o.if_contains("exception"); e && e->is_string()) return std::string(e->get_string());
  if (const auto* errs = o.if_contains("errors"); errs && errs->is_array() && !errs->get_array().empty()) {
    const auto& first = errs->get_array()[0];
    if (first.is_object()) {
      if (const auto* m = first.get_object().if_contains("message"); m && m->is_string()) return std::string(m->get_string());
    }
  }
  if (const auto* t = o.if_contains("exc_type"); t && t->is_string()) return std::string(t->get_string());
  return body.substr(0, 300);
}

json::object payment_entry(const PaymentPush& p, const std::string& customer, const PaymentEntrySettings& s) {
  const json::value amount = money_to_json(p.amount);
  json::object pe{{"payment_type", "Receive"},
                  {"company", s.company},
                  {"posting_date", p.date.to_string()},
                  {"mode_of_payment", s.mode_of_payment},
                  {"party_type", "Customer"},
                  {"party", customer},
                  {"paid_to", s.paid_to},
                  {"paid_amount", amount},
                  {"received_amount", amount},
                  {"source_exchange_rate", 1.0},
                  {"target_exchange_rate", 1.0},
                  {"reference_no", p.key},
                  {"reference_date", p.date.to_string()},
                  {"remarks", "arcd cash application " + p.key},
                  {"references", json::array{json::object{{"reference_doctype", "Sales Invoice"},
                                                          {"reference_name", p.invoice_external_id},
                                                          {"allocated_amount", amount}}}},
                  {"docstatus", 1}};
  if (!s.paid_from.empty()) pe["paid_from"] = s.paid_from;
  return pe;
}

}  // namespace arcd::mapping::erpnext
