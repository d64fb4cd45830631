#include "collections/customer_plan.hpp"

#include "collections/stage_plan.hpp"

namespace arcd::collections {

CustomerPlan plan_customer(const PolicySet& policies, const Customer& c, const std::vector<const DunnableInvoice*>& invoices, Date day,
                           const Pauses& pauses, bool cash_stale, RunReport& counters) {
  CustomerPlan plan;
  const int open_count = static_cast<int>(invoices.size());
  for (const DunnableInvoice* d : invoices) {
    const std::string currency(d->invoice.amount_open.currency().code());
    if (plan.currencies.empty() || plan.currencies.back().currency != currency) plan.currencies.push_back({currency, {}, {}, {}, {}});
    CurrencyPlan& cp = plan.currencies.back();
    cp.open.push_back(d);
    switch (pauses.of(d->invoice)) {
      case PauseReason::dispute: ++counters.paused_dispute; continue;
      case PauseReason::ptp: ++counters.paused_ptp; continue;
      case PauseReason::hold: ++counters.paused_hold; continue;
      case PauseReason::none: break;
    }
    cp.active.push_back(d);
    const Policy* policy = policies.policy_for(c, d->invoice);
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
  }
  return plan;
}

}  // namespace arcd::collections
