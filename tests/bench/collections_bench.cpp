// The daily collections run over a large portfolio on SQLite: the first run (every invoice
// placed in its policy, most of them caught up at once) and the next day's run (the steady
// state: only what moved). Prints wall time, stages, emails and peak memory.
// Usage: collections_bench [INVOICES] [CUSTOMERS]   (defaults 1000000 and 100000)
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "app/collections_config.hpp"
#include "bench_util.hpp"
#include "collections/run.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace arcd::bench;
using Stopwatch = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const long n_invoices = argc > 1 ? std::stol(argv[1]) : 1000000;
  const long n_customers = argc > 2 ? std::stol(argv[2]) : 100000;
  test::TempDir dir;
  const std::string path = (dir / "bench.db").string();
  const Date today(2026, 11, 24);
  auto clock = std::make_shared<test::ManualClock>(std::chrono::sys_days(today.days()) + std::chrono::hours(7));
  {
    auto store = open_store({"sqlite://" + path, 1, 5000}, clock);
    store->migrate();
  }
  const auto seed_start = Stopwatch::now();
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN");
    const std::string now = to_iso8601(clock->now());
    Insert customer(db,
                    "INSERT INTO customers(id, source, external_id, name, email, tier, language, created_at, updated_at) "
                    "VALUES(?, 'erp', ?, ?, ?, ?, ?, ?, ?)");
    const char* tiers[] = {"", "", "", "silver", "gold", "key"};
    for (long c = 1; c <= n_customers; ++c) {
      customer.i(1, c).s(2, "C" + std::to_string(c)).s(3, "Customer " + std::to_string(c) + " GmbH")
          .s(4, "ap" + std::to_string(c) + "@example.com").s(5, tiers[c % 6]).s(6, c % 3 == 0 ? "de" : "en").s(7, now).s(8, now).run();
    }
    Insert invoice(db,
                   "INSERT INTO invoices(source, number, customer_id, issue_date, due_date, currency, amount_total, amount_open, "
                   "payment_reference, status, created_at, updated_at, erp_open) VALUES('erp', ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)");
    std::mt19937_64 rng(20261124);
    for (long k = 0; k < n_invoices; ++k) {
      const long c = 1 + static_cast<long>(rng() % static_cast<unsigned long>(n_customers));
      const int due_offset = static_cast<int>(rng() % 151) - 120;  // due between 120 days ago and 30 days ahead
      const Date due = today.plus_days(due_offset);
      const long long amount = 1000 + static_cast<long long>(rng() % 500000);
      invoice.s(1, "INV-" + std::to_string(k)).i(2, c).s(3, due.plus_days(-30).to_string()).s(4, due.to_string())
          .s(5, c % 10 == 0 ? "USD" : "EUR").i(6, amount).i(7, amount).s(8, "REF" + std::to_string(k)).s(9, now).s(10, now).i(11, amount)
          .run();
    }
    exec(db, "INSERT INTO raw_files(sha256, name, size, received_at) VALUES('bench', 'b', 0, '2026-11-24T06:00:00Z')");
    exec(db, "INSERT INTO statements(format, file_sha256, account, currency, imported_at) VALUES('camt.053.001.08', 'bench', 'DE00', 'EUR', "
             "'2026-11-24T06:00:00Z')");
    exec(db, "COMMIT");
    sqlite3_close(db);
  }
  std::printf("seeded %ld open invoices of %ld customers in %.1f s\n", n_invoices, n_customers,
              std::chrono::duration<double>(Stopwatch::now() - seed_start).count());

  auto store = open_store({"sqlite://" + path, 2, 5000}, clock);
  collections::CollectionsSettings s;
  s.policies = app::default_policies();
  s.batch_customers = 2000;
  const auto templates = collections::TemplateSet::load("");
  {
    // Deciding alone (reading, planning, rendering, no writes): what the writes cost is the rest.
    const auto dry = collections::run_collections(*store, *clock, s, templates, {today, true, "system:collections"}, nullptr);
    std::printf("dry run (%s): %.1f s wall (read %.1f s, decide and render %.1f s), %zu actions\n", today.to_string().c_str(), dry.seconds,
                dry.read_seconds, dry.act_seconds, dry.actions.size());
  }
  for (int day = 0; day < 3; ++day) {
    clock->set(std::chrono::sys_days(today.plus_days(day).days()) + std::chrono::hours(7));
    const auto r = collections::run_collections(*store, *clock, s, templates, {today.plus_days(day), false, "system:collections"}, nullptr);
    std::printf("%s run (%s): %.1f s wall, %lld customers, %lld open invoices, %lld stages fired, %lld skipped, %lld emails, %lld tasks, "
                "peak RSS %ld MB (heap and stacks now %ld MB; the rest is mapped database pages)\n",
                day == 0 ? "first" : day == 1 ? "next-day" : "third-day", today.plus_days(day).to_string().c_str(), r.seconds,
                static_cast<long long>(r.customers), static_cast<long long>(r.invoices), static_cast<long long>(r.stages_fired),
                static_cast<long long>(r.stages_skipped), static_cast<long long>(r.emails), static_cast<long long>(r.tasks), peak_rss_mb(),
                anon_rss_mb());
    std::printf("  read %.1f s, decide and write %.1f s, commit %.1f s, risk %.1f s\n", r.read_seconds, r.act_seconds, r.commit_seconds,
                r.risk_seconds);
  }
  return 0;
}
