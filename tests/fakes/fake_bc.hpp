#pragma once
// A fake Business Central (API v2.0) as the fixtures in shared/fixtures/erp/bc show it: an
// Entra-style token endpoint (client credentials), bearer tokens that can expire, salesInvoices
// with $filter (eq, ge, gt joined by "and"), $orderby and server-driven paging
// (Prefer: odata.maxpagesize, @odata.nextLink with $skiptoken), customer payment journal lines
// (negative amounts only, ETags, If-Match on delete, 409 on a stale ETag), posting through
// journals(id)/Microsoft.NAV.post (which, as in Business Central, changes remainingAmount
// without touching lastModifiedDateTime), and generalLedgerEntries of posted payments.

#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fake_http_server.hpp"

namespace arcd::fakes {

class FakeBusinessCentral {
 public:
  static constexpr const char* kClientId = "8d2c1f3e-arcd-client";
  static constexpr const char* kClientSecret = "s3cr3t~bc";
  static constexpr const char* kCompany = "a1b2c3d4-0000-4000-8000-00000000c0c0";
  static constexpr const char* kJournal = "2f8d1c3e-5a7b-4c9d-8e1f-0a2b3c4d5e6f";

  FakeBusinessCentral();
  std::string url() const { return server_.base_url(); }
  std::string api_url() const { return url() + "/api/v2.0/companies(" + kCompany + ")"; }
  std::string token_url() const { return url() + "/tenant/oauth2/v2.0/token"; }
  FakeHttpServer& server() { return server_; }

  void add_invoice(const std::string& id, const std::string& number, const std::string& customer_number, const std::string& customer_name,
                   const std::string& email, const std::string& total, const std::string& remaining, const std::string& modified);
  void load_fixture_dataset();
  void expire_tokens();
  void set_secret(const std::string& s);
  // Someone edits a journal line in Business Central: its ETag changes.
  void touch_line(const std::string& external_document_number);

  std::string remaining_of(const std::string& invoice_id) const;
  int payments_with(const std::string& key) const;  // journal lines + posted entries
  int posted_with(const std::string& key) const;

 private:
  Response handle(const Request& r);
  Response api(const std::string& path, const Request& r);

  mutable std::mutex mutex_;
  std::string secret_ = kClientSecret;
  std::set<std::string> tokens_;
  int next_ = 1;
  std::vector<boost::json::object> invoices_, lines_, ledger_;
  FakeHttpServer server_;
};

}  // namespace arcd::fakes
