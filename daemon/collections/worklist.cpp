#include "collections/worklist.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "collections/pauses.hpp"
#include "collections/stage_plan.hpp"

namespace arcd::collections {

std::vector<WorklistItem> worklist(Transaction& tx, const CollectionsSettings& s, Date day, const std::optional<std::string>& collector,
                                   int limit) {
  std::vector<Customer> customers;
  tx.cash().for_each_customer([&](const Customer& c) {
    if (!collector || s.collector_of(c) == *collector) customers.push_back(c);
  });
  std::sort(customers.begin(), customers.end(), [](const Customer& a, const Customer& b) { return a.id < b.id; });
  const Pauses pauses = Pauses::load(tx, day);
  std::map<std::int64_t, std::int64_t> broken;
  for (const auto& [c, n] : tx.dunning().broken_promises(day.plus_days(-s.risk.window_days))) broken[c.value()] = n;
  std::map<std::int64_t, std::vector<Task>> tasks;
  for (auto& t : tx.activities().open_tasks(std::nullopt)) tasks[t.customer_id.value()].push_back(std::move(t));

  std::vector<WorklistItem> out;
  for (std::size_t start = 0; start < customers.size(); start += 1000) {
    const std::size_t end = std::min(customers.size(), start + 1000);
    const auto invoices = tx.dunning().dunnable(customers[start].id, customers[end - 1].id);
    std::size_t next = 0;
    for (std::size_t ci = start; ci < end; ++ci) {
      const Customer& c = customers[ci];
      WorklistItem item;
      item.customer = c;
      item.collector = s.collector_of(c);
      std::map<std::string, std::int64_t> overdue;
      std::int64_t overdue_major = 0;  // whole major units, summed over currencies: only the score's scale
      std::optional<std::pair<Date, std::string>> next_stage;
      for (; next < invoices.size() && invoices[next].invoice.customer_id < c.id; ++next) {
      }
      for (; next < invoices.size() && invoices[next].invoice.customer_id == c.id; ++next) {
        const auto& d = invoices[next];
        if (pauses.of(d.invoice) != PauseReason::none) continue;
        const int late = days_overdue(d.invoice, day);
        if (late > 0) {
          overdue[std::string(d.invoice.amount_open.currency().code())] += d.invoice.amount_open.minor();
          overdue_major += d.invoice.amount_open.minor() / d.invoice.amount_open.currency().minor_per_major();
          item.oldest_days_overdue = std::max(item.oldest_days_overdue, late);
        }
        if (const Policy* p = s.policies.policy_for(c, d.invoice)) {
          const int idx = d.dunning_policy == p->name ? d.stage_index + 1 : std::max(0, p->index_of(d.stage) + 1);
          if (idx < static_cast<int>(p->stages.size())) {
            const Date when = d.invoice.due_date.plus_days(p->stages[idx].offset_days);
            if (!next_stage || when < next_stage->first) next_stage = std::make_pair(when, p->stages[idx].name + " for " + d.invoice.number);
          }
        }
      }
      const auto& open_tasks = tasks[c.id.value()];
      item.open_tasks = static_cast<int>(open_tasks.size());
      if (overdue.empty() && open_tasks.empty()) continue;
      item.broken_promises = broken[c.id.value()];
      // The score is not money: a logarithm of the amount's size, floating point on purpose.
      const int amount_points = static_cast<int>(std::min(40.0, 40.0 * std::log10(1.0 + static_cast<double>(overdue_major)) / 6.0));
      const int day_points = std::min(25, 25 * item.oldest_days_overdue / 90);
      const int promise_points = static_cast<int>(std::min<std::int64_t>(15, 5 * item.broken_promises));
      const int risk_points = c.risk_class == "D" ? 10 : c.risk_class == "C" ? 7 : c.risk_class == "B" ? 3 : 0;
      const auto tier = s.tier_points.find(c.tier);
      const int tier_points = tier == s.tier_points.end() ? 0 : std::min(10, tier->second);
      item.score = amount_points + day_points + promise_points + risk_points + tier_points;
      for (const auto& [cur, minor] : overdue) {
        item.overdue.emplace_back(minor, Currency::of(cur));
        item.reasons.push_back(Money(minor, Currency::of(cur)).to_display() + " overdue");
      }
      if (item.oldest_days_overdue > 0) item.reasons.push_back("oldest invoice " + std::to_string(item.oldest_days_overdue) + " days overdue");
      if (item.broken_promises > 0) item.reasons.push_back(std::to_string(item.broken_promises) + " broken promise(s)");
      if (!c.risk_class.empty() && c.risk_class != "A") item.reasons.push_back("risk class " + c.risk_class);
      if (tier_points > 0) item.reasons.push_back("tier " + c.tier);
      if (!open_tasks.empty()) {
        const Task& t = open_tasks.front();
        item.next_action = "task " + t.id.to_string() + " (" + t.kind + (t.due ? ", due " + t.due->to_string() : "") + "): " + t.title;
      } else if (next_stage) {
        item.next_action = "stage " + next_stage->second + " on " + next_stage->first.to_string();
      } else {
        item.next_action = "no stage left: review the account";
      }
      out.push_back(std::move(item));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const WorklistItem& a, const WorklistItem& b) { return a.score > b.score; });
  if (limit > 0 && out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  return out;
}

}  // namespace arcd::collections
