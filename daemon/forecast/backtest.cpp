#include "forecast/backtest.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "arcd/error.hpp"
#include "arcd/wide_int.hpp"
#include "forecast/behaviour.hpp"

namespace arcd::forecast {

namespace {

constexpr int kBands[][2] = {{1, 7}, {8, 14}, {15, 30}, {31, 60}, {61, 90}};
constexpr int kBandCount = sizeof kBands / sizeof kBands[0];

int band_of(int days_ahead) {
  for (int b = 0; b < kBandCount; ++b)
    if (days_ahead >= kBands[b][0] && days_ahead <= kBands[b][1]) return b;
  return -1;
}

std::optional<std::int64_t> share_bp(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<std::int64_t>(static_cast<int128>(part) * 10000 / whole);
}

struct History {
  KpiInvoice invoice;
  std::string tier;
  std::vector<InvoiceFlow> flows;  // by date
};

}  // namespace

std::optional<std::int64_t> BacktestBand::mae_bp() const { return share_bp(abs_error_minor, actual_minor); }
std::optional<std::int64_t> BacktestBand::bias_bp() const { return share_bp(predicted_minor - actual_minor, actual_minor); }

Backtest run_backtest(Transaction& tx, const ForecastSettings& s, Date from, Date to, int step_days, Date data_until) {
  if (from > to) throw Error("BACKTEST_RANGE", "--from " + from.to_string() + " is after --to " + to.to_string());
  if (step_days < 1) throw Error("BACKTEST_RANGE", "--step is at least one day");
  Backtest out;
  std::unordered_map<std::int64_t, std::string> tier_of;
  tx.cash().for_each_customer([&](const Customer& c) { tier_of[c.id.value()] = c.tier; });
  std::vector<History> invoices;
  std::unordered_map<std::int64_t, std::size_t> index;
  tx.dunning().for_each_kpi_invoice([&](const KpiInvoice& k) {
    if (k.status == InvoiceStatus::cancelled) return;
    index[k.id.value()] = invoices.size();
    invoices.push_back({k, tier_of[k.customer.value()], {}});
  });
  tx.dunning().for_each_invoice_flow([&](const InvoiceFlow& f) {
    if (auto it = index.find(f.invoice.value()); it != index.end()) {
      invoices[it->second].flows.push_back(f);
      out.payments += f.kind == "apply" ? 1 : 0;
    }
  });
  for (auto& h : invoices)
    std::sort(h.flows.begin(), h.flows.end(), [](const InvoiceFlow& a, const InvoiceFlow& b) { return a.on < b.on; });
  out.invoices = static_cast<std::int64_t>(invoices.size());

  // Sums per (currency, band) over all as-of dates.
  std::map<std::pair<std::string, int>, BacktestBand> sums;
  for (Date as_of = from; as_of <= to; as_of = as_of.plus_days(step_days)) {
    ++out.as_of_dates;
    // What was known that day: payments applied in the window before it.
    Behaviour behaviour(s);
    const Date window_start = as_of.plus_days(-s.window_days);
    for (const auto& h : invoices)
      for (const auto& f : h.flows)
        if (f.kind == "apply" && f.on >= window_start && f.on < as_of)
          behaviour.add(h.invoice.customer.value(), h.tier, f.amount, days_between(h.invoice.due_date, f.on));
    // Per currency and band: what the forecast expected and what arrived, this date.
    std::map<std::pair<std::string, int>, std::pair<std::int64_t, std::int64_t>> day;
    for (const auto& h : invoices) {
      if (h.invoice.issue_date > as_of) continue;
      std::int64_t open = h.invoice.total;
      for (const auto& f : h.flows) {
        if (f.on > as_of) break;
        open -= f.amount;
      }
      if (open <= 0) continue;
      const auto assumed = behaviour.assumed(h.invoice.customer.value(), h.tier);
      Date expected = h.invoice.due_date.plus_days(assumed.days);
      if (expected <= as_of) expected = as_of.plus_days(1);  // late even for this customer: tomorrow
      if (const int b = band_of(days_between(as_of, expected)); b >= 0) day[{h.invoice.currency, b}].first += open;
      for (const auto& f : h.flows) {
        if (f.on <= as_of || (f.kind != "apply" && f.kind != "unapply")) continue;
        if (const int b = band_of(days_between(as_of, f.on)); b >= 0) day[{h.invoice.currency, b}].second += f.amount;
      }
    }
    for (auto& [key, v] : day) {
      const auto& [currency, b] = key;
      if (as_of.plus_days(kBands[b][1]) >= data_until) continue;  // its actuals are not all in yet
      auto& band = sums[key];
      band.currency = currency;
      band.from_day = kBands[b][0];
      band.to_day = kBands[b][1];
      ++band.dates;
      band.predicted_minor += v.first;
      band.actual_minor += v.second;
      band.abs_error_minor += v.first > v.second ? v.first - v.second : v.second - v.first;
    }
  }
  for (auto& [key, band] : sums) out.bands.push_back(std::move(band));
  return out;
}

}  // namespace arcd::forecast
