#include "collections/pauses.hpp"

namespace arcd::collections {

std::string_view to_string(PauseReason r) noexcept {
  switch (r) {
    case PauseReason::none: return "none";
    case PauseReason::dispute: return "dispute";
    case PauseReason::ptp: return "ptp";
    case PauseReason::hold: return "hold";
  }
  return "?";
}

Pauses Pauses::load(Transaction& tx, Date day) {
  Pauses p;
  for (auto id : tx.disputes().open_invoice_ids()) p.disputed_.insert(id.value());
  for (Page page{0, 1000};;) {
    auto promises = tx.ptps().list(std::nullopt, PtpState::open, page);
    for (const auto& ptp : promises) {
      if (day > ptp.promised_date.plus_days(ptp.grace_days)) continue;  // lapsed: the next expiry marks it broken
      if (ptp.invoices.empty()) p.promised_customers_.insert(ptp.customer_id.value());
      for (auto i : ptp.invoices) p.promised_invoices_.insert(i.value());
    }
    if (promises.size() < static_cast<std::size_t>(page.limit)) break;
    page.after_id = promises.back().id.value();
  }
  for (const auto& h : tx.holds().unended(std::nullopt)) {
    if (day < h.starts_on || day > h.until) continue;
    if (h.invoice_id) p.held_invoices_.insert(h.invoice_id->value());
    else p.held_customers_.insert(h.customer_id.value());
  }
  return p;
}

PauseReason Pauses::of(const Invoice& i) const {
  if (disputed_.count(i.id.value())) return PauseReason::dispute;
  if (promised_invoices_.count(i.id.value()) || promised_customers_.count(i.customer_id.value())) return PauseReason::ptp;
  if (held_invoices_.count(i.id.value()) || held_customers_.count(i.customer_id.value())) return PauseReason::hold;
  return PauseReason::none;
}

}  // namespace arcd::collections
