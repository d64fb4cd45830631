#pragma once
// A fake Odoo that speaks its external API as the fixtures in shared/fixtures/erp/odoo show
// it: JSON-RPC at /jsonrpc (common.version, common.authenticate, object.execute_kw, errors as
// HTTP 200 with an error member, None as a missing result) and, when the version is 19, JSON-2
// at /json/2/<model>/<method> (bearer key, named arguments, bare results, 401 error bodies).
// It keeps invoices, partners, bank accounts, payments, wizards and chatter messages, and
// evaluates the domains, orders, offsets and limits arcd sends.

#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <string>

#include "fake_http_server.hpp"

namespace arcd::fakes {

struct FakeOdooInvoice {
  std::int64_t id = 0;
  std::string name;
  std::int64_t partner_id = 0;
  std::string invoice_date, invoice_date_due;
  std::string amount_total, amount_residual;  // decimals, sent as floats
  std::string currency = "EUR";
  std::string payment_reference;
  std::string state = "posted";
  std::string write_date;                     // "YYYY-MM-DD HH:MM:SS"
};

struct FakeOdooPayment {
  std::int64_t id = 0;
  std::string memo;
  std::int64_t invoice_id = 0;
  std::int64_t amount_cents = 0;
  std::string state = "posted";  // posted, draft, cancel
};

class FakeOdoo {
 public:
  static constexpr const char* kDatabase = "arcd_demo";
  static constexpr const char* kLogin = "arcd-bot";
  static constexpr const char* kApiKey = "7c1f3e0a9b8d4c2e6f5a1b3c9d7e8f0a1b2c3d4e";
  static constexpr std::int64_t kUid = 6;

  explicit FakeOdoo(int version = 17);
  std::string url() const { return server_.base_url(); }
  FakeHttpServer& server() { return server_; }

  void add_partner(std::int64_t id, const std::string& name, const std::string& email, const std::string& iban = "");
  void add_invoice(const FakeOdooInvoice& inv);
  // The fixture dataset: Deco Addict's INV/2024/00007 (650.00 of 1150.00 open) and Gemini
  // Furniture's INV/2024/00008 (2300.00).
  void load_fixture_dataset();
  // The fake's clock for write_date: every change made after this is stamped with it.
  void set_now(const std::string& write_date);
  // The next execute_kw answers "session expired" (code 100), as a restarted server does.
  void expire_session() { expire_next_ = true; }
  void set_api_key(const std::string& key);

  std::vector<FakeOdooPayment> payments() const;
  std::vector<std::string> messages_on(std::int64_t invoice) const;
  std::string residual_of(std::int64_t invoice) const;
  std::string payment_state_of(std::int64_t invoice) const;
  int authentications() const { return authentications_; }

 private:
  Response handle(const Request& r);
  boost::json::value execute(const std::string& model, const std::string& method, boost::json::array args,
                             boost::json::object kwargs);
  boost::json::value invoice_row(const FakeOdooInvoice& inv) const;
  boost::json::array search_read(const std::string& model, const boost::json::array& domain, const boost::json::object& kw) const;
  // Rows of a model (a reference to a cache: valid until the next call under the lock).
  const std::vector<boost::json::object>& rows_of(const std::string& model) const;
  mutable std::vector<boost::json::object> scratch_;

  FakeOdooInvoice* invoice(std::int64_t id);
  void changed() { rows_valid_ = false; }
  // One invoice changed: its cached row is rebuilt, not the whole table.
  void changed(const FakeOdooInvoice& i);

  mutable std::mutex mutex_;
  // account.move rows as JSON, rebuilt only after a change (100 000 invoices in the benchmark).
  mutable std::vector<boost::json::object> invoice_rows_;
  mutable bool rows_valid_ = false;
  std::map<std::int64_t, std::size_t> invoice_index_;
  std::multimap<std::string, std::size_t> payments_by_memo_;
  int version_;
  std::string api_key_ = kApiKey;
  std::string now_ = "2024-05-10 10:00:00";
  bool expire_next_ = false;
  int authentications_ = 0;
  std::vector<std::pair<std::int64_t, boost::json::object>> partners_;  // id, {name, email}
  std::vector<std::pair<std::int64_t, std::string>> banks_;              // partner id, acc_number
  std::vector<FakeOdooInvoice> invoices_;
  std::vector<FakeOdooPayment> payments_;
  std::vector<std::pair<std::int64_t, boost::json::object>> wizards_;    // id, {amount, communication, invoice}
  std::vector<std::tuple<std::int64_t, std::int64_t, std::string>> messages_;  // id, res_id, body
  std::int64_t next_id_ = 100;
  FakeHttpServer server_;
};

// Helpers the fakes share: Odoo-style domain evaluation and ordering over JSON rows.
bool domain_matches(const boost::json::object& row, const boost::json::array& domain);
void order_rows(std::vector<const boost::json::object*>& rows, const std::string& order);
std::int64_t cents_of(const std::string& decimal);
std::string decimal_of(std::int64_t cents);

}  // namespace arcd::fakes
