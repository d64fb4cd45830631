#pragma once
// A fake ERPNext that speaks Frappe's v1 REST API as the fixtures in
// shared/fixtures/erp/erpnext show it: token auth (401 {"exc_type": "AuthenticationError"}),
// /api/resource/<doctype> lists with fields, filters, or_filters, order_by, limit_start and
// limit_page_length (default 20, no total, no next link), single documents under "data",
// Payment Entry insert-and-submit with ERPNext's validations (417 with a double-encoded
// _server_messages), Comment, frappe.client.cancel and get_count.

#include <boost/json.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "fake_http_server.hpp"

namespace arcd::fakes {

class FakeErpNext {
 public:
  static constexpr const char* kKey = "a1b2c3d4e5f6a7b";
  static constexpr const char* kSecret = "9f8e7d6c5b4a3f2";

  FakeErpNext();
  std::string url() const { return server_.base_url(); }
  FakeHttpServer& server() { return server_; }

  void add_customer(const std::string& name, const std::string& email, const std::string& iban = "");
  // An open, submitted invoice: name, customer, dates, total and outstanding as decimals.
  void add_invoice(const std::string& name, const std::string& customer, const std::string& posting, const std::string& due,
                   const std::string& total, const std::string& outstanding, const std::string& modified);
  void load_fixture_dataset();
  void set_now(const std::string& modified) { std::lock_guard l(mutex_); now_ = modified; }
  void set_secret(const std::string& s) { std::lock_guard l(mutex_); secret_ = s; }

  std::string outstanding_of(const std::string& invoice) const;
  // Submitted Payment Entries with this reference_no.
  int submitted_payments_with(const std::string& reference_no) const;
  std::vector<std::string> comments_on(const std::string& invoice) const;

 private:
  Response handle(const Request& r);
  Response list(const std::string& doctype, const Request& r);
  Response insert_payment(const boost::json::object& body);
  std::vector<boost::json::object>* table(const std::string& doctype);

  mutable std::mutex mutex_;
  std::string secret_ = kSecret;
  std::string now_ = "2024-05-10 12:00:00.000000";
  int next_ = 12;
  std::vector<boost::json::object> invoices_, customers_, banks_, payments_, comments_;
  FakeHttpServer server_;
};

}  // namespace arcd::fakes
