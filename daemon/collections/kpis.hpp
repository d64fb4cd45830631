#pragma once
// Collections KPIs as of any date, per currency. Formulas (also in the README):
//   AR(D)            open amount of invoices issued on or before D, as of D: today's open
//                    amount with arcd's own movements after D (applications, unapplies,
//                    tolerance adjustments, write-offs) undone. Amounts the ERP settled on its
//                    own are taken as settled when arcd learned of them (not reconstructable).
//   DSO (standard)   AR(D) / credit sales of the 90 days to D x 90
//   DSO (countback)  days of the most recent sales, 30-day period by period, that AR(D) covers
//   best possible DSO  current (not overdue) AR(D) / sales of 90 days x 90
//   ADD              average days delinquent = DSO (standard) - best possible DSO
//   CEI              (AR at period start + sales of the period - AR(D)) /
//                    (AR at period start + sales of the period - current AR(D)) x 100, period = 30 days to D
//   aging            AR(D) by days past due: current, 1-30, 31-60, 61-90, over 90
//   bad-debt ratio   write-offs approved in the 365 days to D / credit sales of those days x 100
//   auto-match rate  applications by a matching rule / all applications, 30 days to D (counts)
//   PTP kept rate    kept / (kept + partially kept + broken), all promises decided
//   disputes         open at D, count and value by reason (the disputed amount, else the invoice's open)
//   unapplied cash   the exception queue plus cash on account (now)

#include <map>
#include <string>
#include <vector>

#include "arcd/store.hpp"

namespace arcd::collections {

struct CurrencyKpis {
  std::string currency;
  Money ar = Money::unset(), current = Money::unset(), sales_90 = Money::unset();
  std::vector<Money> aging;  // current, 1-30, 31-60, 61-90, >90
  std::string dso_standard, dso_countback, best_possible_dso, average_days_delinquent, cei, bad_debt_ratio;  // one decimal, "" when undefined
  Money unapplied = Money::unset();
};

struct DisputeKpi {
  std::string reason, currency;
  std::int64_t count = 0;
  Money value = Money::unset();
};

struct Kpis {
  Date as_of;
  std::vector<CurrencyKpis> currencies;
  std::vector<DisputeKpi> disputes;
  std::string auto_match_rate, ptp_kept_rate;
  std::int64_t applications_30d = 0;
};

Kpis compute_kpis(Transaction& tx, Date as_of);

}  // namespace arcd::collections
