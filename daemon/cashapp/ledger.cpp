#include "cashapp/ledger.hpp"

#include <map>

#include "arcd/wide_int.hpp"
#include "outbox/erp_events.hpp"

namespace arcd::cashapp {

Ledger::Ledger(Transaction& tx, OpenItems* items, Date today, Actor actor)
    : tx_(tx), items_(items), ptps_(tx, today, actor), actor_(std::move(actor)), today_(today) {}

void Ledger::apply(const Entry& e, const AllocationLine& line, CustomerId customer, const std::string& rule,
                   const std::string& reason) {
  // What the invoice is: from the run's index when it has it, else from the database.
  const OpenInvoice* indexed = items_ ? items_->invoice(line.invoice) : nullptr;
  std::optional<Invoice> stored;
  if (!indexed) {
    stored = tx().invoices().get(line.invoice);
    if (!stored) throw Error("NOT_FOUND", "invoice " + line.invoice.to_string() + " does not exist");
  }
  const Currency ic = indexed ? indexed->currency : stored->amount_open.currency();
  const CustomerId owner = indexed ? indexed->customer : stored->customer_id;
  outbox::InvoiceRef ref = indexed ? outbox::InvoiceRef{line.invoice, indexed->source, indexed->external_id, indexed->number}
                                   : outbox::InvoiceRef{line.invoice, stored->source, stored->external_id, stored->number};
  if (touched_invoices_) touched_invoices_->push_back(line.invoice);
  if (items_) items_->reduce_open(line.invoice, line.invoice_minor + line.adjusted_minor);
  write([this, entry = e.id, entry_currency = e.amount.currency(), paid_on = e.value_date.value_or(e.booking_date.value_or(today_)),
         line, customer, rule, reason, ic, owner, ref = std::move(ref)] {
    std::optional<ApplicationId> app;
    if (line.invoice_minor > 0 || line.entry_minor > 0) {
      Application a;
      a.entry_id = entry;
      a.invoice_id = line.invoice;
      a.customer_id = customer;
      a.kind = ApplicationKind::apply;
      a.amount = Money(line.entry_minor, entry_currency);
      if (!(ic == entry_currency)) a.invoice_amount = Money(line.invoice_minor, ic);
      a.rule = rule;
      a.reason = reason;
      a.actor = actor_;
      app = tx_.applications().insert(a);
      // The ERP registers the payment against its invoice, in the invoice's currency.
      if (line.invoice_minor > 0) outbox::payment_applied(tx_, ref, outbox::payment_key(*app), Money(line.invoice_minor, ic), paid_on);
    }
    if (line.adjusted_minor > 0) {
      tx_.cash().add_adjustment({line.invoice, entry, Money(line.adjusted_minor, ic), line.adjust_reason, actor_});
      outbox::invoice_note(tx_, ref, "ARCD-ADJ-" + entry.to_string() + "-" + line.invoice.to_string(),
                           "arcd closed this invoice within tolerance: " + Money(line.adjusted_minor, ic).to_display() + " (" +
                               line.adjust_reason + ") left unpaid by the payment of entry " + entry.to_string() + ".");
    }
    // The store refuses to take an invoice below zero (CASH_OVERAPPLIED), whatever the index thought.
    tx_.cash().add_to_invoice(line.invoice, line.invoice_minor, line.adjusted_minor);
    if (line.invoice_minor > 0) ptps_.on_applied(owner, line.invoice, Money(line.invoice_minor, ic), app);
  });
}

void Ledger::record(const Entry& e, ApplicationKind kind, std::optional<CustomerId> customer, std::int64_t minor,
                    const std::string& rule, const std::string& reason) {
  if (minor <= 0) return;
  Application a;
  a.entry_id = e.id;
  a.customer_id = customer;
  a.kind = kind;
  a.amount = Money(minor, e.amount.currency());
  a.rule = rule;
  a.reason = reason;
  a.actor = actor_;
  write([this, a = std::move(a)] { tx_.applications().insert(a); });
}

void Ledger::on_account(const Entry& e, CustomerId customer, std::int64_t minor, const std::string& rule,
                        const std::string& reason) {
  record(e, ApplicationKind::on_account, customer, minor, rule, reason);
}

void Ledger::not_customer(const Entry& e, std::int64_t minor, const std::string& rule, const std::string& reason) {
  record(e, ApplicationKind::not_customer, std::nullopt, minor, rule, reason);
}

std::vector<LiveApplication> Ledger::live_applications(EntryId entry) {
  const auto all = tx().applications().for_entry(entry);
  std::map<std::int64_t, LiveApplication> live;
  for (const auto& a : all) {
    if (a.kind != ApplicationKind::unapply) {
      live[a.id.value()] = {a, a.amount.minor(), a.invoice_amount ? a.invoice_amount->minor() : a.amount.minor()};
    }
  }
  for (const auto& a : all) {
    if (a.kind != ApplicationKind::unapply || !a.reverses) continue;
    auto it = live.find(a.reverses->value());
    if (it == live.end()) continue;
    it->second.left -= a.amount.minor();
    it->second.invoice_left -= a.invoice_amount ? a.invoice_amount->minor() : a.amount.minor();
  }
  std::vector<LiveApplication> out;
  for (auto& [id, l] : live) {
    if (l.left > 0) out.push_back(std::move(l));
  }
  return out;
}

std::int64_t Ledger::placed(EntryId entry) {
  std::int64_t sum = 0;
  for (const auto& l : live_applications(entry)) sum += l.left;
  return sum;
}

void Ledger::unapply(const LiveApplication& live, std::int64_t minor, const std::string& reason) {
  sync();  // what follows reads and writes directly
  const Application& o = live.application;
  if (minor <= 0 || minor > live.left) {
    throw Error("CASH_OVERAPPLIED", "application " + o.id.to_string() + " has " + Money(live.left, o.amount.currency()).to_display() +
                                        " in force, cannot reverse " + Money(minor, o.amount.currency()).to_display());
  }
  Application u;
  u.entry_id = o.entry_id;
  u.invoice_id = o.invoice_id;
  u.customer_id = o.customer_id;
  u.kind = ApplicationKind::unapply;
  u.amount = Money(minor, o.amount.currency());
  // The invoice side in proportion, the whole of what is left when all of it is reversed.
  std::int64_t invoice_minor = minor;
  if (o.invoice_amount) {
    invoice_minor = minor == live.left ? live.invoice_left
                                       : static_cast<std::int64_t>(static_cast<int128>(live.invoice_left) * minor / live.left);
    u.invoice_amount = Money(invoice_minor, o.invoice_amount->currency());
  }
  u.reverses = o.id;
  u.rule = o.rule;
  u.reason = reason;
  u.actor = actor_;
  // The ERP payment in force for this application: the first one, or the one re-made for what
  // was left after the latest earlier partial reversal.
  std::optional<ApplicationId> previous_unapply;
  if (o.kind == ApplicationKind::apply && o.invoice_id) {
    for (const auto& a : tx_.applications().for_entry(o.entry_id)) {
      if (a.kind == ApplicationKind::unapply && a.reverses == o.id) previous_unapply = a.id;
    }
  }
  const ApplicationId id = tx_.applications().insert(u);
  if (o.kind == ApplicationKind::apply && o.invoice_id) {
    tx_.cash().add_to_invoice(*o.invoice_id, -invoice_minor, 0);
    if (touched_invoices_) touched_invoices_->push_back(*o.invoice_id);
    auto invoice = tx_.invoices().get(*o.invoice_id);
    if (invoice) {
      // The ERP cancels the payment in force and registers what is still applied, if anything.
      const outbox::InvoiceRef ref{invoice->id, invoice->source, invoice->external_id, invoice->number};
      const Currency ic = invoice->amount_open.currency();
      outbox::payment_cancelled(tx_, ref, outbox::payment_key(o.id, previous_unapply), Money(live.invoice_left, ic));
      if (live.invoice_left - invoice_minor > 0) {
        outbox::payment_applied(tx_, ref, outbox::payment_key(o.id, id), Money(live.invoice_left - invoice_minor, ic), today_);
      }
    }
    if (items_ && invoice) items_->restore(*invoice);
    if (invoice) ptps_.on_applied(invoice->customer_id, invoice->id, Money(-invoice_minor, invoice->amount_open.currency()), id);
  }
}

void Ledger::settle_new(const Entry& e) {
  if (touched_entries_) touched_entries_->push_back(e.id);
  seen(e);
}

void Ledger::seen(const Entry& e) {
  if (!seen_up_to_ || *seen_up_to_ < e.id) seen_up_to_ = e.id;
}

void Ledger::flush() {
  if (!seen_up_to_) return;
  write([this, up_to = *seen_up_to_] { tx_.cash().seen_up_to(up_to); });
  seen_up_to_.reset();
}

void Ledger::settle(const Entry& e, std::int64_t left, const std::string& reason, const std::string& detail,
                    const std::string& candidates, std::optional<CustomerId> payer) {
  if (left < 0) throw Error("CASH_OVERAPPLIED", "entry " + e.id.to_string() + " is placed beyond its amount");
  if (touched_entries_) touched_entries_->push_back(e.id);
  if (left == 0) {
    write([this, entry = e.id] {
      tx_.cash().seen(entry);
      tx_.cash().remove_exception(entry);
    });
    return;
  }
  CashException x;
  x.entry_id = e.id;
  x.amount = Money(left, e.amount.currency());
  x.reason = reason.empty() ? "no_candidate" : reason;
  x.detail = detail;
  x.candidates = candidates;
  x.customer_id = payer;
  write([this, x = std::move(x)] {
    tx_.cash().seen(x.entry_id);
    tx_.cash().put_exception(x);
  });
}

}  // namespace arcd::cashapp
