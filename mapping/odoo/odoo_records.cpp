#include "mapping/odoo/odoo_records.hpp"

#include <map>

#include "mapping/erp_pages.hpp"
#include "mapping/json_fields.hpp"

namespace arcd::mapping::odoo {
namespace json = boost::json;

json::array invoice_fields() {
  return {"name", "partner_id", "invoice_date", "invoice_date_due", "amount_total", "amount_residual", "currency_id",
          "payment_state", "state", "ref", "payment_reference", "write_date"};
}

namespace {

json::array term(const char* field, const char* op, json::value v) { return json::array{field, op, std::move(v)}; }

json::array base_domain() {
  return json::array{term("move_type", "=", "out_invoice"), term("state", "in", json::array{"posted", "cancel"})};
}

}  // namespace

json::array changed_invoices_domain(const std::string& since, const std::string& page_token) {
  json::array d = base_domain();
  if (!since.empty()) d.push_back(term("write_date", ">=", json::value(since)));
  if (!page_token.empty()) {
    // After (write_date, id) of the last row: equal timestamps at a page border are neither
    // skipped nor read twice.
    const auto bar = page_token.find('|');
    const std::string wd = page_token.substr(0, bar);
    const std::int64_t id = std::stoll(page_token.substr(bar + 1));
    d.push_back("|");
    d.push_back(term("write_date", ">", json::value(wd)));
    d.push_back("&");
    d.push_back(term("write_date", "=", json::value(wd)));
    d.push_back(term("id", ">", id));
  }
  return d;
}

json::array open_invoices_domain(const std::string& page_token) {
  json::array d{term("move_type", "=", "out_invoice"), term("state", "=", "posted"),
                term("payment_state", "in", json::array{"not_paid", "partial", "in_payment"})};
  if (!page_token.empty()) d.push_back(term("id", ">", std::stoll(page_token)));
  return d;
}

std::string changed_order() { return "write_date asc, id asc"; }
std::string open_order() { return "id asc"; }

std::string page_token_after(const InvoiceRecord& last, bool incremental) {
  return incremental ? last.modified + "|" + last.external_id : last.external_id;
}

std::int64_t many2one_id(const json::object& row, std::string_view key) {
  const json::value* v = field(row, key);
  if (!v) return 0;
  if (v->is_array() && !v->get_array().empty() && v->get_array()[0].is_int64()) return v->get_array()[0].get_int64();
  if (v->is_int64()) return v->get_int64();
  return 0;
}

namespace {

std::string many2one_name(const json::object& row, std::string_view key) {
  const json::value* v = field(row, key);
  if (v && v->is_array() && v->get_array().size() >= 2 && v->get_array()[1].is_string()) {
    return std::string(v->get_array()[1].get_string());
  }
  return {};
}

}  // namespace

InvoiceRecord invoice_from(const json::object& row, int line) {
  InvoiceRecord r;
  r.line = line;
  const std::string id = text_field(row, "id", "account.move row " + std::to_string(line), true);
  const std::string where = "account.move " + id;
  r.external_id = id;
  r.invoice_number = text_field(row, "name", where, true);
  const std::int64_t partner = many2one_id(row, "partner_id");
  if (partner == 0) throw Error("ERP_FIELD", where + ": partner_id: missing");
  r.customer_external_id = std::to_string(partner);
  r.customer_name = many2one_name(row, "partner_id");
  const std::string currency_code = many2one_name(row, "currency_id");
  const auto currency = Currency::find(currency_code);
  if (!currency) throw Error("ERP_FIELD", where + ": currency_id: unknown currency '" + currency_code + "'");
  r.amount_total = money_field(row, "amount_total", *currency, where);
  r.amount_open = money_field(row, "amount_residual", *currency, where);
  r.issue_date = date_field(row, "invoice_date", where);
  r.due_date = field(row, "invoice_date_due") ? date_field(row, "invoice_date_due", where) : r.issue_date;
  r.payment_reference = text_field(row, "payment_reference", where, false);
  const std::string state = text_field(row, "state", where, false), payment_state = text_field(row, "payment_state", where, false);
  r.cancelled = state == "cancel" || payment_state == "reversed";
  r.modified = text_field(row, "write_date", where, true);
  return r;
}

void add_partner_details(std::vector<InvoiceRecord>& invoices, const json::array& partners, const json::array& banks) {
  CustomerDetails details;
  for (const auto& p : partners) {
    if (!p.is_object()) continue;
    const auto& o = p.get_object();
    const std::string id = text_field(o, "id", "res.partner", true);
    details.email[id] = text_field(o, "email", "res.partner " + id, false);
  }
  for (const auto& b : banks) {
    if (!b.is_object()) continue;
    const auto& o = b.get_object();
    const std::int64_t partner = many2one_id(o, "partner_id");
    if (partner != 0) details.add_account(std::to_string(partner), text_field(o, "acc_number", "res.partner.bank", false));
  }
  details.apply(invoices);
}

std::string payment_memo_field(int major_version) { return major_version >= 18 ? "memo" : "ref"; }

}  // namespace arcd::mapping::odoo
