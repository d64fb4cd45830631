#include "store/sqlite_native.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <mutex>

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

}  // namespace arcd::store
