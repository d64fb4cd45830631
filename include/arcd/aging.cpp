#include "arcd/aging.hpp"

namespace arcd {

std::string_view to_string(AgingBucket b) noexcept {
  constexpr std::string_view names[] = {"not_due", "0-30", "31-60", "61-90", "91-120", "120+"};
  return names[static_cast<std::size_t>(b)];
}

AgingBucket aging_bucket(Date due, Date as_of) noexcept {
  const int overdue = days_between(due, as_of);
  if (overdue <= 0) return AgingBucket::not_due;  // due today is not yet late
  if (overdue <= 30) return AgingBucket::d0_30;
  if (overdue <= 60) return AgingBucket::d31_60;
  if (overdue <= 90) return AgingBucket::d61_90;
  if (overdue <= 120) return AgingBucket::d91_120;
  return AgingBucket::over_120;
}

CurrencyAging::CurrencyAging(Currency c)
    : open_total(Money::zero(c)),
      overdue_total(Money::zero(c)),
      buckets{Money::zero(c), Money::zero(c), Money::zero(c), Money::zero(c), Money::zero(c), Money::zero(c)} {}

std::map<std::string, CurrencyAging, std::less<>> age_invoices(std::span<const Invoice> invoices, Date as_of) {
  std::map<std::string, CurrencyAging, std::less<>> out;
  for (const auto& inv : invoices) {
    if (inv.status != InvoiceStatus::open) continue;
    const Currency c = inv.amount_open.currency();
    auto it = out.find(c.code());
    if (it == out.end()) it = out.emplace(std::string(c.code()), CurrencyAging(c)).first;
    auto& a = it->second;
    const AgingBucket bucket = aging_bucket(inv.due_date, as_of);
    a.open_total += inv.amount_open;
    if (bucket != AgingBucket::not_due) a.overdue_total += inv.amount_open;
    a.buckets[static_cast<std::size_t>(bucket)] += inv.amount_open;
  }
  return out;
}

}  // namespace arcd
