#include "collections/cases.hpp"

#include <algorithm>

#include "outbox/erp_events.hpp"

namespace arcd::collections {
namespace {

outbox::InvoiceRef ref_of(const Invoice& i) { return {i.id, i.source, i.external_id, i.number}; }

std::string assignee_of(Transaction& tx, const CollectionsSettings& s, CustomerId c) {
  const auto customer = tx.customers().get(c);
  return customer ? s.collector_of(*customer) : s.default_collector;
}

}  // namespace

Result<DisputeId> open_dispute(Transaction& tx, const CollectionsSettings& s, const DisputeRequest& r, const Actor& actor) {
  if (std::find(s.dispute_reasons.begin(), s.dispute_reasons.end(), r.reason) == s.dispute_reasons.end()) {
    std::string known;
    for (const auto& k : s.dispute_reasons) known += (known.empty() ? "" : ", ") + k;
    return Problem{"DISPUTE_INVALID", "reason", "'" + r.reason + "' is not a dispute reason (" + known + ")"};
  }
  const auto inv = tx.invoices().get(r.invoice);
  if (!inv) return Problem{"NOT_FOUND", "invoice", "no invoice " + r.invoice.to_string()};
  if (inv->status != InvoiceStatus::open) return Problem{"DISPUTE_INVALID", "invoice", "invoice " + inv->number + " is not open"};
  if (r.amount) {
    if (!(r.amount->currency() == inv->amount_open.currency()))
      return Problem{"DISPUTE_INVALID", "amount", "the invoice is in " + std::string(inv->amount_open.currency().code())};
    if (!r.amount->is_positive() || r.amount->minor() > inv->amount_open.minor())
      return Problem{"DISPUTE_INVALID", "amount", "must be positive and at most the open " + inv->amount_open.to_display()};
  }
  if (!tx.disputes().list({true, std::nullopt, r.invoice}, Page{0, 1}).empty())
    return Problem{"DISPUTE_INVALID", "invoice", "invoice " + inv->number + " already has an open dispute"};
  Dispute d;
  d.invoice_id = r.invoice;
  d.reason = r.reason;
  d.amount = r.amount;
  d.owner = r.owner.empty() ? actor : r.owner;
  d.note = r.note;
  d.opened_by = actor;
  const DisputeId id = tx.disputes().insert(d);
  const std::string what = (r.amount ? r.amount->to_display() : inv->amount_open.to_display() + " (whole invoice)");
  tx.activities().add_activity(
      {{}, inv->customer_id, "dispute", "dispute " + id.to_string() + " opened on " + inv->number + ": " + r.reason + ", " + what +
                                            (r.note.empty() ? "" : " — " + r.note), actor, {}});
  tx.audit().append({{}, {}, actor, "dispute.opened", "dispute", id.to_string(), r.reason, "{}"});
  outbox::invoice_note(tx, ref_of(*inv), "ARCD-DISPUTE-" + id.to_string(),
                       "arcd: disputed (" + r.reason + "), " + what + ", owner " + d.owner + (r.note.empty() ? "" : ": " + r.note));
  return id;
}

Result<bool> resolve_dispute(Transaction& tx, DisputeId id, const std::string& resolution, const std::string& note, const Actor& actor) {
  static const std::vector<std::string> kResolutions = {"customer_pays", "credit_note", "written_off", "rejected"};
  if (std::find(kResolutions.begin(), kResolutions.end(), resolution) == kResolutions.end())
    return Problem{"DISPUTE_INVALID", "resolution", "'" + resolution + "': expected customer_pays, credit_note, written_off or rejected"};
  const auto d = tx.disputes().get(id);
  if (!d) return Problem{"NOT_FOUND", "dispute", "no dispute " + id.to_string()};
  if (!tx.disputes().resolve(id, resolution, note, actor)) return Problem{"CONFLICT", "dispute", "dispute " + id.to_string() + " is closed"};
  const auto inv = tx.invoices().get(d->invoice_id);
  tx.activities().add_activity({{}, inv->customer_id, "dispute",
                                "dispute " + id.to_string() + " on " + inv->number + " resolved: " + resolution +
                                    (note.empty() ? "" : " — " + note),
                                actor, {}});
  tx.audit().append({{}, {}, actor, "dispute.resolved", "dispute", id.to_string(), resolution, "{}"});
  outbox::invoice_note(tx, ref_of(*inv), "ARCD-DISPUTE-" + id.to_string() + "-RESOLVED", "arcd: dispute resolved: " + resolution);
  if (resolution == "written_off" && inv->status == InvoiceStatus::open) {
    const Money amount = d->amount ? Money(std::min(d->amount->minor(), inv->amount_open.minor()), inv->amount_open.currency())
                                   : inv->amount_open;
    if (amount.is_positive()) {
      auto w = propose_writeoff(tx, inv->id, amount, "dispute " + id.to_string() + " resolved as written off", actor);
      if (!w) return w.problem();
    }
  }
  return true;
}

Result<HoldId> add_hold(Transaction& tx, const CollectionsSettings& s, const HoldRequest& r, Date today, const Actor& actor) {
  const auto c = tx.customers().get(r.customer);
  if (!c) return Problem{"NOT_FOUND", "customer", "no customer " + r.customer.to_string()};
  if (r.invoice) {
    const auto inv = tx.invoices().get(*r.invoice);
    if (!inv || inv->customer_id != r.customer) return Problem{"NOT_FOUND", "invoice", "the customer has no such invoice"};
  }
  if (r.reason.empty()) return Problem{"HOLD_INVALID", "reason", "a hold needs a reason"};
  if (r.until < today) return Problem{"HOLD_INVALID", "until", r.until.to_string() + " is in the past"};
  const int days = days_between(today, r.until) + 1;
  if (days > s.hold_max_days)
    return Problem{"HOLD_TOO_LONG", "until",
                   "a hold lasts at most " + std::to_string(s.hold_max_days) + " days (until " +
                       today.plus_days(s.hold_max_days - 1).to_string() + ")"};
  if (r.renews) {
    const auto old = tx.holds().get(*r.renews);
    if (!old || old->customer_id != r.customer) return Problem{"NOT_FOUND", "renews", "no hold " + r.renews->to_string() + " of this customer"};
    // Count the renewals this person made along the chain.
    int renewals = 0;
    for (auto h = old; h;) {
      if (h->renews && h->placed_by == actor) ++renewals;
      h = h->renews ? tx.holds().get(*h->renews) : std::nullopt;
    }
    if (renewals >= s.hold_max_renewals)
      return Problem{"HOLD_RENEWAL_LIMIT", "renews",
                     actor + " has renewed this hold " + std::to_string(renewals) + " time(s); the limit is " +
                         std::to_string(s.hold_max_renewals) + " (another person may renew it)"};
    tx.holds().end(*r.renews, actor);
  }
  Hold h;
  h.customer_id = r.customer;
  h.invoice_id = r.invoice;
  h.reason = r.reason;
  h.starts_on = today;
  h.until = r.until;
  h.placed_by = actor;
  h.renews = r.renews;
  const HoldId id = tx.holds().insert(h);
  tx.activities().add_activity({{}, r.customer, "hold",
                                std::string(r.renews ? "hold renewed" : "hold placed") + " until " + r.until.to_string() + ": " + r.reason,
                                actor, {}});
  tx.audit().append({{}, {}, actor, r.renews ? "hold.renewed" : "hold.placed", "hold", id.to_string(), r.reason, "{}"});
  return id;
}

Result<bool> end_hold(Transaction& tx, const CollectionsSettings& s, HoldId id, Date today, const Actor& actor) {
  const auto h = tx.holds().get(id);
  if (!h) return Problem{"NOT_FOUND", "hold", "no hold " + id.to_string()};
  if (!tx.holds().end(id, actor)) return Problem{"CONFLICT", "hold", "hold " + id.to_string() + " has ended"};
  Task t;
  t.customer_id = h->customer_id;
  t.invoice_id = h->invoice_id;
  t.kind = "hold_ended";
  t.title = "Hold ended by " + actor + " (" + h->reason + "); reminders resume";
  t.assignee = assignee_of(tx, s, h->customer_id);
  t.due = today;
  t.source_key = "hold-ended:" + id.to_string();
  tx.activities().add_task_once(t);
  tx.activities().add_activity({{}, h->customer_id, "hold", "hold " + id.to_string() + " ended early", actor, {}});
  tx.audit().append({{}, {}, actor, "hold.ended", "hold", id.to_string(), "", "{}"});
  return true;
}

Result<std::int64_t> propose_writeoff(Transaction& tx, InvoiceId invoice, std::optional<Money> amount, const std::string& reason,
                                      const Actor& actor) {
  const auto inv = tx.invoices().get(invoice);
  if (!inv) return Problem{"NOT_FOUND", "invoice", "no invoice " + invoice.to_string()};
  if (inv->status != InvoiceStatus::open) return Problem{"WRITEOFF_INVALID", "invoice", "invoice " + inv->number + " is not open"};
  const Money m = amount.value_or(inv->amount_open);
  if (!(m.currency() == inv->amount_open.currency()) || !m.is_positive() || m.minor() > inv->amount_open.minor())
    return Problem{"WRITEOFF_INVALID", "amount", "must be positive, in the invoice's currency and at most " + inv->amount_open.to_display()};
  if (reason.empty()) return Problem{"WRITEOFF_INVALID", "reason", "a write-off needs a reason"};
  if (!tx.writeoffs().list(WriteoffState::proposed, invoice, Page{0, 1}).empty())
    return Problem{"WRITEOFF_INVALID", "invoice", "invoice " + inv->number + " already has a proposed write-off"};
  Writeoff w;
  w.invoice_id = invoice;
  w.amount = m;
  w.reason = reason;
  w.proposed_by = actor;
  const auto id = tx.writeoffs().insert(w);
  tx.activities().add_activity(
      {{}, inv->customer_id, "writeoff", "write-off " + std::to_string(id) + " of " + m.to_display() + " on " + inv->number + " proposed: " + reason,
       actor, {}});
  tx.audit().append({{}, {}, actor, "writeoff.proposed", "writeoff", std::to_string(id), reason, "{}"});
  return id;
}

Result<bool> decide_writeoff(Transaction& tx, std::int64_t id, bool approve, const Actor& actor, bool actor_is_manager) {
  const auto w = tx.writeoffs().get(id);
  if (!w) return Problem{"NOT_FOUND", "writeoff", "no write-off " + std::to_string(id)};
  if (w->state != WriteoffState::proposed) return Problem{"CONFLICT", "writeoff", "write-off " + std::to_string(id) + " is " + std::string(to_string(w->state))};
  if (!actor_is_manager)
    return Problem{"WRITEOFF_FORBIDDEN", "actor", actor + " does not have the manager role needed to decide write-offs"};
  if (approve && actor == w->proposed_by)
    return Problem{"WRITEOFF_FORBIDDEN", "actor", "the proposer (" + actor + ") cannot approve their own write-off"};
  const auto inv = tx.invoices().get(w->invoice_id);
  if (approve && (inv->status != InvoiceStatus::open || inv->amount_open.minor() < w->amount.minor()))
    return Problem{"WRITEOFF_INVALID", "invoice", "invoice " + inv->number + " has only " + inv->amount_open.to_display() + " open now"};
  if (!tx.writeoffs().decide(id, approve ? WriteoffState::approved : WriteoffState::rejected, actor))
    return Problem{"CONFLICT", "writeoff", "write-off " + std::to_string(id) + " was decided meanwhile"};
  if (approve) {
    // A write-off closes what it covers the way a tolerance does: an adjustment, never a payment.
    tx.cash().add_to_invoice(inv->id, 0, w->amount.minor());
    tx.cash().add_adjustment({inv->id, std::nullopt, w->amount, "write_off", actor});
    outbox::invoice_note(tx, ref_of(*inv), "ARCD-WRITEOFF-" + std::to_string(id),
                         "arcd: write-off of " + w->amount.to_display() + " approved by " + actor + " (proposed by " + w->proposed_by +
                             "): " + w->reason);
  }
  tx.activities().add_activity({{}, inv->customer_id, "writeoff",
                                "write-off " + std::to_string(id) + " " + (approve ? "approved" : "rejected") + " by " + actor, actor, {}});
  tx.audit().append({{}, {}, actor, approve ? "writeoff.approved" : "writeoff.rejected", "writeoff", std::to_string(id), "", "{}"});
  return true;
}

}  // namespace arcd::collections
