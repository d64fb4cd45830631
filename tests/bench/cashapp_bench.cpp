// Cash application throughput and accuracy: N open invoices across N/10 customers and M
// incoming payments in a realistic mix (about 80 % with a reference - RF or invoice number,
// some mangled -, 10 % partial or short, 5 % paying two invoices, 5 % payer and amount only),
// written straight into SQLite; then one run from stored entries to committed applications.
// Every invoice has its ERP id, as synced invoices do, so each application also queues its
// payment for the ERP in the outbox, in the same transaction.
// The generator knows the right answer for every payment. Prints figures; asserts nothing
// about time. Usage: cashapp_bench [INVOICES [PAYMENTS]]   (default 20000 20000; the issue
// asks for 1000000 1000000). ARCD_BENCH_BATCH=N sets the entries per transaction;
// ARCD_BENCH_KEEP_DB=FILE keeps a copy of the generated database; ARCD_BENCH_REUSE_DB=FILE
// runs on a copy of such a file instead of writing the rows again (same INVOICES and PAYMENTS:
// the generator still runs for its answers; saves half a minute a run at 1M);
// ARCD_BENCH_SQL=TEXT runs TEXT on the new database before it is filled (to try an index or a
// setting by hand); ARCD_BENCH_PAY_ORDER=random has payments pay the invoices in random order
// instead of id order (a kept database remembers which). After the run its writes are replayed
// by plain SQL into the database it started from (bench::SqlReplay: what SQLite alone takes for
// them); ARCD_BENCH_NO_REPLAY=1 skips that.
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "cashapp/references.hpp"
#include "cashapp/run.hpp"
#include "test_support.hpp"

#include "bench_util.hpp"

using namespace arcd;
using namespace arcd::bench;
using Stopwatch = std::chrono::steady_clock;

