#include "store/id_insert.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

namespace arcd::store {

std::optional<long long> IdInsert::run() {
  if (backend_ == Backend::postgresql) {
    id_ind_ = soci::i_null;
    if (!st_.execute(true) || id_ind_ == soci::i_null) return std::nullopt;
    return id_;
  }
  st_.execute(true);
  // sqlite3_changes: rows the last INSERT wrote, 0 when ON CONFLICT DO NOTHING skipped it.
  if (st_.get_affected_rows() != 1) return std::nullopt;
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend());
  return static_cast<long long>(sqlite_api::sqlite3_last_insert_rowid(backend->conn_));
}

}  // namespace arcd::store
