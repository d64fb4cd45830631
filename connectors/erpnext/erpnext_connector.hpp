#pragma once
// ERPNext (Frappe v14/v15 REST, `Authorization: token key:secret`): Sales Invoices and their
// customers (Customer, Bank Account) pulled through /api/resource lists; payments created and
// submitted as Payment Entry (Receive, one reference, reference_no = arcd's key) after looking
// for one with that reference_no; cancellations through frappe.client.cancel; notes as Comment.

#include <string>

#include "arcd/erp_connector.hpp"
#include "connectors/http_client.hpp"
#include "mapping/erpnext/erpnext_records.hpp"

namespace arcd::connectors {

struct ErpNextSettings {
  HttpSettings http;
  std::string api_key;
  std::string api_secret;  // a secret
  mapping::erpnext::PaymentEntrySettings payment;
};

class ErpNextConnector final : public ErpConnector {
 public:
  explicit ErpNextConnector(ErpNextSettings settings);
  InvoicePage pull_invoices(const PullQuery& query) override;
  std::optional<InvoiceRecord> pull_invoice(const std::string& external_id) override;
  std::optional<Money> open_amount(const std::string& external_id) override;
  PushResult push_payment(const PaymentPush& payment) override;
  PushResult cancel_payment(const PaymentCancel& cancel) override;
  PushResult push_note(const NotePush& note) override;

 private:
  // The body of a 2xx answer as JSON; anything else thrown as the ErpError it means.
  boost::json::value request(const std::string& method, const std::string& target, const std::string& body, const std::string& what);
  boost::json::array list(const std::string& doctype, const boost::json::array& fields, const mapping::erpnext::ListQuery& q, int limit,
                          const std::string& what);
  std::optional<std::string> find_payment(const std::string& key, bool submitted_only);
  void add_customer_details(std::vector<InvoiceRecord>& records);
  std::optional<InvoiceRecord> invoice_alone(const std::string& external_id);

  ErpNextSettings settings_;
  HttpClient http_;
};

}  // namespace arcd::connectors
