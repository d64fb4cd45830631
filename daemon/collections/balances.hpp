#pragma once
// A customer's true balance: open invoices aged per currency, and cash on account that
// lowers what they really owe. One definition for arcctl, the API and the dashboard.

#include <map>
#include <string>
#include <vector>

#include "arcd/aging.hpp"
#include "arcd/store.hpp"

namespace arcd::collections {

struct CustomerBalance {
  std::vector<Invoice> open_invoices;  // oldest due first
  std::map<std::string, CurrencyAging, std::less<>> aging;
  std::vector<Money> on_account;
};

CustomerBalance customer_balance(Transaction& tx, CustomerId customer, Date as_of);

// Every open invoice aged, per currency (the overview's aging chart).
std::map<std::string, CurrencyAging, std::less<>> portfolio_aging(Transaction& tx, Date as_of);

}  // namespace arcd::collections
