#include "collections/risk.hpp"

#include <algorithm>


namespace arcd::collections {

bool later_than(const RiskInputs& in, int days) { return in.paid > 0 && in.weighted_days > static_cast<int128>(days) * in.paid; }

std::string risk_class(const RiskSettings& s, const RiskInputs& in) {
  if (later_than(in, s.d_days_late) || in.broken_promises >= s.d_broken_promises || in.overdue_percent >= s.d_overdue_percent)
    return "D";
  if (later_than(in, s.c_days_late) || in.broken_promises >= s.c_broken_promises || in.overdue_percent >= s.c_overdue_percent)
    return "C";
  if (later_than(in, s.b_days_late)) return "B";
  return "A";
}

void RiskAccumulator::load_history(Transaction& tx) {
  const Date since = day_.plus_days(-s_.window_days);
  tx.dunning().for_each_payment(since, [&](CustomerId c, std::int64_t amount, int days_late) {
    if (amount <= 0) return;
    auto& a = acc_[c.value()];
    a.paid += amount;
    a.weighted_days += static_cast<int128>(amount) * std::max(0, days_late);
  });
  for (const auto& [c, n] : tx.dunning().broken_promises(since)) acc_[c.value()].broken = n;
}

void RiskAccumulator::load_open(Transaction& tx) {
  for (const auto& [c, open, overdue] : tx.dunning().open_balances(day_)) {
    auto& a = acc_[c.value()];
    a.open = open;
    a.overdue = overdue;
  }
}

RiskInputs RiskAccumulator::inputs(CustomerId c) const {
  RiskInputs in;
  auto it = acc_.find(c.value());
  if (it == acc_.end()) return in;
  const Acc& a = it->second;
  in.weighted_days = a.weighted_days;
  in.paid = a.paid;
  in.broken_promises = a.broken;
  if (a.open > 0) in.overdue_percent = static_cast<int>(static_cast<int128>(a.overdue) * 100 / a.open);
  return in;
}

std::int64_t RiskAccumulator::store(Transaction& tx, const std::vector<Customer>& customers, bool recheck) const {
  std::int64_t changed = 0;
  for (const auto& c : customers) {
    const std::string cls = risk_class(s_, inputs(c.id));
    if (cls == c.risk_class) continue;
    tx.customers().set_risk_class(c.id, cls, day_, recheck);
    ++changed;
  }
  return changed;
}

}  // namespace arcd::collections
