#include "store/id_insert.hpp"

#include "store/sqlite_native.hpp"

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
  return sqlite_last_insert_rowid(sql_);
}

}  // namespace arcd::store
