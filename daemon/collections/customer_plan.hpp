#pragma once
// One customer's day in collections: for each of its open invoices, paused or which stage it
// reaches; grouped by currency, since one message goes out per customer and currency.

#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "collections/pauses.hpp"
#include "collections/policy.hpp"
#include "collections/run.hpp"

namespace arcd::collections {

struct StageStep {
  const Policy* policy = nullptr;
  int index = 0;
  const DunnableInvoice* invoice = nullptr;
  const Stage& stage() const { return policy->stages[static_cast<std::size_t>(index)]; }
};

struct CurrencyPlan {
  std::string currency;
  std::vector<const DunnableInvoice*> open;    // every open invoice (the statement of account)
  std::vector<const DunnableInvoice*> active;  // not paused: what a reminder may name
  std::vector<StageStep> fired, skipped;
  // Invoices in the sequence whose stored next-stage date is out of date (nothing fired):
  // the date to store (unset: no stage left).
  std::vector<std::pair<const DunnableInvoice*, std::optional<Date>>> refresh;
};

struct CustomerPlan {
  std::vector<CurrencyPlan> currencies;
};

// Counts pauses, stale-cash blocks and invoices without a policy into `counters`.
CustomerPlan plan_customer(const PolicySet& policies, const Customer& c, const std::vector<const DunnableInvoice*>& invoices, Date day,
                           const Pauses& pauses, bool cash_stale, RunReport& counters);

}  // namespace arcd::collections
