#include "cashapp/allocation.hpp"

#include "arcd/money.hpp"
#include "arcd/wide_int.hpp"
#include "cashapp/fx.hpp"

namespace arcd::cashapp {

bool within(const Tolerance& t, std::int64_t difference, std::int64_t owed, Currency c) {
  const std::int64_t absolute = major_text_to_minor(t.absolute, c);
  const std::int64_t basis_points = percent_to_basis_points(t.percent);
  if (absolute == 0 && basis_points == 0) return false;
  if (absolute > 0 && difference > absolute) return false;
  if (basis_points > 0 && static_cast<int128>(difference) * 10000 > static_cast<int128>(owed) * basis_points) return false;
  return true;
}

namespace {

// Invoice-currency amounts back in the entry's currency, summing exactly to `entry_total`.
std::vector<std::int64_t> back_to_entry_currency(const std::vector<std::int64_t>& invoice_amounts, std::int64_t invoice_total,
                                                 std::int64_t entry_total) {
  std::vector<std::int64_t> out;
  std::int64_t given = 0;
  std::size_t last = 0;  // the last line that gets anything takes the rounding
  for (std::size_t i = 0; i < invoice_amounts.size(); ++i) {
    if (invoice_amounts[i] > 0) last = i;
  }
  for (std::size_t i = 0; i < invoice_amounts.size(); ++i) {
    std::int64_t v;
    if (i == last) {
      v = entry_total - given;
    } else {
      v = invoice_total == 0 ? 0
                             : static_cast<std::int64_t>(static_cast<int128>(invoice_amounts[i]) * entry_total / invoice_total);
    }
    out.push_back(v);
    given += v;
  }
  // Lines after `last` got nothing in the invoice currency and get nothing here either.
  return out;
}

}  // namespace

std::optional<Allocation> allocate(const Entry& e, std::int64_t payment_minor, const std::vector<const OpenInvoice*>& invoices,
                                   const MatchSettings& settings, std::string& why) {
  if (invoices.empty() || payment_minor <= 0) {
    why = "no_candidate";
    return std::nullopt;
  }
  const Currency currency = invoices.front()->currency;
  for (const auto* i : invoices) {
    if (!(i->currency == currency)) {
      why = "mixed_currencies";
      return std::nullopt;
    }
  }
  Allocation a;
  const auto paid = payment_in(e, payment_minor, currency, settings, a.fx);
  if (!paid || *paid <= 0) {
    why = "unknown_currency";
    return std::nullopt;
  }
  std::int64_t owed = 0;
  for (const auto* i : invoices) owed += i->open;

  std::vector<std::int64_t> applied;
  std::int64_t left = *paid;
  for (const auto* i : invoices) {
    const std::int64_t x = std::min(left, i->open);
    applied.push_back(x);
    left -= x;
  }
  const std::int64_t applied_total = *paid - left;  // in the invoice currency
  const std::int64_t short_by = owed - applied_total;

  std::string adjust_reason;
  if (short_by > 0) {
    const bool charges = e.details.charges.has_value();
    if (charges && within(settings.bank_charges, short_by, owed, currency)) adjust_reason = "bank_charges";
    else if (within(settings.small_difference, short_by, owed, currency)) adjust_reason = "small_difference";
  }

  // The entry-currency side: the applied part and the overpayment share the payment exactly.
  std::int64_t entry_for_invoices = payment_minor;
  if (left > 0) {
    entry_for_invoices = static_cast<std::int64_t>(static_cast<int128>(payment_minor) * applied_total / *paid);
    a.on_account_minor = payment_minor - entry_for_invoices;
  }
  const auto entry_amounts = back_to_entry_currency(applied, applied_total, entry_for_invoices);
  for (std::size_t k = 0; k < invoices.size(); ++k) {
    AllocationLine line;
    line.invoice = invoices[k]->id;
    line.invoice_minor = applied[k];
    line.entry_minor = entry_amounts[k];
    if (!adjust_reason.empty()) {
      line.adjusted_minor = invoices[k]->open - applied[k];
      line.adjust_reason = adjust_reason;
    }
    if (line.invoice_minor > 0 || line.adjusted_minor > 0) a.lines.push_back(line);
  }
  if (left > 0) {
    a.summary = "overpaid by " + Money(left, currency).to_display() + ": the rest on account";
  } else if (short_by == 0) {
    a.summary = invoices.size() == 1 ? "paid in full" : std::to_string(invoices.size()) + " invoices paid in full";
  } else if (!adjust_reason.empty()) {
    a.summary = "short by " + Money(short_by, currency).to_display() + ", closed within the " +
                (adjust_reason == "bank_charges" ? std::string("bank-charges") : std::string("small-difference")) + " tolerance";
  } else {
    a.summary = "partial payment: " + Money(short_by, currency).to_display() + " left open";
  }
  return a;
}

}  // namespace arcd::cashapp
