#pragma once
// Dunning policies: ordered stages, each with an offset from the due date, an action and the
// conditions under which it fires; and the rules that say which customers follow which policy.
// Plain data read from config (see config/dunning.toml); the rules live in stage_plan.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arcd/model.hpp"

namespace arcd::collections {

enum class ActionKind { email, task, escalate, credit_hold, agency, writeoff_proposal };
std::string_view to_string(ActionKind k) noexcept;
std::optional<ActionKind> parse_action_kind(std::string_view s) noexcept;

struct Action {
  ActionKind kind = ActionKind::email;
  std::string template_name;                      // email: "courtesy", "overdue_notice", ...
  std::vector<std::string> contact_roles = {"billing", "ar"};  // email: whom, in order of preference
  std::string task_kind = "call";                 // task: call, review
  std::string escalate_to = "account_manager";    // escalate: account_manager or collections_manager
  int deadline_days = 3;                          // tasks and escalations are due this many days on
};

// All set conditions must hold (AND).
struct Conditions {
  // The least open amount, in ten-thousandths of a major unit of the invoice's currency (every
  // ISO 4217 exponent is at most 4, so any currency's minor units convert exactly).
  std::optional<std::int64_t> min_open_e4;
  std::optional<int> min_days_overdue, max_days_overdue;
  std::vector<std::string> tiers;                 // empty = any
  std::vector<std::string> risk_classes;          // empty = any
  std::optional<int> min_open_invoices, max_open_invoices;
  std::string after_stage;                        // the invoice has reached this stage of the policy
};

struct Stage {
  std::string name;
  int offset_days = 0;                            // from the due date; negative = before due
  Action action;
  Conditions when;
};

// What happens to stages an invoice is already past when it becomes due for several at once
// (first seen late, or back from a pause): skip all but the latest, or go through them one per
// run at least `compress_gap_days` apart.
enum class CatchUp { skip, compress };

struct Policy {
  std::string name;
  std::vector<Stage> stages;                      // in order of offset
  CatchUp catch_up = CatchUp::skip;
  int compress_gap_days = 3;
  int index_of(const std::string& stage) const;   // -1 when it has no such stage
};

// Customers matching every non-empty list follow `policy`; the first matching rule wins.
struct Assignment {
  std::string policy;
  std::vector<std::string> tiers, entities, currencies, risk_classes, customers;  // customers: external ids
};

struct PolicySet {
  std::map<std::string, Policy> policies;
  std::vector<Assignment> assignments;
  std::string default_policy = "standard";
  std::string fingerprint;  // of the text the policies were read from: a change makes the next run a full one
  // The invoice's override, else its customer's, else the first matching assignment, else the
  // default. Null when the named policy does not exist (config validation prevents that).
  const Policy* policy_for(const Customer& c, const Invoice& i) const;
  // Whether any assignment or stage condition looks at risk classes (a class change can then
  // change what is due).
  bool uses_risk_classes() const;
  // The largest lead before due of any stage (how far ahead a run must look), in days.
  int max_lead_days() const;
};

}  // namespace arcd::collections
