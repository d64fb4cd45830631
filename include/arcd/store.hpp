#pragma once
// The store: repositories over one database (SQLite or PostgreSQL), reached through a
// Transaction, the unit of work. Every state change and the outbox events that report it are
// written in one Transaction. Implementations live in daemon/store; callers see only this.
//
// Threading: a Store is shared by all threads; a Transaction belongs to one thread and holds a
// pooled connection until it is committed or destroyed (destroyed uncommitted = rolled back).
// All calls block: run them on the worker pool, never on an io thread.
// Errors: arcd::Error with code DB_* (DB_CONNECT, DB_QUERY, DB_CONFLICT, DB_SCHEMA_TOO_NEW, ...).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "arcd/access.hpp"
#include "arcd/audit_chain.hpp"
#include "arcd/clock.hpp"
#include "arcd/model.hpp"

namespace arcd {

struct Page {
  std::int64_t after_id = 0;  // keyset cursor: rows with id > after_id, ascending
  int limit = 100;
};

class CustomerRepository {
 public:
  virtual ~CustomerRepository() = default;
  virtual CustomerId insert(const Customer& c) = 0;
  // Updates by id; throws DB_CONFLICT when c.version is not the stored version. Bumps version.
  virtual void update(const Customer& c) = 0;
  virtual std::optional<Customer> get(CustomerId id) = 0;
  virtual std::optional<Customer> find_by_external_id(const std::string& source, const std::string& external_id) = 0;
  // The customers with this ERP id in any source (what a person types).
  virtual std::vector<Customer> find_by_external_id_any(const std::string& external_id) = 0;
  virtual std::vector<Customer> list(const Page& page) = 0;
  virtual std::int64_t count() = 0;
  // Adds a payer account (idempotent on customer + account).
  virtual void add_account(const CustomerAccount& a) = 0;
  virtual std::vector<CustomerAccount> accounts(CustomerId id) = 0;
  virtual std::vector<CustomerAccount> find_by_account(const std::string& account) = 0;
  // Collections settings a person sets (language, collector, account manager, policy
  // override); DB_CONFLICT on a stale version. Bumps version.
  virtual void set_collections_profile(const Customer& c) = 0;
  // `recheck`: its invoices' dunning stages are looked at again (when policies depend on risk).
  virtual void set_risk_class(CustomerId id, const std::string& risk_class, Date computed_on, bool recheck) = 0;
  virtual void set_credit_hold(CustomerId id, bool on) = 0;
};

struct InvoiceFilter {
  std::optional<CustomerId> customer;
  std::optional<InvoiceStatus> status;
  std::optional<std::string> source;
};

// A list order other than by id, and where a page of it resumes: after the row with this
// key value (a due date "YYYY-MM-DD" or an open amount in minor units, as text) and id.
struct InvoiceOrder {
  enum class Key { due_date, amount_open } key = Key::due_date;
  bool descending = false;
};
struct InvoiceCursor {
  std::string value;
  std::int64_t id = 0;
};

class InvoiceRepository {
 public:
  virtual ~InvoiceRepository() = default;
  virtual InvoiceId insert(const Invoice& i) = 0;
  virtual void update(const Invoice& i) = 0;  // DB_CONFLICT on a stale version
  virtual std::optional<Invoice> get(InvoiceId id) = 0;
  virtual std::optional<Invoice> find_by_number(const std::string& source, const std::string& number) = 0;
  // The invoices with this number in any source (what a person types).
  virtual std::vector<Invoice> find_by_number_any(const std::string& number) = 0;
  virtual std::optional<Invoice> find_by_external_id(const std::string& source, const std::string& external_id) = 0;
  virtual std::vector<Invoice> list(const InvoiceFilter& filter, const Page& page) = 0;
  // The same in another order (ties by id), from after `after` (nullopt: from the start).
  virtual std::vector<Invoice> list_ordered(const InvoiceFilter& filter, InvoiceOrder order, const std::optional<InvoiceCursor>& after,
                                            int limit) = 0;
  // The ERP acknowledged `pushed_delta` (negative: cancelled) of arcd's applications at `at`:
  // its open amount already counts them. With `erp_open_now` (the ERP read again right after),
  // that is the ERP's open amount from now on and arcd's open amount follows from it; without,
  // the ERP's open amount is taken to have moved by the delta and arcd's does not change.
  virtual void acknowledge_push(InvoiceId id, std::int64_t pushed_delta, Instant at,
                                std::optional<std::int64_t> erp_open_now = std::nullopt) = 0;
  virtual std::int64_t count(const InvoiceFilter& filter) = 0;
  virtual void set_collection_policy(InvoiceId id, const std::string& policy) = 0;
  // The ERP ids of every open invoice from `source`, in one pass (the full sweep's check for
  // invoices the ERP no longer lists as open).
  virtual void for_each_open_external_id(const std::string& source, const std::function<void(const std::string&)>& f) = 0;
};

// Raw files are stored in pieces of this many bytes, each one zstd frame.
inline constexpr std::size_t kRawFileChunkBytes = std::size_t(8) << 20;

class StatementRepository {
 public:
  virtual ~StatementRepository() = default;
  virtual StatementId insert(const Statement& s) = 0;
  // Warnings found after the statement's entries were read (a balance that does not add up).
  virtual void set_warnings(StatementId id, const std::string& warnings) = 0;
  // The raw file a statement came from, when its hash was known only after its entries were
  // stored (the reference is checked at commit, so the file must be stored by then).
  virtual void set_file(StatementId id, const std::string& sha256) = 0;
  virtual std::optional<Statement> get(StatementId id) = 0;
  virtual std::vector<Statement> list(const Page& page) = 0;
  // Raw files are content-addressed: returns false when the hash is already stored.
  // `progress`, when given, is told how many bytes are stored after each chunk.
  virtual bool store_raw_file(const std::string& sha256, const std::string& name, std::string_view bytes,
                              const std::function<void(std::size_t)>& progress = {}) = 0;
  // The same for a file already cut into kRawFileChunkBytes pieces, each compressed with
  // store::ZstdFrameWriter (an import does that on a helper thread while it parses): `frame(i)` for
  // i in [0, frame_count) gives them in order, each view read before the next is asked for.
  virtual bool store_raw_file_frames(const std::string& sha256, const std::string& name, std::uint64_t size,
                                     std::size_t frame_count, const std::function<std::string_view(std::size_t)>& frame) = 0;
  virtual bool has_raw_file(const std::string& sha256) = 0;
  // Whether a stored raw file has exactly this size: only then is a new file likely to be one
  // seen before, and worth hashing before it is parsed.
  virtual bool has_raw_file_of_size(std::uint64_t size) = 0;
  // The raw file's bytes as received, handed over in pieces of up to 8 MiB; false when the
  // hash is not stored. Stored compressed (see store/zstd_frames.hpp): this decompresses.
  virtual bool read_raw_file(const std::string& sha256, const std::function<void(std::string_view)>& piece) = 0;
  // Per account and currency: the newest statement's end date and when one last arrived.
  struct AccountFreshness {
    std::string account, currency, last_to_date, last_imported_at;
  };
  virtual std::vector<AccountFreshness> freshness() = 0;
};

class EntryRepository {
 public:
  virtual ~EntryRepository() = default;
  // DB_CONFLICT when entry_key exists. A booked entry is queued for cash application.
  virtual EntryId insert(const Entry& e) = 0;
  // The new id, or nullopt (and nothing written) when an entry with this key exists. Not yet
  // queued for cash application: queue_booked() does that for a run of entries at once (a
  // queue statement per entry was a sixth of an import's writing).
  virtual std::optional<EntryId> insert_unqueued_if_new(const Entry& e) = 0;
  // Queues the booked ones among entries first..last, which this transaction inserted, for
  // cash application; how many. Soon after their insert, while their pages are in the cache.
  virtual long long queue_booked(EntryId first, EntryId last) = 0;
  // A pending entry the bank has since booked: status and booking date, nothing else changes.
  virtual void mark_booked(EntryId id, std::optional<Date> booking_date) = 0;
  virtual std::optional<Entry> get(EntryId id) = 0;
  virtual std::optional<Entry> find_by_key(const std::string& entry_key) = 0;
  virtual std::vector<Entry> list_by_statement(StatementId id, const Page& page) = 0;
};

class ApplicationRepository {
 public:
  virtual ~ApplicationRepository() = default;
  virtual ApplicationId insert(const Application& a) = 0;
  virtual std::vector<Application> for_entry(EntryId id) = 0;
  virtual std::vector<Application> for_invoice(InvoiceId id) = 0;
};

// The part of a credit entry that cash application could not place, why, and the ranked
// candidates a person chooses from.
struct CashException {
  EntryId entry_id;
  Money amount = Money::unset();
  // no_candidate, ambiguous, below_threshold, over_tolerance, unknown_currency, unapplied
  // (a person reversed an application), reversal_unmatched, reversal_of_debit
  std::string reason;
  std::string detail;
  std::string candidates = "[]";  // JSON array, best first: [{invoices, customer, score, rule, evidence}]
  std::optional<CustomerId> customer_id;  // the payer, when identified
  Instant updated_at{};
};

// A difference closed within tolerance (bank charges, a small short pay). Append only.
struct Adjustment {
  InvoiceId invoice_id;
  std::optional<EntryId> entry_id;
  Money amount = Money::unset();
  std::string reason;  // "bank_charges", "small_difference"
  Actor actor;
};

// Where an entry stands in cash application: not looked at yet (in the cash inbox), with an
// amount in the exception queue, or done (every cent placed, or not a customer payment).
enum class CashState { fresh, queued, done };

// The sums the cash invariant compares, per credit entry and per invoice (minor units).
struct EntryCashBalance {
  EntryId entry_id;
  Money amount = Money::unset();
  std::int64_t placed = 0;  // applied + on account + not a customer payment, net of unapplies
  std::int64_t queued = 0;  // in the exception queue
};
struct InvoiceCashBalance {
  InvoiceId invoice_id;
  std::string number;
  std::int64_t erp_open = 0, amount_open = 0, applied = 0, adjusted = 0, pushed = 0;  // as stored on the invoice
  std::int64_t applications_sum = 0, adjustments_sum = 0;                   // recomputed from the records
};

// What cash application reads in bulk and writes per decision. Money moves only through
// applications (ApplicationRepository); this keeps the invoice totals, entry states and the
// exception queue in step with them.
class CashLedger {
 public:
  virtual ~CashLedger() = default;
  // Bulk reads that build the matching index: open invoices, customers and their accounts,
  // references arcd issued.
  virtual void for_each_open_invoice(const std::function<void(const Invoice&)>& f) = 0;
  virtual void for_each_customer(const std::function<void(const Customer&)>& f) = 0;
  virtual void for_each_customer_account(const std::function<void(const CustomerAccount&)>& f) = 0;
  virtual void for_each_issued_reference(
      const std::function<void(const std::string& reference, std::optional<InvoiceId>, std::optional<CustomerId>)>& f) = 0;
  virtual void add_issued_reference(const std::string& reference, std::optional<InvoiceId> invoice,
                                    std::optional<CustomerId> customer, const std::string& kind) = 0;

