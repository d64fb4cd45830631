#pragma once
// A cash-application scenario on a real store: invoices arrive through the invoice sync,
// bank entries through the statement repositories, runs and manual actions through cashapp.
// Every run is followed by the invariant check.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "cashapp/run.hpp"
#include "cashapp/settings.hpp"
#include "test_support.hpp"

namespace arcd::test {

struct CreditSpec {
  std::string amount;               // "100.00"
  std::string currency = "EUR";
  std::string remittance;
  std::string reference;            // structured creditor reference
  std::string payer_name;
  std::string payer_account;
  std::string end_to_end_id;
  std::optional<std::string> charges;   // bank charges the bank reports
  std::string exchange_rate, source_currency, target_currency;
  std::string return_reason;
  bool reversal = false;
  bool debit = false;
  std::string batch_key;
  std::vector<std::string> referred_documents;
};

struct InvoiceSpec {
  std::string number;
  std::string customer;             // external id
  std::string amount;
  std::string payment_reference;
  std::string currency = "EUR";
  std::string customer_name;        // default: "Customer <id>"
  std::string customer_iban;
  std::string due = "2026-10-31";
  std::string open;                 // default: the amount
};

class CashStore {
 public:
  explicit CashStore(const std::string& backend);
  Store& store() { return *store_; }
  const std::string& url() const { return db_->url(); }
  ManualClock& clock() { return *clock_; }
  cashapp::MatchSettings settings;

  void invoices(const std::vector<InvoiceSpec>& specs);
  EntryId credit(const CreditSpec& spec);
  std::vector<EntryId> credits(const std::vector<CreditSpec>& specs);  // one statement
  cashapp::RunSummary run();

  Invoice invoice(const std::string& number);
  std::vector<Application> applications(EntryId entry);
  std::optional<CashException> queued(EntryId entry);
  std::int64_t open_minor(const std::string& number) { return invoice(number).amount_open.minor(); }
  CustomerId customer(const std::string& external_id);

 private:
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<ManualClock> clock_;
  int files_ = 0;
};

}  // namespace arcd::test
