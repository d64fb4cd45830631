#pragma once
// The canonical model every part of arcd speaks. Plain data; rules live with the parts.

#include <optional>
#include <string>
#include <vector>

#include "arcd/date.hpp"
#include "arcd/ids.hpp"
#include "arcd/money.hpp"

namespace arcd {

// Who did something: a user name, a token's user, or "system:<subsystem>".
using Actor = std::string;

struct Customer {
  CustomerId id;
  std::string source;       // connector instance the customer comes from ("csv", "odoo-eu")
  std::string external_id;  // the ERP's own key
  std::string name;
  std::string email;
  std::string tier;         // segment filter input for dunning policies; may be empty
  std::int64_t version = 0; // bumped on every update (optimistic concurrency)
  // Collections: the language templates are chosen by ("en", "de"; empty: the default), the
  // risk class recomputed daily ("A" best to "D"; empty: not computed yet), who works the
  // account, a dunning policy that overrides the segment's, and the credit hold flag.
  std::string language;
  std::string risk_class;
  std::string collector;
  std::string account_manager;
  std::string collection_policy;
  bool credit_hold = false;
};

// Whom to write to at a customer, by role ("billing", "ar", "escalation"). A hard bounce or a
// rejection marks the contact invalid, with why.
struct Contact {
  std::int64_t id = 0;
  CustomerId customer_id;
  std::string role;
  std::string name;
  std::string email;
  std::string invalid_reason;  // empty: valid
};

// A payer account known for a customer: from the customer master or learned from a match.
struct CustomerAccount {
  CustomerId customer_id;
  std::string account;  // IBAN or bank account number, normalized (no spaces, upper case)
  std::string origin;   // "master" or "learned"
};

enum class InvoiceStatus { open, paid, cancelled };
std::string_view to_string(InvoiceStatus s) noexcept;
std::optional<InvoiceStatus> parse_invoice_status(std::string_view s) noexcept;

struct Invoice {
  InvoiceId id;
  std::string source;
  std::string number;
  CustomerId customer_id;
  Date issue_date;
  Date due_date;
  Money amount_total = Money::unset();
  Money amount_open = Money::unset();
  std::string payment_reference;
  InvoiceStatus status = InvoiceStatus::open;
  std::int64_t version = 0;
  // What arcd applied to it (net of unapplies) and closed within tolerance, in minor units of
  // its currency. amount_open = what the ERP last said was open - applied - adjusted.
  std::int64_t applied_minor = 0;
  std::int64_t adjusted_minor = 0;
  // The ERP's own id (Odoo's record id, ERPNext's name, Business Central's GUID); empty where
  // the number is the only key (CSV).
  std::string external_id;
  // What of the applications the ERP has acknowledged (payments created there, net of those
  // cancelled), and when arcd last pushed one. The ERP's open amount already counts them, so
  // amount_open = ERP open - (applied - pushed) - adjusted.
  std::int64_t pushed_minor = 0;
  std::optional<Instant> erp_pushed_at;
  std::string collection_policy;  // a dunning policy that overrides the customer's and segment's
};

enum class Direction { credit, debit };
enum class EntryStatus { booked, pending, info };
std::string_view to_string(Direction d) noexcept;
std::string_view to_string(EntryStatus s) noexcept;
std::optional<Direction> parse_direction(std::string_view s) noexcept;
std::optional<EntryStatus> parse_entry_status(std::string_view s) noexcept;

struct Balance {
  std::string type;  // OPBD, CLBD, PRCD, CLAV, ITBD, ... or a BAI2 code
  Money amount = Money::unset();
  std::optional<Date> date;  // some banks leave it out
};

struct Statement {
  StatementId id;
  std::string kind;            // "statement" (camt.053, MT940, BAI2), "report" (camt.052, MT942), "notification" (camt.054)
  std::string format;          // "camt.053.001.08", "bai2", "mt940", ...
  std::string file_sha256;     // content address of the raw file it came from
  std::string account;         // IBAN or other account id
  Currency currency = Currency::of("EUR");
  std::string bank_statement_id;
  std::optional<std::int64_t> sequence;  // electronic sequence number
  std::optional<Instant> created_at;
  std::optional<Date> from_date;
  std::optional<Date> to_date;
  std::vector<Balance> balances;
  std::string warnings;        // e.g. a balance mismatch, recorded not rejected
  std::string servicer_bic;
  std::string message_id;      // camt GrpHdr/MsgId, BAI2 file id
};

// A creditor reference from structured remittance (SCOR/RF, QRR, national references).
struct CreditorReference {
  std::string type;    // "SCOR", a proprietary label such as "QRR", or empty
  std::string issuer;  // "ISO", ...
  std::string reference;
};

// An invoice the payer names in structured remittance, with the amount remitted for it.
struct ReferredDocument {
  std::string number;
  std::optional<Money> amount;
};

// What the bank said about one transaction beyond the fields cash application keys on.
// Kept whole so that every stored entry can be explained without the raw file.
struct EntryDetails {
  std::string entry_reference;              // camt NtryRef
  std::string message_id, payment_information_id, instruction_id, transaction_id, mandate_id, uetr;
  std::string ultimate_debtor;
  std::string creditor_name;
  std::string creditor_account;
  std::string payer_bic;
  std::vector<CreditorReference> creditor_references;
  std::vector<ReferredDocument> referred_documents;
  std::optional<Money> instructed_amount;
  std::optional<Money> transaction_amount;
  std::string exchange_rate;                // decimal text exactly as sent, e.g. "1.0857"
  std::string source_currency, target_currency;
  std::optional<Money> charges;
  std::string return_reason;                // e.g. AC04, MD06, R02
  std::string additional_entry_info;
  std::string additional_transaction_info;
};

struct Entry {
  EntryId id;
  StatementId statement_id;
  std::string entry_key;       // stable identity across re-deliveries (see issue: statements)
  int position = 0;            // index within its statement file
  Money amount = Money::unset();  // this transaction's amount, never negative
  Direction direction = Direction::credit;
  bool reversal = false;
  EntryStatus status = EntryStatus::booked;
  std::optional<Date> booking_date;
  std::optional<Date> value_date;
  std::string bank_transaction_code;  // "PMNT/RCDT/ESCT", a proprietary code, or a BAI2/MT940 type
  std::string bank_reference;  // account servicer reference
  std::string end_to_end_id;
  std::string payer_name;
  std::string payer_account;
  std::string remittance;      // unstructured lines joined with '\n'
  std::string structured_reference;  // the first creditor reference (e.g. an RF reference)
  std::string batch_key;       // links the details of one batch entry; empty for a single one
  // The booked entry this transaction belongs to: its amount (the batch total for a batch) and
  // how many transaction details it was split into.
  Money entry_amount = Money::unset();
  int detail_index = 0;
  int detail_count = 1;
  EntryDetails details;
};

enum class ApplicationKind { apply, unapply, on_account, not_customer };
std::string_view to_string(ApplicationKind k) noexcept;
std::optional<ApplicationKind> parse_application_kind(std::string_view s) noexcept;

// Where part of an entry's amount went. Never deleted: an unapply is a new opposite record.
struct Application {
  ApplicationId id;
  EntryId entry_id;
  std::optional<InvoiceId> invoice_id;    // set for apply/unapply
  std::optional<CustomerId> customer_id;  // set for on-account
  ApplicationKind kind = ApplicationKind::apply;
  Money amount = Money::unset();
  std::optional<ApplicationId> reverses;  // for unapply: the application it undoes
  // For apply/unapply across currencies: the amount in the invoice's currency (the bank's
  // rate, else the configured one). Unset when the entry and invoice share a currency.
  std::optional<Money> invoice_amount;
  std::string rule;                       // which matching rule, or "manual"
  std::string reason;
  Actor actor;
  Instant created_at{};
};

enum class PtpState { open, kept, partially_kept, broken, cancelled };
std::string_view to_string(PtpState s) noexcept;
std::optional<PtpState> parse_ptp_state(std::string_view s) noexcept;

struct Ptp {
  PtpId id;
  CustomerId customer_id;
  std::vector<InvoiceId> invoices;  // empty: the customer's whole overdue balance
  Money amount = Money::unset();
  Date promised_date;
  std::string channel;
  PtpState state = PtpState::open;
  Actor recorded_by;
  Instant created_at{};
  Money paid = Money::unset();  // applied to the promised invoices since the promise was made
  int grace_days = 0;
};

// A change of a promise's state and the payment that caused it.
struct PtpEvent {
  PtpId ptp_id;
  PtpState state = PtpState::open;
  Money paid = Money::unset();
  std::optional<ApplicationId> application_id;
  std::string note;
  Actor actor;
  Instant at{};
};

// A disputed invoice, whole or an amount of it: paused in the dunning sequence, still in AR.
struct Dispute {
  DisputeId id;
  InvoiceId invoice_id;
  std::string reason;               // a reason code from config ("pricing", "damaged", ...)
  bool open = true;
  Actor opened_by;
  Instant opened_at{};
  std::optional<Instant> closed_at;
  std::optional<Money> amount;      // unset: the whole invoice
  std::string owner;                // who works it
  std::string note;
  std::string resolution;           // customer_pays, credit_note, written_off, rejected
  Actor resolved_by;
};

// An account manager's pause of the dunning sequence, on a customer or one invoice, until a
// date (bounded by config). A renewal is a new hold that names the one it renews.
struct Hold {
  HoldId id;
  CustomerId customer_id;
  std::optional<InvoiceId> invoice_id;  // unset: the whole customer
  std::string reason;
  Date starts_on;
  Date until;                           // last day held
  Actor placed_by;
  Instant placed_at{};
  std::optional<Instant> ended_at;      // ended early by a person, or noted ended by a run
  Actor ended_by;
  std::optional<HoldId> renews;
};

struct Activity {
  ActivityId id;
  CustomerId customer_id;
  std::string kind;  // "call", "note", "email", ...
  std::string text;
  Actor actor;
  Instant at{};
};

struct Task {
  TaskId id;
  CustomerId customer_id;
  std::string kind;                 // call, review, escalation, agency, hold_ended, ptp_broken, fix_contact, ...
  std::string title;
  std::optional<Date> due;
  bool done = false;
  std::string assignee;
  Instant created_at{};
  std::optional<InvoiceId> invoice_id;
  std::string source_key;           // what made it ("stage:12:call"): a second task with the key is not made
  std::string outcome;              // reached, left_message, promised, disputed, wrong_contact, done
  Actor completed_by;
  std::optional<Instant> completed_at;
  std::string note;
};

enum class WriteoffState { proposed, approved, rejected };
std::string_view to_string(WriteoffState s) noexcept;
std::optional<WriteoffState> parse_writeoff_state(std::string_view s) noexcept;

// Writing off what a customer will not pay: proposed by one user, decided by another.
struct Writeoff {
  std::int64_t id = 0;
  InvoiceId invoice_id;
  Money amount = Money::unset();
  std::string reason;
  WriteoffState state = WriteoffState::proposed;
  Actor proposed_by;
  Instant proposed_at{};
  Actor decided_by;
  std::optional<Instant> decided_at;
};

// A message to a customer: what it covered and what became of it.
struct Communication {
  std::int64_t id = 0;
  CustomerId customer_id;
  std::string currency;
  std::string stage;
  std::string template_name;
  std::string language;
  std::vector<std::string> recipients;
  std::string subject;
  std::vector<InvoiceId> invoices;
  std::int64_t amount = 0;          // total open it names, minor units of `currency`
  std::string status = "queued";    // queued, sent, bounced, failed, unknown
  std::string message_id;
  Date run_date;
  std::string error;
  Instant created_at{};
  std::optional<Instant> sent_at;
};

// dead: gave up after too many attempts or too long (a person may retry or drop it);
// dropped: a person decided it must never be delivered.
enum class OutboxStatus { pending, delivered, dead, dropped };
std::string_view to_string(OutboxStatus s) noexcept;
std::optional<OutboxStatus> parse_outbox_status(std::string_view s) noexcept;

// A message to the outside world, written in the same transaction as the change it reports.
struct OutboxEvent {
  OutboxEventId id;
  std::string destination;      // connector instance ("odoo-eu", "tms")
  std::string kind;             // "payment.applied", "invoice.status", ...
  std::string idempotency_key;  // unique; the peer sees it on every attempt
  std::string ordering_key;     // events with the same key are delivered in id order ("invoice:42")
  std::string payload;          // JSON
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Instant next_attempt_at{};
  std::string last_error;
  Instant created_at{};
  std::optional<Instant> delivered_at;
  std::string claimed_by;       // the daemon delivering it now, until claim_until
  std::optional<Instant> claim_until;
  std::string remote_id;        // the peer's id of what the delivery created
  int lapsed_claims = 0;        // claims taken over from a daemon that died while delivering
};

// One line of the append-only audit log: who did what to which thing, when and why.
struct AuditRecord {
  AuditRecordId id;
  Instant at{};
  Actor actor;
  std::string action;       // "invoice.updated", "customer.created", ...
  std::string entity_type;  // "invoice", "customer", ...
  std::string entity_id;
  std::string reason;
  std::string details;      // JSON
};

}  // namespace arcd
