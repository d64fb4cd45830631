#pragma once
// A SELECT, prepared once and run many times, that reads its rows through soci::row: the
// lookups an import makes per invoice or per customer. Preparing the statement costs more
// than running it (SQLite parses and plans the whole column list every time).

#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>

namespace arcd::store {

class PreparedRowQuery {
 public:
  // `binds` are soci::use(...) of variables that outlive this object and are refilled before
  // every run.
  template <class... Binds>
  PreparedRowQuery(soci::session& sql, const std::string& query, Binds&&... binds) : st_(sql) {
    (st_.exchange(std::forward<Binds>(binds)), ...);
    st_.exchange(soci::into(row_));
    st_.alloc();
    st_.prepare(query);
    st_.define_and_bind();
  }

  // The first row the query finds, mapped by `map`, or nullopt.
  template <class Map>
  auto first(Map map) -> std::optional<decltype(map(std::declval<const soci::row&>()))> {
    if (!st_.execute(true)) return std::nullopt;
    auto out = map(row_);
    // Step to the end so SQLite sees the statement finished (it refuses to COMMIT otherwise).
    while (st_.fetch()) {
    }
    return out;
  }

 private:
  soci::row row_;
  soci::statement st_;
};

}  // namespace arcd::store
