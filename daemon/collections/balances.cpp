#include "collections/balances.hpp"

#include <algorithm>

namespace arcd::collections {

CustomerBalance customer_balance(Transaction& tx, CustomerId customer, Date as_of) {
  CustomerBalance b;
  InvoiceFilter filter{customer, InvoiceStatus::open, std::nullopt};
  for (Page page{0, 1000};;) {
    auto batch = tx.invoices().list(filter, page);
    if (batch.empty()) break;
    page.after_id = batch.back().id.value();
    b.open_invoices.insert(b.open_invoices.end(), batch.begin(), batch.end());
  }
  std::stable_sort(b.open_invoices.begin(), b.open_invoices.end(),
                   [](const Invoice& x, const Invoice& y) { return x.due_date < y.due_date; });
  b.aging = age_invoices(b.open_invoices, as_of);
  b.on_account = tx.cash().on_account(customer);
  return b;
}

std::map<std::string, CurrencyAging, std::less<>> portfolio_aging(Transaction& tx, Date as_of) {
  std::map<std::string, CurrencyAging, std::less<>> out;
  std::vector<Invoice> batch;
  auto merge = [&] {
    for (auto& [code, a] : age_invoices(batch, as_of)) {
      auto [it, fresh] = out.try_emplace(code, a);
      if (fresh) continue;
      it->second.open_total += a.open_total;
      it->second.overdue_total += a.overdue_total;
      for (std::size_t i = 0; i < kAgingBucketCount; ++i) it->second.buckets[i] += a.buckets[i];
    }
    batch.clear();
  };
  // Aged in batches: a large portfolio is never held in memory at once.
  tx.cash().for_each_open_invoice([&](const Invoice& inv) {
    batch.push_back(inv);
    if (batch.size() == 10000) merge();
  });
  merge();
  return out;
}

}  // namespace arcd::collections
