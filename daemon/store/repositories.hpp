#pragma once
// SOCI implementations of the repositories in arcd/store.hpp. Each works on the session of the
// Transaction that owns it; none commits.

#include <soci/soci.h>

#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "store/database_url.hpp"
#include "store/prepared_row.hpp"
#include "store/row_util.hpp"

namespace arcd::store {

class SqliteStatement;  // store/sqlite_native.hpp

struct RepoContext {
  soci::session& sql;
  const Clock& clock;
  Backend backend;
  bool& failed;  // set by the first failed statement: the transaction can no longer commit
  std::string now() const { return to_iso8601(clock.now()); }
  // Marks the transaction failed and rethrows the exception in flight as arcd::Error.
  // PostgreSQL aborts a transaction at its first error and SQLite does not; refusing to commit
  // after any error gives both backends the same all-or-nothing behaviour.
  [[noreturn]] void fail(const std::string& what) const {
    failed = true;
    rethrow_db_error(what);
  }
};

class SqlCustomers final : public CustomerRepository {
 public:
  explicit SqlCustomers(RepoContext c) : c_(c) {}
  CustomerId insert(const Customer& c) override;
  void update(const Customer& c) override;
  std::optional<Customer> get(CustomerId id) override;
  std::optional<Customer> find_by_external_id(const std::string& source, const std::string& external_id) override;
  std::vector<Customer> find_by_external_id_any(const std::string& external_id) override;
  std::vector<Customer> list(const Page& page) override;
  std::int64_t count() override;
  void add_account(const CustomerAccount& a) override;
  std::vector<CustomerAccount> accounts(CustomerId id) override;
  std::vector<CustomerAccount> find_by_account(const std::string& account) override;
  void set_collections_profile(const Customer& c) override;
  void set_risk_class(CustomerId id, const std::string& risk_class, Date computed_on, bool recheck) override;
  void set_credit_hold(CustomerId id, bool on) override;

 private:
  RepoContext c_;
  std::string find_source_, find_external_id_;
  std::unique_ptr<PreparedRowQuery> find_;  // find_by_external_id(), prepared at its first use
};

class SqlInvoices final : public InvoiceRepository {
 public:
  explicit SqlInvoices(RepoContext c);
  ~SqlInvoices() override;
  InvoiceId insert(const Invoice& i) override;
  void update(const Invoice& i) override;
  std::optional<Invoice> get(InvoiceId id) override;
  std::optional<Invoice> find_by_number(const std::string& source, const std::string& number) override;
  std::vector<Invoice> find_by_number_any(const std::string& number) override;
  std::optional<Invoice> find_by_external_id(const std::string& source, const std::string& external_id) override;
  std::vector<Invoice> list(const InvoiceFilter& filter, const Page& page) override;
  std::vector<Invoice> list_ordered(const InvoiceFilter& filter, InvoiceOrder order, const std::optional<InvoiceCursor>& after,
                                    int limit) override;
  void acknowledge_push(InvoiceId id, std::int64_t pushed_delta, Instant at, std::optional<std::int64_t> erp_open_now) override;
  std::int64_t count(const InvoiceFilter& filter) override;
  void set_collection_policy(InvoiceId id, const std::string& policy) override;
  void for_each_open_external_id(const std::string& source, const std::function<void(const std::string&)>& f) override;

 private:
  struct Prepared;  // the lookups and the INSERT an import runs per invoice, prepared once per transaction
  Prepared& prepared();
  std::optional<Invoice> by_id_query(int which, const std::string& source, const std::string& key);
  RepoContext c_;
  std::unique_ptr<Prepared> prepared_;
  long long get_id_ = 0;
  std::unique_ptr<PreparedRowQuery> get_;  // get(), prepared at its first use in the transaction
};

class SqlStatements final : public StatementRepository {
 public:
  explicit SqlStatements(RepoContext c) : c_(c) {}
  StatementId insert(const Statement& s) override;
  void set_warnings(StatementId id, const std::string& warnings) override;
  void set_file(StatementId id, const std::string& sha256) override;
  std::optional<Statement> get(StatementId id) override;
  std::vector<Statement> list(const Page& page) override;
  bool store_raw_file(const std::string& sha256, const std::string& name, std::string_view bytes,
                      const std::function<void(std::size_t)>& progress) override;
  bool store_raw_file_frames(const std::string& sha256, const std::string& name, std::uint64_t size, std::size_t frame_count,
                             const std::function<std::string_view(std::size_t)>& frame) override;
  bool has_raw_file(const std::string& sha256) override;
  bool has_raw_file_of_size(std::uint64_t size) override;
  bool read_raw_file(const std::string& sha256, const std::function<void(std::string_view)>& piece) override;
  std::vector<AccountFreshness> freshness() override;

