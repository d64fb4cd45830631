#include "connectors/odoo/odoo_connector.hpp"

#include <boost/json.hpp>
#include <set>

#include "mapping/erp_pages.hpp"
#include "mapping/json_fields.hpp"
#include "mapping/odoo/odoo_records.hpp"

namespace arcd::connectors {
namespace json = boost::json;
namespace odoo = mapping::odoo;

namespace {

json::array term(const char* f, const char* op, json::value v) { return json::array{f, op, std::move(v)}; }

json::object invoice_context(std::int64_t invoice) {
  return json::object{{"active_model", "account.move"}, {"active_ids", json::array{invoice}}};
}

std::int64_t as_id(const json::value& v, const std::string& what) {
  // JSON-RPC create returns an int, JSON-2 create a list of ints.
  if (v.is_int64()) return v.get_int64();
  if (v.is_array() && !v.get_array().empty() && v.get_array()[0].is_int64()) return v.get_array()[0].get_int64();
  throw ErpError(ErpFailure::transient, what + ": expected a record id, got " + json::serialize(v).substr(0, 120));
}

// Reads may be sent twice; writes never (see HttpClient::send).
bool is_read(const odoo::Call& c) { return c.method == "search_read" || c.method == "read" || c.method == "search_count"; }

std::int64_t invoice_id(const std::string& external_id, const std::string& number) {
  try {
    return std::stoll(external_id);
  } catch (...) {
    throw ErpError(ErpFailure::rejected, "invoice " + number + " has no Odoo id ('" + external_id + "')");
  }
}

}  // namespace

OdooConnector::OdooConnector(OdooSettings settings) : settings_(std::move(settings)), http_(settings_.http) {
  if (settings_.protocol != "jsonrpc" && settings_.protocol != "json2") {
    throw Error("CFG_RANGE", "odoo protocol must be jsonrpc or json2, not '" + settings_.protocol + "'");
  }
  version_ = settings_.version != 0 ? settings_.version : settings_.protocol == "json2" ? 19 : 0;
}

json::value OdooConnector::rpc(const std::string& body, const std::string& what, bool repeatable) {
  const HttpResponse r =
      http_.send("POST", "/jsonrpc", body, {"Content-Type: application/json", "Accept: application/json"}, repeatable);
  if (r.status != 200) {
    throw ErpError(failure_for_status(r.status), what + ": HTTP " + std::to_string(r.status) + ": " + snippet(r.body),
                   retry_after_of(r));
  }
  auto reply = odoo::parse_jsonrpc_reply(r.body, what);
  if (reply.fault) throw odoo::error_of(*reply.fault, what);
  return std::move(reply.result);
}

void OdooConnector::login() {
  if (version_ == 0) {
    const json::value v = rpc(odoo::common_request(next_id_++, "version", {}), "Odoo common.version", true);
    if (const auto* info = v.is_object() ? v.get_object().if_contains("server_version_info") : nullptr;
        info && info->is_array() && !info->get_array().empty() && info->get_array()[0].is_int64()) {
      version_ = static_cast<int>(info->get_array()[0].get_int64());
    } else {
      version_ = 17;
    }
  }
  const json::value uid = rpc(odoo::common_request(next_id_++, "authenticate",
                                                   json::array{settings_.database.c_str(), settings_.login.c_str(),
                                                               settings_.api_key.c_str(), json::object{}}),
                              "Odoo common.authenticate", true);
  // Bad credentials are not an error object: authenticate returns false.
  if (!uid.is_int64() || uid.get_int64() <= 0) {
    throw ErpError(ErpFailure::auth, "Odoo refused the login '" + settings_.login + "' on database '" + settings_.database + "'");
  }
  uid_ = uid.get_int64();
}

json::value OdooConnector::send_once(const odoo::Call& c) {
  const std::string what = "Odoo " + c.model + "." + c.method;
  if (settings_.protocol == "jsonrpc") {
    if (uid_ == 0) login();
    return rpc(odoo::execute_kw_request(next_id_++, settings_.database, uid_, settings_.api_key, c), what, is_read(c));
  }
  std::vector<std::string> headers{"Content-Type: application/json; charset=utf-8", "Authorization: bearer " + settings_.api_key};
  if (!settings_.database.empty()) headers.push_back("X-Odoo-Database: " + settings_.database);
  const HttpResponse r = http_.send("POST", odoo::json2_path(c), odoo::json2_request(c), headers, is_read(c));
  if (r.status == 200) return mapping::parse_json(r.body, what);
  if (r.status == 429 || r.status >= 500) {
    throw ErpError(failure_for_status(r.status), what + ": HTTP " + std::to_string(r.status) + ": " + snippet(r.body),
                   retry_after_of(r));
  }
  throw odoo::error_of(odoo::parse_json2_fault(r.body, r.status), what);
}

json::value OdooConnector::call(const odoo::Call& c) {
  try {
    return send_once(c);
  } catch (const ErpError& e) {
    if (e.kind() != ErpFailure::auth || settings_.protocol != "jsonrpc") throw;
    uid_ = 0;  // log in again, once
    return send_once(c);
  }
}

void OdooConnector::add_customer_details(std::vector<InvoiceRecord>& records) {
  std::set<std::int64_t> ids;
  for (const auto& r : records) ids.insert(std::stoll(r.customer_external_id));
  if (ids.empty()) return;
  json::array id_list;
  for (auto id : ids) id_list.push_back(id);
  odoo::Call partners{"res.partner", "read", id_list, std::nullopt, json::object{{"fields", json::array{"name", "email"}}}};
  odoo::Call banks{"res.partner.bank", "search_read", std::nullopt,
                   json::value(json::array{term("partner_id", "in", id_list)}),
                   json::object{{"fields", json::array{"partner_id", "acc_number"}}}};
  const json::value p = call(partners), b = call(banks);
  odoo::add_partner_details(records, p.is_array() ? p.get_array() : json::array{}, b.is_array() ? b.get_array() : json::array{});
}

InvoicePage OdooConnector::pull_invoices(const PullQuery& q) {
  const bool incremental = !q.modified_since.empty();
  odoo::Call c{"account.move", "search_read", std::nullopt,
               json::value(incremental ? odoo::changed_invoices_domain(q.modified_since, q.page_token)
                                       : odoo::open_invoices_domain(q.page_token)),
               json::object{{"fields", odoo::invoice_fields()},
                            {"limit", q.page_size},
                            {"order", incremental ? odoo::changed_order() : odoo::open_order()}}};
  const json::value rows = call(c);
  if (!rows.is_array()) throw ErpError(ErpFailure::transient, "Odoo account.move.search_read: expected a list of records");
  InvoicePage page = mapping::invoice_page(rows.get_array(), q.page_size, "Odoo account.move.search_read", odoo::invoice_from,
                                           [&](const InvoiceRecord& last) { return odoo::page_token_after(last, incremental); });
  add_customer_details(page.records);
  return page;
}

std::optional<InvoiceRecord> OdooConnector::invoice_alone(const std::string& external_id) {
  odoo::Call c{"account.move", "search_read", std::nullopt,
               json::value(json::array{term("id", "=", invoice_id(external_id, external_id))}),
               json::object{{"fields", odoo::invoice_fields()}, {"limit", 1}}};
  const json::value rows = call(c);
  if (!rows.is_array() || rows.get_array().empty()) return std::nullopt;
  return odoo::invoice_from(rows.get_array()[0].as_object(), 1);
}

std::optional<InvoiceRecord> OdooConnector::pull_invoice(const std::string& external_id) {
  auto one = invoice_alone(external_id);
  if (!one) return std::nullopt;
  std::vector<InvoiceRecord> records{*one};
  add_customer_details(records);
  return records.front();
}

std::optional<Money> OdooConnector::open_amount(const std::string& external_id) {
  // One call: the invoice without its customer's details.
  auto one = invoice_alone(external_id);
  return one ? std::optional<Money>(one->amount_open) : std::nullopt;
}

std::optional<std::int64_t> OdooConnector::find_payment(const std::string& key) {
  if (version_ == 0 && settings_.protocol == "jsonrpc" && uid_ == 0) login();
  const std::string memo = odoo::payment_memo_field(version_);
  odoo::Call c{"account.payment", "search_read", std::nullopt,
               json::value(json::array{term(memo.c_str(), "=", json::value(key)),
                                       term("state", "not in", json::array{"cancel", "canceled"})}),
               json::object{{"fields", json::array{"id"}}, {"limit", 1}}};
  const json::value rows = call(c);
  if (!rows.is_array() || rows.get_array().empty()) return std::nullopt;
  return mapping::int_field(rows.get_array()[0].as_object(), "id", "account.payment");
}

PushResult OdooConnector::push_payment(const PaymentPush& p) {
  const std::int64_t invoice = invoice_id(p.invoice_external_id, p.invoice_number);
  if (auto existing = find_payment(p.key)) return {std::to_string(*existing), true};
  json::object vals{{"payment_date", p.date.to_string()}, {"amount", mapping::money_to_json(p.amount)}, {"communication", p.key}};
  if (settings_.journal_id > 0) vals["journal_id"] = settings_.journal_id;
  const json::object ctx = invoice_context(invoice);
  const std::int64_t wizard =
      as_id(call({"account.payment.register", "create", std::nullopt, json::value(vals), json::object{{"context", ctx}}}),
            "Odoo account.payment.register.create");
  const json::value action =
      call({"account.payment.register", "action_create_payments", json::array{wizard}, std::nullopt, json::object{{"context", ctx}}});
  if (action.is_object()) {
    if (const auto* res = action.get_object().if_contains("res_id"); res && res->is_int64()) {
      return {std::to_string(res->get_int64()), false};
    }
  }
  // Several payments (a domain) or `true`: find ours by its memo.
  if (auto created = find_payment(p.key)) return {std::to_string(*created), false};
  throw ErpError(ErpFailure::transient, "Odoo created no payment with memo " + p.key + " for invoice " + p.invoice_number);
}

PushResult OdooConnector::cancel_payment(const PaymentCancel& c) {
  const auto payment = find_payment(c.key);
  if (!payment) return {"", true};  // never created, or cancelled already
  call({"account.payment", "action_draft", json::array{*payment}, std::nullopt, json::object{}});
  call({"account.payment", "action_cancel", json::array{*payment}, std::nullopt, json::object{}});
  return {std::to_string(*payment), false};
}

PushResult OdooConnector::push_note(const NotePush& n) {
  const std::int64_t invoice = invoice_id(n.invoice_external_id, n.invoice_number);
  odoo::Call find{"mail.message", "search_read", std::nullopt,
                  json::value(json::array{term("model", "=", "account.move"), term("res_id", "=", invoice),
                                          term("body", "ilike", json::value(n.key))}),
                  json::object{{"fields", json::array{"id"}}, {"limit", 1}}};
  const json::value found = call(find);
  if (found.is_array() && !found.get_array().empty()) {
    return {std::to_string(mapping::int_field(found.get_array()[0].as_object(), "id", "mail.message")), true};
  }
  const json::value id = call({"account.move", "message_post", json::array{invoice}, std::nullopt,
                               json::object{{"body", n.text + " [" + n.key + "]"},
                                            {"message_type", "comment"},
                                            {"subtype_xmlid", "mail.mt_note"}}});
  return {std::to_string(as_id(id, "Odoo account.move.message_post")), false};
}

}  // namespace arcd::connectors
