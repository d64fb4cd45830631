#include "collections/kpis.hpp"

#include <algorithm>
#include <unordered_map>

#include "arcd/wide_int.hpp"
#include "cashapp/ptp.hpp"

namespace arcd::collections {
namespace {

// num / den in percent-style units with one decimal ("42.5"); "" when den is 0.
std::string ratio(int128 num, int128 den, int scale) {
  if (den == 0) return "";
  const bool negative = (num < 0) != (den < 0);
  if (num < 0) num = -num;
  if (den < 0) den = -den;
  const int128 tenths = (num * scale * 10 * 2 + den) / (den * 2);  // rounded half up
  return std::string(negative && tenths != 0 ? "-" : "") + std::to_string(static_cast<long long>(tenths / 10)) + "." +
         std::to_string(static_cast<long long>(tenths % 10));
}

struct Totals {
  std::int64_t ar = 0, current = 0, ar_start = 0, sales_90 = 0, sales_30 = 0, sales_365 = 0, written_off_365 = 0;
  std::int64_t aging[5] = {0, 0, 0, 0, 0};
  std::map<int, std::int64_t> sales_by_period;  // 30-day periods back from as_of: 0 = the latest
};

}  // namespace

Kpis compute_kpis(Transaction& tx, Date as_of) {
  Kpis k;
  k.as_of = as_of;
  const Date start = as_of.plus_days(-30);
  // Movements after a date are undone to see the open amount then.
  std::unordered_map<std::int64_t, std::vector<InvoiceFlow>> flows;
  std::int64_t auto_matched = 0, applied = 0;
  std::map<std::string, std::int64_t> written_off_by_invoice_currency;
  tx.dunning().for_each_invoice_flow([&](const InvoiceFlow& f) {
    flows[f.invoice.value()].push_back(f);
    if (f.kind == "apply" && f.on > start && f.on <= as_of) {
      ++applied;
      if (f.rule != "manual") ++auto_matched;
    }
  });
  std::map<std::string, Totals> totals;
  tx.dunning().for_each_kpi_invoice([&](const KpiInvoice& inv) {
    if (inv.issue_date > as_of) return;
    Totals& t = totals[inv.currency];
    const int age = days_between(inv.issue_date, as_of);
    if (age < 90) t.sales_90 += inv.total;
    if (age < 30) t.sales_30 += inv.total;
    if (age < 365) t.sales_365 += inv.total;
    if (age < 360) t.sales_by_period[age / 30] += inv.total;
    std::int64_t open_then = inv.status == InvoiceStatus::cancelled ? 0 : inv.open;
    std::int64_t open_at_start = open_then;
    if (auto it = flows.find(inv.id.value()); it != flows.end()) {
      for (const auto& f : it->second) {
        if (f.on > as_of) open_then += f.amount;
        if (f.on > start) open_at_start += f.amount;
        if (f.kind == "write_off" && f.on <= as_of && days_between(f.on, as_of) < 365) t.written_off_365 += f.amount;
      }
    }
    open_then = std::clamp<std::int64_t>(open_then, 0, inv.total);
    open_at_start = std::clamp<std::int64_t>(open_at_start, 0, inv.total);
    if (inv.issue_date <= start) t.ar_start += open_at_start;
    if (open_then == 0) return;
    t.ar += open_then;
    const int late = days_between(inv.due_date, as_of);
    const int bucket = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
    t.aging[bucket] += open_then;
    if (late <= 0) t.current += open_then;
  });
  std::map<std::string, std::int64_t> unapplied;
  for (const auto& [cur, amount] : tx.dunning().unapplied_by_currency()) unapplied[cur] = amount;
  for (const auto& [cur, amount] : unapplied) totals[cur];

  for (const auto& [cur, t] : totals) {
    const Currency c = Currency::of(cur);
    CurrencyKpis ck;
    ck.currency = cur;
    ck.ar = Money(t.ar, c);
    ck.current = Money(t.current, c);
    ck.sales_90 = Money(t.sales_90, c);
    for (auto a : t.aging) ck.aging.emplace_back(a, c);
    ck.dso_standard = ratio(t.ar, t.sales_90, 90);
    ck.best_possible_dso = ratio(t.current, t.sales_90, 90);
    if (t.sales_90 > 0) ck.average_days_delinquent = ratio(static_cast<int128>(t.ar - t.current), t.sales_90, 90);
    // Countback: the latest periods' sales that the balance still covers.
    int128 remaining = t.ar, days_tenths = 0;
    bool covered = false;
    for (int p = 0; p < 12 && remaining > 0; ++p) {
      const auto it = t.sales_by_period.find(p);
      const std::int64_t sales = it == t.sales_by_period.end() ? 0 : it->second;
      if (sales <= 0) continue;
      if (remaining >= sales) {
        days_tenths += 300;
        remaining -= sales;
      } else {
        days_tenths += (remaining * 300 + sales / 2) / sales;
        remaining = 0;
      }
      covered = true;
    }
    if (covered) ck.dso_countback = ratio(days_tenths, 10, 1);
    const int128 collectable = static_cast<int128>(t.ar_start) + t.sales_30;
    ck.cei = ratio(collectable - t.ar, collectable - t.current, 100);
    ck.bad_debt_ratio = ratio(t.written_off_365, t.sales_365, 100);
    ck.unapplied = Money(unapplied.count(cur) ? unapplied[cur] : 0, c);
    k.currencies.push_back(std::move(ck));
  }
  k.auto_match_rate = ratio(auto_matched, applied, 100);
  k.applications_30d = applied;
  k.ptp_kept_rate = cashapp::ptp_kept_rate(tx, std::nullopt).rate();

  std::map<std::pair<std::string, std::string>, DisputeKpi> by_reason;
  const Instant end_of_day = std::chrono::sys_days(as_of.plus_days(1).days());
  for (Page page{0, 1000};;) {
    const auto disputes = tx.disputes().list({}, page);
    for (const auto& d : disputes) {
      if (d.opened_at >= end_of_day || (d.closed_at && *d.closed_at < end_of_day)) continue;
      const auto inv = tx.invoices().get(d.invoice_id);
      if (!inv) continue;
      const Money value = d.amount ? *d.amount : inv->amount_open;
      auto& row = by_reason[{d.reason, std::string(value.currency().code())}];
      row.reason = d.reason;
      row.currency = std::string(value.currency().code());
      if (row.count == 0) row.value = Money(0, value.currency());
      ++row.count;
      row.value = Money(row.value.minor() + value.minor(), value.currency());
    }
    if (disputes.size() < static_cast<std::size_t>(page.limit)) break;
    page.after_id = disputes.back().id.value();
  }
  for (auto& [key, row] : by_reason) k.disputes.push_back(row);
  return k;
}

}  // namespace arcd::collections
