#pragma once
// Carries out one customer's plan for the day in the run's transaction: stage records (the
// key that makes a stage fire once), one email per currency (communication + outbox event),
// tasks, escalations, credit holds and agency referrals (with a note to the ERP), write-off
// proposals. On a dry run nothing is written; every action is reported instead.

#include "collections/customer_plan.hpp"
#include "collections/mail_templates.hpp"
#include "collections/run.hpp"
#include "collections/settings.hpp"

namespace arcd::collections {

class StageActions {
 public:
  StageActions(Transaction& tx, const CollectionsSettings& s, const TemplateSet& templates, const RunOptions& o, RunReport& r);
  void apply(const Customer& c, const CustomerPlan& plan);

 private:
  void email(const Customer& c, const CurrencyPlan& cp, const std::vector<const StageStep*>& steps);
  void other(const Customer& c, const CurrencyPlan& cp, const std::vector<const StageStep*>& steps);
  void record(const StageStep& step, bool fired, std::optional<std::int64_t> communication);
  void report(PlannedAction a);
  std::vector<std::string> recipients(const Customer& c, const Action& a);

  Transaction& tx_;
  const CollectionsSettings& s_;
  const TemplateSet& templates_;
  const RunOptions& o_;
  RunReport& r_;
};

// The ISO 11649 reference printed on a reminder (and learned by cash application): the run
// date, the currency and the customer, so a payment quoting it names the customer.
std::string reminder_reference(CustomerId customer, const std::string& currency, Date day);

}  // namespace arcd::collections
