#include "collections/run.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include <boost/json.hpp>

#include "cashapp/ptp.hpp"
#include "collections/customer_plan.hpp"
#include "collections/pauses.hpp"
#include "collections/risk.hpp"
#include "collections/stage_actions.hpp"

namespace arcd::collections {
namespace {

// Holds whose last day has passed: ended, and the collector hears that the sequence resumes.
int end_lapsed_holds(Transaction& tx, Date day, const CollectionsSettings& s, const Actor& actor) {
  int ended = 0;
  for (const auto& h : tx.holds().unended(std::nullopt)) {
    if (h.until >= day) continue;
    if (!tx.holds().end(h.id, actor)) continue;
    ++ended;
    const auto c = tx.customers().get(h.customer_id);
    Task t;
    t.customer_id = h.customer_id;
    t.invoice_id = h.invoice_id;
    t.kind = "hold_ended";
    t.title = "Hold ended on " + h.until.plus_days(1).to_string() + " (" + h.reason + "); reminders resume";
    t.assignee = c ? s.collector_of(*c) : s.default_collector;
    t.due = day;
    t.source_key = "hold-ended:" + h.id.to_string();
    tx.activities().add_task_once(t);
    tx.activities().add_activity({{}, h.customer_id, "hold", "hold " + h.id.to_string() + " ended: " + t.title, actor, {}});
  }
  return ended;
}

// Stale bank data: overdue reminders wait, so nobody is chased for what they paid yesterday.
void check_cash_freshness(Transaction& tx, const Clock& clock, const CollectionsSettings& s, RunReport& r) {
  if (s.max_statement_age_hours <= 0) return;
  const auto newest = tx.dunning().newest_statement_import();
  const auto limit = clock.now() - std::chrono::hours(s.max_statement_age_hours);
  if (newest && *newest >= limit) return;
  r.cash_stale = true;
  r.cash_stale_detail = newest ? "the newest bank statement arrived " + to_iso8601(*newest) + ", more than " +
                                     std::to_string(s.max_statement_age_hours) + " hours ago"
                               : "no bank statement has arrived yet";
}

}  // namespace

std::string report_json(const RunReport& r) {
  boost::json::object o;
  o["as_of"] = r.as_of.to_string();
  o["dry_run"] = r.dry_run;
  o["customers"] = r.customers;
  o["invoices"] = r.invoices;
  o["stages_fired"] = r.stages_fired;
  o["stages_skipped"] = r.stages_skipped;
  o["emails"] = r.emails;
  o["tasks"] = r.tasks;
  o["credit_holds"] = r.credit_holds;
  o["agency_referrals"] = r.agency_referrals;
  o["writeoff_proposals"] = r.writeoff_proposals;
  o["no_contact"] = r.no_contact;
  o["paused_dispute"] = r.paused_dispute;
  o["paused_ptp"] = r.paused_ptp;
  o["paused_hold"] = r.paused_hold;
  o["blocked_stale_cash"] = r.blocked_stale_cash;
  o["deferred"] = r.deferred;
  o["no_policy"] = r.no_policy;
  o["ptps_expired"] = r.ptps_expired;
  o["holds_ended"] = r.holds_ended;
  o["risk_classes_changed"] = r.risk_classes_changed;
  o["cash_stale"] = r.cash_stale;
  o["cash_stale_detail"] = r.cash_stale_detail;
  o["skipped"] = r.skipped;
  o["full"] = r.full;
  o["seconds"] = r.seconds;
  o["read_seconds"] = r.read_seconds;
  o["act_seconds"] = r.act_seconds;
  o["commit_seconds"] = r.commit_seconds;
  o["risk_seconds"] = r.risk_seconds;
  boost::json::array actions;
  for (const auto& a : r.actions) {
    boost::json::array invoices;
    for (const auto& n : a.invoices) invoices.emplace_back(n);
    actions.push_back({{"customer", a.customer},
                       {"kind", a.kind},
                       {"stage", a.stage},
                       {"currency", a.currency},
                       {"detail", a.detail},
                       {"invoices", std::move(invoices)},
                       {"why", a.why}});
  }
  o["actions"] = std::move(actions);
  return boost::json::serialize(o);
}

RunReport run_collections(Store& store, const Clock& clock, const CollectionsSettings& settings, const TemplateSet& templates,
                          const RunOptions& options, const std::shared_ptr<spdlog::logger>& log,
                          const std::function<void(std::int64_t, std::int64_t)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  RunReport report;
  report.as_of = options.as_of;
  report.dry_run = options.dry_run;
  const Date day = options.as_of;
  // Several daemons on one PostgreSQL database: one runs collections, the others skip. (The
  // stage keys would keep a second run from firing anything twice, but it would trip over the
  // first one's messages.)
  std::unique_ptr<ExclusiveLock> lock;
  if (!options.dry_run) {
    lock = store.try_exclusive("collections");
    if (!lock) {
      report.skipped = true;
      if (log) log->info("collections {}: another daemon is running collections", day.to_string());
      return report;
    }
  }

  // Housekeeping first: what it changes (a broken promise, an ended hold) pauses or resumes
  // invoices in the pass below.
  {
    auto tx = store.begin();
    if (!options.dry_run) {
      tx->dunning().start_run(day);
      report.ptps_expired = cashapp::expire_ptps(*tx, day, options.actor);
      report.holds_ended = end_lapsed_holds(*tx, day, settings, options.actor);
    }
    check_cash_freshness(*tx, clock, settings, report);
    if (!options.dry_run) tx->commit();
  }
  if (report.cash_stale && log) {
    log->warn("collections {}: overdue reminders wait: {}", day.to_string(), report.cash_stale_detail);
  }

  std::vector<Customer> customers;
  Pauses pauses;
  {
    auto tx = store.begin();
    tx->cash().for_each_customer([&](const Customer& c) { customers.push_back(c); });
    pauses = Pauses::load(*tx, day);
  }
  std::sort(customers.begin(), customers.end(), [](const Customer& a, const Customer& b) { return a.id < b.id; });

  RiskAccumulator risk(settings.risk, day);
  {
    auto tx = store.begin();
    risk.load_history(*tx);
  }

  // Incremental: only customers with an invoice whose next stage may be due, new to the
  // sequence, or whose due date moved; everyone when asked, on the first run, or when the
  // policies changed since the last run.
  std::vector<std::size_t> todo;
  {
    auto tx = store.begin();
    const std::string last = tx->dunning().last_run_policies();
    report.full = options.full || last.empty() || last != settings.policies.fingerprint;
    if (report.full) {
      for (std::size_t i = 0; i < customers.size(); ++i) todo.push_back(i);
    } else {
      for (auto id : tx->dunning().customers_due(day, day.plus_days(settings.policies.max_lead_days()))) {
        auto it = std::lower_bound(customers.begin(), customers.end(), id, [](const Customer& c, CustomerId v) { return c.id < v; });
        if (it != customers.end() && it->id == id) todo.push_back(static_cast<std::size_t>(it - customers.begin()));
      }
    }
  }

  const std::size_t batch = static_cast<std::size_t>(std::max(1, settings.batch_customers));
  for (std::size_t start = 0; start < todo.size(); start += batch) {
    const std::size_t end = std::min(todo.size(), start + batch);
    auto t0 = std::chrono::steady_clock::now();
    auto tx = store.begin();
    std::vector<DunnableInvoice> invoices;
    if (report.full) {
      invoices = tx->dunning().dunnable(customers[todo[start]].id, customers[todo[end - 1]].id);
    } else {
      std::vector<CustomerId> ids;
      for (std::size_t k = start; k < end; ++k) ids.push_back(customers[todo[k]].id);
      invoices = tx->dunning().dunnable_of(ids);
    }
    auto t1 = std::chrono::steady_clock::now();
    std::size_t next = 0;
    for (std::size_t k = start; k < end; ++k) {
      const Customer& c = customers[todo[k]];
      std::vector<const DunnableInvoice*> mine;
      while (next < invoices.size() && invoices[next].invoice.customer_id < c.id) ++next;
      while (next < invoices.size() && invoices[next].invoice.customer_id == c.id) mine.push_back(&invoices[next++]);
      if (mine.empty()) continue;
      ++report.customers;
      report.invoices += static_cast<std::int64_t>(mine.size());
      const CustomerPlan plan = plan_customer(settings.policies, c, mine, day, pauses, report.cash_stale, report);
      StageActions actions(*tx, settings, templates, options, report);
      actions.apply(c, plan);
    }
    auto t2 = std::chrono::steady_clock::now();
    if (!options.dry_run) tx->commit();
    auto t3 = std::chrono::steady_clock::now();
    report.read_seconds += std::chrono::duration<double>(t1 - t0).count();
    report.act_seconds += std::chrono::duration<double>(t2 - t1).count();
    report.commit_seconds += std::chrono::duration<double>(t3 - t2).count();
    if (progress) progress(static_cast<std::int64_t>(end), static_cast<std::int64_t>(todo.size()));
  }

  if (!options.dry_run) {
    const auto risk_started = std::chrono::steady_clock::now();
    auto tx = store.begin();
    risk.load_open(*tx);
    report.risk_classes_changed = risk.store(*tx, customers, settings.policies.uses_risk_classes());
    tx->dunning().finish_run(day,
                             report_json([&] {
                               RunReport brief = report;
                               brief.actions.clear();
                               return brief;
                             }()),
                             settings.policies.fingerprint);
    tx->commit();
    report.risk_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - risk_started).count();
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (log) {
    log->info("collections {}{}: {} customers, {} invoices, {} stages fired, {} skipped, {} emails, {} tasks, paused {} "
              "(dispute {}, ptp {}, hold {}), {} waiting for fresh bank data, {:.1f} s",
              day.to_string(), options.dry_run ? " (dry run)" : "", report.customers, report.invoices, report.stages_fired,
              report.stages_skipped, report.emails, report.tasks,
              report.paused_dispute + report.paused_ptp + report.paused_hold, report.paused_dispute, report.paused_ptp,
              report.paused_hold, report.blocked_stale_cash, report.seconds);
  }
  return report;
}

}  // namespace arcd::collections
