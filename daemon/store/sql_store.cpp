// The SOCI-backed Store: a connection pool, one Transaction per unit of work, migrations.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <libpq-fe.h>

#include <filesystem>
#include <mutex>

#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "store/database_url.hpp"
#include "store/log_checkpointer.hpp"
#include "store/migrations.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"
#include "store/schema_text_edit.hpp"
#include "store/sqlite_native.hpp"

namespace arcd {

namespace {
thread_local bool read_intent = false;
}  // namespace

ReadIntent::ReadIntent() : previous_(read_intent) { read_intent = true; }
ReadIntent::~ReadIntent() { read_intent = previous_; }
bool ReadIntent::active() { return read_intent; }

namespace store {
namespace {

// A checkpoint copies every page in the log back into the database file: every 64 MiB of log
// rather than SQLite's 4 MiB, a page that several commits changed (an invoice page during cash
// application) is copied once, not once per commit. Cash application over 1M invoices spent
// 78 s in commits, 51 s so. SQLite counts it in pages, whose size depends on the database.
constexpr int kWalAutocheckpointBytes = 64 << 20;
constexpr int kPageBytes = 8192;

// Runs a script of several statements through the native driver: SOCI prepares one statement
// at a time, migrations need many (and PL/pgSQL bodies with semicolons inside).
void exec_script(soci::session& sql, Backend backend, std::string_view script) {
  const std::string text(script);
  if (backend == Backend::sqlite) {
    auto* be = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* err = nullptr;
    if (sqlite_api::sqlite3_exec(be->conn_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite_api::sqlite3_free(err);
      throw Error("DB_MIGRATION_FAILED", msg);
    }
  } else {
    auto* be = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
    PGresult* res = PQexec(be->conn_, text.c_str());
    const auto status = PQresultStatus(res);
    std::string msg = PQresultErrorMessage(res);
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw Error("DB_MIGRATION_FAILED", msg);
  }
}

// A migration that says this in its text runs with foreign keys off (SQLite only).
constexpr std::string_view kForeignKeysOff = "-- arcd: foreign keys off";

// Foreign keys off on a SQLite session while it lives (`off`), back on however it ends: the
// session goes back to the pool, and no other user of it may find them off.
class ForeignKeysOff {
 public:
  ForeignKeysOff(soci::session& sql, bool off) : sql_(sql), off_(off) {
    if (off_) exec_script(sql_, Backend::sqlite, "PRAGMA foreign_keys = OFF");
  }
  ~ForeignKeysOff() {
    if (!off_) return;
    try {
      exec_script(sql_, Backend::sqlite, "PRAGMA foreign_keys = ON");
    } catch (...) {
      // Outside a transaction this does not fail. A failed migration stops the daemon (and
      // arcctl) anyway, so the pool it leaves is not used again.
    }
  }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  soci::session& sql_;
  bool off_;
};

// Throws naming the first row whose reference points nowhere (PRAGMA foreign_key_check).
void check_foreign_keys(soci::session& sql) {
  soci::rowset<soci::row> rows = (sql.prepare << "PRAGMA foreign_key_check");
  for (const auto& r : rows) {
    throw Error("DB_FOREIGN_KEY", "row " + std::to_string(col_opt_i64(r, 1).value_or(0)) + " of " + col_str(r, 0) +
                                      " refers to a missing row of " + col_str(r, 2));
  }
}

class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(soci::connection_pool& pool, const Clock& clock, Backend backend)
      : sql_(pool),
        ctx_{sql_, clock, backend, failed_},
        customers_(ctx_),
        invoices_(ctx_),
        statements_(ctx_),
        entries_(ctx_),
        applications_(ctx_),
        cash_(ctx_),
        ptps_(ctx_),
        activities_(ctx_),
        contacts_(ctx_),
        disputes_(ctx_),
        holds_(ctx_),
        writeoffs_(ctx_),
        dunning_(ctx_),
        outbox_(ctx_),
        cursors_(ctx_),
        audit_(ctx_),
        access_(ctx_),
        feeds_(ctx_) {
    try {
      // IMMEDIATE takes SQLite's write lock up front, so two writers queue on the busy
      // timeout instead of failing when a reader upgrades.
      sql_ << (backend == Backend::sqlite ? (ReadIntent::active() ? "BEGIN" : "BEGIN IMMEDIATE") : "BEGIN");
    } catch (...) {
      rethrow_db_error("begin transaction");
    }
  }
  ~SqlTransaction() override {
    if (!done_) {
      try {
        sql_ << "ROLLBACK";
      } catch (...) {
        // The connection may be gone; the server rolls back on its own then.
      }
    }
  }
  CustomerRepository& customers() override { return customers_; }
  InvoiceRepository& invoices() override { return invoices_; }
  StatementRepository& statements() override { return statements_; }
  EntryRepository& entries() override { return entries_; }
  ApplicationRepository& applications() override { return applications_; }
  CashLedger& cash() override { return cash_; }
  PtpRepository& ptps() override { return ptps_; }
  ActivityRepository& activities() override { return activities_; }
  ContactRepository& contacts() override { return contacts_; }
  DisputeRepository& disputes() override { return disputes_; }
  HoldRepository& holds() override { return holds_; }
  WriteoffRepository& writeoffs() override { return writeoffs_; }
  DunningRepository& dunning() override { return dunning_; }
  OutboxRepository& outbox() override { return outbox_; }
  SyncCursorRepository& cursors() override { return cursors_; }
  AuditLog& audit() override { return audit_; }
  AccessRepository& access() override { return access_; }
  ForecastFeedRepository& feeds() override { return feeds_; }
  void commit_without_checkpoint() override {
    if (ctx_.backend != Backend::sqlite) return commit();
    int pages = 0;
    try {
      sql_ << "PRAGMA wal_autocheckpoint", soci::into(pages);
      sql_ << "PRAGMA wal_autocheckpoint = 0";
    } catch (...) {
      rethrow_db_error("defer the checkpoint");
    }
    std::exception_ptr failed;
    try {
      commit();
    } catch (...) {
      failed = std::current_exception();
    }
    try {
      sql_ << "PRAGMA wal_autocheckpoint = " + std::to_string(pages);
    } catch (...) {
      if (!failed) rethrow_db_error("restore the checkpoint");
    }
    if (failed) std::rethrow_exception(failed);
  }

  void commit() override {
    if (failed_) throw Error("DB_TX_ABORTED", "a statement in this transaction failed; nothing was committed");
    audit_.flush();  // throws (nothing committed) when the records cannot be written
    try {
      sql_ << "COMMIT";
      done_ = true;
    } catch (...) {
      rethrow_db_error("commit");
    }
  }

 private:
  soci::session sql_;
  bool failed_ = false;
  RepoContext ctx_;
  SqlCustomers customers_;
  SqlInvoices invoices_;
  SqlStatements statements_;
  SqlEntries entries_;
  SqlApplications applications_;
  SqlCashLedger cash_;
  SqlPtps ptps_;
  SqlActivities activities_;
  SqlContacts contacts_;
  SqlDisputes disputes_;
  SqlHolds holds_;
  SqlWriteoffs writeoffs_;
  SqlDunning dunning_;
  SqlOutbox outbox_;
  SqlSyncCursors cursors_;
  SqlAuditLog audit_;
  SqlAccess access_;
  SqlForecastFeeds feeds_;
  bool done_ = false;
};

// A PostgreSQL session-level advisory lock on a connection of its own.
class AdvisoryLock final : public ExclusiveLock {
 public:
  AdvisoryLock(std::unique_ptr<soci::session> session, std::string name) : session_(std::move(session)), name_(std::move(name)) {}
  ~AdvisoryLock() override {
    try {
      *session_ << "SELECT pg_advisory_unlock(hashtext(:n))", soci::use(name_);
    } catch (...) {
      // Closing the connection releases it anyway.
    }
  }

