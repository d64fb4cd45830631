#include "forecast/forecast.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "forecast/behaviour.hpp"

namespace arcd::forecast {

std::string_view to_string(Basis b) noexcept {
  switch (b) {
    case Basis::due_date: return "due_date";
    case Basis::behaviour: return "behaviour";
    case Basis::ptp: return "ptp";
  }
  return "due_date";
}

std::string_view to_string(Probability p) noexcept {
  switch (p) {
    case Probability::high: return "high";
    case Probability::medium: return "medium";
    case Probability::low: return "low";
  }
  return "medium";
}

namespace {

template <class T, class List>
std::vector<T> all_pages(List list) {
  std::vector<T> out;
  for (Page page{0, 1000};;) {
    auto batch = list(page);
    if (batch.empty()) break;
    page.after_id = batch.back().id.value();
    out.insert(out.end(), batch.begin(), batch.end());
    if (static_cast<int>(batch.size()) < page.limit) break;
  }
  return out;
}

}  // namespace

Forecast build_forecast(Transaction& tx, const ForecastSettings& s, Date as_of) {
  Forecast f;
  f.as_of = as_of;
  // Behaviour per customer and per tier.
  std::unordered_map<std::int64_t, std::string> tier_of;
  tx.cash().for_each_customer([&](const Customer& c) { tier_of[c.id.value()] = c.tier; });
  Behaviour behaviour(s);
  tx.dunning().for_each_payment(as_of.plus_days(-s.window_days), [&](CustomerId c, std::int64_t minor, int days) {
    behaviour.add(c.value(), tier_of[c.value()], minor, days);
  });
  std::unordered_map<std::int64_t, std::string> account_of;
  tx.feeds().for_each_paying_account([&](CustomerId c, const std::string& account) { account_of[c.value()] = account; });
  std::set<std::int64_t> broke_promises;
  for (const auto& [c, n] : tx.dunning().broken_promises(as_of.plus_days(-s.window_days)))
    if (n > 0) broke_promises.insert(c.value());

  // Held out: open disputes (an amount, or the whole invoice).
  std::unordered_map<std::int64_t, std::optional<std::int64_t>> disputed;  // invoice -> amount (nullopt: all)
  DisputeFilter open_disputes;
  open_disputes.open = true;
  for (const auto& d : all_pages<Dispute>([&](const Page& p) { return tx.disputes().list(open_disputes, p); })) {
    auto [it, fresh] = disputed.try_emplace(d.invoice_id.value(), std::int64_t{0});
    if (!d.amount) it->second = std::nullopt;  // the whole invoice
    else if (it->second) *it->second += d.amount->minor();
  }

  // What each open invoice still expects, after disputes.
  struct Open {
    Invoice invoice;
    std::int64_t left;
  };
  std::vector<Open> open;
  tx.cash().for_each_open_invoice([&](const Invoice& inv) {
    std::int64_t left = inv.amount_open.minor();
    if (auto it = disputed.find(inv.id.value()); it != disputed.end()) {
      const std::int64_t held = it->second ? std::min(*it->second, left) : left;
      f.disputed[std::string(inv.amount_open.currency().code())] += held;
      left -= held;
    }
    if (left > 0) open.push_back({inv, left});
  });
  std::sort(open.begin(), open.end(), [](const Open& a, const Open& b) {
    return a.invoice.due_date != b.invoice.due_date ? a.invoice.due_date < b.invoice.due_date : a.invoice.id.value() < b.invoice.id.value();
  });
  std::unordered_map<std::int64_t, std::vector<Open*>> open_by_customer;
  std::unordered_map<std::int64_t, Open*> open_by_id;
  for (auto& o : open) {
    open_by_customer[o.invoice.customer_id.value()].push_back(&o);
    open_by_id[o.invoice.id.value()] = &o;
  }

  auto flow = [&](const Open& o, std::int64_t minor, Date expected, Basis basis, Probability p, int days_late, std::string key) {
    ExpectedInflow e;
    e.key = std::move(key);
    e.invoice = o.invoice.id;
    e.customer = o.invoice.customer_id;
    e.entity = o.invoice.source;
    e.invoice_number = o.invoice.number;
    e.due_date = o.invoice.due_date;
    if (auto a = account_of.find(o.invoice.customer_id.value()); a != account_of.end()) e.account = a->second;
    e.amount = Money(minor, o.invoice.amount_open.currency());
    e.basis = basis;
    e.days_late_assumed = days_late;
    e.expected = expected;
    e.probability = p;
    if (expected <= as_of) {  // late even for this customer: expected, less surely, tomorrow
      e.expected = as_of.plus_days(1);
      e.probability = Probability::low;
    }
    f.flows.push_back(std::move(e));
  };

  // Open promises first: they move what they cover to the promised date.
  for (const auto& ptp : all_pages<Ptp>([&](const Page& p) { return tx.ptps().list(std::nullopt, PtpState::open, p); })) {
    std::int64_t promised = ptp.amount.minor() - ptp.paid.minor();
    std::vector<Open*> covered;
    if (ptp.invoices.empty()) {
      for (auto* o : open_by_customer[ptp.customer_id.value()])
        if (o->invoice.due_date < as_of) covered.push_back(o);
    } else {
      for (auto id : ptp.invoices)
        if (auto it = open_by_id.find(id.value()); it != open_by_id.end()) covered.push_back(it->second);
    }
    const auto p = broke_promises.count(ptp.customer_id.value()) ? Probability::medium : Probability::high;
    for (auto* o : covered) {
      if (promised <= 0) break;
      if (o->invoice.amount_open.currency() != ptp.amount.currency()) continue;
      const std::int64_t part = std::min(promised, o->left);
      if (part <= 0) continue;
      flow(*o, part, ptp.promised_date, Basis::ptp, p, 0,
           "inv:" + std::to_string(o->invoice.id.value()) + ":ptp:" + std::to_string(ptp.id.value()));
      o->left -= part;
      promised -= part;
    }
  }

  // The rest by behaviour, by tier, or at the due date.
  for (auto& o : open) {
    if (o.left <= 0) continue;
    const auto assumed = behaviour.assumed(o.invoice.customer_id.value(), tier_of[o.invoice.customer_id.value()]);
    const Basis basis = assumed.learned ? Basis::behaviour : Basis::due_date;
    const int days = assumed.days;
    const Probability p = basis == Basis::behaviour ? Probability::high : Probability::medium;
    flow(o, o.left, o.invoice.due_date.plus_days(days), basis, p, days, "inv:" + std::to_string(o.invoice.id.value()));
  }

  std::sort(f.flows.begin(), f.flows.end(), [](const ExpectedInflow& a, const ExpectedInflow& b) {
    return a.expected != b.expected ? a.expected < b.expected : a.key < b.key;
  });

  // Cash on account nets the customer's earliest expected flows in its currency (one read).
  std::unordered_map<std::int64_t, std::vector<ExpectedInflow*>> flows_of;
  for (auto& e : f.flows) flows_of[e.customer.value()].push_back(&e);  // already by expected date
  tx.cash().for_each_on_account([&](CustomerId customer, const Money& credit) {
    auto it = flows_of.find(customer.value());
    if (it == flows_of.end() || credit.minor() <= 0) return;
    std::int64_t left = credit.minor();
    f.on_account[std::string(credit.currency().code())] += left;
    for (auto* e : it->second) {
      if (left <= 0) break;
      if (e->amount.currency() != credit.currency()) continue;
      const std::int64_t take = std::min(left, e->amount.minor());
      e->amount = Money(e->amount.minor() - take, e->amount.currency());
      left -= take;
    }
  });
  std::erase_if(f.flows, [](const ExpectedInflow& e) { return e.amount.minor() == 0; });
  return f;
}

std::vector<Bucket> bucket_forecast(const Forecast& f, int horizon_days, GroupBy by) {
  // The periods: days 1-14, then weeks to day 91, then calendar months.
  struct Period {
    Date from, to;
    const char* name;
  };
  std::vector<Period> periods;
  const Date end = f.as_of.plus_days(horizon_days);
  Date d = f.as_of.plus_days(1);
  for (int i = 0; i < 14 && d <= end; ++i, d = d.plus_days(1)) periods.push_back({d, d, "day"});
  while (d <= end && d <= f.as_of.plus_days(91)) {
    periods.push_back({d, std::min(d.plus_days(6), end), "week"});
    d = d.plus_days(7);
  }
  while (d <= end) {
    Date month_end = d;
    const auto month_of = [](Date x) { return std::chrono::year_month_day{x.days()}.month(); };
    while (month_end.plus_days(1) <= end && month_of(month_end.plus_days(1)) == month_of(d)) month_end = month_end.plus_days(1);
    periods.push_back({d, month_end, "month"});
    d = month_end.plus_days(1);
  }
  std::map<std::tuple<std::size_t, std::string, std::string>, Bucket> sums;
  for (const auto& e : f.flows) {
    if (e.expected > end) continue;
    const auto p = std::find_if(periods.begin(), periods.end(), [&](const Period& x) { return e.expected >= x.from && e.expected <= x.to; });
    if (p == periods.end()) continue;
    const std::string currency(e.amount.currency().code());
    const std::string group = by == GroupBy::entity ? e.entity : by == GroupBy::account ? e.account : currency;
    auto& b = sums[{static_cast<std::size_t>(p - periods.begin()), currency, group}];
    b.from = p->from;
    b.to = p->to;
    b.period = p->name;
    b.currency = currency;
    b.group = group;
    b.amount_minor += e.amount.minor();
    ++b.flows;
  }
  std::vector<Bucket> out;
  for (auto& [k, b] : sums) out.push_back(std::move(b));
  return out;
}

}  // namespace arcd::forecast
