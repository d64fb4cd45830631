#include "sync/erp_pull.hpp"

#include <algorithm>
#include <future>
#include <set>
#include <thread>

#include "mapping/erp_timestamps.hpp"

namespace arcd::sync {

std::string ErpPullSummary::to_string() const {
  return std::string(full_sweep ? "full sweep" : "incremental") + ": " + std::to_string(pages) + " pages, " +
         std::to_string(records) + " invoices read, " + std::to_string(rechecked) + " re-read; " + sync.to_string() +
         "; cursor '" + cursor + "'";
}

namespace {

constexpr const char* kStream = "invoices";

void add(SyncSummary& total, const SyncSummary& s) {
  total.customers_created += s.customers_created;
  total.customers_updated += s.customers_updated;
  total.invoices_created += s.invoices_created;
  total.invoices_updated += s.invoices_updated;
  total.invoices_unchanged += s.invoices_unchanged;
}

class Puller {
 public:
  Puller(Store& store, ErpConnector& erp, const ErpPullSettings& s, const Clock& clock, const Actor& actor, const ErpPullHooks& hooks)
      : store_(store), erp_(erp), s_(s), clock_(clock), actor_(actor), hooks_(hooks) {}

  ErpPullSummary run() {
    SyncCursor cursor = read_cursor();
    const Instant now = clock_.now();
    summary_.full_sweep = cursor.cursor.empty() || !cursor.full_sweep_at || *cursor.full_sweep_at + s_.full_sweep_every <= now;
    if (summary_.full_sweep) {
      sweep(cursor, now);
    } else {
      incremental(cursor);
    }
    summary_.cursor = cursor.cursor;
    return summary_;
  }

 private:
  SyncCursor read_cursor() {
    auto tx = store_.begin();
    auto c = tx->cursors().get(s_.source, kStream);
    tx->commit();
    return c.value_or(SyncCursor{});
  }

  // Calls the ERP, waiting out rate limits and retrying transient failures.
  template <class F>
  auto with_retries(F f) -> decltype(f()) {
    for (int attempt = 0;; ++attempt) {
      try {
        return f();
      } catch (const ErpError& e) {
        const bool retry = e.kind() == ErpFailure::transient || e.kind() == ErpFailure::rate_limited;
        if (!retry || attempt >= s_.max_retries) throw;
        std::chrono::seconds wait = e.retry_after().value_or(std::chrono::seconds(1L << std::min(attempt, 6)));
        wait = std::min(wait, s_.max_wait);
        if (hooks_.sleep) hooks_.sleep(wait);
        else std::this_thread::sleep_for(wait);
      }
    }
  }

  bool stopping() const { return hooks_.stop && hooks_.stop->load(); }

  // Imports one page and, in the same transaction, the cursor it leads to.
  void import_page(const InvoicePage& page, Instant read_at, SyncCursor& cursor, bool advance_cursor) {
    for (const auto& r : page.records) {
      if (advance_cursor && mapping::stamp_before(cursor.cursor, r.modified)) cursor.cursor = r.modified;
      seen_.insert(r.external_id);
    }
    InvoiceBatch batch{erp_origin(), page.records, read_at};
    add(summary_.sync, import_invoices(store_, s_.source, batch, actor_, [&](Transaction& tx) {
          tx.cursors().put(s_.source, kStream, cursor);
        }));
    ++summary_.pages;
    summary_.records += static_cast<int>(page.records.size());
    if (hooks_.progress) hooks_.progress(summary_);
  }

  std::string erp_origin() const { return "erp:" + s_.source; }

  struct ReadPage {
    Instant read_at;  // taken before the request: what the page says is at least this fresh
    InvoicePage page;
  };

  ReadPage read_page(const PullQuery& q) {
    const Instant read_at = clock_.now();
    return {read_at, with_retries([&] { return erp_.pull_invoices(q); })};
  }

