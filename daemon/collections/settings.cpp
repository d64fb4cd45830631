#include "collections/settings.hpp"

#include <algorithm>

namespace arcd::collections {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string CollectionsSettings::collector_of(const Customer& c) const {
  if (!c.collector.empty()) return c.collector;
  for (const auto& r : collectors) {
    if (listed(r.tiers, c.tier) && listed(r.entities, c.source) && listed(r.risk_classes, c.risk_class) &&
        listed(r.customers, c.external_id))
      return r.collector;
  }
  return default_collector;
}

}  // namespace arcd::collections
