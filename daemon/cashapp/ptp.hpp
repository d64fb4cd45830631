#pragma once
// Promise-to-pay fulfilment: every application (and unapplication) updates the promises it
// serves; a promise whose date plus grace has passed with a shortfall is broken (nothing
// paid) or partially kept, which gives the collector a task and the customer's history an
// entry.

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "arcd/error.hpp"
#include "arcd/store.hpp"

namespace arcd::cashapp {

class PtpTracker {
 public:
  PtpTracker(Transaction& tx, Date today, Actor actor);
  // `amount` (invoice currency) applied to `invoice` of `customer`; negative when unapplied.
  void on_applied(CustomerId customer, InvoiceId invoice, const Money& amount, std::optional<ApplicationId> application);

 private:
  std::vector<Ptp>& open_of(CustomerId customer);
  void change(Ptp& p, PtpState state, std::optional<ApplicationId> application, const std::string& note);

  Transaction& tx_;
  Date today_;
  Actor actor_;
  std::unordered_map<std::int64_t, std::vector<Ptp>> open_;  // per customer with promises, loaded on first use
  std::optional<std::unordered_set<std::int64_t>> with_promises_;  // customers that have any, read once
  std::vector<Ptp> none_;                                     // what every other customer has: stays empty
};

struct PtpRequest {
  CustomerId customer;
  std::vector<InvoiceId> invoices;  // empty: the whole overdue balance
  Money amount = Money::unset();
  Date promised_date;
  std::string channel;              // call, email, portal, letter, ...
  int grace_days = 3;
};

// A request from what a person types: the customer by external id (or "#<id>"), invoices by
// number (of that customer), the amount and currency and date as text. Problem codes:
// NOT_FOUND, PTP_INVALID.
Result<PtpRequest> ptp_request(Transaction& tx, const std::string& customer, const std::vector<std::string>& invoice_numbers,
                               const std::string& amount, const std::string& currency, const std::string& promised_date,
                               const std::string& channel, int grace_days);

// Validates (positive amount, invoices of that customer in the promise's currency, a date not
// in the past) and records the promise with an activity. Problem codes: PTP_INVALID, NOT_FOUND.
Result<PtpId> add_ptp(Transaction& tx, const PtpRequest& request, Date today, const Actor& actor);
Result<bool> cancel_ptp(Transaction& tx, PtpId id, const std::string& reason, const Actor& actor);

// Open promises whose date plus grace is before `today`: broken or partially kept. Returns
// how many changed.
int expire_ptps(Transaction& tx, Date today, const Actor& actor);

struct PtpKeptRate {
  std::int64_t kept = 0, partially_kept = 0, broken = 0, open = 0, cancelled = 0;
  // kept / (kept + partially kept + broken), in percent with one decimal as text; "" when none decided.
  std::string rate() const;
};
PtpKeptRate ptp_kept_rate(Transaction& tx, std::optional<CustomerId> customer);

}  // namespace arcd::cashapp
