#include "outbox/erp_events.hpp"

#include <boost/json.hpp>

#include "arcd/error.hpp"
#include "outbox/payload_reader.hpp"

namespace arcd::outbox {
namespace json = boost::json;

std::string payment_key(ApplicationId application, std::optional<ApplicationId> after_unapply) {
  std::string key = "ARCD-APP-" + application.to_string();
  if (after_unapply) key += "-R" + after_unapply->to_string();
  return key;
}

namespace {

using PayloadFields = std::initializer_list<std::pair<json::string_view, json::value_ref>>;

// Only for an invoice the ERP knows. An event per cash application: its payload is built in a
// buffer on the stack (a malloc() per key and value otherwise), which the serialized text outlives.
void enqueue(Transaction& tx, const InvoiceRef& invoice, const char* kind, const std::string& key, PayloadFields fields) {
  if (invoice.external_id.empty()) return;
  unsigned char buffer[2048];
  json::monotonic_resource arena(buffer, sizeof buffer);
  json::object payload(fields, json::storage_ptr(&arena));
  payload["invoice_id"] = invoice.id.value();
  payload["invoice_external_id"] = invoice.external_id;
  payload["invoice_number"] = invoice.number;
  OutboxEvent e;
  e.destination = invoice.source;
  e.kind = kind;
  e.idempotency_key = std::string(kind) + ":" + key;
  e.ordering_key = "invoice:" + invoice.id.to_string();
  e.payload = json::serialize(payload);
  tx.outbox().enqueue(e);
}

}  // namespace

void payment_applied(Transaction& tx, const InvoiceRef& invoice, const std::string& key, const Money& amount, Date date) {
  const Currency currency = amount.currency();
  enqueue(tx, invoice, kPaymentApplied, key,
          {{"key", key}, {"amount", amount.to_string()}, {"currency", currency.code()}, {"date", date.to_string()}});
}

void payment_cancelled(Transaction& tx, const InvoiceRef& invoice, const std::string& key, const Money& amount) {
  const Currency currency = amount.currency();
  enqueue(tx, invoice, kPaymentCancelled, key, {{"key", key}, {"amount", amount.to_string()}, {"currency", currency.code()}});
}

void invoice_note(Transaction& tx, const InvoiceRef& invoice, const std::string& key, const std::string& text) {
  enqueue(tx, invoice, kInvoiceNote, key, {{"key", key}, {"text", text}});
}

ErpEvent parse_erp_event(const OutboxEvent& e) {
  const PayloadReader p(e);
  auto bad = [&](const std::string& what) { return p.bad(what); };
  auto str = [&](const char* k) { return p.str(k); };
  const auto& o = p.object();
  ErpEvent out;
  out.kind = e.kind;
  const auto* id = o.if_contains("invoice_id");
  if (!id || !id->is_int64()) throw bad("missing invoice_id");
  out.invoice_id = InvoiceId(id->get_int64());
  out.invoice_external_id = str("invoice_external_id");
  out.invoice_number = str("invoice_number");
  out.key = str("key");
  try {
    if (e.kind == kPaymentApplied || e.kind == kPaymentCancelled) {
      out.amount = Money::parse(str("amount"), Currency::of(str("currency")));
    }
    if (e.kind == kPaymentApplied) {
      out.date = Date::parse(str("date"));
      if (!out.date) throw bad("date is not a date");
    }
  } catch (const Error& err) {
    if (err.code() == "OUTBOX_PAYLOAD") throw;
    throw bad(err.detail());
  }
  if (e.kind == kInvoiceNote) out.text = str("text");
  if (e.kind != kPaymentApplied && e.kind != kPaymentCancelled && e.kind != kInvoiceNote) throw bad("unknown kind");
  return out;
}

}  // namespace arcd::outbox
