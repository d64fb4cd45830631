#include "store/sqlite_native.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <mutex>

#include "arcd/error.hpp"

namespace arcd::store {
namespace {

sqlite_api::sqlite3* handle(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

}  // namespace

void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

long long sqlite_last_insert_rowid(soci::session& sql) {
  return static_cast<long long>(sqlite_api::sqlite3_last_insert_rowid(handle(sql)));
}

void sqlite_insert_raw_chunk(soci::session& sql, const std::string& sha256, int chunk, std::string_view content) {
  sqlite_api::sqlite3* db = handle(sql);
  sqlite_api::sqlite3_stmt* raw = nullptr;
  auto fail = [db](const char* step) { throw soci::soci_error(std::string(step) + ": " + sqlite_api::sqlite3_errmsg(db)); };
  if (sqlite_api::sqlite3_prepare_v2(db, "INSERT INTO raw_file_chunks(sha256, chunk, content) VALUES(?, ?, ?)", -1, &raw, nullptr) !=
      SQLITE_OK) {
    fail("prepare raw file chunk");
  }
  std::unique_ptr<sqlite_api::sqlite3_stmt, int (*)(sqlite_api::sqlite3_stmt*)> st(raw, sqlite_api::sqlite3_finalize);
  // SQLITE_STATIC: the bytes outlive the statement (the caller's mapped file or buffer).
  if (sqlite_api::sqlite3_bind_text(raw, 1, sha256.data(), static_cast<int>(sha256.size()), SQLITE_STATIC) != SQLITE_OK ||
      sqlite_api::sqlite3_bind_int(raw, 2, chunk) != SQLITE_OK ||
      // An empty piece (an empty file) is an empty blob; a null pointer would bind NULL.
      (content.empty() ? sqlite_api::sqlite3_bind_zeroblob(raw, 3, 0)
                       : sqlite_api::sqlite3_bind_blob64(raw, 3, content.data(), content.size(), SQLITE_STATIC)) != SQLITE_OK) {
    fail("bind raw file chunk");
  }
  if (sqlite_api::sqlite3_step(raw) != SQLITE_DONE) fail("insert raw file chunk");
}

struct SqliteStatement::Handles {
  sqlite_api::sqlite3* db = nullptr;
  sqlite_api::sqlite3_stmt* st = nullptr;
};

SqliteStatement::SqliteStatement(soci::session& sql, const char* text) : h_(std::make_unique<Handles>(Handles{handle(sql), nullptr})) {
  if (sqlite_api::sqlite3_prepare_v3(h_->db, text, -1, SQLITE_PREPARE_PERSISTENT, &h_->st, nullptr) != SQLITE_OK) {
    throw soci::soci_error("prepare " + std::string(text) + ": " + sqlite_api::sqlite3_errmsg(h_->db));
  }
}

SqliteStatement::~SqliteStatement() { sqlite_api::sqlite3_finalize(h_->st); }

void SqliteStatement::fail(const char* step) const {
  throw soci::soci_error(std::string(step) + " " + sqlite_api::sqlite3_sql(h_->st) + ": " + sqlite_api::sqlite3_errmsg(h_->db));
}

void SqliteStatement::text(int index, std::string_view value) {
  // An empty view may have no data pointer, and a null pointer would bind NULL, not ''.
  const char* data = value.empty() ? "" : value.data();
  if (sqlite_api::sqlite3_bind_text(h_->st, index, data, static_cast<int>(value.size()), SQLITE_STATIC) != SQLITE_OK) fail("bind");
}

void SqliteStatement::integer(int index, std::int64_t value) {
  if (sqlite_api::sqlite3_bind_int64(h_->st, index, value) != SQLITE_OK) fail("bind");
}

void SqliteStatement::null(int index) {
  if (sqlite_api::sqlite3_bind_null(h_->st, index) != SQLITE_OK) fail("bind");
}

int SqliteStatement::run() {
  const int rc = sqlite_api::sqlite3_step(h_->st);
  // Reset whatever happened, so that the statement holds no read or write state between rows;
  // an error is reported by step's code (reset repeats it).
  sqlite_api::sqlite3_reset(h_->st);
  if (rc != SQLITE_DONE) fail(rc == SQLITE_ROW ? "run (it returned rows)" : "run");
  return sqlite_api::sqlite3_changes(h_->db);
}

std::int64_t SqliteStatement::last_insert_rowid() const { return sqlite_api::sqlite3_last_insert_rowid(h_->db); }

struct SqliteQuery::Handles {
  sqlite_api::sqlite3* db = nullptr;
  sqlite_api::sqlite3_stmt* st = nullptr;
};

SqliteQuery::SqliteQuery(soci::session& sql, const char* text) : h_(std::make_unique<Handles>(Handles{handle(sql), nullptr})) {
  if (sqlite_api::sqlite3_prepare_v2(h_->db, text, -1, &h_->st, nullptr) != SQLITE_OK) {
    throw soci::soci_error("prepare " + std::string(text) + ": " + sqlite_api::sqlite3_errmsg(h_->db));
  }
}

SqliteQuery::~SqliteQuery() { sqlite_api::sqlite3_finalize(h_->st); }

void SqliteQuery::fail(const char* step) const {
  throw soci::soci_error(std::string(step) + " " + sqlite_api::sqlite3_sql(h_->st) + ": " + sqlite_api::sqlite3_errmsg(h_->db));
}

void SqliteQuery::integer(int index, std::int64_t value) {
  if (sqlite_api::sqlite3_bind_int64(h_->st, index, value) != SQLITE_OK) fail("bind");
}

bool SqliteQuery::next() {
  const int rc = sqlite_api::sqlite3_step(h_->st);
  if (rc == SQLITE_ROW) return true;
  sqlite_api::sqlite3_reset(h_->st);  // holds no read transaction state once done
  if (rc != SQLITE_DONE) fail("read");
  return false;
}

bool SqliteQuery::is_null(std::size_t column) const {
  return sqlite_api::sqlite3_column_type(h_->st, static_cast<int>(column)) == SQLITE_NULL;
}

std::int64_t SqliteQuery::integer_at(std::size_t column) const {
  return sqlite_api::sqlite3_column_int64(h_->st, static_cast<int>(column));
}

std::string_view SqliteQuery::text_at(std::size_t column) const {
  const auto* text = sqlite_api::sqlite3_column_text(h_->st, static_cast<int>(column));
  if (!text) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(h_->st, static_cast<int>(column)))};
}

std::string SqliteQuery::name_of(std::size_t column) const {
  const char* name = sqlite_api::sqlite3_column_name(h_->st, static_cast<int>(column));
  return name ? name : "?";
}

long long col_i64(const SqliteQuery& r, std::size_t i) {
  if (r.is_null(i)) throw Error("DB_QUERY", "unexpected NULL in column " + r.name_of(i));
  return r.integer_at(i);
}

std::string col_str(const SqliteQuery& r, std::size_t i) { return std::string(r.text_at(i)); }

Date col_date(const SqliteQuery& r, std::size_t i) { return Date::parse_or_throw(r.text_at(i)); }

std::optional<Date> col_opt_date(const SqliteQuery& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return col_date(r, i);
}

Money col_money(const SqliteQuery& r, std::size_t amount, std::size_t currency) {
  return Money(col_i64(r, amount), Currency::of(r.text_at(currency)));
}

}  // namespace arcd::store