  // Booked entries cash application has not finished with (fresh or queued), by id.
  virtual std::vector<std::pair<Entry, CashState>> entries_to_match(EntryId after, int limit) = 0;
  virtual CashState state_of(EntryId id) = 0;
  // Takes entries out of the cash inbox: one, or every one up to an id (a run's batch).
  virtual void seen(EntryId id) = 0;
  virtual void seen_up_to(EntryId id) = 0;
  // Booked credit entries with this end-to-end id, or this payer account and amount: what a
  // reversal or return may undo.
  virtual std::vector<Entry> credits_with_end_to_end_id(const std::string& end_to_end_id) = 0;
  virtual std::vector<Entry> credits_from(const std::string& payer_account, const Money& amount) = 0;

  // Adds to an invoice's applied and adjusted amounts (negative to reopen), lowers its open
  // amount by both and sets its status from what is left. Cancelled invoices stay cancelled.
  // Throws CASH_OVERAPPLIED (and fails the transaction) when it would take the open amount
  // below zero or the invoice does not exist.
  virtual void add_to_invoice(InvoiceId id, std::int64_t applied_delta, std::int64_t adjusted_delta) = 0;
  virtual void add_adjustment(const Adjustment& a) = 0;

  virtual void put_exception(const CashException& e) = 0;  // inserts or replaces the entry's
  virtual void remove_exception(EntryId id) = 0;
  virtual std::optional<CashException> exception(EntryId id) = 0;
  virtual std::vector<CashException> exceptions(const Page& page) = 0;

