#include "collections/stage_actions.hpp"

#include <algorithm>
#include <map>

#include "cashapp/references.hpp"
#include "collections/stage_plan.hpp"
#include "outbox/erp_events.hpp"
#include "outbox/mail_events.hpp"

namespace arcd::collections {
namespace {

constexpr std::size_t kReportedOnRealRuns = 1000;

std::string sum_text(const std::vector<const DunnableInvoice*>& v, const std::string& currency) {
  std::int64_t total = 0;
  for (const auto* d : v) total += d->invoice.amount_open.minor();
  return Money(total, Currency::of(currency)).to_string();
}

std::vector<std::string> numbers(const std::vector<const DunnableInvoice*>& v) {
  std::vector<std::string> out;
  for (const auto* d : v) out.push_back(d->invoice.number);
  return out;
}

MailInvoiceLine line(const Invoice& i, Date day) {
  return {i.number,
          i.issue_date.to_string(),
          i.due_date.to_string(),
          i.payment_reference,
          i.amount_total.to_string(),
          i.amount_open.to_string(),
          std::max(0, days_overdue(i, day))};
}

outbox::InvoiceRef ref_of(const Invoice& i) { return {i.id, i.source, i.external_id, i.number}; }

}  // namespace

std::string reminder_reference(CustomerId customer, const std::string& currency, Date day) {
  std::string date = day.to_string();
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  return cashapp::make_rf(date + currency + customer.to_string());
}

StageActions::StageActions(Transaction& tx, const CollectionsSettings& s, const TemplateSet& templates, const RunOptions& o,
                           RunReport& r)
    : tx_(tx), s_(s), templates_(templates), o_(o), r_(r) {}

void StageActions::report(PlannedAction a) {
  if (o_.dry_run || r_.actions.size() < kReportedOnRealRuns) r_.actions.push_back(std::move(a));
}

void StageActions::record(const StageStep& step, bool fired, std::optional<std::int64_t> communication) {
  if (fired) ++r_.stages_fired;
  else ++r_.stages_skipped;
  // A skipped stage needs no row of its own: the fired stage's index says what was passed over
  // (a first run over a large portfolio skips several stages per invoice).
  if (o_.dry_run || !fired) return;
  const Invoice& inv = step.invoice->invoice;
  const auto next = static_cast<std::size_t>(step.index) + 1;
  StageRecord r{inv.id, step.policy->name, step.stage().name, step.index, fired, o_.as_of, communication, inv.due_date, std::nullopt};
  if (next < step.policy->stages.size()) r.next_due = inv.due_date.plus_days(step.policy->stages[next].offset_days);
  tx_.dunning().record_stage(r);
}

std::vector<std::string> StageActions::recipients(const Customer& c, const Action& a) {
  const auto contacts = tx_.contacts().of(c.id);
  for (const auto& role : a.contact_roles) {
    std::vector<std::string> out;
    for (const auto& k : contacts)
      if (k.role == role && k.invalid_reason.empty()) out.push_back(k.email);
    if (!out.empty()) return out;
  }
  // The customer's own address counts unless a bounce marked it invalid as a contact.
  const bool known_bad = std::any_of(contacts.begin(), contacts.end(), [&](const Contact& k) {
    return !k.invalid_reason.empty() && k.email == c.email;
  });
  if (!c.email.empty() && !known_bad) return {c.email};
  return {};
}

void StageActions::apply(const Customer& c, const CustomerPlan& plan) {
  for (const auto& cp : plan.currencies) {
    if (!o_.dry_run)
      for (const auto& [d, next] : cp.refresh) tx_.dunning().set_next_due(d->invoice.id, next, d->invoice.due_date);
    for (const auto& s : cp.skipped) record(s, false, std::nullopt);
    std::vector<const StageStep*> emails, others;
    for (const auto& f : cp.fired) (f.stage().action.kind == ActionKind::email ? emails : others).push_back(&f);
    if (!emails.empty()) email(c, cp, emails);
    if (!others.empty()) other(c, cp, others);
  }
}

void StageActions::email(const Customer& c, const CurrencyPlan& cp, const std::vector<const StageStep*>& steps) {
  // One message covers every stage due today: the most advanced one speaks for all.
  const StageStep* top = *std::max_element(steps.begin(), steps.end(), [](const StageStep* a, const StageStep* b) {
    return std::make_pair(a->stage().offset_days, a->index) < std::make_pair(b->stage().offset_days, b->index);
  });
  const Action& action = top->stage().action;
  std::vector<const DunnableInvoice*> named;
  for (const auto* d : cp.active) {
    const bool fired_now = std::any_of(steps.begin(), steps.end(), [&](const StageStep* s) { return s->invoice == d; });
    if (fired_now || days_overdue(d->invoice, o_.as_of) > 0) named.push_back(d);
  }
  const std::string language = c.language.empty() ? s_.default_language : c.language;
  std::string chosen;
  const MailTemplate* t = templates_.find(action.template_name, language, s_.default_language, &chosen);
  const auto to = recipients(c, action);

  MailContext ctx;
  ctx.company = s_.company_name;
  ctx.customer_name = c.name;
  ctx.customer_number = c.external_id;
  ctx.currency = cp.currency;
  ctx.stage = top->stage().name;
  ctx.as_of = o_.as_of.to_string();
  ctx.reference = reminder_reference(c.id, cp.currency, o_.as_of);
  for (const auto* d : named) ctx.invoices.push_back(line(d->invoice, o_.as_of));
  ctx.total_due = sum_text(named, cp.currency);
  for (const auto* d : cp.open) ctx.statement.push_back(line(d->invoice, o_.as_of));
  ctx.statement_total = sum_text(cp.open, cp.currency);
  RenderedMail mail;
  if (t) mail = render_mail(*t, ctx);

  std::string why = "stage " + top->stage().name + " of policy " + top->policy->name + " reached by";
  for (const auto* s : steps) why += " " + s->invoice->invoice.number + "(" + s->stage().name + ")";
  std::string detail = "to ";
  for (const auto& a : to) detail += (detail.size() > 3 ? ", " : "") + a;
  if (to.empty()) detail = "no valid contact";
  detail += "; subject: " + (t ? mail.subject : "(template " + action.template_name + " missing)");
  report({c.external_id, "email", top->stage().name, cp.currency, detail, numbers(named), why});

  const bool deliverable = t && !to.empty();
  if (deliverable) ++r_.emails;
  else ++r_.no_contact;

  std::optional<std::int64_t> comm_id;
  if (!o_.dry_run) {
    Communication comm;
    comm.customer_id = c.id;
    comm.currency = cp.currency;
    comm.stage = top->stage().name;
    comm.template_name = action.template_name;
    comm.language = chosen.empty() ? language : chosen;
    comm.recipients = to;
    comm.subject = mail.subject;
    for (const auto* d : named) comm.invoices.push_back(d->invoice.id);
    std::int64_t total = 0;
    for (const auto* d : named) total += d->invoice.amount_open.minor();
    comm.amount = total;
    comm.run_date = o_.as_of;
    comm.message_id = "<arcd." + c.id.to_string() + "." + cp.currency + "." + o_.as_of.to_string() + "@" + s_.message_id_domain + ">";
    comm.status = deliverable ? "queued" : "failed";
    if (!t) comm.error = "no template '" + action.template_name + "'";
    else if (to.empty()) comm.error = "no valid contact";
    comm_id = tx_.dunning().add_communication(comm);
    if (!comm_id) {
      // A message already went to this customer in this currency today: these stages wait a day.
      r_.deferred += static_cast<std::int64_t>(steps.size());
      if (deliverable) --r_.emails;
      else --r_.no_contact;
      if (!r_.actions.empty() && r_.actions.back().kind == "email" && r_.actions.back().customer == c.external_id) r_.actions.pop_back();
      return;
    }
    tx_.cash().add_issued_reference(ctx.reference, std::nullopt, c.id, "reminder");
    if (deliverable) {
      MailMessage m{s_.mail_from, s_.mail_reply_to, to, mail.subject, mail.text, mail.html, comm.message_id};
      outbox::enqueue_mail(tx_, m, *comm_id, c.id);
    } else {
      Task task;
      task.customer_id = c.id;
      task.kind = "fix_contact";
      task.title = "Fix billing contact of " + c.name + ": reminder " + comm.stage + " could not be sent (" + comm.error + ")";
      task.assignee = s_.collector_of(c);
      task.due = o_.as_of.plus_days(1);
      task.source_key = "fix-contact:" + c.id.to_string() + ":" + o_.as_of.to_string();
      if (tx_.activities().add_task_once(task)) ++r_.tasks;
    }
  }
  for (const auto* s : steps) record(*s, true, comm_id);
}

void StageActions::other(const Customer& c, const CurrencyPlan& cp, const std::vector<const StageStep*>& steps) {
  // One action per stage for all the invoices that reached it today.
  std::map<std::string, std::vector<const StageStep*>> by_stage;
  for (const auto* s : steps) by_stage[s->stage().name].push_back(s);
  for (const auto& [stage_name, group] : by_stage) {
    const Stage& stage = group.front()->stage();
    const Action& a = stage.action;
    std::vector<const DunnableInvoice*> invoices;
    for (const auto* s : group) invoices.push_back(s->invoice);
    const std::string amount = sum_text(invoices, cp.currency) + " " + cp.currency;
    const std::string summary = std::to_string(invoices.size()) + " invoice(s), " + amount + " open";
    const std::string why = "stage " + stage_name + " of policy " + group.front()->policy->name;
    const std::string collector = s_.collector_of(c);

    Task task;
    task.customer_id = c.id;
    task.invoice_id = invoices.front()->invoice.id;
    task.due = o_.as_of.plus_days(a.deadline_days);
    task.source_key = "stage:" + c.id.to_string() + ":" + cp.currency + ":" + stage_name + ":" + o_.as_of.to_string();
    bool make_task = true;
    std::string erp_note;
    switch (a.kind) {
      case ActionKind::task:
        task.kind = a.task_kind;
        task.title = (a.task_kind == "call" ? "Call " : "Review ") + c.name + ": " + summary;
        task.assignee = collector;
        break;
      case ActionKind::escalate:
        task.kind = "escalation";
        task.assignee = a.escalate_to == "account_manager" && !c.account_manager.empty() ? c.account_manager
                        : a.escalate_to == "account_manager"                             ? collector
                                                                                         : s_.collections_manager;
        task.title = "Escalation (" + a.escalate_to + "): " + c.name + ", " + summary;
        break;
      case ActionKind::agency:
        task.kind = "agency";
        task.assignee = s_.collections_manager;
        task.title = "Refer " + c.name + " to the collection agency: " + summary;
        erp_note = "arcd: referred to a collection agency (" + why + ")";
        ++r_.agency_referrals;
        break;
      case ActionKind::credit_hold:
        make_task = false;
        erp_note = "arcd: customer placed on credit hold (" + why + ")";
        ++r_.credit_holds;
        break;
      case ActionKind::writeoff_proposal:
        make_task = false;
        r_.writeoff_proposals += static_cast<std::int64_t>(invoices.size());
        break;
      case ActionKind::email:
        make_task = false;
        break;
    }
    report({c.external_id, std::string(to_string(a.kind)), stage_name, cp.currency,
            make_task ? task.title + " -> " + task.assignee : summary, numbers(invoices), why});
    if (make_task) ++r_.tasks;
    if (!o_.dry_run) {
      if (make_task) tx_.activities().add_task_once(task);
      if (a.kind == ActionKind::credit_hold && !c.credit_hold) {
        tx_.customers().set_credit_hold(c.id, true);
        tx_.activities().add_activity({{}, c.id, "credit_hold", "credit hold set: " + summary + " (" + why + ")", o_.actor, {}});
      }
      if (a.kind == ActionKind::writeoff_proposal) {
        for (const auto* d : invoices) {
          if (!tx_.writeoffs().list(WriteoffState::proposed, d->invoice.id, Page{0, 1}).empty()) continue;
          Writeoff w;
          w.invoice_id = d->invoice.id;
          w.amount = d->invoice.amount_open;
          w.reason = why + ": " + std::to_string(days_overdue(d->invoice, o_.as_of)) + " days overdue";
          w.proposed_by = o_.actor;
          tx_.writeoffs().insert(w);
        }
      }
      if (!erp_note.empty()) {
        for (const auto* d : invoices)
          outbox::invoice_note(tx_, ref_of(d->invoice), std::string(to_string(a.kind)) + ":" + d->invoice.id.to_string(), erp_note);
      }
    }
    for (const auto* s : group) record(*s, true, std::nullopt);
  }
}

}  // namespace arcd::collections
