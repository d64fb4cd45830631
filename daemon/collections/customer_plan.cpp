#include "collections/customer_plan.hpp"

#include "collections/stage_plan.hpp"

namespace arcd::collections {

CustomerPlan plan_customer(const PolicySet& policies, const Customer& c, const std::vector<const DunnableInvoice*>& invoices, Date day,
                           const Pauses& pauses, bool cash_stale, RunReport& counters) {
  CustomerPlan plan;
  const int open_count = static_cast<int>(invoices.size());
  for (const DunnableInvoice* d : invoices) {
    const std::string currency(d->invoice.amount_open.currency().code());
    if (plan.currencies.empty() || plan.currencies.back().currency != currency) plan.currencies.push_back({currency, {}, {}, {}, {}, {}});
    CurrencyPlan& cp = plan.currencies.back();
    cp.open.push_back(d);
    const Policy* policy = policies.policy_for(c, d->invoice);
    const std::size_t fired_before = cp.fired.size();
    // Where its next stage stands, kept so that incremental runs know when to look again.
    auto refresh = [&] {
      if (!policy || d->stage_index < 0 || cp.fired.size() != fired_before) return;
      const int reached = d->dunning_policy == policy->name ? d->stage_index : policy->index_of(d->stage);
      const auto next = static_cast<std::size_t>(reached + 1);
      std::optional<Date> when;
      if (next < policy->stages.size()) when = d->invoice.due_date.plus_days(policy->stages[next].offset_days);
      const std::string text = when ? when->to_string() : "9999-12-31";
      if (text != d->next_due || d->state_due_date != d->invoice.due_date.to_string()) cp.refresh.emplace_back(d, when);
    };
    switch (pauses.of(d->invoice)) {
      case PauseReason::dispute: ++counters.paused_dispute; refresh(); continue;
      case PauseReason::ptp: ++counters.paused_ptp; refresh(); continue;
      case PauseReason::hold: ++counters.paused_hold; refresh(); continue;
      case PauseReason::none: break;
    }
    cp.active.push_back(d);
    if (!policy) {
      ++counters.no_policy;
      continue;
    }
    InvoiceFacts facts{&d->invoice, &c, open_count, d->stage_index, d->stage_fired_on};
    // Moved to another policy: it goes on from the same-named stage, if the new one has it.
    if (!d->dunning_policy.empty() && d->dunning_policy != policy->name) facts.stage_index = policy->index_of(d->stage);
    const StagePlan sp = plan_stage(*policy, facts, day, cash_stale);
    if (sp.blocked_by_stale_cash) ++counters.blocked_stale_cash;
    for (int s : sp.skip) cp.skipped.push_back({policy, s, d});
    if (sp.fire >= 0) cp.fired.push_back({policy, sp.fire, d});
    refresh();
  }
  return plan;
}

}  // namespace arcd::collections