  virtual std::optional<Application> application(ApplicationId id) = 0;
  virtual std::vector<Application> applications(const Page& page) = 0;

  // Booked credits cash application has seen, and invoices: all of them, or only these ids.
  // Cash a customer has on account (overpayments, unallocated receipts), per currency.
  virtual std::vector<Money> on_account(CustomerId customer) = 0;
  // The same for every customer with cash on account, in one read (the forecast's netting).
  virtual void for_each_on_account(const std::function<void(CustomerId, const Money&)>& f) = 0;
  // How many entries wait for cash application, and how many are in the exception queue.
  virtual std::pair<std::int64_t, std::int64_t> inbox_and_queue_sizes() = 0;
  virtual std::vector<EntryCashBalance> entry_balances(const std::vector<EntryId>* only = nullptr) = 0;
  virtual std::vector<InvoiceCashBalance> invoice_balances(const std::vector<InvoiceId>* only = nullptr) = 0;
};

class PtpRepository {
 public:
  virtual ~PtpRepository() = default;
  virtual PtpId insert(const Ptp& p) = 0;
  virtual std::optional<Ptp> get(PtpId id) = 0;
  virtual std::vector<Ptp> list(std::optional<CustomerId> customer, std::optional<PtpState> state, const Page& page) = 0;
  virtual void update(const Ptp& p) = 0;  // state and paid
  virtual void add_event(const PtpEvent& e) = 0;
  virtual std::vector<PtpEvent> events(PtpId id) = 0;
  // Customers with an open or kept promise (what a payment may still change).
  virtual std::vector<CustomerId> customers_with_promises() = 0;
};

// A customer's history (calls, notes, promises kept and broken) and the collectors' tasks.
class ActivityRepository {
 public:
  virtual ~ActivityRepository() = default;
  virtual ActivityId add_activity(const Activity& a) = 0;
  virtual std::vector<Activity> activities(CustomerId customer) = 0;
  virtual TaskId add_task(const Task& t) = 0;
  // A task with a source key is made once: nullopt (nothing written) when one with the key exists.
  virtual std::optional<TaskId> add_task_once(const Task& t) = 0;
  virtual std::vector<Task> tasks(CustomerId customer) = 0;
  virtual std::optional<Task> task(TaskId id) = 0;
  // Open tasks, oldest due first; of one assignee when given.
  virtual std::vector<Task> open_tasks(const std::optional<std::string>& assignee) = 0;
  // Records the outcome; false when the task is already done.
  virtual bool complete_task(TaskId id, const std::string& outcome, const std::string& note, const Actor& by) = 0;
  // Every activity with id > after, oldest first (for bulk readers such as the risk job).
  virtual std::vector<Activity> activities_page(const Page& page, const std::optional<CustomerId>& customer) = 0;
};

class ContactRepository {
 public:
  virtual ~ContactRepository() = default;
  // Idempotent on customer + role + email (a former invalid mark stays until cleared).
  virtual std::int64_t add(const Contact& c) = 0;
  virtual std::vector<Contact> of(CustomerId customer) = 0;
  virtual void mark_invalid(CustomerId customer, const std::string& email, const std::string& reason) = 0;
  virtual void clear_invalid(std::int64_t id) = 0;
};

struct DisputeFilter {
  std::optional<bool> open;
  std::optional<CustomerId> customer;
  std::optional<InvoiceId> invoice;
};

class DisputeRepository {
 public:
  virtual ~DisputeRepository() = default;
  virtual DisputeId insert(const Dispute& d) = 0;
  virtual std::optional<Dispute> get(DisputeId id) = 0;
  // Closes an open dispute with its resolution; false when it was not open.
  virtual bool resolve(DisputeId id, const std::string& resolution, const std::string& note, const Actor& by) = 0;
  virtual std::vector<Dispute> list(const DisputeFilter& filter, const Page& page) = 0;
  // The invoices with an open dispute (what a collections run skips).
  virtual std::vector<InvoiceId> open_invoice_ids() = 0;
};

class HoldRepository {
 public:
  virtual ~HoldRepository() = default;
  virtual HoldId insert(const Hold& h) = 0;
  virtual std::optional<Hold> get(HoldId id) = 0;
  // Ends a hold not ended yet; false when it already was.
  virtual bool end(HoldId id, const Actor& by) = 0;
  // Holds not ended yet (some may be past their date: a run ends those), of one customer or all.
  virtual std::vector<Hold> unended(const std::optional<CustomerId>& customer) = 0;
  virtual std::vector<Hold> list(const std::optional<CustomerId>& customer, const Page& page) = 0;
};

class WriteoffRepository {
 public:
  virtual ~WriteoffRepository() = default;
  virtual std::int64_t insert(const Writeoff& w) = 0;
  virtual std::optional<Writeoff> get(std::int64_t id) = 0;
  // Moves a proposed write-off to approved or rejected; false when it was not proposed.
  virtual bool decide(std::int64_t id, WriteoffState state, const Actor& by) = 0;
  virtual std::vector<Writeoff> list(const std::optional<WriteoffState>& state, const std::optional<InvoiceId>& invoice,
                                     const Page& page) = 0;
};

// An open invoice as a collections run sees it: with its customer's segment and where it
// stands in its policy.
struct DunnableInvoice {
  Invoice invoice;
  std::string dunning_policy;       // the policy of the last stage reached; empty: none yet
  int stage_index = -1;             // the last stage reached (fired or skipped); -1: none
  std::string stage;                // its name
  std::string next_due;             // as stored: the earliest day its next stage can come due ("" = unknown)
  std::string state_due_date;       // the due date that was computed from
  std::optional<Date> stage_fired_on;
};

struct StageRecord {
  InvoiceId invoice_id;
  std::string policy;
  std::string stage;
  int stage_index = 0;
  bool fired = true;                // false: skipped (an invoice first seen late, policy "skip")
  Date run_date;
  std::optional<std::int64_t> communication_id;
  Date due_date;                    // the invoice's due date the stage was computed from
  std::optional<Date> next_due;     // the earliest day its next stage can come due; unset: none left
};

// What the KPIs read of every invoice, and each movement of its open amount arcd made.
struct KpiInvoice {
  InvoiceId id;
  CustomerId customer;
  std::string currency;
  Date issue_date, due_date;
  std::int64_t total = 0, open = 0;  // minor units
  InvoiceStatus status = InvoiceStatus::open;
};
struct InvoiceFlow {
  InvoiceId invoice;
  Date on;
  std::int64_t amount = 0;  // lowers the open amount (negative: an unapply raised it again)
  std::string kind;         // apply, unapply, adjustment, write_off
  std::string rule;         // for apply: the matching rule or "manual"
};

// The dunning sequence's own records: stage log, state, messages and runs.
class DunningRepository {
 public:
  virtual ~DunningRepository() = default;
  // The open invoices of the customers with ids first..last, by customer, currency and due
  // date, each with its dunning state (a run reads and writes customers a batch at a time).
  virtual std::vector<DunnableInvoice> dunnable(CustomerId first, CustomerId last) = 0;
  // The same for a list of customers (ascending ids).
  virtual std::vector<DunnableInvoice> dunnable_of(const std::vector<CustomerId>& customers) = 0;
  // Customers with an open invoice a run must look at on `day`: one whose next stage may be
  // due, one not in the sequence yet that is due by `horizon`, or one whose due date moved.
  virtual std::vector<CustomerId> customers_due(Date day, Date horizon) = 0;
  // Open and overdue (due before `day`) amounts per customer, minor units summed over currencies.
  virtual std::vector<std::tuple<CustomerId, std::int64_t, std::int64_t>> open_balances(Date day) = 0;
  // The policies fingerprint of the latest finished run ("" when none).
  virtual std::string last_run_policies() = 0;
  // False (nothing written) when the invoice already has that stage: a stage happens once.
  virtual bool record_stage(const StageRecord& r) = 0;
  // Corrects where an invoice's next stage stands without a stage firing (after its due date
  // moved or its customer's segment changed). `next_due` unset: no stage left.
  virtual void set_next_due(InvoiceId invoice, std::optional<Date> next_due, Date due_date) = 0;
  virtual std::vector<StageRecord> stages(InvoiceId invoice) = 0;
  // The new id, or nullopt (nothing written) when the customer already has a message in that
  // currency for that run date: one message per customer, currency and day.
  virtual std::optional<std::int64_t> add_communication(const Communication& c) = 0;
  virtual std::optional<Communication> communication(std::int64_t id) = 0;
  virtual std::optional<Communication> communication_by_message_id(const std::string& message_id) = 0;
  virtual std::vector<Communication> communications(const std::optional<CustomerId>& customer, const Page& page) = 0;
  virtual void set_communication_status(std::int64_t id, const std::string& status, const std::string& error) = 0;
  // A run for `run_date`: true when it was started now, false when one exists (finished or not).
  virtual bool start_run(Date run_date) = 0;
  virtual void finish_run(Date run_date, const std::string& summary_json, const std::string& policies) = 0;
  // (finished?, summary) of the run of that date.
  virtual std::optional<std::pair<bool, std::string>> run(Date run_date) = 0;
  // When the newest bank statement arrived (imported).
  virtual std::optional<Instant> newest_statement_import() = 0;
  // Payment history for risk: each application to an invoice since `since` (customer, amount
  // in minor units of the invoice's currency, days after the due date it was applied).
  virtual void for_each_payment(Date since, const std::function<void(CustomerId, std::int64_t, int)>& f) = 0;
  // Promises made since `since` and broken, per customer.
  virtual std::vector<std::pair<CustomerId, std::int64_t>> broken_promises(Date since) = 0;
  // KPI inputs: every invoice, every flow, and cash not on an invoice (exception queue and on
  // account) per currency.
  virtual void for_each_kpi_invoice(const std::function<void(const KpiInvoice&)>& f) = 0;
  virtual void for_each_invoice_flow(const std::function<void(const InvoiceFlow&)>& f) = 0;
  virtual std::vector<std::pair<std::string, std::int64_t>> unapplied_by_currency() = 0;
};

struct OutboxFilter {
  std::optional<OutboxStatus> status;
  std::optional<std::string> destination;
};

// How many events wait per destination and state, and how old the oldest pending one is.
struct OutboxStats {
  std::string destination;
  OutboxStatus status = OutboxStatus::pending;
  std::int64_t count = 0;
  std::optional<Instant> oldest_created;
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  // Returns the new id; an event whose idempotency_key is already queued is not added twice
  // and the existing id is returned.
  virtual OutboxEventId enqueue(const OutboxEvent& e) = 0;
  // Claims up to `limit` pending events of `destination` due at `now` for `owner` until
  // `lease_until`, oldest first: events whose claim has lapsed (a dead daemon's) are claimed
  // again; an event waits while an earlier pending event has its ordering key. On PostgreSQL
  // the rows are taken FOR UPDATE SKIP LOCKED, so several daemons never claim one event.
  virtual std::vector<OutboxEvent> claim(const std::string& destination, Instant now, Instant lease_until,
                                         const std::string& owner, int limit) = 0;
  // Each returns false (and changes nothing) when `owner` no longer holds the claim.
  virtual bool mark_delivered(OutboxEventId id, const std::string& owner, const std::string& remote_id) = 0;
  virtual bool mark_retry(OutboxEventId id, const std::string& owner, const std::string& error, Instant next_attempt_at) = 0;
  virtual bool mark_dead(OutboxEventId id, const std::string& owner, const std::string& error) = 0;
  // A person's decisions: a dead event is tried again (attempts restart), or any undelivered
  // event is never delivered. False when the event is not in a state that allows it.
  virtual bool retry(OutboxEventId id, Instant now) = 0;
  virtual bool drop(OutboxEventId id) = 0;
  virtual std::optional<OutboxEvent> get(OutboxEventId id) = 0;
  virtual std::optional<OutboxEvent> find(const std::string& idempotency_key) = 0;
  virtual std::vector<OutboxEvent> list(const OutboxFilter& filter, const Page& page) = 0;
  virtual std::vector<OutboxStats> stats() = 0;
  // The ordering keys of the destination's pending events of these kinds that a delivery has
  // started on (claimed now or before, or tried): what the ERP may or may not have heard. An
  // event never claimed (no dispatcher for its destination) has not reached the ERP.
  virtual std::vector<std::string> pending_ordering_keys(const std::string& destination, const std::vector<std::string>& kinds) = 0;
};

// Where an incremental pull resumes, and when the last full sweep ran, per source and stream.
struct SyncCursor {
  std::string cursor;
  std::optional<Instant> full_sweep_at;
};

class SyncCursorRepository {
 public:
  virtual ~SyncCursorRepository() = default;
  virtual std::optional<SyncCursor> get(const std::string& source, const std::string& stream) = 0;
  virtual void put(const std::string& source, const std::string& stream, const SyncCursor& c) = 0;
  // (source, stream, when it last moved) for every cursor, and for sources without one (file
  // imports) when one of their invoices last changed: when each ERP was last heard from.
  virtual std::vector<std::tuple<std::string, std::string, std::string>> all() = 0;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Append only: the schema refuses UPDATE and DELETE on the audit table. Records are written
  // when the transaction commits (or a read here needs them), chained in commit order: the
  // chain's head is locked only for that moment, never while other rows are held.
  virtual void append(const AuditRecord& r) = 0;
  virtual std::vector<AuditRecord> for_entity(const std::string& entity_type, const std::string& entity_id) = 0;
  virtual std::vector<AuditRecord> list(const Page& page) = 0;
  // Every record in id order as stored, with its hashes, and the chain's head (last id, hash).
  virtual void for_each_chained(const std::function<void(const AuditChainRow&)>& f) = 0;
  virtual std::pair<std::int64_t, std::string> chain_head() = 0;
};

// The inflow feed snapshots sent to treasury: each gets the next version, and keeps the
// references it held and the last application it covers, so the next snapshot (or the next
// delivery to a treasury system that missed some) can say which flows vanished and which
// receipts are new.
struct FeedReceipt {
  std::int64_t application_id = 0;
  InvoiceId invoice;
  std::string source, invoice_number;
  std::string customer_external_id, customer_name;
  Money amount = Money::unset();  // in the invoice's currency; negative when an application was undone
  Date value_date;                // the entry's value date, else its booking date, else the day applied
  std::string account;            // the bank account it came into (the statement's account)
};

class ForecastFeedRepository {
 public:
  virtual ~ForecastFeedRepository() = default;
  struct Snapshot {
    std::int64_t version = 0;
    std::string feed_id;
    std::vector<std::string> references;
    std::int64_t receipts_through = 0;  // the highest application id it covers
  };
  virtual std::optional<Snapshot> latest() = 0;
  virtual std::optional<Snapshot> get(std::int64_t version) = 0;
  // The latest version and what it covers, without its references (a cheap "did anything move").
  virtual std::optional<std::pair<std::int64_t, std::int64_t>> latest_version() = 0;
  // `version`: the next one (latest + 1; two daemons racing for it: one fails, DB_CONSTRAINT).
  // `body`: the snapshot as the feed JSON, kept for its deliveries. Returns the version.
  virtual std::int64_t record(std::int64_t version, const std::string& feed_id, Instant generated_at, const std::vector<std::string>& references,
                              std::int64_t receipts_through, const std::string& body) = 0;
  // The snapshot's feed JSON; nullopt once pruned.
  virtual std::optional<std::string> body(std::int64_t version) = 0;
  // Removes every snapshot but the latest, those a destination holds as its last delivery, and
  // `keep` (those still waiting to be sent). Returns how many went.
  virtual std::int64_t prune(const std::vector<std::int64_t>& keep) = 0;
  // The highest application id (0 when none): what a snapshot taken now covers.
  virtual std::int64_t last_application_id() = 0;
  // Cash applied to invoices (and undone) with application id in (after, through], by id.
  virtual std::vector<FeedReceipt> receipts(std::int64_t after, std::int64_t through) = 0;
  // Per customer, the bank account its most recent applied payment came into.
  virtual void for_each_paying_account(const std::function<void(CustomerId, const std::string& account)>& f) = 0;

