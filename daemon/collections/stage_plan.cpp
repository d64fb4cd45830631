#include "collections/stage_plan.hpp"

#include <algorithm>

namespace arcd::collections {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

std::int64_t open_e4(const Money& m) {
  std::int64_t scale = 1;
  for (int e = m.currency().exponent(); e < 4; ++e) scale *= 10;
  return m.minor() * scale;
}

}  // namespace

int days_overdue(const Invoice& i, Date day) { return days_between(i.due_date, day); }

bool conditions_hold(const Conditions& c, const InvoiceFacts& f, const Policy& p, Date day) {
  const Invoice& i = *f.invoice;
  const int overdue = days_overdue(i, day);
  if (c.min_open_e4 && open_e4(i.amount_open) < *c.min_open_e4) return false;
  if (c.min_days_overdue && overdue < *c.min_days_overdue) return false;
  if (c.max_days_overdue && overdue > *c.max_days_overdue) return false;
  if (!listed(c.tiers, f.customer->tier)) return false;
  if (!listed(c.risk_classes, f.customer->risk_class)) return false;
  if (c.min_open_invoices && f.customer_open_invoices < *c.min_open_invoices) return false;
  if (c.max_open_invoices && f.customer_open_invoices > *c.max_open_invoices) return false;
  if (!c.after_stage.empty()) {
    const int needed = p.index_of(c.after_stage);
    if (needed < 0 || f.stage_index < needed) return false;
  }
  return true;
}

StagePlan plan_stage(const Policy& p, const InvoiceFacts& f, Date day, bool overdue_blocked) {
  StagePlan plan;
  std::vector<int> due;
  for (int s = f.stage_index + 1; s < static_cast<int>(p.stages.size()); ++s) {
    const Stage& stage = p.stages[s];
    if (day < f.invoice->due_date.plus_days(stage.offset_days)) break;  // stages are in offset order
    if (!conditions_hold(stage.when, f, p, day)) continue;
    if (stage.offset_days > 0 && overdue_blocked) {
      plan.blocked_by_stale_cash = true;
      break;
    }
    due.push_back(s);
  }
  // Reminders meant for before the due date make no sense once it has passed.
  if (day > f.invoice->due_date) {
    while (due.size() > 1 && p.stages[due.front()].offset_days < 0) {
      plan.skip.push_back(due.front());
      due.erase(due.begin());
    }
  }
  if (due.empty()) return plan;
  if (p.catch_up == CatchUp::skip || due.size() == 1) {
    plan.fire = due.back();
    plan.skip.insert(plan.skip.end(), due.begin(), due.end() - 1);
    return plan;
  }
  // Compress: one stage per run, spaced out, so a late invoice still hears every step.
  if (f.stage_fired_on && day < f.stage_fired_on->plus_days(p.compress_gap_days)) return plan;
  plan.fire = due.front();
  return plan;
}

}  // namespace arcd::collections
