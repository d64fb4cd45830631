#include "cashapp/ptp.hpp"

#include <algorithm>

#include "cashapp/typed_refs.hpp"
#include "outbox/erp_events.hpp"

namespace arcd::cashapp {

PtpTracker::PtpTracker(Transaction& tx, Date today, Actor actor) : tx_(tx), today_(today), actor_(std::move(actor)) {}

std::vector<Ptp>& PtpTracker::open_of(CustomerId customer) {
  auto it = open_.find(customer.value());
  if (it != open_.end()) return it->second;
  // Most customers have no promise: one query tells which do.
  if (!with_promises_) {
    with_promises_.emplace();
    for (auto c : tx_.ptps().customers_with_promises()) with_promises_->insert(c.value());
  }
  // Most customers have none: they share one empty list instead of an entry each (a run over
  // 100k customers spent 2 % of its writer in this lookup when every customer got one).
  if (!with_promises_->count(customer.value())) return none_;
  std::vector<Ptp> out;
  // Kept promises stay watched too: an unapplied payment can undo them.
  for (auto state : {PtpState::open, PtpState::kept}) {
    for (auto& p : tx_.ptps().list(customer, state, Page{0, 1000})) out.push_back(std::move(p));
  }
  return open_.emplace(customer.value(), std::move(out)).first->second;
}

void PtpTracker::change(Ptp& p, PtpState state, std::optional<ApplicationId> application, const std::string& note) {
  p.state = state;
  tx_.ptps().update(p);
  tx_.ptps().add_event({p.id, state, p.paid, application, note, actor_, {}});
}

void PtpTracker::on_applied(CustomerId customer, InvoiceId invoice, const Money& amount,
                            std::optional<ApplicationId> application) {
  for (auto& p : open_of(customer)) {
    if (p.state != PtpState::open && p.state != PtpState::kept) continue;
    if (!p.invoices.empty() && std::find(p.invoices.begin(), p.invoices.end(), invoice) == p.invoices.end()) continue;
    if (!(p.amount.currency() == amount.currency())) continue;
    const bool in_time = today_ <= p.promised_date.plus_days(p.grace_days);
    p.paid = Money(std::max<std::int64_t>(0, p.paid.minor() + amount.minor()), p.amount.currency());
    const std::string note = (amount.is_negative() ? "unapplied " : "paid ") + amount.to_display();
    if (p.state == PtpState::open && in_time && p.paid.minor() >= p.amount.minor()) {
      change(p, PtpState::kept, application, note + ": kept");
    } else if (p.state == PtpState::kept && p.paid.minor() < p.amount.minor()) {
      change(p, in_time ? PtpState::open : (p.paid.is_positive() ? PtpState::partially_kept : PtpState::broken), application,
             note + ": no longer paid in full");
    } else {
      change(p, p.state, application, note);
    }
  }
}

Result<PtpRequest> ptp_request(Transaction& tx, const std::string& customer, const std::vector<std::string>& invoice_numbers,
                               const std::string& amount, const std::string& currency, const std::string& promised_date,
                               const std::string& channel, int grace_days) {
  auto found = customer_by_ref(tx, customer);
  if (!found) return found.problem();
  const Customer* c = &found.value();
  PtpRequest r;
  r.customer = c->id;
  r.channel = channel;
  r.grace_days = grace_days;
  const auto cur = Currency::find(currency);
  if (!cur) return Problem{"PTP_INVALID", "currency", "'" + currency + "' is not an ISO 4217 currency"};
  try {
    r.amount = Money::parse(amount, *cur);
  } catch (const Error& e) {
    return Problem{"PTP_INVALID", "amount", "'" + amount + "': " + e.detail()};
  }
  const auto date = Date::parse(promised_date);
  if (!date) return Problem{"PTP_INVALID", "promised_date", "'" + promised_date + "' is not a date (YYYY-MM-DD)"};
  r.promised_date = *date;
  for (const auto& number : invoice_numbers) {
    const auto numbered = tx.invoices().find_by_number_any(number);
    auto it = std::find_if(numbered.begin(), numbered.end(), [&](const Invoice& i) { return i.customer_id == c->id; });
    if (it == numbered.end()) return Problem{"NOT_FOUND", "invoice", "customer " + customer + " has no invoice '" + number + "'"};
    r.invoices.push_back(it->id);
  }
  return r;
}

Result<PtpId> add_ptp(Transaction& tx, const PtpRequest& r, Date today, const Actor& actor) {
  if (!tx.customers().get(r.customer)) return Problem{"NOT_FOUND", "customer", "customer " + r.customer.to_string() + " does not exist"};
  if (!r.amount.is_positive()) return Problem{"PTP_INVALID", "amount", "the promised amount must be positive"};
  if (r.promised_date < today) return Problem{"PTP_INVALID", "date", "the promised date " + r.promised_date.to_string() + " is in the past"};
  if (r.grace_days < 0 || r.grace_days > 90) return Problem{"PTP_INVALID", "grace_days", "grace must be 0 to 90 days"};
  std::vector<Invoice> invoices;
  for (auto id : r.invoices) {
    auto inv = tx.invoices().get(id);
    if (!inv) return Problem{"NOT_FOUND", "invoice", "invoice " + id.to_string() + " does not exist"};
    invoices.push_back(*inv);
    if (inv->customer_id != r.customer) return Problem{"PTP_INVALID", "invoice", "invoice " + inv->number + " belongs to another customer"};
    if (!(inv->amount_open.currency() == r.amount.currency())) {
      return Problem{"PTP_INVALID", "amount", "invoice " + inv->number + " is in " + std::string(inv->amount_open.currency().code())};
    }
  }
  Ptp p;
  p.customer_id = r.customer;
  p.invoices = r.invoices;
  p.amount = r.amount;
  p.paid = Money::zero(r.amount.currency());
  p.promised_date = r.promised_date;
  p.channel = r.channel;
  p.recorded_by = actor;
  p.grace_days = r.grace_days;
  const PtpId id = tx.ptps().insert(p);
  tx.ptps().add_event({id, PtpState::open, p.paid, std::nullopt, "promised " + r.amount.to_display() + " by " + r.promised_date.to_string(), actor, {}});
  tx.activities().add_activity({{}, r.customer, "ptp", "promised to pay " + r.amount.to_display() + " by " + r.promised_date.to_string() +
                                                           (r.channel.empty() ? "" : " (" + r.channel + ")"), actor, {}});
  tx.audit().append({{}, {}, actor, "ptp.created", "ptp", id.to_string(), r.channel, "{}"});
  // The ERP's users see the promise on the invoices it covers.
  for (const auto& inv : invoices) {
    outbox::invoice_note(tx, {inv.id, inv.source, inv.external_id, inv.number}, "ARCD-PTP-" + id.to_string(),
                         "arcd: promise to pay " + r.amount.to_display() + " by " + r.promised_date.to_string() +
                             (r.channel.empty() ? "" : " (" + r.channel + ")") + ", recorded by " + actor + ".");
  }
  return id;
}

Result<bool> cancel_ptp(Transaction& tx, PtpId id, const std::string& reason, const Actor& actor) {
  auto p = tx.ptps().get(id);
  if (!p) return Problem{"NOT_FOUND", "ptp", "promise to pay " + id.to_string() + " does not exist"};
  if (p->state != PtpState::open) return Problem{"PTP_INVALID", "state", "promise to pay " + id.to_string() + " is " + std::string(to_string(p->state))};
  if (reason.empty()) return Problem{"PTP_INVALID", "reason", "say why the promise is cancelled"};
  p->state = PtpState::cancelled;
  tx.ptps().update(*p);
  tx.ptps().add_event({id, PtpState::cancelled, p->paid, std::nullopt, reason, actor, {}});
  tx.activities().add_activity({{}, p->customer_id, "ptp", "promise to pay " + p->amount.to_display() + " cancelled: " + reason, actor, {}});
  tx.audit().append({{}, {}, actor, "ptp.cancelled", "ptp", id.to_string(), reason, "{}"});
  return true;
}

int expire_ptps(Transaction& tx, Date today, const Actor& actor) {
  int changed = 0;
  for (std::int64_t after = 0;;) {
    const auto page = tx.ptps().list(std::nullopt, PtpState::open, Page{after, 500});
    if (page.empty()) break;
    after = page.back().id.value();
    for (auto p : page) {
      const Date deadline = p.promised_date.plus_days(p.grace_days);
      if (!(deadline < today)) continue;
      const bool partly = p.paid.is_positive();
      p.state = partly ? PtpState::partially_kept : PtpState::broken;
      tx.ptps().update(p);
      const std::string what = "promise to pay " + p.amount.to_display() + " by " + p.promised_date.to_string() +
                               (partly ? " partially kept: paid " + p.paid.to_display() : " broken: nothing paid");
      tx.ptps().add_event({p.id, p.state, p.paid, std::nullopt, what, actor, {}});
      tx.activities().add_activity({{}, p.customer_id, partly ? "ptp_partially_kept" : "ptp_broken", what, actor, {}});
      Task t;
      t.customer_id = p.customer_id;
      t.kind = "ptp_broken";
      t.title = "Follow up: " + what;
      t.due = today;
      tx.activities().add_task(t);
      ++changed;
    }
  }
  return changed;
}

std::string PtpKeptRate::rate() const {
  const auto decided = kept + partially_kept + broken;
  if (decided == 0) return "";
  const auto tenths = (kept * 1000 + decided / 2) / decided;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

PtpKeptRate ptp_kept_rate(Transaction& tx, std::optional<CustomerId> customer) {
  PtpKeptRate r;
  for (std::int64_t after = 0;;) {
    const auto page = tx.ptps().list(customer, std::nullopt, Page{after, 1000});
    if (page.empty()) break;
    after = page.back().id.value();
    for (const auto& p : page) {
      switch (p.state) {
        case PtpState::kept: ++r.kept; break;
        case PtpState::partially_kept: ++r.partially_kept; break;
        case PtpState::broken: ++r.broken; break;
        case PtpState::open: ++r.open; break;
        case PtpState::cancelled: ++r.cancelled; break;
      }
    }
  }
  return r;
}

}  // namespace arcd::cashapp
