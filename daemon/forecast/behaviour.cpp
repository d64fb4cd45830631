#include "forecast/behaviour.hpp"

namespace arcd::forecast {

void Behaviour::Weighted::add(std::int64_t minor, int days) {
  weighted += static_cast<int128>(minor) * days;
  amount += minor;
  ++payments;
}

void Behaviour::add(std::int64_t customer, const std::string& tier, std::int64_t minor, int days_late) {
  if (minor <= 0) return;
  by_customer_[customer].add(minor, days_late);
  by_tier_[tier].add(minor, days_late);
}

Behaviour::Assumed Behaviour::assumed(std::int64_t customer, const std::string& tier) const {
  if (auto c = by_customer_.find(customer); c != by_customer_.end() && c->second.payments >= min_payments_) return {c->second.days(), true};
  if (auto t = by_tier_.find(tier); t != by_tier_.end() && t->second.payments >= min_payments_) return {t->second.days(), true};
  return {fallback_days_, false};
}

}  // namespace arcd::forecast
