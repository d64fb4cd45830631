#include "connectors/rest/rest_connector.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>
#include <set>

#include "mapping/erp_pages.hpp"
#include "mapping/json_fields.hpp"

namespace arcd::connectors {
namespace json = boost::json;
namespace rest = mapping::rest;

namespace {

std::string base64(const std::string& in) {
  std::string out(boost::beast::detail::base64::encoded_size(in.size()), ' ');
  out.resize(boost::beast::detail::base64::encode(out.data(), in.data(), in.size()));
  return out;
}

std::string text_of(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}

}  // namespace

RestConnector::RestConnector(RestSettings settings) : settings_(std::move(settings)), http_(settings_.http) {}

json::value RestConnector::call(const rest::RequestTemplate& t, const Vars& v, const std::string& what, const std::string& absolute_url) {
  std::string target = absolute_url;
  if (target.empty()) {
    target = rest::expand(t.path, v, rest::Escape::url);
    char sep = target.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [k, val] : t.query) {
      target += sep + url_encode(k) + "=" + url_encode(rest::expand(val, v, rest::Escape::none));
      sep = '&';
    }
  }
  std::vector<std::string> headers{"Accept: application/json"};
  const auto& a = settings_.mapping.auth;
  if (a.type == "bearer") headers.push_back("Authorization: Bearer " + rest::expand(a.value, v, rest::Escape::none));
  if (a.type == "header") headers.push_back(a.header + ": " + rest::expand(a.value, v, rest::Escape::none));
  if (a.type == "basic") {
    headers.push_back("Authorization: Basic " +
                      base64(rest::expand(a.user, v, rest::Escape::none) + ":" + rest::expand(a.password, v, rest::Escape::none)));
  }
  for (const auto& [k, val] : t.headers) headers.push_back(k + ": " + rest::expand(val, v, rest::Escape::none));
  const std::string body = rest::expand(t.body, v, rest::Escape::json);
  if (!body.empty()) headers.push_back("Content-Type: application/json");
  const HttpResponse r = http_.send(t.method, target, body, headers, t.method == "GET");
  if (r.status < 200 || r.status >= 300) {
    throw ErpError(failure_for_status(r.status), what + ": HTTP " + std::to_string(r.status) + ": " + snippet(r.body), retry_after_of(r));
  }
  if (r.body.empty()) return json::value(nullptr);
  return mapping::parse_json(r.body, what);
}

const json::array& RestConnector::records_of(const json::value& answer, const rest::RequestTemplate& t, const std::string& what) {
  const json::value* list = rest::at_path(answer, t.records);
  if (!list || !list->is_array()) throw ErpError(ErpFailure::transient, what + ": no list at '" + t.records + "'");
  return list->get_array();
}

void RestConnector::add_customer_details(std::vector<InvoiceRecord>& records) {
  const auto& m = settings_.mapping;
  if (!m.customers.present() && !m.accounts.present()) return;
  std::set<std::string> ids;
  for (const auto& r : records) ids.insert(r.customer_external_id);
  if (ids.empty()) return;
  json::array list;
  for (const auto& id : ids) list.push_back(json::value(id));
  Vars v = vars();
  v["customer_ids"] = json::serialize(list);
  v["customer_count"] = std::to_string(ids.size());
  mapping::CustomerDetails details;
  if (m.customers.present()) {
    const json::value answer = call(m.customers, v, "customers");
    for (const auto& row : records_of(answer, m.customers, "customers")) {
      const json::value* id = rest::at_path(row, m.customer_fields.at("id"));
      const json::value* email = rest::at_path(row, m.customer_fields.at("email"));
      if (id) details.email[text_of(*id)] = email ? text_of(*email) : "";
    }
  }
  if (m.accounts.present()) {
    v["customer_count"] = std::to_string(ids.size() * 5);
    const json::value answer = call(m.accounts, v, "bank accounts");
    for (const auto& row : records_of(answer, m.accounts, "bank accounts")) {
      const json::value* id = rest::at_path(row, m.account_fields.at("customer_id"));
      const json::value* acc = rest::at_path(row, m.account_fields.at("account"));
      if (id && acc) details.add_account(text_of(*id), text_of(*acc));
    }
  }
  details.apply(records);
}

