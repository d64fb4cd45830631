#include "cashapp/batch_check.hpp"

#include <algorithm>

namespace arcd::cashapp {

namespace {
template <class Id>
void sort_unique(std::vector<Id>& ids) {
  std::sort(ids.begin(), ids.end(), [](Id a, Id b) { return a.value() < b.value(); });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}
}  // namespace

BatchCheck::BatchCheck(Store& store) : store_(store), thread_([this] { loop(); }) {}

BatchCheck::~BatchCheck() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  thread_.join();
}

void BatchCheck::committed(std::vector<EntryId> entries, std::vector<InvoiceId> invoices) {
  if (entries.empty() && invoices.empty()) return;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(entries), std::move(invoices)});
  }
  changed_.notify_all();
}

void BatchCheck::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (closing_) return;
    Work work = std::move(queue_.front());
    queue_.erase(queue_.begin());
    busy_ = true;
    lock.unlock();
    sort_unique(work.entries);
    sort_unique(work.invoices);
    InvariantReport part;
    std::exception_ptr failed;
    try {
      const ReadIntent read_only;  // a snapshot: never queues behind the run's write lock
      auto tx = store_.begin();
      part = check_cash_invariant(*tx, &work.entries, &work.invoices);
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    report_.entries_checked += part.entries_checked;
    report_.invoices_checked += part.invoices_checked;
    for (auto& v : part.violations) report_.violations.push_back(std::move(v));
    if (failed && !failure_) failure_ = failed;
    changed_.notify_all();
  }
}

InvariantReport BatchCheck::finish() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
  if (failure_) std::rethrow_exception(failure_);
  return report_;
}

}  // namespace arcd::cashapp
