#pragma once
// Collections settings ([collections] in arcd.toml). Plain data; the config reader fills it.

#include <map>
#include <string>
#include <vector>

#include "collections/policy.hpp"

namespace arcd::collections {

// How a customer's risk class follows from its payment history (recomputed every daily run).
// A customer is D when any D limit is reached, else C, else B, else A.
struct RiskSettings {
  int window_days = 365;          // payments and promises looked at
  int b_days_late = 5;            // amount-weighted average days late above this: at least B
  int c_days_late = 15;
  int d_days_late = 45;
  int c_broken_promises = 1;      // broken promises in the window: at least C
  int d_broken_promises = 3;
  int c_overdue_percent = 30;     // share of the open balance overdue: at least C
  int d_overdue_percent = 70;
};

// Customers of a segment worked by one collector (the first matching rule wins; a customer's
// own collector comes first, default_collector last).
struct CollectorRule {
  std::string collector;
  std::vector<std::string> tiers, entities, risk_classes, customers;  // empty = any; customers: external ids
};

struct CollectionsSettings {
  bool enabled = true;
  int run_hour_utc = 6;                          // the daily run starts at the first check after this hour
  PolicySet policies;
  std::string default_language = "en";
  // Overdue stages wait while the newest bank statement is older than this (0: never wait).
  int max_statement_age_hours = 48;
  int hold_max_days = 30;                        // a hold lasts at most this long
  int hold_max_renewals = 2;                     // renewals of one hold chain by the same person
  std::vector<std::string> dispute_reasons = {"pricing", "quantity", "quality", "not_received", "duplicate",
                                              "already_paid", "other"};
  std::string collections_manager = "collections-manager";  // assignee of manager escalations
  // Users with the manager role (write-off approval) until API tokens carry roles; a command-line
  // or API user "cli:NAME" / "api:NAME" counts as NAME.
  std::vector<std::string> managers;
  bool is_manager(const std::string& actor) const {
    for (const auto& m : managers)
      if (actor == m || actor == "cli:" + m || actor == "api:" + m) return true;
    return false;
  }
  std::string default_collector;                 // assignee of tasks for customers without a collector
  std::vector<CollectorRule> collectors;
  // The customer's collector: its own, else the first matching rule's, else the default.
  std::string collector_of(const Customer& c) const;
  int batch_customers = 500;                     // customers written per transaction by a run
  RiskSettings risk;
  // Worklist points per customer tier (documented in the README).
  std::map<std::string, int> tier_points = {{"strategic", 10}, {"key", 8}, {"gold", 6}, {"silver", 3}};
  // Email: the sender, and templates (name.language.toml) from this folder; empty: built in.
  std::string mail_from = "Accounts Receivable <ar@example.com>";
  std::string mail_reply_to;
  std::string company_name = "Example Ltd";
  std::string templates_dir;
  std::string message_id_domain = "arcd.invalid";
};

}  // namespace arcd::collections
