#pragma once
// The generic REST/JSON connector: any ERP or middleware described by a mapping file
// (mapping/rest/rest_mapping.hpp, config/mappings/*.toml). Template variables are the
// connector's `params` (secrets among them) plus, per call, the cursor, paging and the event's
// fields. Like every connector it looks for arcd's key before it creates anything.

#include <map>
#include <string>

#include "arcd/erp_connector.hpp"
#include "connectors/http_client.hpp"
#include "mapping/rest/rest_mapping.hpp"

namespace arcd::connectors {

struct RestSettings {
  HttpSettings http;
  mapping::rest::RestMapping mapping;
  std::map<std::string, std::string> params;  // values for the templates; secrets included, never logged
};

class RestConnector final : public ErpConnector {
 public:
  explicit RestConnector(RestSettings settings);
  InvoicePage pull_invoices(const PullQuery& query) override;
  std::optional<InvoiceRecord> pull_invoice(const std::string& external_id) override;
  PushResult push_payment(const PaymentPush& payment) override;
  PushResult cancel_payment(const PaymentCancel& cancel) override;
  PushResult push_note(const NotePush& note) override;

 private:
  using Vars = std::map<std::string, std::string>;
  boost::json::value call(const mapping::rest::RequestTemplate& t, const Vars& vars, const std::string& what,
                          const std::string& absolute_url = "");
  // The records of an answer (the `records` path), which must be a list.
  const boost::json::array& records_of(const boost::json::value& answer, const mapping::rest::RequestTemplate& t, const std::string& what);
  std::optional<std::string> find(const mapping::rest::RequestTemplate& lookup, const Vars& vars, const std::string& what);
  std::string created_id(const boost::json::value& answer, const mapping::rest::RequestTemplate& t, const std::string& what);
  void add_customer_details(std::vector<InvoiceRecord>& records);
  Vars vars() const { return settings_.params; }

  RestSettings settings_;
  HttpClient http_;
};

}  // namespace arcd::connectors
