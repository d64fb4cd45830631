// Invoice CSV throughput: parse only, and parse + upsert into SQLite (first import and an
// idempotent re-import). Prints rows/s; run build/tests/bench/invoice_import_bench.
#include <benchmark/benchmark.h>

#include <sstream>

#include "mapping/invoice_csv.hpp"
#include "sync/invoice_sync.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

std::string make_csv(int rows) {
  std::ostringstream out;
  out << "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
         "customer_iban,customer_email\n";
  for (int i = 0; i < rows; ++i) {
    out << "INV-" << i << ",C" << i % 1000 << ",\"Customer " << i % 1000 << ", Ltd\",EUR," << (i + 1) << ".50," << (i + 1)
        << ".50,2026-10-01,2026-10-31,RF18" << i << ",,ap" << i % 1000 << "@example.com\n";
  }
  return out.str();
}

void BM_ParseInvoiceCsv(benchmark::State& state) {
  const auto text = make_csv(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = mapping::parse_invoice_csv(text, "bench.csv", {});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ParseInvoiceCsv)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ImportInvoicesSqlite(benchmark::State& state) {
  const auto batch = mapping::parse_invoice_csv(make_csv(static_cast<int>(state.range(0))), "bench.csv", {}).value();
  for (auto _ : state) {
    state.PauseTiming();
    test::TestDatabase db("sqlite");
    auto store = open_store({db.url(), 1, 5000});
    store->migrate();
    state.ResumeTiming();
    sync::import_invoices(*store, "bench", batch, "bench");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ImportInvoicesSqlite)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ReimportUnchangedSqlite(benchmark::State& state) {
  const auto batch = mapping::parse_invoice_csv(make_csv(static_cast<int>(state.range(0))), "bench.csv", {}).value();
  test::TestDatabase db("sqlite");
  auto store = open_store({db.url(), 1, 5000});
  store->migrate();
  sync::import_invoices(*store, "bench", batch, "bench");
  for (auto _ : state) sync::import_invoices(*store, "bench", batch, "bench");
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReimportUnchangedSqlite)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
