#include "cashapp/run.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <tuple>

#include "cashapp/batch_check.hpp"
#include "cashapp/candidates_json.hpp"
#include "cashapp/invariant.hpp"
#include "cashapp/ledger.hpp"
#include "cashapp/matcher.hpp"
#include "cashapp/open_items.hpp"
#include "cashapp/reversal.hpp"
#include "cashapp/write_behind.hpp"

namespace arcd::cashapp {
namespace json = boost::json;

std::string RunSummary::to_string() const {
  return std::to_string(entries) + " entries: " + std::to_string(applied) + " applied, " + std::to_string(queued) + " queued, " +
         std::to_string(ignored) + " not customer payments, " + std::to_string(reversals) + " reversals; " +
         std::to_string(applications) + " invoice applications; " + std::to_string(ptps_expired) + " promises expired; " +
         invariant;
}

std::string RunSummary::to_json() const {
  return json::serialize(json::object{{"entries", entries},
                                      {"applied", applied},
                                      {"queued", queued},
                                      {"ignored", ignored},
                                      {"reversals", reversals},
                                      {"applications", applications},
                                      {"ptps_expired", ptps_expired},
                                      {"open_invoices", open_invoices},
                                      {"inbox_left", inbox_left},
                                      {"queue_size", queue_size},
                                      {"seconds", seconds},
                                      {"index_seconds", index_seconds},
                                      {"read_seconds", read_seconds},
                                      {"decide_seconds", decide_seconds},
                                      {"commit_seconds", commit_seconds},
                                      {"check_seconds", check_seconds},
                                      {"check_wait_seconds", check_wait_seconds},
                                      {"invariant_ok", invariant_ok},
                                      {"skipped", skipped},
                                      {"invariant", invariant}});
}

namespace {

struct Stopped {};

void load_index(Store& store, OpenItems& items, const RunOptions& options) {
  std::int64_t rows = 0;
  auto check = [&] {
    if (++rows % 20000 == 0 && options.should_stop && options.should_stop()) throw Stopped{};
  };
  auto tx = store.begin();
  tx->cash().for_each_customer([&](const Customer& c) {
    check();
    items.add_customer(c);
  });
  tx->cash().for_each_customer_account([&](const CustomerAccount& a) { items.add_account(a); });
  WriteBehind number_worker;
  items.begin_loading(&number_worker);
  tx->cash().for_each_open_invoice([&](const Invoice& i) {
    check();
    items.add_invoice(i);
  });
  items.finish_loading();
  tx->cash().for_each_issued_reference(
      [&](const std::string& r, std::optional<InvoiceId> i, std::optional<CustomerId> c) { items.add_issued_reference(r, i, c); });
}

class EntryProcessor {
 public:
  EntryProcessor(Ledger& ledger, const Matcher& matcher, OpenItems& items, RunSummary& summary)
      : ledger_(ledger), matcher_(matcher), items_(items), summary_(summary) {}

  void process(const Entry& e, CashState state) {
    ++summary_.entries;
    ledger_.seen(e);
    if (e.direction == Direction::debit) {
      debit(e);
      return;
    }
    if (e.reversal || !e.details.return_reason.empty()) {
      // A credit that reverses one of our debits (a refund bounced, a fee reversed): not a
      // customer payment we can place by rule; a person decides.
      ledger_.settle(e, e.amount.minor() - ledger_.placed(e.id), "reversal_of_debit",
                     e.reversal ? "the bank marks this credit as a reversal" : "returned payment (" + e.details.return_reason + ")");
      ++summary_.queued;
      return;
    }
    const std::int64_t remaining = state == CashState::fresh ? e.amount.minor() : e.amount.minor() - ledger_.placed(e.id);
    if (remaining <= 0) {
      ledger_.settle(e, 0);
      return;
    }
    const MatchResult r = matcher_.match(e, remaining, items_);
    if (r.outcome == Outcome::apply) {
      const Candidate& winner = r.candidates.front();
      const std::string reason = r.allocation->summary + (r.allocation->fx.empty() ? "" : "; converted at " + r.allocation->fx) +
                                 "; " + winner.evidence;
      for (const auto& line : r.allocation->lines) {
        ledger_.apply(e, line, winner.customer.value_or(items_.invoice(line.invoice)->customer), winner.rule, reason);
        ++summary_.applications;
      }
      if (r.allocation->on_account_minor > 0) ledger_.on_account(e, *winner.customer, r.allocation->on_account_minor, winner.rule, reason);
      if (state == CashState::fresh) ledger_.settle_new(e);
      else ledger_.settle(e, 0);
      ++summary_.applied;
      return;
    }
    ledger_.settle(e, remaining, r.reason, r.detail, candidates_to_json(r.candidates, items_), r.payer);
    ++summary_.queued;
  }

 private:
  void debit(const Entry& e) {
    if (!e.reversal && e.details.return_reason.empty()) {
      ++summary_.ignored;  // leaves the inbox with its batch
      return;
    }
    std::string detail;
    ledger_.flush();  // the original credit may be in this very batch
    if (undo_reversed_credit(ledger_, e, detail)) {
      ledger_.settle(e, 0);
      ++summary_.reversals;
    } else {
      ledger_.settle(e, e.amount.minor(), "reversal_unmatched", detail);
      ++summary_.queued;
    }
  }

