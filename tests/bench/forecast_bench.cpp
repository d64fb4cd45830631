// The forecast on generated data whose true payment behaviour is known: every customer pays a
// fixed number of days late (0 to 45, by customer) give or take a few days, a few pay
// erratically. Eighteen months of invoices, those due before today paid on that schedule.
// Prints the time and memory to build the forecast and a feed snapshot over the open
// invoices, and the back-test over three months of as-of dates: MAE and bias per horizon
// band, how far treasury can trust the figures when behaviour is stable.
// Usage: forecast_bench [INVOICES] [CUSTOMERS]   (defaults 1000000 and 100000)
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "bench_util.hpp"
#include "forecast/backtest.hpp"
#include "forecast/feed_snapshot.hpp"
#include "forecast/forecast.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace arcd::bench;
using Stopwatch = std::chrono::steady_clock;

namespace {

double seconds_since(Stopwatch::time_point t) { return std::chrono::duration<double>(Stopwatch::now() - t).count(); }

std::string percent(std::optional<std::int64_t> bp) {
  if (!bp) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", static_cast<double>(*bp) / 100.0);
  return buf;
}

}  // namespace

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
  long paid = 0;
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; BEGIN");
    const std::string now = to_iso8601(clock->now());
    exec(db, "INSERT INTO raw_files(sha256, name, size, received_at) VALUES('bench', 'b', 0, '2026-11-24T06:00:00Z')");
    exec(db, "INSERT INTO statements(id, format, file_sha256, account, currency, imported_at) VALUES(1, 'camt.053.001.08', 'bench', "
             "'DE02120300000000202051', 'EUR', '2026-11-24T06:00:00Z')");
    Insert customer(db,
                    "INSERT INTO customers(id, source, external_id, name, email, tier, language, created_at, updated_at) "
                    "VALUES(?, 'erp', ?, ?, '', ?, 'en', ?, ?)");
    const char* tiers[] = {"", "silver", "gold"};
    for (long c = 1; c <= n_customers; ++c)
      customer.i(1, c).s(2, "C" + std::to_string(c)).s(3, "Customer " + std::to_string(c)).s(4, tiers[c % 3]).s(5, now).s(6, now).run();
    Insert invoice(db,
                   "INSERT INTO invoices(id, source, number, customer_id, issue_date, due_date, currency, amount_total, amount_open, "
                   "amount_applied, payment_reference, status, created_at, updated_at, erp_open) "
                   "VALUES(?, 'erp', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Insert entry(db,
                 "INSERT INTO entries(id, statement_id, entry_key, position, amount, currency, direction, status, booking_date, value_date) "
                 "VALUES(?, 1, ?, ?, ?, ?, 'credit', 'booked', ?, ?)");
    Insert application(db,
                       "INSERT INTO applications(entry_id, invoice_id, kind, amount, currency, rule, actor, created_at) "
                       "VALUES(?, ?, 'apply', ?, ?, 'reference', 'system:cashapp', ?)");
    std::mt19937_64 rng(20261124);
    const int habits[] = {0, 3, 7, 14, 21, 30, 45};
    for (long k = 1; k <= n_invoices; ++k) {
      const long c = 1 + static_cast<long>(rng() % static_cast<unsigned long>(n_customers));
      const Date issue = today.plus_days(-1 - static_cast<int>(rng() % 540));
      const Date due = issue.plus_days(30);
      const bool erratic = c % 20 == 7;  // one customer in twenty: within a fortnight either way
      const int noise = erratic ? static_cast<int>(rng() % 31) - 15 : static_cast<int>(rng() % 7) - 3;
      const Date pays = due.plus_days(std::max(-10, habits[c % 7] + noise));
      const long long amount = 1000 + static_cast<long long>(rng() % 500000);
      const std::string currency = c % 10 == 0 ? "USD" : "EUR";
      const bool is_paid = pays < today;
      invoice.i(1, k).s(2, "INV-" + std::to_string(k)).i(3, c).s(4, issue.to_string()).s(5, due.to_string()).s(6, currency).i(7, amount)
          .i(8, is_paid ? 0 : amount).i(9, is_paid ? amount : 0).s(10, "REF" + std::to_string(k)).s(11, is_paid ? "paid" : "open").s(12, now)
          .s(13, now).i(14, is_paid ? 0 : amount).run();
      if (!is_paid) continue;
      ++paid;
      entry.i(1, k).s(2, "bench-" + std::to_string(k)).i(3, k).i(4, amount).s(5, currency).s(6, pays.to_string()).s(7, pays.to_string()).run();
      application.i(1, k).i(2, k).i(3, amount).s(4, currency).s(5, pays.to_string() + "T12:00:00Z").run();
    }
    exec(db, "COMMIT");
    sqlite3_close(db);
  }
  std::printf("seeded %ld invoices (%ld paid on their customer's habit, %ld open) of %ld customers in %.1f s\n", n_invoices, paid,
              n_invoices - paid, n_customers, seconds_since(seed_start));

  auto store = open_store({"sqlite://" + path, 2, 5000}, clock);
  forecast::ForecastSettings settings;
  {
    auto tx = store->begin();
    auto t = Stopwatch::now();
    const auto f = forecast::build_forecast(*tx, settings, today);
    const double build = seconds_since(t);
    t = Stopwatch::now();
    const auto snapshot = forecast::next_feed_snapshot(*tx, f, clock->now(), settings);
    const auto body = mapping::tms::feed_json(snapshot.feed);
    const double feed = seconds_since(t);
    tx->commit();
    std::printf("forecast as of %s: %zu flows in %.2f s; feed snapshot of %zu flows (%zu kB JSON) in %.2f s; peak RSS %ld MB\n",
                today.to_string().c_str(), f.flows.size(), build, snapshot.feed.flows.size(), body.size() / 1024, feed, peak_rss_mb());
  }
  {
    auto tx = store->begin();
    const auto t = Stopwatch::now();
    const auto b = forecast::run_backtest(*tx, settings, today.plus_days(-181), today.plus_days(-91), 7, today);
    std::printf("back-test %s..%s weekly (%d as-of dates, %lld invoices, %lld payments) in %.1f s; peak RSS %ld MB\n",
                today.plus_days(-181).to_string().c_str(), today.plus_days(-91).to_string().c_str(), b.as_of_dates,
                static_cast<long long>(b.invoices), static_cast<long long>(b.payments), seconds_since(t), peak_rss_mb());
    std::printf("  %-4s %-8s %6s %18s %18s %9s %9s\n", "ccy", "horizon", "dates", "actual", "predicted", "MAE", "bias");
    for (const auto& x : b.bands) {
      const auto ccy = Currency::of(x.currency);
      std::printf("  %-4s %3d-%-4d %6d %18s %18s %9s %9s\n", x.currency.c_str(), x.from_day, x.to_day, x.dates,
                  Money(x.actual_minor, ccy).to_string().c_str(), Money(x.predicted_minor, ccy).to_string().c_str(), percent(x.mae_bp()).c_str(),
                  percent(x.bias_bp()).c_str());
    }
  }
  return 0;
}