 private:
  void insert_raw_file_row(const std::string& sha256, const std::string& name, std::uint64_t size);
  void insert_raw_chunk(const std::string& sha256, int chunk, std::string_view frame);
  RepoContext c_;
};

class SqlEntries final : public EntryRepository {
 public:
  explicit SqlEntries(RepoContext c);
  ~SqlEntries() override;
  EntryId insert(const Entry& e) override;
  std::optional<EntryId> insert_unqueued_if_new(const Entry& e) override;
  long long queue_booked(EntryId first, EntryId last) override;
  void mark_booked(EntryId id, std::optional<Date> booking_date) override;
  std::optional<Entry> get(EntryId id) override;
  std::optional<Entry> find_by_key(const std::string& entry_key) override;
  std::vector<Entry> list_by_statement(StatementId id, const Page& page) override;

  struct PreparedInsert;  // one prepared INSERT reused for every entry of a transaction (per backend)

 private:
  RepoContext c_;
  std::unique_ptr<PreparedInsert> insert_;
};

class SqlApplications final : public ApplicationRepository {
 public:
  explicit SqlApplications(RepoContext c);
  ~SqlApplications() override;
  ApplicationId insert(const Application& a) override;
  std::vector<Application> for_entry(EntryId id) override;
  std::vector<Application> for_invoice(InvoiceId id) override;

 private:
  struct PreparedInsert;  // one prepared INSERT reused for every application of a transaction
  RepoContext c_;
  std::unique_ptr<PreparedInsert> insert_;           // PostgreSQL
  std::unique_ptr<SqliteStatement> sqlite_insert_;   // SQLite
  long long insert_into_sqlite(const Application& a);
};

class SqlCashLedger final : public CashLedger {
 public:
  explicit SqlCashLedger(RepoContext c);
  ~SqlCashLedger() override;
  void for_each_open_invoice(const std::function<void(const Invoice&)>& f) override;
  void for_each_customer(const std::function<void(const Customer&)>& f) override;
  void for_each_customer_account(const std::function<void(const CustomerAccount&)>& f) override;
  void for_each_issued_reference(
      const std::function<void(const std::string&, std::optional<InvoiceId>, std::optional<CustomerId>)>& f) override;
  void add_issued_reference(const std::string& reference, std::optional<InvoiceId> invoice, std::optional<CustomerId> customer,
                            const std::string& kind) override;
  std::vector<std::pair<Entry, CashState>> entries_to_match(EntryId after, int limit) override;
  CashState state_of(EntryId id) override;
  void seen(EntryId id) override;
  void seen_up_to(EntryId id) override;
  std::vector<Entry> credits_with_end_to_end_id(const std::string& end_to_end_id) override;
  std::vector<Entry> credits_from(const std::string& payer_account, const Money& amount) override;
  void add_to_invoice(InvoiceId id, std::int64_t applied_delta, std::int64_t adjusted_delta) override;
  void add_adjustment(const Adjustment& a) override;
  void put_exception(const CashException& e) override;
  void remove_exception(EntryId id) override;
  std::optional<CashException> exception(EntryId id) override;
  std::vector<CashException> exceptions(const Page& page) override;
  std::optional<Application> application(ApplicationId id) override;
  std::vector<Application> applications(const Page& page) override;
  std::vector<Money> on_account(CustomerId customer) override;
  void for_each_on_account(const std::function<void(CustomerId, const Money&)>& f) override;
  std::pair<std::int64_t, std::int64_t> inbox_and_queue_sizes() override;
  std::vector<EntryCashBalance> entry_balances(const std::vector<EntryId>* only) override;
  std::vector<InvoiceCashBalance> invoice_balances(const std::vector<InvoiceId>* only) override;

 private:
  struct Prepared;  // statements run once per decision, prepared once per transaction
  RepoContext c_;
  std::unique_ptr<Prepared> prepared_;
  std::unique_ptr<SqliteStatement> sqlite_add_to_invoice_;
  Prepared& prepared();
};

class SqlPtps final : public PtpRepository {
 public:
  explicit SqlPtps(RepoContext c) : c_(c) {}
  PtpId insert(const Ptp& p) override;
  std::optional<Ptp> get(PtpId id) override;
  std::vector<Ptp> list(std::optional<CustomerId> customer, std::optional<PtpState> state, const Page& page) override;
  void update(const Ptp& p) override;
  void add_event(const PtpEvent& e) override;
  std::vector<PtpEvent> events(PtpId id) override;
  std::vector<CustomerId> customers_with_promises() override;