  Ledger& ledger_;
  const Matcher& matcher_;
  OpenItems& items_;
  RunSummary& summary_;
};

}  // namespace

RunSummary run_cash_application(Store& store, const MatchSettings& settings, const Clock& clock, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  RunSummary summary;
  // One run at a time over the whole database (several daemons on one PostgreSQL).
  const auto lock = store.try_exclusive("arcd.cashapp.run");
  if (!lock) {
    summary.skipped = true;
    summary.invariant = "another process is running cash application; nothing done";
    return summary;
  }
  OpenItems items(settings);
  try {
    load_index(store, items, options);
  } catch (const Stopped&) {
    summary.stopped = true;
    summary.invariant = "stopped before it began";
    return summary;
  }
  summary.open_invoices = static_cast<std::int64_t>(items.invoice_count());
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  summary.index_seconds = since(t0);
  std::vector<EntryId> touched_entries;
  std::vector<InvoiceId> touched_invoices;
  std::optional<BatchCheck> batch_check;
  constexpr int kBatchesPerLogRestart = 3;
  const bool sqlite = store.backend() == "sqlite";
  int batches = 0;
  if (options.check == InvariantCheck::touched) batch_check.emplace(store);
  const Matcher matcher(settings);
  const Date today = clock.today();

  // Committed a batch at a time, read a chunk at a time: a chunk of a few thousand entries
  // stays in the CPU's caches (read 20 000 at once, reading took twice as long), while a batch
  // of many chunks writes each invoice and index page it changes once per commit.
  constexpr int kReadChunk = 2000;
  for (EntryId after{0}; !summary.stopped;) {
    if (options.should_stop && options.should_stop()) {
      summary.stopped = true;
      break;
    }
    auto tx = store.begin();
    // Declared after the transaction so that, on a failure, its thread has stopped writing
    // before the transaction rolls back.
    WriteBehind writer;
    Ledger ledger(*tx, &items, today, options.actor);
    ledger.write_behind(&writer);
    if (batch_check) ledger.track(&touched_entries, &touched_invoices);  // what each batch's check covers
    EntryProcessor processor(ledger, matcher, items, summary);
    int in_batch = 0;
    bool drained = false;
    while (in_batch < settings.batch_size) {
      auto t = Clock::now();
      ledger.sync();  // the connection is the writer's until then
      summary.decide_seconds += since(t);
      t = Clock::now();
      const auto chunk = tx->cash().entries_to_match(after, std::min(kReadChunk, settings.batch_size - in_batch));
      summary.read_seconds += since(t);
      if (chunk.empty()) {
        drained = true;
        break;
      }
      t = Clock::now();
      for (const auto& [e, state] : chunk) processor.process(e, state);
      summary.decide_seconds += since(t);
      in_batch += static_cast<int>(chunk.size());
      after = chunk.back().first.id;
      if (options.should_stop && options.should_stop()) {
        summary.stopped = true;  // what this batch did is committed below
        break;
      }
    }
    if (in_batch == 0) break;
    auto t = Clock::now();
    ledger.flush();
    ledger.sync();
    summary.decide_seconds += since(t);
    t = Clock::now();
    if (batch_check) tx->commit_without_checkpoint();  // the check's thread checkpoints
    else tx->commit();
    summary.commit_seconds += since(t);
    if (batch_check) {
      batch_check->committed(std::move(touched_entries), std::move(touched_invoices));
      touched_entries.clear();
      touched_invoices.clear();
      // SQLite starts its log over only when a write transaction begins with the log wholly
      // copied back, and the next batch begins before the checker has copied this one: the log
      // of a 1M-payment run grew to 2.2 GB beside a 0.5 GB database. Waiting for the checker
      // every few batches keeps it to about that many batches (160 MB there), at no cost in
      // time: commits get cheaper by about what the waits take.
      if (++batches % kBatchesPerLogRestart == 0 && sqlite) {
        const auto t_wait = Clock::now();
        batch_check->settle();
        const double waited = since(t_wait);
        summary.commit_seconds += waited;
        summary.check_wait_seconds += waited;
      }
    }
    if (options.progress) options.progress(summary.entries);
    if (drained) break;
  }
  {
    auto tx = store.begin();
    summary.ptps_expired = expire_ptps(*tx, today, options.actor);
    std::tie(summary.inbox_left, summary.queue_size) = tx->cash().inbox_and_queue_sizes();
    tx->audit().append({{}, {}, options.actor, "cashapp.run", "cashapp", "run", summary.to_string(), summary.to_json()});
    tx->commit();
  }
  if (options.check != InvariantCheck::none) {
    const auto t = Clock::now();
    InvariantReport report;
    if (batch_check) {
      report = batch_check->finish();
    } else {
      auto tx = store.begin();
      report = check_cash_invariant(*tx);
    }
    summary.invariant = report.to_string();
    summary.invariant_ok = report.ok();
    summary.check_seconds = since(t);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

}  // namespace arcd::cashapp
