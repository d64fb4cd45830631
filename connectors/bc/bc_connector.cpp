#include "connectors/bc/bc_connector.hpp"

#include <boost/json.hpp>

#include "mapping/bc/bc_records.hpp"
#include "mapping/erp_pages.hpp"
#include "mapping/json_fields.hpp"

namespace arcd::connectors {
namespace json = boost::json;
namespace bc = mapping::bc;

BusinessCentralConnector::BusinessCentralConnector(BusinessCentralSettings settings)
    : settings_(std::move(settings)), http_(settings_.http) {}

void BusinessCentralConnector::renew_token() {
  const std::string form = "grant_type=client_credentials&client_id=" + url_encode(settings_.client_id) +
                           "&client_secret=" + url_encode(settings_.client_secret) + "&scope=" + url_encode(settings_.scope);
  const HttpResponse r =
      http_.send("POST", settings_.token_url, form, {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"}, true);
  if (r.status != 200) {
    // 400/401 invalid_client and the like: the credentials, not the network.
    const ErpFailure kind = r.status >= 500 || r.status == 429 ? failure_for_status(r.status) : ErpFailure::auth;
    throw ErpError(kind, "Business Central token: HTTP " + std::to_string(r.status) + ": " + snippet(bc::error_message(r.body)),
                   retry_after_of(r));
  }
  const json::value v = mapping::parse_json(r.body, "Business Central token");
  const auto* token = v.is_object() ? v.get_object().if_contains("access_token") : nullptr;
  if (!token || !token->is_string()) throw ErpError(ErpFailure::auth, "Business Central token: no access_token in the answer");
  token_ = std::string(token->get_string());
  std::int64_t expires = 3599;
  if (const auto* e = v.get_object().if_contains("expires_in"); e && e->is_int64()) expires = e->get_int64();
  // A minute's margin, so a token never expires between the check and the call.
  token_expires_ = std::chrono::steady_clock::now() + std::chrono::seconds(std::max<std::int64_t>(expires - 60, 1));
}

BusinessCentralConnector::Answer BusinessCentralConnector::api(const std::string& method, const std::string& target,
                                                               const std::string& body, const std::string& what,
                                                               const std::vector<std::string>& extra_headers) {
  for (int attempt = 0;; ++attempt) {
    if (token_.empty() || std::chrono::steady_clock::now() >= token_expires_) renew_token();
    std::vector<std::string> headers{"Authorization: Bearer " + token_, "Accept: application/json"};
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());
    const HttpResponse r = http_.send(method, target, body, headers, method == "GET");
    if (r.status == 401 && attempt == 0) {
      token_.clear();  // expired or revoked early: renew once
      continue;
    }
    if (r.status < 200 || r.status >= 300) {
      throw ErpError(failure_for_status(r.status), what + ": HTTP " + std::to_string(r.status) + ": " + snippet(bc::error_message(r.body)),
                     retry_after_of(r));
    }
    Answer a;
    a.status = r.status;
    a.etag = r.header("etag");
    if (!r.body.empty()) a.body = mapping::parse_json(r.body, what);
    return a;
  }
}

InvoicePage BusinessCentralConnector::pull_invoices(const PullQuery& q) {
  const bool incremental = !q.modified_since.empty();
  std::string target = q.page_token;  // a next link, followed verbatim
  if (target.empty()) {
    target = "/salesInvoices?$filter=" + url_encode(incremental ? bc::changed_since_filter(q.modified_since) : bc::open_filter());
    if (incremental) target += "&$orderby=" + url_encode("lastModifiedDateTime asc");
  }
  const Answer a = api("GET", target, "", "Business Central salesInvoices",
                       {"Prefer: odata.maxpagesize=" + std::to_string(q.page_size)});
  const auto* value = a.body.is_object() ? a.body.get_object().if_contains("value") : nullptr;
  if (!value || !value->is_array()) throw ErpError(ErpFailure::transient, "Business Central salesInvoices: no value list");
  json::array posted;
  for (const auto& row : value->get_array()) {
    if (row.is_object() && bc::is_posted(row.get_object())) posted.push_back(row);
  }
  const std::string local = settings_.local_currency;
  InvoicePage page = mapping::invoice_page(
      posted, static_cast<int>(posted.size()) + 1, "Business Central salesInvoices",
      [&local](const json::object& row, int line) { return bc::invoice_from(row, local, line); },
      [](const InvoiceRecord&) { return std::string(); });
  if (const auto* next = a.body.get_object().if_contains("@odata.nextLink"); next && next->is_string()) {
    page.next_page_token = std::string(next->get_string());
  }
  return page;
}

std::optional<InvoiceRecord> BusinessCentralConnector::pull_invoice(const std::string& external_id) {
  try {
    const Answer a = api("GET", "/salesInvoices(" + external_id + ")", "", "Business Central salesInvoice " + external_id);
    if (!a.body.is_object()) return std::nullopt;
    return bc::invoice_from(a.body.get_object(), settings_.local_currency, 1);
  } catch (const ErpError& e) {
    if (e.kind() == ErpFailure::not_found) return std::nullopt;
    throw;
  }
}

std::optional<json::object> BusinessCentralConnector::journal_line(const std::string& key) {
  const Answer a = api("GET",
                       "/customerPaymentJournals(" + settings_.journal_id + ")/customerPayments?$filter=" +
                           url_encode("externalDocumentNumber eq " + bc::quoted(key)),
                       "", "Business Central journal probe " + key);
  const auto* value = a.body.is_object() ? a.body.get_object().if_contains("value") : nullptr;
  if (!value || !value->is_array() || value->get_array().empty()) return std::nullopt;
  return value->get_array()[0].as_object();
}

std::optional<std::string> BusinessCentralConnector::posted_entry(const std::string& key) {
  const Answer a = api("GET", "/generalLedgerEntries?$filter=" + url_encode("description eq " + bc::quoted(key)), "",
                       "Business Central ledger probe " + key);
  const auto* value = a.body.is_object() ? a.body.get_object().if_contains("value") : nullptr;
  if (!value || !value->is_array() || value->get_array().empty()) return std::nullopt;
  return mapping::text_field(value->get_array()[0].as_object(), "id", "generalLedgerEntry", true);
}

void BusinessCentralConnector::post_journal() {
  try {
    api("POST", "/journals(" + settings_.journal_id + ")/Microsoft.NAV.post", "", "Business Central post journal");
  } catch (const ErpError& e) {
    // Another delivery posted the batch first: nothing left to post is fine.
    if (e.kind() != ErpFailure::rejected || std::string(e.what()).find("nothing to post") == std::string::npos) throw;
  }
}

std::string BusinessCentralConnector::customer_of(const std::string& invoice_id, const std::string& invoice_number) {
  const auto invoice = pull_invoice(invoice_id);
  if (!invoice) throw ErpError(ErpFailure::not_found, "Business Central has no sales invoice " + invoice_number);
  return invoice->customer_external_id;
}

PushResult BusinessCentralConnector::push_payment(const PaymentPush& p) {
  if (auto line = journal_line(p.key)) {
    // Written before, not posted yet (a crash between the two): post it now.
    const std::string id = mapping::text_field(*line, "id", "customerPayment", true);
    post_journal();
    return {posted_entry(p.key).value_or(id), true};
  }
  if (auto entry = posted_entry(p.key)) return {*entry, true};
  const json::object line = bc::payment_line(p, customer_of(p.invoice_external_id, p.invoice_number));
  const Answer a = api("POST", "/customerPaymentJournals(" + settings_.journal_id + ")/customerPayments", json::serialize(line),
                       "Business Central payment " + p.key);
  const std::string id = a.body.is_object() ? mapping::text_field(a.body.get_object(), "id", "customerPayment", true) : "";
  post_journal();
  // Posted, the line is gone: the ledger entry is what exists now.
  return {posted_entry(p.key).value_or(id), false};
}

PushResult BusinessCentralConnector::cancel_payment(const PaymentCancel& c) {
  for (int attempt = 0;; ++attempt) {
    const auto line = journal_line(c.key);
    if (!line) {
      if (posted_entry(c.key)) {
        throw ErpError(ErpFailure::rejected, "Business Central payment " + c.key +
                                                 " is posted; API v2.0 cannot reverse it: reverse it in Business Central");
      }
      return {"", true};
    }
    const std::string id = mapping::text_field(*line, "id", "customerPayment", true);
    const std::string etag = mapping::text_field(*line, "@odata.etag", "customerPayment", false);
    try {
      api("DELETE", "/customerPaymentJournals(" + settings_.journal_id + ")/customerPayments(" + id + ")", "",
          "Business Central delete " + id, {"If-Match: " + (etag.empty() ? std::string("*") : etag)});
      return {id, false};
    } catch (const ErpError& e) {
      // 409 Request_EntityChanged: someone changed the line; read it again, once.
      if (attempt == 0 && std::string(e.what()).find("HTTP 409") != std::string::npos) continue;
      throw;
    }
  }
}

PushResult BusinessCentralConnector::push_note(const NotePush& n) {
  throw ErpError(ErpFailure::rejected, "Business Central API v2.0 has no notes on invoices (" + n.key + ")");
}

}  // namespace arcd::connectors
