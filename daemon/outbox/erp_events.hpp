#pragma once
// The outbox events that tell an ERP what arcd did to one of its invoices, written in the
// transaction that does it: a payment applied, a payment taken back, a note (promise to pay,
// a difference closed within tolerance). Only invoices with an ERP id (external_id) have an
// ERP to tell; the destination is the invoice's source, the connector instance it came from.
// Events of one invoice are delivered in order (ordering key "invoice:<id>").

#include <optional>
#include <string>

#include "arcd/store.hpp"

namespace arcd::outbox {

inline constexpr const char* kPaymentApplied = "payment.applied";
inline constexpr const char* kPaymentCancelled = "payment.cancelled";
inline constexpr const char* kInvoiceNote = "invoice.note";

// What an event needs to know of its invoice.
struct InvoiceRef {
  InvoiceId id;
  std::string source;
  std::string external_id;
  std::string number;
};

// The key arcd writes into the ERP for an application's payment: "ARCD-APP-17", or after a
// partial reversal "ARCD-APP-17-R21" (the payment for what is left after unapply 21).
std::string payment_key(ApplicationId application, std::optional<ApplicationId> after_unapply = std::nullopt);

// Each does nothing for an invoice without an ERP id.
void payment_applied(Transaction& tx, const InvoiceRef& invoice, const std::string& key, const Money& amount, Date date);
void payment_cancelled(Transaction& tx, const InvoiceRef& invoice, const std::string& key, const Money& amount);
void invoice_note(Transaction& tx, const InvoiceRef& invoice, const std::string& key, const std::string& text);

// A delivered event's payload, read back by the dispatcher.
struct ErpEvent {
  std::string kind;
  InvoiceId invoice_id;
  std::string invoice_external_id;
  std::string invoice_number;
  std::string key;
  std::optional<Money> amount;  // payments and cancellations
  std::optional<Date> date;     // payments
  std::string text;             // notes
};
// Throws arcd::Error OUTBOX_PAYLOAD naming what is wrong.
ErpEvent parse_erp_event(const OutboxEvent& e);

}  // namespace arcd::outbox
