#pragma once
// Odoo 16-19 through its external API: JSON-RPC (/jsonrpc, common.authenticate then
// object.execute_kw with an API key) or, for Odoo 19, JSON-2 (/json/2/<model>/<method> with
// a bearer key). Invoices from account.move, customers from res.partner and res.partner.bank;
// payments through the account.payment.register wizard with arcd's key as the memo;
// cancellations by drafting and cancelling that payment; notes with message_post.

#include <memory>
#include <string>

#include "arcd/erp_connector.hpp"
#include "connectors/http_client.hpp"
#include "mapping/odoo/odoo_wire.hpp"

namespace arcd::connectors {

struct OdooSettings {
  HttpSettings http;
  std::string protocol = "jsonrpc";  // jsonrpc | json2
  std::string database;
  std::string login;                 // the bot user (JSON-RPC)
  std::string api_key;               // a secret
  std::int64_t journal_id = 0;       // the bank journal payments go to; 0: Odoo's default
  int version = 0;                   // major version; 0: asked from the server (JSON-2 means 19)
};

class OdooConnector final : public ErpConnector {
 public:
  explicit OdooConnector(OdooSettings settings);
  InvoicePage pull_invoices(const PullQuery& query) override;
  std::optional<InvoiceRecord> pull_invoice(const std::string& external_id) override;
  std::optional<Money> open_amount(const std::string& external_id) override;
  PushResult push_payment(const PaymentPush& payment) override;
  PushResult cancel_payment(const PaymentCancel& cancel) override;
  PushResult push_note(const NotePush& note) override;

 private:
  // Runs one ORM call; logs in first when needed and once more when Odoo says the session
  // expired or the credentials were refused (a rotated key, a restarted server).
  boost::json::value call(const mapping::odoo::Call& c);
  boost::json::value send_once(const mapping::odoo::Call& c);
  void login();
  boost::json::value rpc(const std::string& body, const std::string& what, bool repeatable);
  std::optional<std::int64_t> find_payment(const std::string& key);
  void add_customer_details(std::vector<InvoiceRecord>& records);
  std::optional<InvoiceRecord> invoice_alone(const std::string& external_id);

  OdooSettings settings_;
  HttpClient http_;
  std::int64_t uid_ = 0;
  int version_ = 0;
  int next_id_ = 1;
};

}  // namespace arcd::connectors