 private:
  RepoContext c_;
};

class SqlActivities final : public ActivityRepository {
 public:
  explicit SqlActivities(RepoContext c);
  ~SqlActivities() override;
  ActivityId add_activity(const Activity& a) override;
  std::vector<Activity> activities(CustomerId customer) override;
  TaskId add_task(const Task& t) override;
  std::optional<TaskId> add_task_once(const Task& t) override;
  std::vector<Task> tasks(CustomerId customer) override;
  std::optional<Task> task(TaskId id) override;
  std::vector<Task> open_tasks(const std::optional<std::string>& assignee) override;
  bool complete_task(TaskId id, const std::string& outcome, const std::string& note, const Actor& by) override;
  std::vector<Activity> activities_page(const Page& page, const std::optional<CustomerId>& customer) override;

 private:
  struct PreparedTask;  // a collections run makes thousands of tasks in one transaction
  RepoContext c_;
  std::unique_ptr<PreparedTask> task_insert_;
};

class SqlContacts final : public ContactRepository {
 public:
  explicit SqlContacts(RepoContext c) : c_(c) {}
  std::int64_t add(const Contact& c) override;
  std::vector<Contact> of(CustomerId customer) override;
  void mark_invalid(CustomerId customer, const std::string& email, const std::string& reason) override;
  void clear_invalid(std::int64_t id) override;

 private:
  RepoContext c_;
};

class SqlDisputes final : public DisputeRepository {
 public:
  explicit SqlDisputes(RepoContext c) : c_(c) {}
  DisputeId insert(const Dispute& d) override;
  std::optional<Dispute> get(DisputeId id) override;
  bool resolve(DisputeId id, const std::string& resolution, const std::string& note, const Actor& by) override;
  std::vector<Dispute> list(const DisputeFilter& filter, const Page& page) override;
  std::vector<InvoiceId> open_invoice_ids() override;

 private:
  RepoContext c_;
};

class SqlHolds final : public HoldRepository {
 public:
  explicit SqlHolds(RepoContext c) : c_(c) {}
  HoldId insert(const Hold& h) override;
  std::optional<Hold> get(HoldId id) override;
  bool end(HoldId id, const Actor& by) override;
  std::vector<Hold> unended(const std::optional<CustomerId>& customer) override;
  std::vector<Hold> list(const std::optional<CustomerId>& customer, const Page& page) override;

 private:
  RepoContext c_;
};

class SqlWriteoffs final : public WriteoffRepository {
 public:
  explicit SqlWriteoffs(RepoContext c) : c_(c) {}
  std::int64_t insert(const Writeoff& w) override;
  std::optional<Writeoff> get(std::int64_t id) override;
  bool decide(std::int64_t id, WriteoffState state, const Actor& by) override;
  std::vector<Writeoff> list(const std::optional<WriteoffState>& state, const std::optional<InvoiceId>& invoice,
                             const Page& page) override;

 private:
  RepoContext c_;
};

class SqlDunning final : public DunningRepository {
 public:
  explicit SqlDunning(RepoContext c);
  ~SqlDunning() override;
  std::vector<DunnableInvoice> dunnable(CustomerId first, CustomerId last) override;
  std::vector<DunnableInvoice> dunnable_of(const std::vector<CustomerId>& customers) override;
  std::vector<CustomerId> customers_due(Date day, Date horizon) override;
  std::vector<std::tuple<CustomerId, std::int64_t, std::int64_t>> open_balances(Date day) override;
  std::string last_run_policies() override;
  bool record_stage(const StageRecord& r) override;
  void set_next_due(InvoiceId invoice, std::optional<Date> next_due, Date due_date) override;
  std::vector<StageRecord> stages(InvoiceId invoice) override;
  std::optional<std::int64_t> add_communication(const Communication& c) override;
  std::optional<Communication> communication(std::int64_t id) override;
  std::optional<Communication> communication_by_message_id(const std::string& message_id) override;
  std::vector<Communication> communications(const std::optional<CustomerId>& customer, const Page& page) override;
  void set_communication_status(std::int64_t id, const std::string& status, const std::string& error) override;
  bool start_run(Date run_date) override;
  void finish_run(Date run_date, const std::string& summary_json, const std::string& policies) override;
  std::optional<std::pair<bool, std::string>> run(Date run_date) override;
  std::optional<Instant> newest_statement_import() override;
  void for_each_payment(Date since, const std::function<void(CustomerId, std::int64_t, int)>& f) override;
  std::vector<std::pair<CustomerId, std::int64_t>> broken_promises(Date since) override;
  void for_each_kpi_invoice(const std::function<void(const KpiInvoice&)>& f) override;
  void for_each_invoice_flow(const std::function<void(const InvoiceFlow&)>& f) override;
  std::vector<std::pair<std::string, std::int64_t>> unapplied_by_currency() override;

