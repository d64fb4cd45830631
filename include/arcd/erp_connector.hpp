#pragma once
// What an ERP connector delivers and accepts. Customers and open invoices come in as plain
// records, mapped from the ERP's own representation by mapping/<erp>; the daemon upserts them
// (daemon/sync). Payments, cancellations and notes go out through the outbox (daemon/outbox),
// each carrying arcd's own key, which the connector writes into the ERP and looks for before
// it creates anything: none of these ERPs honours idempotency keys.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arcd/error.hpp"
#include "arcd/model.hpp"

namespace arcd {

struct InvoiceRecord {
  int line = 0;  // where it came from (CSV line, page*size+index) for error messages
  std::string invoice_number;
  std::string external_id;        // the ERP's own id; empty for CSV
  std::string customer_external_id;
  std::string customer_name;
  std::string customer_email;
  std::string customer_iban;      // more accounts in customer_accounts
  std::vector<std::string> customer_accounts;
  Money amount_total = Money::unset();
  Money amount_open = Money::unset();
  Date issue_date;
  Date due_date;
  std::string payment_reference;
  bool cancelled = false;         // the ERP cancelled or reversed it
  std::string modified;           // the ERP's modification stamp, in its own format (the cursor)
};

struct InvoiceBatch {
  std::string origin;  // file path or endpoint, for the audit log and errors
  std::vector<InvoiceRecord> records;
  // When the ERP was read. A reading older than arcd's last push to an invoice cannot know
  // that push, so its open amount is not taken (the rest is).
  std::optional<Instant> read_at;
};

// One page of a pull. `modified_since` empty means every open invoice (the full sweep).
struct PullQuery {
  std::string modified_since;  // inclusive, the ERP's own timestamp format
  std::string page_token;      // from the previous page; empty for the first
  int page_size = 200;
};

struct InvoicePage {
  std::vector<InvoiceRecord> records;
  std::string next_page_token;  // empty: this was the last page
};

// A payment arcd applied, to be registered in the ERP against one invoice.
struct PaymentPush {
  std::string key;  // "ARCD-APP-17": memo / reference_no / externalDocumentNumber in the ERP
  std::string invoice_external_id;
  std::string invoice_number;
  std::string customer_external_id;
  Money amount = Money::unset();  // in the invoice's currency
  Date date;
};

// Cancels the ERP payment created for `key` (an application arcd reversed).
struct PaymentCancel {
  std::string key;
  std::string invoice_external_id;
  std::string invoice_number;
};

// A note on an invoice: a dispute, a promise to pay, a status change arcd decided.
struct NotePush {
  std::string key;  // written into the note, looked for before posting
  std::string invoice_external_id;
  std::string invoice_number;
  std::string text;
};

struct PushResult {
  std::string remote_id;      // the ERP's id of what exists now
  bool already_there = false; // found by its key: an earlier attempt had reached the ERP
};

// How a call to the ERP failed, which decides what the caller does next.
enum class ErpFailure {
  transient,     // network, timeout, 5xx, malformed answer: retry with backoff
  rate_limited,  // 429 or the ERP's own form: wait retry_after, then retry
  auth,          // credentials refused even after renewing: retry later, alert
  rejected,      // the ERP refused the content (validation, nothing left to pay): a person decides
  not_found,     // the record is gone
};
std::string_view to_string(ErpFailure f) noexcept;

class ErpError : public Error {
 public:
  ErpError(ErpFailure kind, const std::string& message, std::optional<std::chrono::seconds> retry_after = std::nullopt)
      : Error(code_of(kind), message), kind_(kind), retry_after_(retry_after) {}
  ErpFailure kind() const noexcept { return kind_; }
  std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }

 private:
  static std::string code_of(ErpFailure kind);
  ErpFailure kind_;
  std::optional<std::chrono::seconds> retry_after_;
};

// One ERP instance. Calls block (run them on a worker, never an io thread) and throw ErpError.
// Not thread-safe: one caller at a time per object; make several for parallel calls.
class ErpConnector {
 public:
  virtual ~ErpConnector() = default;
  // Customer invoices changed since the cursor (or all open ones), one page, oldest change
  // first, with their customers' names, e-mail and bank accounts.
  virtual InvoicePage pull_invoices(const PullQuery& query) = 0;
  // One invoice as the ERP has it now; nullopt when it does not exist.
  virtual std::optional<InvoiceRecord> pull_invoice(const std::string& external_id) = 0;
  // What the ERP says is still open on one invoice (read right after a push); nullopt when the
  // invoice does not exist. The default reads the whole invoice.
  virtual std::optional<Money> open_amount(const std::string& external_id) {
    auto i = pull_invoice(external_id);
    return i ? std::optional<Money>(i->amount_open) : std::nullopt;
  }
  // Each looks for its key in the ERP first and creates only when it is absent.
  virtual PushResult push_payment(const PaymentPush& payment) = 0;
  virtual PushResult cancel_payment(const PaymentCancel& cancel) = 0;
  virtual PushResult push_note(const NotePush& note) = 0;
};

}  // namespace arcd