  // What a treasury system acknowledged last.
  struct Delivery {
    std::string destination;
    std::int64_t version = 0;
    std::string feed_id;
    std::int64_t receipts_through = 0;
    Instant delivered_at{};
  };
  virtual std::optional<Delivery> delivered(const std::string& destination) = 0;
  virtual void record_delivery(const Delivery& d) = 0;  // inserts or replaces the destination's
};

// API tokens and the answers kept for Idempotency-Keys.
class AccessRepository {
 public:
  virtual ~AccessRepository() = default;
  virtual std::int64_t add_token(const ApiToken& t) = 0;
  virtual std::optional<ApiToken> token_by_hash(const std::string& token_hash) = 0;
  virtual std::optional<ApiToken> token(std::int64_t id) = 0;
  virtual std::vector<ApiToken> tokens(bool include_revoked) = 0;
  // False when there is no such token or it was revoked before.
  virtual bool revoke_token(std::int64_t id, const Actor& by) = 0;
  virtual void touch_token(std::int64_t id) = 0;  // last_used_at = now
  // Claims (user, key) for a request with this hash: nullopt when the key is new (it is now
  // in progress), else what is stored for it (status 0 while the first request runs).
  virtual std::optional<IdempotentAnswer> claim_idempotency_key(const std::string& user, const std::string& key,
                                                                const std::string& request_hash) = 0;
  virtual void finish_idempotency_key(const std::string& user, const std::string& key, int status,
                                      const std::string& content_type, const std::string& body) = 0;
  // The request failed in a way worth retrying: the key may be used again.
  virtual void release_idempotency_key(const std::string& user, const std::string& key) = 0;
  // Forgets answers older than `before`; returns how many.
  virtual std::int64_t purge_idempotency_keys(Instant before) = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual CustomerRepository& customers() = 0;
  virtual InvoiceRepository& invoices() = 0;
  virtual StatementRepository& statements() = 0;
  virtual EntryRepository& entries() = 0;
  virtual ApplicationRepository& applications() = 0;
  virtual CashLedger& cash() = 0;
  virtual PtpRepository& ptps() = 0;
  virtual ActivityRepository& activities() = 0;
  virtual ContactRepository& contacts() = 0;
  virtual DisputeRepository& disputes() = 0;
  virtual HoldRepository& holds() = 0;
  virtual WriteoffRepository& writeoffs() = 0;
  virtual DunningRepository& dunning() = 0;
  virtual OutboxRepository& outbox() = 0;
  virtual SyncCursorRepository& cursors() = 0;
  virtual AuditLog& audit() = 0;
  virtual AccessRepository& access() = 0;
  virtual ForecastFeedRepository& feeds() = 0;
  virtual void commit() = 0;
  // Commits without copying SQLite's log back into the database file, which a large commit
  // otherwise does inline; the caller has Store::checkpoint() run on another thread, or asks
  // for Store::checkpoint_soon().
  virtual void commit_without_checkpoint() { commit(); }
};

struct SchemaStatus {
  int current_version = 0;  // highest applied migration
  int known_version = 0;    // highest migration this binary carries
  std::vector<std::string> applied;  // "0001_init", ...
  std::vector<std::string> pending;
};

// Held while alive; released on destruction (or when its process dies).
class ExclusiveLock {
 public:
  virtual ~ExclusiveLock() = default;
};

// While one lives on a thread, transactions that thread begins only read: on SQLite they
// begin deferred (a WAL snapshot, no write lock), so a GET never queues behind a long import
// or cash-application run. A write inside one may fail with DB_BUSY.
class ReadIntent {
 public:
  ReadIntent();
  ~ReadIntent();
  ReadIntent(const ReadIntent&) = delete;
  ReadIntent& operator=(const ReadIntent&) = delete;
  static bool active();

