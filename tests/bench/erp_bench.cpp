// ERP connector throughput against the fake Odoo on 127.0.0.1: a full pull of N invoices
// (paged as Odoo is paged, into SQLite, with their customers) and the dispatch of N outbox
// events (one payment each: probe, wizard, payment), with `in_flight` requests at once.
// Prints invoices/s, events/s, the most requests the fake saw at once, and peak RSS.
//   build/tests/bench/erp_bench [invoices=100000] [in_flight=32] [page_size=1000]
// ARCD_BENCH_ERP_LATENCY_MS=N makes the fake answer each dispatch request N ms late, as a
// remote ERP does: then the bound is the fake's (in_flight / latency), and the figure shows
// whether the dispatcher reaches it.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_util.hpp"
#include "connectors/odoo/odoo_connector.hpp"
#include "fake_odoo.hpp"
#include "outbox/dispatcher.hpp"
#include "outbox/erp_events.hpp"
#include "sync/erp_pull.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int in_flight = argc > 2 ? std::atoi(argv[2]) : 32;
  const int page_size = argc > 3 ? std::atoi(argv[3]) : 1000;

  fakes::FakeOdoo odoo(17);
  for (int p = 0; p < 1000; ++p) odoo.add_partner(10 + p, "Customer " + std::to_string(p), "ap" + std::to_string(p) + "@example.com");
  for (int i = 0; i < n; ++i) {
    odoo.add_invoice({100000 + i, "INV/2026/" + std::to_string(100000 + i), 10 + i % 1000, "2026-10-01", "2026-10-31", "120.00",
                      "120.00", "EUR", "", "posted", "2026-11-20 08:00:00"});
  }
  test::TempDir dir;
  auto clock = std::make_shared<test::ManualClock>(parse_iso8601("2026-11-24T09:00:00Z").value());
  auto store = open_store({"sqlite://" + (dir / "bench.db").string(), 4, 5000}, clock);
  store->migrate();
  connectors::OdooSettings s;
  s.http.base_url = odoo.url();
  s.database = fakes::FakeOdoo::kDatabase;
  s.login = fakes::FakeOdoo::kLogin;
  s.api_key = fakes::FakeOdoo::kApiKey;
  auto make = [&s] { return std::make_unique<connectors::OdooConnector>(s); };

  // Pull.
  auto erp = make();
  sync::ErpPullSettings ps;
  ps.source = "odoo";
  ps.page_size = page_size;
  const auto t0 = std::chrono::steady_clock::now();
  const auto pulled = sync::pull_from_erp(*store, *erp, ps, *clock, "bench");
  const double pull_s = seconds_since(t0);
  std::printf("pull: %d invoices in %d pages of %d in %.2f s = %.0f invoices/s (%s)\n", pulled.records, pulled.pages, page_size, pull_s,
              pulled.records / pull_s, pulled.sync.to_string().c_str());
  std::printf("  peak RSS %ld MB (fake ERP included)\n", bench::peak_rss_mb());
  // The daily full sweep over the same invoices, nothing changed: the steady state.
  {
    auto tx = store->begin();
    auto c = tx->cursors().get("odoo", "invoices").value();
    c.full_sweep_at.reset();
    tx->cursors().put("odoo", "invoices", c);
    tx->commit();
  }
  const auto t_sweep = std::chrono::steady_clock::now();
  const auto swept = sync::pull_from_erp(*store, *erp, ps, *clock, "bench");
  const double sweep_s = seconds_since(t_sweep);
  std::printf("sweep again: %d invoices (%d unchanged) in %.2f s = %.0f invoices/s\n", swept.records, swept.sync.invoices_unchanged, sweep_s,
              swept.records / sweep_s);
  if (argc > 4 && std::string(argv[4]) == "pull") return pulled.records == n ? 0 : 1;

  // Dispatch: one payment event per invoice, written as cash application writes them.
  {
    auto tx = store->begin();
    Page page{0, 5000};
    for (;;) {
      auto batch = tx->invoices().list({}, page);
      for (const auto& inv : batch) {
        outbox::payment_applied(*tx, {inv.id, inv.source, inv.external_id, inv.number}, "ARCD-APP-B" + inv.id.to_string(),
                                inv.amount_open, utc_date(clock->now()));
      }
      if (batch.size() < static_cast<std::size_t>(page.limit)) break;
      page.after_id = batch.back().id.value();
    }
    tx->commit();
  }
  outbox::DispatchSettings ds;
  ds.in_flight = in_flight;
  ds.batch = std::max(256, in_flight * 8);
  outbox::Dispatcher d(*store, clock, ds, "bench", std::make_shared<spdlog::logger>("outbox", std::make_shared<spdlog::sinks::null_sink_mt>()));
  d.add_target("odoo", make);
  const char* latency_env = std::getenv("ARCD_BENCH_ERP_LATENCY_MS");
  const int latency_ms = latency_env ? std::atoi(latency_env) : 0;
  if (latency_ms > 0) {
    fakes::Fault late;
    late.kind = fakes::FaultKind::slow;
    late.delay = std::chrono::milliseconds(latency_ms);
    late.times = 1 << 30;
    odoo.server().inject(late);
  }
  const int requests_before = odoo.server().requests_served();
  const auto service_before = odoo.server().service_time();
  const auto t1 = std::chrono::steady_clock::now();
  const double cpu0 = bench::cpu_seconds(), dispatcher_cpu0 = bench::cpu_seconds(RUSAGE_THREAD);
  const auto pass = d.drain(std::chrono::seconds(3600));
  const double dispatch_s = seconds_since(t1);
  const double cpu = bench::cpu_seconds() - cpu0, dispatcher_cpu = bench::cpu_seconds(RUSAGE_THREAD) - dispatcher_cpu0;
  std::printf("dispatch: %d events delivered (%d retried, %d dead) in %.2f s = %.0f events/s, %d in flight, the fake saw at most %d requests at once\n",
              pass.delivered, pass.retried, pass.dead, dispatch_s, pass.delivered / dispatch_s, in_flight, odoo.server().max_concurrent());
  const int requests = odoo.server().requests_served() - requests_before;
  std::printf("  %d HTTP requests (%.1f per event) = %.0f requests/s; peak RSS %ld MB\n", requests, double(requests) / pass.delivered,
              requests / dispatch_s, bench::peak_rss_mb());
  // Requests the fake had in service on average: near `in_flight`, the dispatcher kept it busy
  // and the fake set the pace; well below, the dispatcher's side did.
  const double serving = std::chrono::duration<double>(odoo.server().service_time() - service_before).count() / dispatch_s;
  std::printf("  the fake was answering %.1f requests on average (of %d allowed)\n", serving, in_flight);
  if (latency_ms > 0) {
    const double bound = in_flight * 1000.0 / latency_ms;
    std::printf("  the fake answers %d ms late: at most %.0f requests/s with %d in flight; reached %.0f %%\n", latency_ms, bound, in_flight,
                100.0 * requests / dispatch_s / bound);
  }
  // On loopback the kernel's TCP work for both ends lands mostly on the sending thread, so the
  // dispatcher's share includes much of the fake's networking.
  std::printf("  CPU: %.1f cores busy of %ld (dispatcher thread %.2f s, fake and the rest %.2f s, over %.2f s); %d in flight at most\n",
              cpu / dispatch_s, sysconf(_SC_NPROCESSORS_ONLN), dispatcher_cpu, cpu - dispatcher_cpu, dispatch_s, d.peak_in_flight());
  return pass.delivered == n && pulled.records == n ? 0 : 1;
}
