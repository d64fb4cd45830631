#include "connectors/erpnext/erpnext_connector.hpp"

#include <boost/json.hpp>
#include <set>

#include "mapping/erp_pages.hpp"
#include "mapping/json_fields.hpp"

namespace arcd::connectors {
namespace json = boost::json;
namespace erpnext = mapping::erpnext;

namespace {

json::array term(const char* f, const char* op, json::value v) { return json::array{f, op, std::move(v)}; }

std::string path_of(const std::string& doctype) { return "/api/resource/" + url_encode(doctype); }

ErpFailure failure_of(long status) {
  if (status == 417 || status == 409 || status == 400) return ErpFailure::rejected;  // validation, duplicate, bad request
  if (status == 508) return ErpFailure::transient;                                    // deadlock or lock timeout
  return failure_for_status(status);
}

}  // namespace

ErpNextConnector::ErpNextConnector(ErpNextSettings settings) : settings_(std::move(settings)), http_(settings_.http) {}

json::value ErpNextConnector::request(const std::string& method, const std::string& target, const std::string& body,
                                      const std::string& what) {
  std::vector<std::string> headers{"Authorization: token " + settings_.api_key + ":" + settings_.api_secret, "Accept: application/json"};
  if (!body.empty()) headers.push_back("Content-Type: application/json");
  const HttpResponse r = http_.send(method, target, body, headers, method == "GET");
  if (r.status >= 200 && r.status < 300) return mapping::parse_json(r.body, what);
  // 429 is plain text; errors from /api are JSON with exc_type.
  const std::string message = r.status == 429 ? "Too Many Requests" : erpnext::error_message(r.body);
  throw ErpError(failure_of(r.status), what + ": HTTP " + std::to_string(r.status) + ": " + snippet(message), retry_after_of(r));
}

json::array ErpNextConnector::list(const std::string& doctype, const json::array& fields, const erpnext::ListQuery& q, int limit,
                                   const std::string& what) {
  std::string target = path_of(doctype) + "?fields=" + url_encode(json::serialize(fields)) +
                       "&filters=" + url_encode(json::serialize(q.filters));
  if (!q.or_filters.empty()) target += "&or_filters=" + url_encode(json::serialize(q.or_filters));
  if (!q.order_by.empty()) target += "&order_by=" + url_encode(q.order_by);
  target += "&limit_start=0&limit_page_length=" + std::to_string(limit);
  const json::value v = request("GET", target, "", what);
  const auto* data = v.is_object() ? v.get_object().if_contains("data") : nullptr;
  if (!data || !data->is_array()) throw ErpError(ErpFailure::transient, what + ": expected {\"data\": [...]}");
  return data->get_array();
}

void ErpNextConnector::add_customer_details(std::vector<InvoiceRecord>& records) {
  std::set<std::string> names;
  for (const auto& r : records) names.insert(r.customer_external_id);
  if (names.empty()) return;
  json::array in;
  for (const auto& n : names) in.push_back(json::value(n));
  const auto customers = list("Customer", json::array{"name", "email_id"}, {json::array{term("name", "in", in)}, {}, ""},
                              static_cast<int>(names.size()), "ERPNext Customer list");
  const auto banks = list("Bank Account", json::array{"party", "iban", "bank_account_no"},
                          {json::array{term("party_type", "=", "Customer"), term("party", "in", in)}, {}, ""},
                          static_cast<int>(names.size()) * 5, "ERPNext Bank Account list");
  erpnext::add_customer_details(records, customers, banks);
}

InvoicePage ErpNextConnector::pull_invoices(const PullQuery& q) {
  const bool incremental = !q.modified_since.empty();
  const auto query = incremental ? erpnext::changed_invoices(q.modified_since, q.page_token) : erpnext::open_invoices(q.page_token);
  const auto rows = list("Sales Invoice", erpnext::invoice_fields(), query, q.page_size, "ERPNext Sales Invoice list");
  // No total and no next link: a page shorter than asked is the last.
  InvoicePage page = mapping::invoice_page(rows, q.page_size, "ERPNext Sales Invoice list", erpnext::invoice_from,
                                           [&](const InvoiceRecord& last) { return erpnext::page_token_after(last, incremental); });
  add_customer_details(page.records);
  return page;
}

std::optional<InvoiceRecord> ErpNextConnector::pull_invoice(const std::string& external_id) {
  auto one = invoice_alone(external_id);
  if (!one) return std::nullopt;
  std::vector<InvoiceRecord> records{*one};
  add_customer_details(records);
  return records.front();
}

std::optional<Money> ErpNextConnector::open_amount(const std::string& external_id) {
  auto one = invoice_alone(external_id);
  return one ? std::optional<Money>(one->amount_open) : std::nullopt;
}

std::optional<InvoiceRecord> ErpNextConnector::invoice_alone(const std::string& external_id) {
  json::value v;
  try {
    v = request("GET", path_of("Sales Invoice") + "/" + url_encode(external_id), "", "ERPNext Sales Invoice " + external_id);
  } catch (const ErpError& e) {
    if (e.kind() == ErpFailure::not_found) return std::nullopt;
    throw;
  }
  const auto* data = v.is_object() ? v.get_object().if_contains("data") : nullptr;
  if (!data || !data->is_object()) throw ErpError(ErpFailure::transient, "ERPNext Sales Invoice " + external_id + ": no data");
  return erpnext::invoice_from(data->get_object(), 1);
}

std::optional<std::string> ErpNextConnector::find_payment(const std::string& key, bool submitted_only) {
  json::array filters{term("reference_no", "=", json::value(key))};
  filters.push_back(submitted_only ? term("docstatus", "=", 1) : term("docstatus", "!=", 2));
  const auto rows = list("Payment Entry", json::array{"name", "docstatus"}, {filters, {}, "creation asc"}, 1, "ERPNext Payment Entry probe");
  if (rows.empty()) return std::nullopt;
  return mapping::text_field(rows[0].as_object(), "name", "Payment Entry", true);
}

PushResult ErpNextConnector::push_payment(const PaymentPush& p) {
  // reference_no is not unique in ERPNext: look before creating.
  if (auto existing = find_payment(p.key, false)) return {*existing, true};
  const auto invoice = pull_invoice(p.invoice_external_id);
  if (!invoice) throw ErpError(ErpFailure::not_found, "ERPNext has no Sales Invoice " + p.invoice_external_id);
  const json::value created = request("POST", path_of("Payment Entry"),
                                      json::serialize(erpnext::payment_entry(p, invoice->customer_external_id, settings_.payment)),
                                      "ERPNext Payment Entry for " + p.key);
  const auto* data = created.is_object() ? created.get_object().if_contains("data") : nullptr;
  if (!data || !data->is_object()) throw ErpError(ErpFailure::transient, "ERPNext Payment Entry for " + p.key + ": no data");
  return {mapping::text_field(data->get_object(), "name", "Payment Entry", true), false};
}

PushResult ErpNextConnector::cancel_payment(const PaymentCancel& c) {
  const auto payment = find_payment(c.key, true);
  if (!payment) return {"", true};
  request("POST", "/api/method/frappe.client.cancel",
          json::serialize(json::object{{"doctype", "Payment Entry"}, {"name", *payment}}), "ERPNext cancel " + *payment);
  return {*payment, false};
}

PushResult ErpNextConnector::push_note(const NotePush& n) {
  const auto found = list("Comment", json::array{"name"},
                          {json::array{term("reference_doctype", "=", "Sales Invoice"),
                                       term("reference_name", "=", json::value(n.invoice_external_id)),
                                       term("content", "like", json::value("%" + n.key + "%"))},
                           {},
                           ""},
                          1, "ERPNext Comment probe");
  if (!found.empty()) return {mapping::text_field(found[0].as_object(), "name", "Comment", true), true};
  const json::value created = request("POST", path_of("Comment"),
                                      json::serialize(json::object{{"comment_type", "Comment"},
                                                                   {"reference_doctype", "Sales Invoice"},
                                                                   {"reference_name", n.invoice_external_id},
                                                                   {"content", n.text + " [" + n.key + "]"}}),
                                      "ERPNext Comment on " + n.invoice_external_id);
  const auto* data = created.is_object() ? created.get_object().if_contains("data") : nullptr;
  if (!data || !data->is_object()) throw ErpError(ErpFailure::transient, "ERPNext Comment: no data");
  return {mapping::text_field(data->get_object(), "name", "Comment", true), false};
}

}  // namespace arcd::connectors
