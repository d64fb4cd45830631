#pragma once
// What pauses an invoice's dunning sequence on a given day: an open dispute, an open promise
// to pay until its date plus grace, or a hold (on the customer or the invoice) that has
// started and not ended. Read once per run; a handful of rows against a million invoices.

#include <set>
#include <string>
#include <vector>

#include "arcd/store.hpp"

namespace arcd::collections {

enum class PauseReason { none, dispute, ptp, hold };
std::string_view to_string(PauseReason r) noexcept;

class Pauses {
 public:
  static Pauses load(Transaction& tx, Date day);
  PauseReason of(const Invoice& i) const;

 private:
  std::set<std::int64_t> disputed_;
  std::set<std::int64_t> promised_invoices_, promised_customers_;  // a promise without invoices covers the customer
  std::set<std::int64_t> held_invoices_, held_customers_;
};

}  // namespace arcd::collections
