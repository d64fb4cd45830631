#pragma once
// Writing where an entry's money went: applications, adjustments, on-account and
// not-a-customer records, the exception queue and the entry's cash state, with the invoice
// totals, the matching index and promise-to-pay fulfilment kept in step. Every path that
// moves money (a run, a person, a bank reversal) goes through here, so the invariant has one
// guardian.

#include <optional>
#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "cashapp/allocation.hpp"
#include "cashapp/open_items.hpp"
#include "cashapp/ptp.hpp"
#include "cashapp/write_behind.hpp"

namespace arcd::cashapp {

// An application and what of it is still in force (its amount less the unapplies of it).
struct LiveApplication {
  Application application;
  std::int64_t left = 0;                // entry currency
  std::int64_t invoice_left = 0;        // invoice currency (for apply)
};

class Ledger {
 public:
  // `items` may be null (a person's action outside a run): then nothing in memory to update.
  Ledger(Transaction& tx, OpenItems* items, Date today, Actor actor);

  void apply(const Entry& e, const AllocationLine& line, CustomerId customer, const std::string& rule, const std::string& reason);
  void on_account(const Entry& e, CustomerId customer, std::int64_t minor, const std::string& rule, const std::string& reason);
  void not_customer(const Entry& e, std::int64_t minor, const std::string& rule, const std::string& reason);
  // Reverses `minor` (entry currency) of a live application; reopens its invoice.
  void unapply(const LiveApplication& live, std::int64_t minor, const std::string& reason);

  // The entry's applications still in force, oldest first.
  std::vector<LiveApplication> live_applications(EntryId entry);
  // What of the entry is placed (applied, on account, not a customer payment).
  std::int64_t placed(EntryId entry);

  // Queues what is left of the entry (or clears its queue when nothing is) and sets its state.
  void settle(const Entry& e, std::int64_t left, const std::string& reason = "", const std::string& detail = "",
              const std::string& candidates = "[]", std::optional<CustomerId> payer = std::nullopt);
  // settle(e, 0) for an entry of the cash inbox (never queued): it leaves the inbox with the
  // rest of its batch at flush(). `seen` notes any entry of the batch (debits too).
  void settle_new(const Entry& e);
  void seen(const Entry& e);
  void flush();

  // Where to note the entries settled and invoices changed (for the invariant check of a run).
  void track(std::vector<EntryId>* entries, std::vector<InvoiceId>* invoices) {
    touched_entries_ = entries;
    touched_invoices_ = invoices;
  }

  // From here on the writes go to `writer`'s thread (a run); reads wait for them. Without a
  // writer (a person's action) every write happens at once.
  void write_behind(WriteBehind* writer) { writer_ = writer; }
  // Waits until every write handed over is done; rethrows a write's failure.
  void sync() {
    if (writer_) writer_->sync();
  }
  // The transaction, for reading or writing directly: after sync().
  Transaction& tx() {
    sync();
    return tx_;
  }
  const Actor& actor() const { return actor_; }

 private:
  // An on-account or not-a-customer-payment record of `minor` of the entry.
  void record(const Entry& e, ApplicationKind kind, std::optional<CustomerId> customer, std::int64_t minor, const std::string& rule,
              const std::string& reason);

  // `work` touches only the transaction and the promise tracker, never the matching index.
  template <class Work>
  void write(Work&& work) {
    if (writer_) writer_->post(std::forward<Work>(work));
    else work();
  }

  Transaction& tx_;
  WriteBehind* writer_ = nullptr;
  OpenItems* items_;
  PtpTracker ptps_;
  Actor actor_;
  Date today_;
  std::vector<EntryId>* touched_entries_ = nullptr;
  std::optional<EntryId> seen_up_to_;  // the batch's entries up to here leave the inbox at flush()
  std::vector<InvoiceId>* touched_invoices_ = nullptr;
};

}  // namespace arcd::cashapp
