#pragma once
// Microsoft Dynamics 365 Business Central, API v2.0: an OAuth2 client-credentials token from
// Entra ID (cached until shortly before it expires, renewed on a 401), salesInvoices with
// $filter on lastModifiedDateTime or status and server-driven paging (@odata.nextLink,
// Prefer: odata.maxpagesize); payments as customerPayments lines in a configured customer
// payment journal (negative amount, appliesToInvoiceNumber, externalDocumentNumber and
// description = arcd's key), each posted at once through journals(id)/Microsoft.NAV.post, so
// that remainingAmount counts it as arcd's open amount does (an unposted line would not).
// Before creating, the key is looked for among the journal's lines (not posted yet) and the
// general ledger entries (posted). A line not posted yet is cancelled by deleting it
// (If-Match with its ETag; 409 re-read once); a posted payment must be reversed in Business
// Central (the event goes dead with that message). API v2.0 has no invoice notes.

#include <chrono>
#include <optional>
#include <string>

#include "arcd/erp_connector.hpp"
#include "connectors/http_client.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace arcd::connectors {

struct BusinessCentralSettings {
  HttpSettings http;           // base_url: .../api/v2.0/companies(<id>)
  std::string token_url;       // https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token
  std::string client_id;
  std::string client_secret;   // a secret
  std::string scope = "https://api.businesscentral.dynamics.com/.default";
  std::string journal_id;      // the customer payment journal (batch) arcd writes to
  std::string local_currency;  // what currencyCode "" means
};

class BusinessCentralConnector final : public ErpConnector {
 public:
  explicit BusinessCentralConnector(BusinessCentralSettings settings);
  InvoicePage pull_invoices(const PullQuery& query) override;
  std::optional<InvoiceRecord> pull_invoice(const std::string& external_id) override;
  PushResult push_payment(const PaymentPush& payment) override;
  PushResult cancel_payment(const PaymentCancel& cancel) override;
  PushResult push_note(const NotePush& note) override;

 private:
  struct Answer {
    long status = 0;
    boost::json::value body;
    std::string etag;
  };
  // One API call with a valid token (renewed once on a 401); 2xx answers only, the rest thrown.
  Answer api(const std::string& method, const std::string& target, const std::string& body, const std::string& what,
             const std::vector<std::string>& extra_headers = {});
  void renew_token();
  // The journal line and the posted entry carrying `key`, if any.
  std::optional<boost::json::object> journal_line(const std::string& key);
  std::optional<std::string> posted_entry(const std::string& key);
  void post_journal();
  std::string customer_of(const std::string& invoice_id, const std::string& invoice_number);

  BusinessCentralSettings settings_;
  HttpClient http_;
  std::string token_;
  std::chrono::steady_clock::time_point token_expires_{};
};

}  // namespace arcd::connectors