  // The next page is read from the ERP on another thread while this one is written: reading
  // (the request, the ERP's answer, JSON) and writing take about as long each, and the two
  // run side by side. Only one thread at a time uses the connector.
  void pages(PullQuery q, SyncCursor& cursor, bool advance_cursor) {
    if (stopping()) return;
    ReadPage current = read_page(q);
    for (;;) {
      std::future<ReadPage> next;
      if (!current.page.next_page_token.empty() && !stopping()) {
        q.page_token = current.page.next_page_token;
        next = std::async(std::launch::async, [this, q] { return read_page(q); });
      }
      import_page(current.page, current.read_at, cursor, advance_cursor);
      if (!next.valid()) return;
      current = next.get();
    }
  }

  void incremental(SyncCursor& cursor) {
    pages({mapping::rewind_stamp(cursor.cursor, s_.overlap), "", s_.page_size}, cursor, true);
  }

  void sweep(SyncCursor& cursor, Instant started) {
    // The incremental cursor moves only forward: a first sweep sets it to the newest stamp seen.
    const bool first = cursor.cursor.empty();
    pages({"", "", s_.page_size}, cursor, first);
    if (stopping()) return;
    recheck_held_open(cursor);
    if (stopping()) return;
    cursor.full_sweep_at = started;
    auto tx = store_.begin();
    tx->cursors().put(s_.source, kStream, cursor);
    tx->commit();
  }

  // Invoices arcd holds open that the ERP's open list no longer has: paid, cancelled or
  // deleted there, perhaps without a new stamp. Each is read and imported as it is now.
  void recheck_held_open(SyncCursor& cursor) {
    std::vector<std::string> missing;
    {
      const ReadIntent reading;  // a snapshot: the sweep's read waits for no writer
      auto tx = store_.begin();
      tx->invoices().for_each_open_external_id(s_.source, [&](const std::string& id) {
        if (!seen_.count(id)) missing.push_back(id);
      });
      tx->commit();
    }
    InvoicePage page;
    Instant read_at = clock_.now();
    for (const auto& id : missing) {
      if (stopping()) return;
      if (page.records.empty()) read_at = clock_.now();
      auto one = with_retries([&] { return erp_.pull_invoice(id); });
      ++summary_.rechecked;
      if (!one) {
        // Gone from the ERP: nothing is open there any more.
        auto tx = store_.begin();
        auto inv = tx->invoices().find_by_external_id(s_.source, id);
        tx->commit();
        if (!inv) continue;
        InvoiceRecord r;
        r.external_id = id;
        r.invoice_number = inv->number;
        auto customer = [&] {
          auto t = store_.begin();
          auto c = t->customers().get(inv->customer_id);
          t->commit();
          return c;
        }();
        if (!customer) continue;
        r.customer_external_id = customer->external_id;
        r.customer_name = customer->name;
        r.amount_total = inv->amount_total;
        r.amount_open = Money::zero(inv->amount_total.currency());
        r.issue_date = inv->issue_date;
        r.due_date = inv->due_date;
        r.payment_reference = inv->payment_reference;
        r.cancelled = true;
        page.records.push_back(r);
      } else {
        page.records.push_back(*one);
      }
      if (page.records.size() >= static_cast<std::size_t>(s_.page_size)) {
        import_page(page, read_at, cursor, false);
        page.records.clear();
      }
    }
    if (!page.records.empty()) import_page(page, read_at, cursor, false);
  }

  Store& store_;
  ErpConnector& erp_;
  const ErpPullSettings& s_;
  const Clock& clock_;
  const Actor& actor_;
  const ErpPullHooks& hooks_;
  ErpPullSummary summary_;
  std::set<std::string> seen_;
};

}  // namespace

ErpPullSummary pull_from_erp(Store& store, ErpConnector& erp, const ErpPullSettings& settings, const Clock& clock,
                             const Actor& actor, const ErpPullHooks& hooks) {
  return Puller(store, erp, settings, clock, actor, hooks).run();
}

}  // namespace arcd::sync
