#pragma once
// Which stage of its policy an invoice reaches on a given day: pure, no store, no clock.
//
// A stage is due when the day is on or after the due date plus the stage's offset, the stage
// comes after the last one the invoice reached, and its conditions hold. Several stages due at
// once (an invoice first seen late, or back from a pause) are caught up as the policy says:
// skip to the latest (the earlier ones are recorded as skipped) or compress (the next one now,
// the others on later runs at least compress_gap_days apart). Recomputing this every run from
// the invoice's current due date and open amount is what lets payments, credit notes and
// partial payments move an invoice back out of a stage's conditions.

#include <optional>
#include <vector>

#include "arcd/model.hpp"
#include "collections/policy.hpp"

namespace arcd::collections {

struct InvoiceFacts {
  const Invoice* invoice = nullptr;
  const Customer* customer = nullptr;
  int customer_open_invoices = 0;
  int stage_index = -1;                // last stage reached in this policy; -1: none
  std::optional<Date> stage_fired_on;
};

struct StagePlan {
  int fire = -1;                       // the stage to fire now; -1: none
  std::vector<int> skip;               // stages passed over (catch-up skip)
  bool blocked_by_stale_cash = false;  // an overdue stage was due but bank data is stale
};

bool conditions_hold(const Conditions& c, const InvoiceFacts& f, const Policy& p, Date day);
int days_overdue(const Invoice& i, Date day);

// `overdue_blocked`: stages after the due date wait (stale bank data).
StagePlan plan_stage(const Policy& p, const InvoiceFacts& f, Date day, bool overdue_blocked);

}  // namespace arcd::collections
