#pragma once
// The invariant check of a run, batch by batch, on a thread and a connection of its own: each
// committed batch's entries and invoices are checked from a read snapshot while the run
// matches and writes the next batch. Checked at the end instead, a 1M-payment run waited 7 s
// for it with one core idle. An entry or invoice that a later batch touches again is checked
// again after that batch. After each check, the same thread checkpoints SQLite's log, which
// the run's commits leave undone: at 200k payments the commits took 1.0 s instead of 1.7 s.

#include <vector>

#include "arcd/store.hpp"
#include "cashapp/invariant.hpp"
#include "cashapp/write_behind.hpp"

namespace arcd::cashapp {

class BatchCheck {
 public:
  explicit BatchCheck(Store& store) : store_(store) {}

  // After the batch that touched these committed.
  void committed(std::vector<EntryId> entries, std::vector<InvoiceId> invoices);
  // Waits until every check handed over, and the checkpoint after it, is done (rethrows a
  // failure to read).
  void settle();
  // Waits for every check handed over, then returns their report (rethrows a failure to read).
  InvariantReport finish();

 private:
  Store& store_;
  InvariantReport report_;  // the worker's until finish()
  WriteBehind worker_;      // last: stops before the rest goes
};

}  // namespace arcd::cashapp