 private:
  struct Prepared;  // a run records thousands of stages in one transaction
  RepoContext c_;
  std::unique_ptr<Prepared> prepared_;
};

class SqlOutbox final : public OutboxRepository {
 public:
  explicit SqlOutbox(RepoContext c);
  ~SqlOutbox() override;
  OutboxEventId enqueue(const OutboxEvent& e) override;
  std::vector<OutboxEvent> claim(const std::string& destination, Instant now, Instant lease_until, const std::string& owner,
                                 int limit) override;
  bool mark_delivered(OutboxEventId id, const std::string& owner, const std::string& remote_id) override;
  bool mark_retry(OutboxEventId id, const std::string& owner, const std::string& error, Instant next_attempt_at) override;
  bool mark_dead(OutboxEventId id, const std::string& owner, const std::string& error) override;
  bool retry(OutboxEventId id, Instant now) override;
  bool drop(OutboxEventId id) override;
  std::optional<OutboxEvent> get(OutboxEventId id) override;
  std::optional<OutboxEvent> find(const std::string& idempotency_key) override;
  std::vector<OutboxEvent> list(const OutboxFilter& filter, const Page& page) override;
  std::vector<OutboxStats> stats() override;
  std::vector<std::string> pending_ordering_keys(const std::string& destination, const std::vector<std::string>& kinds) override;

 private:
  struct PreparedEnqueue;  // a collections run queues thousands of messages in one transaction
  RepoContext c_;
  std::unique_ptr<PreparedEnqueue> enqueue_;
  std::unique_ptr<SqliteStatement> sqlite_enqueue_;
};

class SqlSyncCursors final : public SyncCursorRepository {
 public:
  explicit SqlSyncCursors(RepoContext c) : c_(c) {}
  std::optional<SyncCursor> get(const std::string& source, const std::string& stream) override;
  void put(const std::string& source, const std::string& stream, const SyncCursor& c) override;
  std::vector<std::tuple<std::string, std::string, std::string>> all() override;

 private:
  RepoContext c_;
};

class SqlAccess final : public AccessRepository {
 public:
  explicit SqlAccess(RepoContext c) : c_(c) {}
  std::int64_t add_token(const ApiToken& t) override;
  std::optional<ApiToken> token_by_hash(const std::string& token_hash) override;
  std::optional<ApiToken> token(std::int64_t id) override;
  std::vector<ApiToken> tokens(bool include_revoked) override;
  bool revoke_token(std::int64_t id, const Actor& by) override;
  void touch_token(std::int64_t id) override;
  std::optional<IdempotentAnswer> claim_idempotency_key(const std::string& user, const std::string& key,
                                                        const std::string& request_hash) override;
  void finish_idempotency_key(const std::string& user, const std::string& key, int status, const std::string& content_type,
                              const std::string& body) override;
  void release_idempotency_key(const std::string& user, const std::string& key) override;
  std::int64_t purge_idempotency_keys(Instant before) override;

 private:
  RepoContext c_;
};

class SqlForecastFeeds final : public ForecastFeedRepository {
 public:
  explicit SqlForecastFeeds(RepoContext c) : c_(c) {}
  std::optional<Snapshot> latest() override;
  std::optional<Snapshot> get(std::int64_t version) override;
  std::optional<std::pair<std::int64_t, std::int64_t>> latest_version() override;
  std::int64_t record(std::int64_t version, const std::string& feed_id, Instant generated_at, const std::vector<std::string>& references,
                      std::int64_t receipts_through, const std::string& body) override;
  std::optional<std::string> body(std::int64_t version) override;
  std::int64_t prune(const std::vector<std::int64_t>& keep) override;
  std::int64_t last_application_id() override;
  std::vector<FeedReceipt> receipts(std::int64_t after, std::int64_t through) override;
  void for_each_paying_account(const std::function<void(CustomerId, const std::string&)>& f) override;
  std::optional<Delivery> delivered(const std::string& destination) override;
  void record_delivery(const Delivery& d) override;

 private:
  RepoContext c_;
};

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(RepoContext c);
  ~SqlAuditLog() override;
  void append(const AuditRecord& r) override;
  std::vector<AuditRecord> for_entity(const std::string& entity_type, const std::string& entity_id) override;
  std::vector<AuditRecord> list(const Page& page) override;
  void for_each_chained(const std::function<void(const AuditChainRow&)>& f) override;
  std::pair<std::int64_t, std::string> chain_head() override;
  // Writes the records appended so far, chained after the head, and moves the head. Called
  // by the transaction just before COMMIT.
  void flush();

 private:
  struct PreparedInsert;  // one prepared INSERT reused for every record of a transaction
  RepoContext c_;
  std::unique_ptr<PreparedInsert> insert_;
  std::vector<AuditChainFields> pending_;
};

}  // namespace arcd::store
