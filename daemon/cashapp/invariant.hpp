#pragma once
// The cash invariant, recomputed from the records themselves:
// - every booked credit entry cash application has seen: placed (applied, on account, not a
//   customer payment, net of unapplies) + queued = its amount, to the cent, neither negative;
// - every invoice: its applied and adjusted totals equal the sums of its applications and
//   adjustments, open = what the ERP said was open - applied - adjusted, and nothing took it
//   below zero.

#include <cstdint>
#include <string>
#include <vector>

#include "arcd/store.hpp"

namespace arcd::cashapp {

struct InvariantReport {
  std::int64_t entries_checked = 0;
  std::int64_t invoices_checked = 0;
  std::vector<std::string> violations;  // one line each, naming the entry or invoice
  bool ok() const { return violations.empty(); }
  std::string to_string() const;
};

// Everything, or (after a run) only the entries and invoices it touched.
InvariantReport check_cash_invariant(Transaction& tx, const std::vector<EntryId>* entries = nullptr,
                                     const std::vector<InvoiceId>* invoices = nullptr);

}  // namespace arcd::cashapp
