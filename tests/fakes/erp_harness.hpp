#pragma once
// One fake ERP and a connector pointed at it, behind one interface, so the conformance suite
// runs the same cases against every connector.

#include <memory>
#include <string>
#include <vector>

#include "arcd/erp_connector.hpp"
#include "fake_http_server.hpp"

namespace arcd::fakes {

class ErpHarness {
 public:
  virtual ~ErpHarness() = default;
  virtual std::string name() const = 0;
  virtual std::unique_ptr<ErpConnector> connector() = 0;
  virtual FakeHttpServer& server() = 0;
  // The fixture dataset: Deco Addict's invoice (650.00 of 1150.00 open), Gemini Furniture's (2300.00).
  virtual void load_fixture_dataset() = 0;
  // `count` open invoices for Deco Addict, all modified at `modified` (the ERP's format);
  // returns their ERP ids.
  virtual std::vector<std::string> add_invoices(int count, const std::string& modified) = 0;
  // A stamp in the ERP's format, `seconds` after the dataset's latest modification.
  virtual std::string stamp(int seconds) const = 0;
  virtual void set_now(int seconds) = 0;  // changes from now on carry stamp(seconds)
  // The fixture invoices' ERP ids and numbers.
  virtual std::string deco_invoice_id() const = 0;
  virtual std::string deco_invoice_number() const = 0;
  virtual std::string deco_customer_id() const = 0;
  virtual std::string residual(const std::string& invoice_id) const = 0;  // "650.00"
  virtual int live_payments_with(const std::string& key) const = 0;
  virtual std::vector<std::string> notes_on(const std::string& invoice_id) const = 0;
  // A text only the request that creates a payment carries (to aim faults at it).
  virtual std::string payment_create_marker() const = 0;
  virtual void expire_session() = 0;   // the next call meets an expired session or token
  virtual void break_credentials() = 0;
  // What the ERP's API cannot do, or does differently (Business Central).
  virtual bool has_notes() const { return true; }
  virtual bool cancels_posted_payments() const { return true; }
  virtual bool payment_moves_modification_stamp() const { return true; }
  virtual bool refuses_overpayment() const { return true; }
};

std::unique_ptr<ErpHarness> make_odoo_harness(int version, const std::string& protocol);
std::unique_ptr<ErpHarness> make_erpnext_harness();
std::unique_ptr<ErpHarness> make_rest_erpnext_harness();
std::unique_ptr<ErpHarness> make_business_central_harness();

}  // namespace arcd::fakes
