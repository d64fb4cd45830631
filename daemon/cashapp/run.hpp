#pragma once
// One cash-application run: build the matching index, then take every booked entry that is
// new or still queued, decide, and write the outcome in batches (one transaction each, so a
// crash loses at most the batch in flight and the next run redoes it). Expires promises to
// pay at the end and checks the cash invariant.

#include <functional>
#include <string>

#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "cashapp/settings.hpp"

namespace arcd::cashapp {

struct RunSummary {
  std::int64_t entries = 0;          // looked at
  std::int64_t applied = 0;          // credits placed in full automatically
  std::int64_t queued = 0;           // credits with something left in the exception queue
  std::int64_t ignored = 0;          // debits that are not customer payments
  std::int64_t reversals = 0;        // reversals and returns that undid an earlier credit
  std::int64_t applications = 0;     // invoices paid or part-paid
  std::int64_t ptps_expired = 0;     // promises found broken or partially kept
  std::int64_t open_invoices = 0;    // in the index
  std::int64_t inbox_left = 0;       // entries still waiting (a run that stopped early)
  std::int64_t queue_size = 0;       // entries in the exception queue after the run
  double seconds = 0;
  // Where the time went: building the index, reading entries, deciding and writing (matching,
  // applications, invoices, queue), committing, checking the invariant.
  double index_seconds = 0, read_seconds = 0, decide_seconds = 0, commit_seconds = 0, check_seconds = 0;
  double check_wait_seconds = 0;  // of commit_seconds: waiting for the batches' checker (SQLite's log)
  std::string invariant;             // the invariant check's verdict
  bool invariant_ok = true;
  bool stopped = false;              // asked to stop: the rest waits for the next run
  bool skipped = false;              // another process was running cash application
  std::string to_string() const;
  std::string to_json() const;
};

// After a run: check what it touched (the entries it settled, the invoices it changed), or
// every entry and invoice (arcctl, tests), or nothing.
enum class InvariantCheck { touched, full, none };

struct RunOptions {
  Actor actor = "system:cashapp";
  InvariantCheck check = InvariantCheck::touched;
  // Asked between chunks of entries and while the index loads; true ends the run early
  // (shutdown), with what it decided so far committed.
  std::function<bool()> should_stop;
  // Told after every committed batch: entries done so far.
  std::function<void(std::int64_t)> progress;
};

RunSummary run_cash_application(Store& store, const MatchSettings& settings, const Clock& clock, const RunOptions& options = {});

}  // namespace arcd::cashapp
