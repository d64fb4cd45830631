#pragma once
// The invariant check of a run, batch by batch, on a thread and a connection of its own: each
// committed batch's entries and invoices are checked from a read snapshot while the run
// matches and writes the next batch. Checked at the end instead, a 1M-payment run waited 7 s
// for it with one core idle. An entry or invoice that a later batch touches again is checked
// again after that batch.

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "arcd/store.hpp"
#include "cashapp/invariant.hpp"

namespace arcd::cashapp {

class BatchCheck {
 public:
  explicit BatchCheck(Store& store);
  ~BatchCheck();  // stops the thread; checks not yet run are dropped
  BatchCheck(const BatchCheck&) = delete;
  BatchCheck& operator=(const BatchCheck&) = delete;

  // After the batch that touched these committed.
  void committed(std::vector<EntryId> entries, std::vector<InvoiceId> invoices);
  // Waits for every check handed over, then returns their report (rethrows a failure to read).
  InvariantReport finish();

 private:
  struct Work {
    std::vector<EntryId> entries;
    std::vector<InvoiceId> invoices;
  };
  void loop();

  Store& store_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Work> queue_;
  bool busy_ = false, closing_ = false;
  InvariantReport report_;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace arcd::cashapp
