#pragma once
// A customer's risk class from its payment history, recomputed by every daily run:
//   average days late  the amount-weighted days after due of its payments in the window
//   broken promises    promises to pay made in the window and broken (or only partly kept)
//   overdue share      the overdue part of its open balance today, in percent
// D when any D limit is reached, else C when any C limit is, else B when the average is above
// the B limit, else A. Amounts of different currencies weigh by their minor units.

#include <map>
#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "arcd/wide_int.hpp"
#include "collections/settings.hpp"

namespace arcd::collections {

struct RiskInputs {
  // The amount-weighted average days late is weighted_days / paid; kept as the two sums so
  // the limits compare exactly.
  int128 weighted_days = 0;
  std::int64_t paid = 0;
  std::int64_t broken_promises = 0;
  int overdue_percent = 0;
};

std::string risk_class(const RiskSettings& s, const RiskInputs& in);
// Whether the weighted average days late is above `days`.
bool later_than(const RiskInputs& in, int days);

class RiskAccumulator {
 public:
  RiskAccumulator(const RiskSettings& s, Date day) : s_(s), day_(day) {}
  void load_history(Transaction& tx);
  // Every customer's open and overdue balance today.
  void load_open(Transaction& tx);
  RiskInputs inputs(CustomerId c) const;
  // Writes the classes that changed; returns how many.
  // `recheck`: policies depend on risk classes, so a changed class has its invoices looked at again.
  std::int64_t store(Transaction& tx, const std::vector<Customer>& customers, bool recheck) const;

 private:
  struct Acc {
    int128 weighted_days = 0;
    std::int64_t paid = 0, broken = 0, open = 0, overdue = 0;
  };
  const RiskSettings& s_;
  Date day_;
  std::map<std::int64_t, Acc> acc_;
};

}  // namespace arcd::collections
