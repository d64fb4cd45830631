#include "collections/policy.hpp"

#include <algorithm>
#include <array>

namespace arcd::collections {
namespace {

constexpr std::array<std::pair<ActionKind, std::string_view>, 6> kActionKinds{{{ActionKind::email, "email"},
                                                                               {ActionKind::task, "task"},
                                                                               {ActionKind::escalate, "escalate"},
                                                                               {ActionKind::credit_hold, "credit_hold"},
                                                                               {ActionKind::agency, "agency"},
                                                                               {ActionKind::writeoff_proposal, "writeoff_proposal"}}};

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::string_view to_string(ActionKind k) noexcept {
  for (const auto& [kind, name] : kActionKinds)
    if (kind == k) return name;
  return "?";
}

std::optional<ActionKind> parse_action_kind(std::string_view s) noexcept {
  for (const auto& [kind, name] : kActionKinds)
    if (name == s) return kind;
  return std::nullopt;
}

int Policy::index_of(const std::string& stage) const {
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (stages[i].name == stage) return static_cast<int>(i);
  return -1;
}

const Policy* PolicySet::policy_for(const Customer& c, const Invoice& i) const {
  auto named = [&](const std::string& name) -> const Policy* {
    auto it = policies.find(name);
    return it == policies.end() ? nullptr : &it->second;
  };
  if (!i.collection_policy.empty()) return named(i.collection_policy);
  if (!c.collection_policy.empty()) return named(c.collection_policy);
  const std::string currency(i.amount_open.currency().code());
  for (const auto& a : assignments) {
    // An explicit customer list names customers; the other lists describe a segment.
    if (!a.customers.empty() && !listed(a.customers, c.external_id)) continue;
    if (listed(a.tiers, c.tier) && listed(a.entities, c.source) && listed(a.currencies, currency) &&
        listed(a.risk_classes, c.risk_class))
      return named(a.policy);
  }
  return named(default_policy);
}

bool PolicySet::uses_risk_classes() const {
  for (const auto& a : assignments)
    if (!a.risk_classes.empty()) return true;
  for (const auto& [name, p] : policies)
    for (const auto& s : p.stages)
      if (!s.when.risk_classes.empty()) return true;
  return false;
}

int PolicySet::max_lead_days() const {
  int lead = 0;
  for (const auto& [name, p] : policies)
    for (const auto& s : p.stages) lead = std::max(lead, -s.offset_days);
  return lead;
}

}  // namespace arcd::collections
