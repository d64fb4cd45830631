#include "sync/invoice_sync.hpp"

#include <boost/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "outbox/erp_events.hpp"

namespace arcd::sync {
namespace json = boost::json;

std::string SyncSummary::to_string() const {
  return std::to_string(invoices_created) + " invoices created, " + std::to_string(invoices_updated) + " updated, " +
         std::to_string(invoices_unchanged) + " unchanged; " + std::to_string(customers_created) + " customers created, " +
         std::to_string(customers_updated) + " updated";
}

namespace {

// Records old -> new for each field that differs.
class Changes {
 public:
  void compare(const char* field, const std::string& before, const std::string& after) {
    if (before != after) obj_[field] = json::object{{"old", before}, {"new", after}};
  }
  bool empty() const { return obj_.empty(); }
  std::string dump() const { return json::serialize(obj_); }

 private:
  json::object obj_;
};

CustomerId upsert_customer(Transaction& tx, const std::string& source, const InvoiceRecord& r, const Actor& actor,
                           const std::string& origin, SyncSummary& summary) {
  auto existing = tx.customers().find_by_external_id(source, r.customer_external_id);
  CustomerId id;
  if (!existing) {
    Customer c;
    c.source = source;
    c.external_id = r.customer_external_id;
    c.name = r.customer_name;
    c.email = r.customer_email;
    id = tx.customers().insert(c);
    ++summary.customers_created;
    tx.audit().append({{}, {}, actor, "customer.created", "customer", id.to_string(), "imported from " + origin,
                       json::serialize(json::object{{"external_id", c.external_id}, {"name", c.name}})});
  } else {
    id = existing->id;
    Changes changes;
    changes.compare("name", existing->name, r.customer_name);
    // An empty e-mail in one export does not erase the one we know.
    const std::string email = r.customer_email.empty() ? existing->email : r.customer_email;
    changes.compare("email", existing->email, email);
    if (!changes.empty()) {
      Customer c = *existing;
      c.name = r.customer_name;
      c.email = email;
      tx.customers().update(c);
      ++summary.customers_updated;
      tx.audit().append({{}, {}, actor, "customer.updated", "customer", id.to_string(), "imported from " + origin, changes.dump()});
    }
  }
  if (!r.customer_iban.empty()) tx.customers().add_account({id, r.customer_iban, "master"});
  for (const auto& account : r.customer_accounts) {
    if (account != r.customer_iban) tx.customers().add_account({id, account, "master"});
  }
  return id;
}

InvoiceStatus status_for(const Money& open) { return open.is_positive() ? InvoiceStatus::open : InvoiceStatus::paid; }

}  // namespace

SyncSummary import_invoices(Store& store, const std::string& source, const InvoiceBatch& batch, const Actor& actor,
                            const std::function<void(Transaction&)>& also) {
  SyncSummary summary;
  auto tx = store.begin();
  std::unordered_map<std::string, CustomerId> customer_ids;
  // Invoices with a payment or cancellation the ERP may or may not have heard yet: its open
  // amount cannot be read against arcd's until that delivery is recorded (which reads the ERP
  // again itself).
  std::unordered_set<std::string> in_flight;
  if (batch.read_at) {
    for (auto& key : tx->outbox().pending_ordering_keys(source, {outbox::kPaymentApplied, outbox::kPaymentCancelled})) {
      in_flight.insert(std::move(key));
    }
  }
  for (const auto& r : batch.records) {
    auto cid = customer_ids.find(r.customer_external_id);
    if (cid == customer_ids.end()) {
      cid = customer_ids.emplace(r.customer_external_id, upsert_customer(*tx, source, r, actor, batch.origin, summary)).first;
    }
    // The ERP's id is the key where there is one: a number can change while a draft is posted.
    auto existing = r.external_id.empty() ? tx->invoices().find_by_number(source, r.invoice_number)
                                          : tx->invoices().find_by_external_id(source, r.external_id);
    if (!existing && !r.external_id.empty()) existing = tx->invoices().find_by_number(source, r.invoice_number);
    Invoice inv = existing.value_or(Invoice{});
    const Invoice before = inv;
    inv.source = source;
    inv.number = r.invoice_number;
    inv.customer_id = cid->second;
    inv.issue_date = r.issue_date;
    inv.due_date = r.due_date;
    inv.amount_total = r.amount_total;
    if (!r.external_id.empty()) inv.external_id = r.external_id;
    // A reading taken before arcd's last push to this invoice cannot know that push: its open
    // amount is stale, the rest is not.
    const bool stale_open = existing && existing->amount_open.currency() == r.amount_open.currency() &&
                            ((existing->erp_pushed_at && batch.read_at && *batch.read_at <= *existing->erp_pushed_at) ||
                             in_flight.count("invoice:" + existing->id.to_string()) > 0);
    if (!stale_open) {
      // The ERP already counts what it acknowledged; arcd's open amount is the ERP's less the
      // rest of what arcd applied and closed.
      inv.amount_open = Money(r.amount_open.minor() - (inv.applied_minor - inv.pushed_minor) - inv.adjusted_minor,
                              r.amount_open.currency());
    }
    inv.payment_reference = r.payment_reference;
    // Cancelled stays cancelled; otherwise the open amount decides.
    if (r.cancelled) {
      inv.status = InvoiceStatus::cancelled;
    } else if (!existing || existing->status != InvoiceStatus::cancelled) {
      inv.status = status_for(inv.amount_open);
    }

    if (!existing) {
      const auto id = tx->invoices().insert(inv);
      ++summary.invoices_created;
      tx->audit().append({{}, {}, actor, "invoice.created", "invoice", id.to_string(), "imported from " + batch.origin,
                          json::serialize(json::object{{"number", inv.number},
                                                       {"total", inv.amount_total.to_display()},
                                                       {"open", inv.amount_open.to_display()}})});
      continue;
    }
    Changes changes;
    changes.compare("customer_id", before.customer_id.to_string(), inv.customer_id.to_string());
    changes.compare("issue_date", before.issue_date.to_string(), inv.issue_date.to_string());
    changes.compare("due_date", before.due_date.to_string(), inv.due_date.to_string());
    changes.compare("amount_total", before.amount_total.to_display(), inv.amount_total.to_display());
    changes.compare("amount_open", before.amount_open.to_display(), inv.amount_open.to_display());
    changes.compare("payment_reference", before.payment_reference, inv.payment_reference);
    changes.compare("status", std::string(to_string(before.status)), std::string(to_string(inv.status)));
    if (changes.empty()) {
      ++summary.invoices_unchanged;
      continue;
    }
    tx->invoices().update(inv);
    ++summary.invoices_updated;
    tx->audit().append({{}, {}, actor, "invoice.updated", "invoice", inv.id.to_string(), "imported from " + batch.origin,
                        changes.dump()});
  }
  if (also) also(*tx);
  tx->commit();
  return summary;
}

}  // namespace arcd::sync
