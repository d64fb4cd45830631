#include "store/schema_text_edit.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "arcd/error.hpp"

namespace arcd::store {
namespace {

sqlite_api::sqlite3* handle(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

void exec(sqlite_api::sqlite3* db, const std::string& text, const char* code) {
  char* err = nullptr;
  if (sqlite_api::sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite_api::sqlite3_errmsg(db);
    sqlite_api::sqlite3_free(err);
    throw Error(code, msg);
  }
}

long long schema_version(sqlite_api::sqlite3* db) {
  sqlite_api::sqlite3_stmt* st = nullptr;
  long long v = -1;
  if (sqlite_api::sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &st, nullptr) == SQLITE_OK &&
      sqlite_api::sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite_api::sqlite3_column_int64(st, 0);
  }
  sqlite_api::sqlite3_finalize(st);
  if (v < 0) throw Error("DB_SCHEMA_TEXT", std::string("cannot read schema_version: ") + sqlite_api::sqlite3_errmsg(db));
  return v;
}

// writable_schema on while it lives: left on, any later statement of the pooled connection
// could write sqlite_schema by mistake.
class WritableSchema {
 public:
  explicit WritableSchema(sqlite_api::sqlite3* db) : db_(db) { exec(db_, "PRAGMA writable_schema = ON", "DB_SCHEMA_TEXT"); }
  ~WritableSchema() { sqlite_api::sqlite3_exec(db_, "PRAGMA writable_schema = OFF", nullptr, nullptr, nullptr); }
  WritableSchema(const WritableSchema&) = delete;
  WritableSchema& operator=(const WritableSchema&) = delete;

 private:
  sqlite_api::sqlite3* db_;
};

}  // namespace

void run_schema_text_edit(soci::session& sql, std::string_view script) {
  auto* db = handle(sql);
  {
    WritableSchema writable(db);
    exec(db, std::string(script), "DB_MIGRATION_FAILED");
    // Read after the script: DDL in it has bumped the version already, and it must only grow.
    exec(db, "PRAGMA schema_version = " + std::to_string(schema_version(db) + 1), "DB_SCHEMA_TEXT");
  }
  // A statement that opens the database compares the version with the one this connection
  // parsed and re-reads sqlite_schema: a table whose new text does not parse fails it here.
  try {
    exec(db, "SELECT count(*) FROM sqlite_schema", "DB_SCHEMA_TEXT");
  } catch (const Error& e) {
    throw Error("DB_SCHEMA_TEXT", std::string("the edited schema does not parse: ") + e.detail());
  }
}

}  // namespace arcd::store