 private:
  std::unique_ptr<soci::session> session_;
  std::string name_;
};

class SqlStore final : public Store {
 public:
  SqlStore(const StoreOptions& options, std::shared_ptr<const Clock> clock)
      : url_(parse_database_url(options.url)),
        pool_size_(static_cast<std::size_t>(std::max(1, options.pool_size))),
        pool_(pool_size_),
        clock_(std::move(clock)) {
    if (url_.backend == Backend::sqlite) checkpointer_ = std::make_unique<LogCheckpointer>(url_.path, options.warn);
    for (std::size_t i = 0; i < pool_size_; ++i) {
      try {
        auto& s = pool_.at(i);
        if (url_.backend == Backend::sqlite) {
          configure_sqlite_once();
          s.open(soci::sqlite3, "db=\"" + url_.path + "\" timeout=" + std::to_string(std::max(1, options.busy_timeout_ms / 1000)));
          // Only a new, empty database takes it (before WAL fixes the file's header); one made
          // before keeps its own. An import writes its log a page per call, and SQLite's default
          // 4 KiB made that a fifth of a statement import's time; 8 KiB cost nothing measurable
          // elsewhere, where 16 KiB and more made the collections run's scattered updates slower.
          s << "PRAGMA page_size = " + std::to_string(kPageBytes);
          s << "PRAGMA journal_mode = WAL";
          s << "PRAGMA foreign_keys = ON";
          s << "PRAGMA synchronous = FULL";
          // Large imports touch many index pages in one transaction; a small cache spills them
          // to the WAL and reads them back for every row.
          s << "PRAGMA cache_size = -65536";
          // See kWalAutocheckpointBytes. The log is truncated back to 64 MiB after a checkpoint
          // resets it.
          int page_bytes = kPageBytes;
          s << "PRAGMA page_size", soci::into(page_bytes);
          s << "PRAGMA wal_autocheckpoint = " + std::to_string(kWalAutocheckpointBytes / std::max(512, page_bytes));
          s << "PRAGMA journal_size_limit = " + std::to_string(kWalAutocheckpointBytes);
          // Reads of the database file through a mapping, not a read() call per page: whole-portfolio
          // passes (collections, the forecast) spent a third of their time in the kernel.
          s << "PRAGMA mmap_size = 2147483648";
          s << "PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms);
        } else {
          s.open(soci::postgresql, url_.connect_string);
          s << "SET client_min_messages = warning";
          s << "SET TIME ZONE 'UTC'";
          s << "SET lock_timeout = '" + std::to_string(options.busy_timeout_ms) + "ms'";
        }
      } catch (const std::exception& e) {
        throw Error("DB_CONNECT", "cannot connect to " + redact_database_url(options.url) + ": " + e.what());
      }
    }
  }

