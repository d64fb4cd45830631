#include "cashapp/batch_check.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace arcd::cashapp {

namespace {
template <class Id>
void sort_unique(std::vector<Id>& ids) {
  std::sort(ids.begin(), ids.end(), [](Id a, Id b) { return a.value() < b.value(); });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}
}  // namespace

void BatchCheck::committed(std::vector<EntryId> entries, std::vector<InvoiceId> invoices) {
  if (entries.empty() && invoices.empty()) return;
  // std::function wants a copyable callable: the ids travel in a shared vector pair.
  auto ids = std::make_shared<std::pair<std::vector<EntryId>, std::vector<InvoiceId>>>(std::move(entries), std::move(invoices));
  worker_.post([this, ids] {
    sort_unique(ids->first);
    sort_unique(ids->second);
    {
      const ReadIntent read_only;  // a snapshot: never queues behind the run's write lock
      auto tx = store_.begin();
      const auto part = check_cash_invariant(*tx, &ids->first, &ids->second);
      report_.entries_checked += part.entries_checked;
      report_.invoices_checked += part.invoices_checked;
      report_.violations.insert(report_.violations.end(), part.violations.begin(), part.violations.end());
    }
    // The run commits without checkpointing (commit_without_checkpoint): the batch's pages are
    // copied into the database file here, while the run writes the next batch.
    store_.checkpoint();
  });
  worker_.submit();
}

void BatchCheck::settle() { worker_.sync(); }

InvariantReport BatchCheck::finish() {
  worker_.sync();
  return report_;
}

}  // namespace arcd::cashapp
