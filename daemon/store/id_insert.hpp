#pragma once
// An INSERT, prepared once and run many times, that hands back the id of the row it created.
//
// PostgreSQL returns the id with RETURNING. SQLite could too, but there a RETURNING clause
// makes every run keep a statement journal: each page the insert touches is copied aside
// before it changes, and past 64 KiB that copy goes to a temporary file. Statement import
// spent half its time in those writes. On SQLite the id is the connection's last insert rowid.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>

#include "store/database_url.hpp"

namespace arcd::store {

class IdInsert {
 public:
  // `insert` is the statement without RETURNING; `binds` are soci::use(...) of variables that
  // outlive this object and are refilled before every run().
  template <class... Binds>
  IdInsert(soci::session& sql, Backend backend, const std::string& insert, Binds&&... binds)
      : sql_(sql), backend_(backend), st_(sql) {
    (st_.exchange(std::forward<Binds>(binds)), ...);
    if (backend_ == Backend::postgresql) st_.exchange(soci::into(id_, id_ind_));
    st_.alloc();
    st_.prepare(backend_ == Backend::postgresql ? insert + " RETURNING id" : insert);
    st_.define_and_bind();
  }

  // Runs the insert with the values bound now: the new row's id, or nullopt when an
  // ON CONFLICT ... DO NOTHING clause skipped the row.
  std::optional<long long> run();

 private:
  soci::session& sql_;
  Backend backend_;
  long long id_ = 0;
  soci::indicator id_ind_ = soci::i_null;
  soci::statement st_;
};

}  // namespace arcd::store
