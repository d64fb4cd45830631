#include "cashapp/invariant.hpp"

namespace arcd::cashapp {

std::string InvariantReport::to_string() const {
  std::string s = std::to_string(entries_checked) + " entries and " + std::to_string(invoices_checked) + " invoices checked: ";
  if (ok()) return s + "every cent accounted for";
  s += std::to_string(violations.size()) + " violations";
  for (std::size_t i = 0; i < violations.size() && i < 20; ++i) s += "\n  " + violations[i];
  return s;
}

InvariantReport check_cash_invariant(Transaction& tx, const std::vector<EntryId>* entries, const std::vector<InvoiceId>* invoices) {
  InvariantReport r;
  for (const auto& b : tx.cash().entry_balances(entries)) {
    ++r.entries_checked;
    const auto amount = b.amount.minor();
    const auto cur = b.amount.currency();
    if (b.placed < 0 || b.queued < 0 || b.placed + b.queued != amount) {
      r.violations.push_back("entry " + b.entry_id.to_string() + ": amount " + b.amount.to_display() + " but placed " +
                             Money(b.placed, cur).to_display() + " + queued " + Money(b.queued, cur).to_display());
    }
  }
  for (const auto& b : tx.cash().invoice_balances(invoices)) {
    ++r.invoices_checked;
    const std::string who = "invoice " + b.number + " (" + b.invoice_id.to_string() + ")";
    if (b.applied != b.applications_sum) {
      r.violations.push_back(who + ": applied total " + std::to_string(b.applied) + " but its applications sum to " +
                             std::to_string(b.applications_sum));
    }
    if (b.adjusted != b.adjustments_sum) {
      r.violations.push_back(who + ": adjusted total " + std::to_string(b.adjusted) + " but its adjustments sum to " +
                             std::to_string(b.adjustments_sum));
    }
    // The ERP's open amount already counts what it acknowledged (pushed).
    const std::int64_t unacknowledged = b.applied - b.pushed;
    if (b.amount_open != b.erp_open - unacknowledged - b.adjusted) {
      r.violations.push_back(who + ": open " + std::to_string(b.amount_open) + " is not ERP open " + std::to_string(b.erp_open) +
                             " - (applied " + std::to_string(b.applied) + " - pushed " + std::to_string(b.pushed) +
                             ") - adjusted " + std::to_string(b.adjusted));
    }
    if (b.applied < 0 || b.adjusted < 0 || b.pushed < 0 || unacknowledged + b.adjusted > b.erp_open) {
      r.violations.push_back(who + ": applied " + std::to_string(b.applied) + " - pushed " + std::to_string(b.pushed) +
                             " + adjusted " + std::to_string(b.adjusted) + " exceed what was open (" + std::to_string(b.erp_open) + ")");
    }
  }
  return r;
}

}  // namespace arcd::cashapp
