#include "cashapp/manual.hpp"

#include <boost/json.hpp>

#include "cashapp/fx.hpp"
#include "cashapp/ledger.hpp"
#include "cashapp/open_items.hpp"
#include "cashapp/typed_refs.hpp"

namespace arcd::cashapp {
namespace json = boost::json;
namespace {

// The entry and what of it is still unplaced, for a person's decision.
Result<std::pair<Entry, std::int64_t>> open_entry(Transaction& tx, Ledger& ledger, EntryId id) {
  auto e = tx.entries().get(id);
  if (!e) return Problem{"NOT_FOUND", "entry", "entry " + id.to_string() + " does not exist"};
  if (e->direction != Direction::credit || e->status != EntryStatus::booked) {
    return Problem{"CASH_INVALID", "entry", "entry " + id.to_string() + " is not a booked credit"};
  }
  const std::int64_t left = e->amount.minor() - ledger.placed(id);
  if (left <= 0) return Problem{"CASH_INVALID", "entry", "entry " + id.to_string() + " has nothing left to place"};
  return std::make_pair(*e, left);
}

void settle_rest(Ledger& ledger, Transaction& tx, const Entry& e) {
  const std::int64_t left = e.amount.minor() - ledger.placed(e.id);
  auto x = tx.cash().exception(e.id);
  ledger.settle(e, left, x ? x->reason : "unapplied", x ? x->detail : "", x ? x->candidates : "[]", x ? x->customer_id : std::nullopt);
}

}  // namespace

Result<std::string> apply_entry(Transaction& tx, EntryId entry, const std::vector<ManualLine>& lines, const MatchSettings& settings,
                                Date today, const Actor& actor) {
  if (lines.empty()) return Problem{"CASH_INVALID", "invoice", "name at least one invoice"};
  Ledger ledger(tx, nullptr, today, actor);
  auto opened = open_entry(tx, ledger, entry);
  if (!opened) return opened.problem();
  const auto& [e, available] = opened.value();
  std::int64_t left = available;
  std::optional<CustomerId> customer;
  json::array done;
  for (const auto& l : lines) {
    auto inv = invoice_by_ref(tx, l.invoice);
    if (!inv) return inv.problem();
    const Invoice& i = inv.value();
    if (i.status != InvoiceStatus::open || !i.amount_open.is_positive()) {
      return Problem{"CASH_INVALID", "invoice", "invoice " + i.number + " is " + std::string(to_string(i.status)) + ", nothing open"};
    }
    // The entry-currency amount a person names, or what is left (capped at what the invoice needs).
    std::int64_t entry_minor = left;
    if (l.amount) {
      try {
        entry_minor = Money::parse(*l.amount, e.amount.currency()).minor();
      } catch (const Error& err) {
        return Problem{"CASH_INVALID", "amount", "'" + *l.amount + "': " + err.detail()};
      }
      if (entry_minor <= 0) return Problem{"CASH_INVALID", "amount", "amounts must be positive"};
    }
    if (entry_minor > left) {
      return Problem{"CASH_OVERAPPLIED", "amount", Money(entry_minor, e.amount.currency()).to_display() + " is more than the " +
                                                       Money(left, e.amount.currency()).to_display() + " left of entry " + entry.to_string()};
    }
    std::string how;
    auto invoice_minor = payment_in(e, entry_minor, i.amount_open.currency(), settings, how);
    if (!invoice_minor) {
      return Problem{"CASH_INVALID", "currency", "no rate from " + std::string(e.amount.currency().code()) + " to " +
                                                     std::string(i.amount_open.currency().code()) + " (set [cashapp.rates])"};
    }
    if (*invoice_minor > i.amount_open.minor()) {
      if (l.amount) {
        return Problem{"CASH_OVERAPPLIED", "amount", Money(*invoice_minor, i.amount_open.currency()).to_display() + " is more than the " +
                                                         i.amount_open.to_display() + " open on invoice " + i.number};
      }
      // Unnamed amount: only what the invoice needs.
      if (i.amount_open.currency() == e.amount.currency()) {
        entry_minor = i.amount_open.minor();
        invoice_minor = entry_minor;
      } else {
        return Problem{"CASH_INVALID", "amount", "name the amount for invoice " + i.number + " (another currency)"};
      }
    }
    AllocationLine line{i.id, entry_minor, *invoice_minor, 0, ""};
    ledger.apply(e, line, i.customer_id, "manual", "applied by " + actor);
    done.push_back(json::object{{"invoice", i.number}, {"amount", Money(entry_minor, e.amount.currency()).to_string()}});
    left -= entry_minor;
    if (!customer) customer = i.customer_id;
    else if (*customer != i.customer_id) customer = CustomerId(0);  // several customers: learn nothing
  }
  // A person tied this payer account to this customer: the engine knows it next time.
  std::string learned;
  if (customer && customer->value() != 0 && !normalize_account(e.payer_account).empty()) {
    const std::string acct = normalize_account(e.payer_account);
    bool known = false;
    for (const auto& a : tx.customers().accounts(*customer)) known = known || normalize_account(a.account) == acct;
    if (!known) {
      tx.customers().add_account({*customer, acct, "learned"});
      learned = "; learned payer account " + acct;
    }
  }
  settle_rest(ledger, tx, e);
  tx.audit().append({{}, {}, actor, "cash.applied", "entry", entry.to_string(), "manual application" + learned, json::serialize(done)});
  return "entry " + entry.to_string() + ": applied " + Money(available - left, e.amount.currency()).to_display() +
         (left > 0 ? ", " + Money(left, e.amount.currency()).to_display() + " still queued" : "") + learned;
}

Result<std::string> put_on_account(Transaction& tx, EntryId entry, const std::string& customer, Date today, const Actor& actor) {
  Ledger ledger(tx, nullptr, today, actor);
  auto opened = open_entry(tx, ledger, entry);
  if (!opened) return opened.problem();
  const auto& [e, left] = opened.value();
  auto found = customer_by_ref(tx, customer);
  if (!found) return found.problem();
  const Customer* c = &found.value();
  ledger.on_account(e, c->id, left, "manual", "put on account by " + actor);
  ledger.settle(e, 0);
  if (!normalize_account(e.payer_account).empty()) tx.customers().add_account({c->id, normalize_account(e.payer_account), "learned"});
  tx.audit().append({{}, {}, actor, "cash.on_account", "entry", entry.to_string(), "on account of " + c->external_id, "{}"});
  return "entry " + entry.to_string() + ": " + Money(left, e.amount.currency()).to_display() + " on account of " + c->external_id;
}

Result<std::string> mark_not_customer(Transaction& tx, EntryId entry, const std::string& reason, Date today, const Actor& actor) {
  if (reason.empty()) return Problem{"CASH_INVALID", "reason", "say what the payment is (refund, interest, internal transfer, ...)"};
  Ledger ledger(tx, nullptr, today, actor);
  auto opened = open_entry(tx, ledger, entry);
  if (!opened) return opened.problem();
  const auto& [e, left] = opened.value();
  ledger.not_customer(e, left, "manual", reason);
  ledger.settle(e, 0);
  tx.audit().append({{}, {}, actor, "cash.not_customer", "entry", entry.to_string(), reason, "{}"});
  return "entry " + entry.to_string() + ": " + Money(left, e.amount.currency()).to_display() + " marked as not a customer payment";
}

Result<std::string> reverse_application(Transaction& tx, ApplicationId id, const std::string& reason, Date today, const Actor& actor) {
  if (reason.empty()) return Problem{"CASH_INVALID", "reason", "say why the application is reversed"};
  auto a = tx.cash().application(id);
  if (!a) return Problem{"NOT_FOUND", "application", "application " + id.to_string() + " does not exist"};
  if (a->kind == ApplicationKind::unapply) return Problem{"CASH_INVALID", "application", "application " + id.to_string() + " is itself a reversal"};
  Ledger ledger(tx, nullptr, today, actor);
  const auto live = ledger.live_applications(a->entry_id);
  const auto it = std::find_if(live.begin(), live.end(), [&](const LiveApplication& l) { return l.application.id == id; });
  if (it == live.end()) return Problem{"CASH_INVALID", "application", "application " + id.to_string() + " is already reversed"};
  const std::int64_t amount = it->left;
  ledger.unapply(*it, amount, reason);
  auto e = tx.entries().get(a->entry_id);
  const std::int64_t left = e->amount.minor() - ledger.placed(e->id);
  ledger.settle(*e, left, "unapplied", "application " + id.to_string() + " reversed by " + actor + ": " + reason);
  tx.audit().append({{}, {}, actor, "cash.unapplied", "application", id.to_string(), reason, "{}"});
  return "application " + id.to_string() + " reversed: " + Money(amount, a->amount.currency()).to_display() + " back in the queue of entry " +
         a->entry_id.to_string();
}

}  // namespace arcd::cashapp