InvoicePage RestConnector::pull_invoices(const PullQuery& q) {
  const auto& m = settings_.mapping;
  const bool incremental = !q.modified_since.empty();
  const rest::RequestTemplate& t = (!incremental && m.open) ? *m.open : m.changed;
  Vars v = vars();
  v["since"] = q.modified_since;
  v["page_size"] = std::to_string(q.page_size);
  const std::int64_t offset = m.paging.style == "offset" && !q.page_token.empty() ? std::stoll(q.page_token) : 0;
  const int page = m.paging.style == "page" && !q.page_token.empty() ? std::stoi(q.page_token) : m.paging.first_page;
  v["offset"] = std::to_string(offset);
  v["page"] = std::to_string(page);
  v["cursor"] = m.paging.style == "cursor" ? q.page_token : "";
  const std::string absolute = m.paging.style == "next_link" ? q.page_token : "";
  const json::value answer = call(t, v, "invoice list", absolute);
  const std::string what = "invoice list (" + m.file + ")";
  auto to_record = [&m](const json::object& row, int line) { return rest::record_from(m, row, line); };
  InvoicePage p = mapping::invoice_page(records_of(answer, t, what), q.page_size, what, to_record, [&](const InvoiceRecord&) {
    return m.paging.style == "offset" ? std::to_string(offset + q.page_size) : std::to_string(page + 1);
  });
  if (m.paging.style == "cursor" || m.paging.style == "next_link") {
    const json::value* next = rest::at_path(answer, m.paging.next);
    p.next_page_token = next && !next->is_null() ? text_of(*next) : "";
  } else if (m.paging.style == "none") {
    p.next_page_token.clear();
  }
  add_customer_details(p.records);
  return p;
}

std::optional<InvoiceRecord> RestConnector::pull_invoice(const std::string& external_id) {
  const auto& m = settings_.mapping;
  Vars v = vars();
  v["id"] = external_id;
  json::value answer;
  try {
    answer = call(m.one, v, "invoice " + external_id);
  } catch (const ErpError& e) {
    if (e.kind() == ErpFailure::not_found) return std::nullopt;
    throw;
  }
  const json::value* doc = rest::at_path(answer, m.one.records);
  if (!doc || !doc->is_object()) return std::nullopt;
  std::vector<InvoiceRecord> one{rest::record_from(m, doc->get_object(), 1)};
  add_customer_details(one);
  return one.front();
}

std::optional<std::string> RestConnector::find(const rest::RequestTemplate& lookup, const Vars& v, const std::string& what) {
  if (!lookup.present()) return std::nullopt;
  const json::value answer = call(lookup, v, what);
  const auto& rows = records_of(answer, lookup, what);
  if (rows.empty()) return std::nullopt;
  const json::value* id = rest::at_path(rows[0], lookup.id);
  if (!id) throw ErpError(ErpFailure::transient, what + ": no id at '" + lookup.id + "'");
  return text_of(*id);
}

std::string RestConnector::created_id(const json::value& answer, const rest::RequestTemplate& t, const std::string& what) {
  const json::value* id = rest::at_path(answer, t.id);
  if (!id && !t.id.empty()) throw ErpError(ErpFailure::transient, what + ": created, but no id at '" + t.id + "'");
  return id ? text_of(*id) : std::string();
}

PushResult RestConnector::push_payment(const PaymentPush& p) {
  const auto& m = settings_.mapping;
  if (!m.payment_create.present()) throw ErpError(ErpFailure::rejected, "mapping " + m.file + " has no [payment.create]");
  Vars v = vars();
  v["key"] = p.key;
  v["amount"] = p.amount.to_string();
  v["currency"] = std::string(p.amount.currency().code());
  v["date"] = p.date.to_string();
  v["invoice_id"] = p.invoice_external_id;
  v["invoice_number"] = p.invoice_number;
  v["customer_id"] = p.customer_external_id;
  if (auto existing = find(m.payment_lookup, v, "payment lookup " + p.key)) return {*existing, true};
  if (v["customer_id"].empty()) {
    // The ERP needs the payer: read it from the invoice.
    const auto invoice = pull_invoice(p.invoice_external_id);
    if (!invoice) throw ErpError(ErpFailure::not_found, "no invoice " + p.invoice_external_id + " in the ERP");
    v["customer_id"] = invoice->customer_external_id;
  }
  const json::value answer = call(m.payment_create, v, "payment " + p.key);
  return {created_id(answer, m.payment_create, "payment " + p.key), false};
}

PushResult RestConnector::cancel_payment(const PaymentCancel& c) {
  const auto& m = settings_.mapping;
  if (!m.cancel.present()) throw ErpError(ErpFailure::rejected, "mapping " + m.file + " has no [cancel.request]");
  Vars v = vars();
  v["key"] = c.key;
  v["invoice_id"] = c.invoice_external_id;
  v["invoice_number"] = c.invoice_number;
  const auto found = find(m.cancel_lookup, v, "payment lookup " + c.key);
  if (!found) return {"", true};
  v["remote_id"] = *found;
  call(m.cancel, v, "cancel " + *found);
  return {*found, false};
}

PushResult RestConnector::push_note(const NotePush& n) {
  const auto& m = settings_.mapping;
  if (!m.note_create.present()) throw ErpError(ErpFailure::rejected, "mapping " + m.file + " has no [note.create]");
  Vars v = vars();
  v["key"] = n.key;
  v["text"] = n.text;
  v["invoice_id"] = n.invoice_external_id;
  v["invoice_number"] = n.invoice_number;
  if (auto existing = find(m.note_lookup, v, "note lookup " + n.key)) return {*existing, true};
  const json::value answer = call(m.note_create, v, "note " + n.key);
  return {created_id(answer, m.note_create, "note " + n.key), false};
}

}  // namespace arcd::connectors
