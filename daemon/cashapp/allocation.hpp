#pragma once
// How a payment is split over the invoices a rule found: exactly, oldest first, with
// differences closed within tolerance, partial payments left partly open, and overpayments
// put on account. Pure arithmetic on minor units; no cent is created or lost.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cashapp/open_items.hpp"
#include "cashapp/settings.hpp"

namespace arcd::cashapp {

struct AllocationLine {
  InvoiceId invoice;
  std::int64_t entry_minor = 0;     // in the entry's currency
  std::int64_t invoice_minor = 0;   // in the invoice's currency (equal when they share one)
  std::int64_t adjusted_minor = 0;  // closed within tolerance, invoice currency
  std::string adjust_reason;        // "bank_charges" or "small_difference"
};

struct Allocation {
  std::vector<AllocationLine> lines;
  std::int64_t on_account_minor = 0;  // an overpayment, in the entry's currency
  std::string summary;                // "paid in full", "short by EUR 2.50 within bank-charges tolerance", ...
  std::string fx;                     // how the currency was converted, when it was
};

// `payment_minor` (entry currency) over `invoices` (oldest first, one currency). Fails with
// `why` ("unknown_currency", "mixed_currencies") when it cannot be done exactly.
std::optional<Allocation> allocate(const Entry& e, std::int64_t payment_minor, const std::vector<const OpenInvoice*>& invoices,
                                   const MatchSettings& settings, std::string& why);

// Whether `difference` short of `owed` (both minor units of `c`) is within the tolerance.
bool within(const Tolerance& t, std::int64_t difference, std::int64_t owed, Currency c);

}  // namespace arcd::cashapp