namespace {

std::string make_rf(const std::string& base) {
  for (int cd = 2; cd <= 98; ++cd) {
    const std::string r = "RF" + std::string(cd < 10 ? "0" : "") + std::to_string(cd) + base;
    if (cashapp::is_valid_rf(r)) return r;
  }
  return "";
}

struct BenchInvoice {
  long long id, customer, amount;
  std::string number, rf;
};

// What each payment pays (up to two invoices) and whether it carries a reference.
struct Answer {
  std::array<long long, 2> invoices{0, 0};
  bool reference = false;
};

std::string mangle(const std::string& number, int how) {
  // number: INV-2026-0001234
  const std::string year = number.substr(4, 4), seq = number.substr(9);
  const std::string short_seq = std::to_string(std::stoll(seq));
  switch (how % 5) {
    case 0: return "Invoice " + number;
    case 1: return "re inv " + year + "/" + short_seq;
    case 2: return "RECHNUNG " + year + seq;
    case 3: return "Zahlung INV-" + year + "-" + seq.substr(0, 3) + "\n" + seq.substr(3) + " danke";
    default: return "inv" + year + "-" + short_seq;
  }
}

// The run's writes stored again by SQLite alone (bench::SqlReplay) into `before`, a copy of the
// database the run started from: batch by batch as the run committed them (its entries in id
// order, `batch` at a time), each batch's applications, outbox events, adjustments and queued
// exceptions inserted, its invoices given their new totals and status, its entries taken out of
// the inbox, and SQLite's log copied back after each commit as the store's checker does.
void sqlite_alone_figures(const std::string& before, const std::string& after, long payments, int batch) {
  SqlReplay replay(before, after);
  // Which entry each outbox event came from, by the keys outbox/erp_events.cpp gives them: a
  // payment carries its application's id, a note its entry's.
  replay.untimed(
      "CREATE TEMP TABLE outbox_entry AS SELECT o.id AS id, CASE "
      "WHEN o.idempotency_key LIKE 'payment.applied:ARCD-APP-%' THEN (SELECT a.entry_id FROM run.applications a "
      "  WHERE a.id = CAST(substr(o.idempotency_key, 26) AS INTEGER)) "
      "WHEN o.idempotency_key LIKE 'invoice.note:ARCD-ADJ-%' THEN "
      "  CAST(substr(o.idempotency_key, 23, instr(substr(o.idempotency_key, 23), '-') - 1) AS INTEGER) "
      "END AS entry_id FROM run.outbox o;"
      "CREATE INDEX temp.outbox_entry_by_entry ON outbox_entry(entry_id)");
  // An event of a kind or key this does not know would be left out of the replay silently.
  const long long events = replay.integer("SELECT count(*) FROM run.outbox");
  const long long placed = replay.integer("SELECT count(*) FROM temp.outbox_entry WHERE entry_id IS NOT NULL");
  if (placed != events) {
    throw std::runtime_error("the replay places " + std::to_string(placed) + " of the run's " + std::to_string(events) +
                             " outbox events in a batch; teach it the others' keys");
  }
  long batches = 0;
  for (long lo = 1; lo <= payments; lo += batch, ++batches) {
    const std::string range = " BETWEEN " + std::to_string(lo) + " AND " + std::to_string(std::min<long>(payments, lo + batch - 1));
    replay.untimed("CREATE TEMP TABLE b_applications AS SELECT * FROM run.applications WHERE entry_id" + range + " ORDER BY id;"
                   "CREATE TEMP TABLE b_outbox AS SELECT * FROM run.outbox WHERE id IN "
                   "(SELECT id FROM temp.outbox_entry WHERE entry_id" + range + ") ORDER BY id;"
                   "CREATE TEMP TABLE b_adjustments AS SELECT * FROM run.adjustments WHERE entry_id" + range + " ORDER BY id;"
                   "CREATE TEMP TABLE b_exceptions AS SELECT * FROM run.cash_exceptions WHERE entry_id" + range + " ORDER BY entry_id;"
                   "CREATE TEMP TABLE b_invoices AS SELECT * FROM run.invoices WHERE id IN "
                   "(SELECT invoice_id FROM temp.b_applications) ORDER BY id");
    replay.begin();
    replay.timed("applications", "INSERT INTO main.applications SELECT * FROM temp.b_applications");
    replay.timed("outbox", "INSERT INTO main.outbox SELECT * FROM temp.b_outbox");
    replay.timed("adjustments", "INSERT INTO main.adjustments SELECT * FROM temp.b_adjustments");
    replay.timed("exceptions", "INSERT INTO main.cash_exceptions SELECT * FROM temp.b_exceptions");
    replay.timed("invoices",
        "UPDATE main.invoices SET amount_applied = v.amount_applied, amount_adjusted = v.amount_adjusted, "
        "amount_open = v.amount_open, status = v.status, version = v.version, updated_at = v.updated_at "
        "FROM temp.b_invoices v WHERE main.invoices.id = v.id");
    replay.timed("inbox", "DELETE FROM main.cash_inbox WHERE entry_id" + range);
    replay.commit();
    replay.checkpoint();
    replay.untimed("DROP TABLE temp.b_applications; DROP TABLE temp.b_outbox; DROP TABLE temp.b_adjustments; "
                   "DROP TABLE temp.b_exceptions; DROP TABLE temp.b_invoices");
  }
  std::printf("  SQLite alone, the run's writes replayed by plain SQL in %ld transaction%s: %.2f s (statements %.2f s, commits %.2f s), "
              "and %.2f s copying its log back\n",
              batches, batches == 1 ? "" : "s", replay.statement_seconds + replay.commit_seconds, replay.statement_seconds, replay.commit_seconds,
              replay.checkpoint_seconds);
  std::printf("  of its statements:");
  for (const auto& [label, seconds] : replay.shares) std::printf(" %s %.2f s", label.c_str(), seconds);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const long n_invoices = argc > 1 ? std::stol(argv[1]) : 20000;
  const long n_payments = argc > 2 ? std::stol(argv[2]) : n_invoices;
  const long n_customers = std::max(1L, n_invoices / 10);
  test::TempDir dir;
  const char* reuse = std::getenv("ARCD_BENCH_REUSE_DB");
  const std::string path = (dir / "bench.db").string();
  // A reused file is copied under a name of its own: SQLite keeps state per file within a
  // process, so the generator's file is never overwritten under it.
  const std::string run_path = reuse ? (dir / "reused.db").string() : path;
  const std::string url = "sqlite://" + path;
  {
    auto store = open_store({url, 1, 5000});
    store->migrate();
  }
  if (const char* x = std::getenv("ARCD_BENCH_SQL")) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, x);
    sqlite3_close(db);
  }
  std::mt19937_64 rng(7);
  const auto t_gen = Stopwatch::now();
  std::vector<BenchInvoice> invoices;
  std::vector<std::vector<long long>> by_customer(static_cast<std::size_t>(n_customers) + 1);
  std::vector<Answer> answers;
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN");
    const std::string now = "2026-11-20T09:00:00Z";
    Insert customer(db, "INSERT INTO customers(id, source, external_id, name, created_at, updated_at) VALUES(?, 'erp', ?, ?, ?, ?)", reuse != nullptr);
    Insert account(db, "INSERT INTO customer_accounts(customer_id, account, origin, created_at) VALUES(?, ?, 'master', ?)", reuse != nullptr);
    for (long c = 1; c <= n_customers; ++c) {
      customer.i(1, c).s(2, "C" + std::to_string(c)).s(3, "Customer " + std::to_string(c) + " Trading GmbH").s(4, now).s(5, now).run();
      if (c % 10 < 7) account.i(1, c).s(2, "DE" + std::to_string(10 + c % 89) + std::to_string(370400440000000000LL + c)).s(3, now).run();
    }
    Insert invoice(db,
                   "INSERT INTO invoices(id, source, number, customer_id, issue_date, due_date, currency, amount_total, amount_open, "
                   "payment_reference, status, created_at, updated_at, erp_open, external_id) "
                   "VALUES(?, 'erp', ?, ?, ?, ?, 'EUR', ?, ?, ?, 'open', ?, ?, ?, ?)",
                   reuse != nullptr);
    for (long k = 1; k <= n_invoices; ++k) {
      BenchInvoice v;
      v.id = k;
      v.customer = 1 + static_cast<long long>(rng() % static_cast<unsigned long long>(n_customers));
      v.amount = 1000 + static_cast<long long>(rng() % 499000);
      char num[32];
      std::snprintf(num, sizeof num, "INV-2026-%07ld", k);
      v.number = num;
      if (rng() % 2) v.rf = make_rf("2026" + std::to_string(k));
      const int due_day = 1 + static_cast<int>(k % 28);
      char due[16];
      std::snprintf(due, sizeof due, "2026-10-%02d", due_day);
      invoice.i(1, k).s(2, v.number).i(3, v.customer).s(4, "2026-09-01").s(5, due).i(6, v.amount).i(7, v.amount).s(8, v.rf).s(9, now)
          .s(10, now).i(11, v.amount).s(12, std::to_string(1000000 + k)).run();
      by_customer[static_cast<std::size_t>(v.customer)].push_back(k);
      invoices.push_back(std::move(v));
    }
    if (!reuse) {
      exec(db, "INSERT INTO raw_files(sha256, name, size, received_at) VALUES('bench', 'bench', 0, '2026-11-20T09:00:00Z');"
               "INSERT INTO statements(id, format, file_sha256, account, currency, imported_at) "
               "VALUES(1, 'camt.053.001.08', 'bench', 'DE02120300000000202051', 'EUR', '2026-11-20T09:00:00Z')");
    }
    Insert entry(db,
                 "INSERT INTO entries(id, statement_id, entry_key, position, amount, currency, direction, status, booking_date, "
                 "value_date, end_to_end_id, payer_name, payer_account, remittance, structured_reference, entry_amount) "
                 "VALUES(?, 1, ?, ?, ?, 'EUR', 'credit', 'booked', '2026-11-20', '2026-11-20', ?, ?, ?, ?, ?, ?)",
                 reuse != nullptr);
    std::vector<char> used(static_cast<std::size_t>(n_invoices) + 1, 0);
    // Payments pay invoices in the order of their ids (what a ledger paid on time looks like),
    // or with ARCD_BENCH_PAY_ORDER=random in any order, which spreads each batch's invoice
    // updates over the whole table.
    std::vector<long> order(static_cast<std::size_t>(n_invoices));
    for (long k = 0; k < n_invoices; ++k) order[static_cast<std::size_t>(k)] = k + 1;
    if (const char* o = std::getenv("ARCD_BENCH_PAY_ORDER"); o && std::string(o) == "random") {
      std::mt19937_64 shuffle_rng(19);
      std::shuffle(order.begin(), order.end(), shuffle_rng);
    }
    std::size_t next_unused = 0;
    auto take = [&]() -> const BenchInvoice* {
      while (next_unused < order.size() && used[static_cast<std::size_t>(order[next_unused])]) ++next_unused;
      if (next_unused == order.size()) return nullptr;
      const long k = order[next_unused];
      used[static_cast<std::size_t>(k)] = 1;
      return &invoices[static_cast<std::size_t>(k - 1)];
    };
    for (long p = 1; p <= n_payments; ++p) {
      const BenchInvoice* v = take();
      if (!v) break;
      Answer a;
      a.invoices[0] = v->id;
      long long amount = v->amount;
      std::string remittance, structured, payer_name = "Customer " + std::to_string(v->customer) + " Trading", payer_account;
      const int kind = static_cast<int>(rng() % 100);
      if (kind < 80) {  // a reference: RF (structured or in text) or the invoice number, sometimes mangled
        a.reference = true;
        if (!v->rf.empty() && rng() % 2) {
          if (rng() % 2) structured = v->rf;
          else remittance = "Payment ref " + v->rf.substr(0, 4) + " " + v->rf.substr(4);
        } else {
          remittance = mangle(v->number, static_cast<int>(rng()));
        }
      } else if (kind < 90) {  // partial or short
        a.reference = true;
        amount = rng() % 2 ? v->amount - 150 : v->amount / 2;
        remittance = "Teilzahlung " + v->number;
      } else if (kind < 95) {  // two invoices of the customer
        a.reference = true;
        const BenchInvoice* w = nullptr;
        for (auto id : by_customer[static_cast<std::size_t>(v->customer)]) {
          if (!used[static_cast<std::size_t>(id)]) {
            used[static_cast<std::size_t>(id)] = 1;
            w = &invoices[static_cast<std::size_t>(id - 1)];
            break;
          }
        }
        if (w) {
          a.invoices[1] = w->id;
          amount += w->amount;
          remittance = "Rechnungen " + v->number + ", " + w->number;
        } else {
          remittance = v->number;
        }
      } else {  // payer and amount only
        if (v->customer % 10 < 7) payer_account = "DE" + std::to_string(10 + v->customer % 89) + std::to_string(370400440000000000LL + v->customer);
      }
      entry.i(1, p).s(2, "bench#" + std::to_string(p)).i(3, p).i(4, amount).s(5, "E2E-" + std::to_string(p)).s(6, payer_name)
          .s(7, payer_account).s(8, remittance).s(9, structured).i(10, amount).run();
      answers.push_back(a);
    }
    exec(db, reuse ? "COMMIT" : "INSERT INTO cash_inbox(entry_id) SELECT id FROM entries; COMMIT");
    sqlite3_close(db);
  }
  const long payments = static_cast<long>(answers.size());
  std::printf("%ld open invoices, %ld customers, %ld payments %s in %.1f s\n", n_invoices, n_customers, payments,
              reuse ? "generated (rows not written)" : "written", std::chrono::duration<double>(Stopwatch::now() - t_gen).count());
  if (reuse) {
    std::filesystem::copy_file(reuse, run_path);
    std::printf("running on a copy of %s\n", reuse);
  }

  if (const char* keep = std::getenv("ARCD_BENCH_KEEP_DB")) {  // the generated database, for experiments by hand
    std::filesystem::copy_file(path, keep, std::filesystem::copy_options::overwrite_existing);
    std::printf("generated database copied to %s\n", keep);
  }
  // The database as the run will find it, for the replay after it (bench::SqlReplay).
  const bool replay = !std::getenv("ARCD_BENCH_NO_REPLAY");
  const std::string before_path = (dir / "before.db").string();
  if (replay) copy_database(reuse ? std::string(reuse) : path, before_path);
  // Two connections, as the daemon has (its pool holds four): the run's invariant check reads
  // on the second while the run writes on the first.
  auto store = open_store({"sqlite://" + run_path, 2, 5000});
  auto clock = make_system_clock();
  cashapp::MatchSettings settings;
  settings.small_difference = {"2.00", "1"};
  if (const char* b = std::getenv("ARCD_BENCH_BATCH")) settings.batch_size = std::atoi(b);  // default 20000
  const long rss_before = current_rss_mb(), anon_before = anon_rss_mb();
  const auto t0 = Stopwatch::now();
  const double cpu0 = cpu_seconds(), run_thread_cpu0 = cpu_seconds(RUSAGE_THREAD);
  // The process's own memory (without the database pages SQLite maps, which peak RSS counts),
  // read after every batch, when the run's index of open invoices is in memory.
  long own_peak = anon_rss_mb();
  cashapp::RunOptions options;
  options.progress = [&](std::int64_t) { own_peak = std::max(own_peak, anon_rss_mb()); };
  const auto summary = cashapp::run_cash_application(*store, settings, *clock, options);
  const double seconds = std::chrono::duration<double>(Stopwatch::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0, run_thread_cpu = cpu_seconds(RUSAGE_THREAD) - run_thread_cpu0;

  // Accuracy: every automatic application against the generator's answer.
  long auto_applied = 0, wrong = 0, with_reference = 0, reference_applied = 0;
  {
    sqlite3* db = nullptr;
    sqlite3_open(run_path.c_str(), &db);
    std::vector<char> applied(static_cast<std::size_t>(payments) + 1, 0);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT entry_id, invoice_id FROM applications WHERE kind = 'apply'", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto e = sqlite3_column_int64(st, 0);
      const auto inv = sqlite3_column_int64(st, 1);
      const auto& a = answers[static_cast<std::size_t>(e - 1)];
      if (inv != a.invoices[0] && inv != a.invoices[1]) ++wrong;
      applied[static_cast<std::size_t>(e)] = 1;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    for (long p = 1; p <= payments; ++p) {
      const auto& a = answers[static_cast<std::size_t>(p - 1)];
      auto_applied += applied[static_cast<std::size_t>(p)];
      if (a.reference) {
        ++with_reference;
        reference_applied += applied[static_cast<std::size_t>(p)];
      }
    }
  }
  std::printf("cash application: %ld payments in %.3f s = %.0f payments/s (index of %lld open invoices included)\n", payments, seconds,
              static_cast<double>(payments) / seconds, static_cast<long long>(summary.open_invoices));
  std::printf("  auto-applied %.1f %% of all payments; %.2f %% of the %ld with a reference; wrong auto-applications: %ld (%.4f %%)\n",
              100.0 * static_cast<double>(auto_applied) / static_cast<double>(payments),
              100.0 * static_cast<double>(reference_applied) / static_cast<double>(std::max(1L, with_reference)), with_reference, wrong,
              100.0 * static_cast<double>(wrong) / static_cast<double>(std::max(1L, auto_applied)));
  std::printf(
      "  time: index %.2f s, reading entries %.2f s, deciding and writing %.2f s, commits %.2f s (%.2f s of it waiting for the "
      "checker), invariant %.2f s\n",
      summary.index_seconds, summary.read_seconds, summary.decide_seconds, summary.commit_seconds, summary.check_wait_seconds,
      summary.check_seconds);
  // The matching thread against its helpers (the writer, the invariant check, the number keys):
  // which one sets the pace, and whether the second core is used.
  std::printf("  CPU %.1f s over %.1f s (%.2f cores): matching thread %.1f s, writer, checks and index helpers %.1f s\n", cpu, seconds,
              cpu / seconds, run_thread_cpu, cpu - run_thread_cpu);
  std::printf("  RSS %ld MB before the run, peak %ld MB; own memory (RssAnon) %ld MB before, at most %ld MB after a batch; %s\n",
              rss_before, peak_rss_mb(), anon_before, own_peak, summary.invariant.c_str());
  if (replay) {
    store.reset();
    sqlite_alone_figures(before_path, run_path, payments, settings.batch_size);
  }
  std::printf("%s\n", wrong == 0 && summary.invariant_ok ? "1 passed, 0 failed" : "0 passed, 1 failed");
  return wrong == 0 && summary.invariant_ok ? 0 : 1;
}
