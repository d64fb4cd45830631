#pragma once
// The collector's ranked worklist. Score (0-100), documented in the README:
//   amount at risk   up to 40: 40 x log10(1 + overdue, in major units) / 6, capped (1 000 000 = 40)
//   days overdue     up to 25: 25 x oldest overdue days / 90, capped
//   broken promises  5 each, up to 15
//   risk class       A 0, B 3, C 7, D 10
//   tier             settings.tier_points, up to 10
// Disputed, promised and held invoices are not at risk of collection action and do not count.
// Each item says why it is there and what the next action is: the earliest open task, else the
// next stage its policy will reach.

#include <optional>
#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "collections/settings.hpp"

namespace arcd::collections {

struct WorklistItem {
  Customer customer;
  std::string collector;       // who works it (its own, by rule, or the default)
  int score = 0;
  std::vector<std::string> reasons;
  std::string next_action;
  std::vector<Money> overdue;  // per currency
  int oldest_days_overdue = 0;
  std::int64_t broken_promises = 0;
  int open_tasks = 0;
};

std::vector<WorklistItem> worklist(Transaction& tx, const CollectionsSettings& s, Date day, const std::optional<std::string>& collector,
                                   int limit);

}  // namespace arcd::collections
