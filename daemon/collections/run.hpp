#pragma once
// The daily collections run: every open invoice is placed in its policy for the day, the
// stages it reaches fire (once ever, by the store's key), and what they call for is written in
// the same transaction as the stage records: one email per customer and currency (queued in
// the outbox), collector tasks, escalations, credit holds, agency referrals, write-off
// proposals. Customers are handled a batch per transaction, so a crash loses no more than the
// batch in flight and a rerun (same day or the next) sends nothing twice.
//
// Before the stages: promises to pay whose date plus grace has passed are marked broken (a
// task for the collector), holds past their end are ended (the collector is told). After:
// each customer's risk class is recomputed from its payment history and current overdue share.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "collections/mail_templates.hpp"
#include "collections/settings.hpp"

namespace arcd::collections {

struct RunOptions {
  Date as_of;
  bool dry_run = false;  // plan only: nothing written, what would happen is reported
  Actor actor = "system:collections";
  bool full = false;     // look at every customer, not only those with something that may be due
};

// What a run did (or, dry, would do) for one customer: a message or a task, and why.
struct PlannedAction {
  std::string customer;  // external id
  std::string kind;      // email, task, escalate, credit_hold, agency, writeoff_proposal, fix_contact
  std::string stage;
  std::string currency;
  std::string detail;    // recipients and subject, or the task's title and assignee
  std::vector<std::string> invoices;  // numbers
  std::string why;
};

struct RunReport {
  Date as_of;
  bool dry_run = false;
  std::int64_t customers = 0, invoices = 0;
  std::int64_t stages_fired = 0, stages_skipped = 0;
  std::int64_t emails = 0, tasks = 0, credit_holds = 0, agency_referrals = 0, writeoff_proposals = 0, no_contact = 0;
  std::int64_t paused_dispute = 0, paused_ptp = 0, paused_hold = 0, blocked_stale_cash = 0, deferred = 0, no_policy = 0;
  int ptps_expired = 0, holds_ended = 0;
  std::int64_t risk_classes_changed = 0;
  bool cash_stale = false;
  std::string cash_stale_detail;
  bool full = false;     // every customer was looked at (first run, changed policies, or asked)
  bool skipped = false;  // another daemon holds the collections lock (PostgreSQL): it runs the day
  std::vector<PlannedAction> actions;  // every action on a dry run; at most 1000 on a real one
  double seconds = 0;
  // Where the time went: reading invoices, deciding and writing, commits, risk classes.
  double read_seconds = 0, act_seconds = 0, commit_seconds = 0, risk_seconds = 0;
};

std::string report_json(const RunReport& r);

// `progress(customers done, customers in all)` is called after every batch.
RunReport run_collections(Store& store, const Clock& clock, const CollectionsSettings& settings, const TemplateSet& templates,
                          const RunOptions& options, const std::shared_ptr<spdlog::logger>& log,
                          const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace arcd::collections