 private:
  bool previous_;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string backend() const = 0;  // "sqlite" or "postgresql"
  // Applies pending migrations (each in its own transaction). Throws DB_SCHEMA_TOO_NEW when the
  // database was migrated by a newer arcd.
  virtual SchemaStatus migrate() = 0;
  virtual SchemaStatus schema_status() = 0;
  // Cheap round trip; false when the database cannot be reached.
  virtual bool ping() noexcept = 0;
  virtual std::unique_ptr<Transaction> begin() = 0;
  // A named lock over every process using this database, for work only one may do at a time
  // (a cash-application run). PostgreSQL: an advisory lock on a connection of its own, so a
  // dead daemon's lock goes with its connection. SQLite: always granted (one writer at a
  // time anyway; callers also guard their writes). nullptr when another process holds it.
  virtual std::unique_ptr<ExclusiveLock> try_exclusive(const std::string& name) = 0;
  // Copies what is committed in SQLite's log back into the database file, without waiting for
  // readers or the writer (a passive checkpoint). Nothing on PostgreSQL.
  virtual void checkpoint() {}
  // The same on the store's own thread and connection: returns at once. Nothing on PostgreSQL.
  virtual void checkpoint_soon() {}
};

struct StoreOptions {
  std::string url;        // "sqlite:///var/lib/arcd/arcd.db" or "postgresql://user@host/db"
  int pool_size = 4;
  int busy_timeout_ms = 5000;
  // Told what failed on the store's own threads (a checkpoint that could not be made), which
  // have no caller to throw to; the daemon logs it. May be called from any thread.
  std::function<void(const std::string& problem)> warn = {};
};

// Opens the pool. Throws DB_URL for an unsupported URL, DB_CONNECT when it cannot connect.
// Does not migrate: call migrate() (the daemon does at start) or check schema_status().
std::unique_ptr<Store> open_store(const StoreOptions& options);
// The same with the clock that stamps created_at/updated_at (tests pass a manual one).
std::unique_ptr<Store> open_store(const StoreOptions& options, std::shared_ptr<const Clock> clock);

// The URL with any password replaced by "***", safe to log.
std::string redact_database_url(const std::string& url);

}  // namespace arcd