  std::string backend() const override { return url_.backend == Backend::sqlite ? "sqlite" : "postgresql"; }

  SchemaStatus schema_status() override {
    soci::session sql(pool_);
    ensure_version_table(sql);
    return status_of(sql);
  }

  SchemaStatus migrate() override {
    std::lock_guard lock(migrate_mutex_);
    soci::session sql(pool_);
    ensure_version_table(sql);
    // Several daemons may start at once against one PostgreSQL: one migrates, the others wait.
    if (url_.backend == Backend::postgresql) sql << "SELECT pg_advisory_lock(7301001)";
    try {
      auto status = status_of(sql);
      for (const auto& m : migrations_for(url_.backend)) {
        if (m.version <= status.current_version) continue;
        // SQLite rebuilds a table others reference with foreign keys off (they cannot be
        // switched inside a transaction), then checks every reference before it commits.
        const bool keys_off = url_.backend == Backend::sqlite && m.sql.find(kForeignKeysOff) != std::string_view::npos;
        ForeignKeysOff off(sql, keys_off);
        exec_script(sql, url_.backend, url_.backend == Backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        try {
          if (url_.backend == Backend::sqlite && m.sql.find(kEditsSchemaText) != std::string_view::npos) {
            run_schema_text_edit(sql, m.sql);
          } else {
            exec_script(sql, url_.backend, m.sql);
          }
          if (keys_off) check_foreign_keys(sql);
          const std::string now = to_iso8601(clock_->now());
          sql << "INSERT INTO schema_migrations(version, name, applied_at) VALUES(:v, :n, :t)", soci::use(m.version),
              soci::use(m.name), soci::use(now);
          exec_script(sql, url_.backend, "COMMIT");
        } catch (const std::exception& e) {
          exec_script(sql, url_.backend, "ROLLBACK");
          throw Error("DB_MIGRATION_FAILED", "migration " + m.name + " failed and was rolled back: " + e.what());
        }
      }
      auto after = status_of(sql);
      if (url_.backend == Backend::postgresql) sql << "SELECT pg_advisory_unlock(7301001)";
      return after;
    } catch (...) {
      if (url_.backend == Backend::postgresql) {
        try {
          sql << "SELECT pg_advisory_unlock(7301001)";
        } catch (...) {
        }
      }
      throw;
    }
  }

  bool ping() noexcept override {
    try {
      soci::session sql(pool_);
      int one = 0;
      sql << "SELECT 1", soci::into(one);
      return one == 1;
    } catch (...) {
      return false;
    }
  }

  std::unique_ptr<Transaction> begin() override {
    if (checkpointer_ && !ReadIntent::active()) let_a_long_log_start_over();
    return std::make_unique<SqlTransaction>(pool_, *clock_, url_.backend);
  }

  void checkpoint_soon() override {
    if (checkpointer_) checkpointer_->request();
  }

  void checkpoint() override {
    if (url_.backend != Backend::sqlite) return;
    try {
      soci::session s(pool_);
      s << "PRAGMA wal_checkpoint(PASSIVE)";
    } catch (...) {
      rethrow_db_error("checkpoint the log");
    }
  }

  std::unique_ptr<ExclusiveLock> try_exclusive(const std::string& name) override {
    if (url_.backend == Backend::sqlite) return std::make_unique<ExclusiveLock>();
    try {
      auto session = std::make_unique<soci::session>(soci::postgresql, url_.connect_string);
      int granted = 0;
      *session << "SELECT CASE WHEN pg_try_advisory_lock(hashtext(:n)) THEN 1 ELSE 0 END", soci::use(name), soci::into(granted);
      if (!granted) return nullptr;
      return std::make_unique<AdvisoryLock>(std::move(session), name);
    } catch (const std::exception& e) {
      throw Error("DB_CONNECT", "cannot take the lock '" + name + "': " + e.what());
    }
  }

 private:
  void ensure_version_table(soci::session& sql) {
    try {
      sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
             "applied_at TEXT NOT NULL)";
    } catch (...) {
      rethrow_db_error("create schema_migrations");
    }
  }

  SchemaStatus status_of(soci::session& sql) {
    SchemaStatus st;
    const auto known = migrations_for(url_.backend);
    st.known_version = known.empty() ? 0 : known.back().version;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT version, name FROM schema_migrations ORDER BY version");
    for (const auto& r : rows) {
      st.current_version = static_cast<int>(col_i64(r, 0));
      st.applied.push_back(col_str(r, 1));
    }
    for (const auto& m : known)
      if (m.version > st.current_version) st.pending.push_back(m.name);
    if (st.current_version > st.known_version) {
      throw Error("DB_SCHEMA_TOO_NEW", "the database is at schema version " + std::to_string(st.current_version) +
                                           " but this arcd knows only up to " + std::to_string(st.known_version) +
                                           "; run a newer arcd or restore a matching backup");
    }
    return st;
  }

  DatabaseUrl url_;
  std::size_t pool_size_;
  soci::connection_pool pool_;
  std::shared_ptr<const Clock> clock_;
  std::mutex migrate_mutex_;
  std::unique_ptr<LogCheckpointer> checkpointer_;  // SQLite's; stops before the pool closes

  // SQLite starts its log over only at a write transaction that begins with the log wholly
  // copied back into the database. Writers that commit without checkpointing, one after the
  // other (a folder of statement files), each began before the checkpointer had copied the
  // last one, and the log grew by every file for as long as they came. So a writer waits for
  // the checkpointer once the log file is past the size it is truncated back to: the log
  // stays about that long, and a lone writer, or one after a short log, never waits.
  void let_a_long_log_start_over() {
    std::error_code ec;
    const auto log_bytes = std::filesystem::file_size(url_.path + "-wal", ec);
    if (!ec && log_bytes > static_cast<std::uintmax_t>(kWalAutocheckpointBytes)) checkpointer_->wait_until_idle();
  }
};

}  // namespace
}  // namespace store

std::unique_ptr<Store> open_store(const StoreOptions& options) {
  return std::make_unique<store::SqlStore>(options, make_system_clock());
}

std::unique_ptr<Store> open_store(const StoreOptions& options, std::shared_ptr<const Clock> clock) {
  return std::make_unique<store::SqlStore>(options, std::move(clock));
}

}  // namespace arcd
