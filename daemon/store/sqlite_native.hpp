#pragma once
// The few places the store talks to SQLite's C API under SOCI, each for a measured reason:
// the rowid of the last insert (RETURNING costs a statement journal), raw-file chunks bound
// straight from the caller's bytes (soci::blob copies every chunk twice), and the statements
// an import or a run executes once per row (SqliteStatement).

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "arcd/date.hpp"
#include "arcd/money.hpp"

namespace arcd {
struct Invoice;
struct Entry;
}  // namespace arcd

namespace arcd::store {

// Once per process, before the first connection opens: each connection is used by one thread
// at a time (the store's pool hands a session to one transaction), so SQLite's per-call
// connection mutex and its global allocation counter's mutex are pure cost (a tenth of an
// import). Without effect when SQLite was already initialized by other code in the process.
void configure_sqlite_once();

long long sqlite_last_insert_rowid(soci::session& sql);

// INSERT INTO raw_file_chunks(sha256, chunk, content) with `content` bound without a copy.
void sqlite_insert_raw_chunk(soci::session& sql, const std::string& sha256, int chunk, std::string_view content);

// A statement prepared once on a SOCI session's connection and run once per row, with its
// values bound straight from the caller's memory. Through SOCI, every string of every row was
// copied into a buffer of its own and every value went through a conversion layer: a fifth of
// the writer's time when an import stores its entries. Errors throw soci::soci_error, as SOCI
// does, so that repositories report them alike.
class SqliteStatement {
 public:
  SqliteStatement(soci::session& sql, const char* text);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters count from 1. Text is not copied: it must stay as it is until run() returns
  // (not a view into a temporary, such as Money::currency().code()).
  void text(int index, std::string_view value);
  void integer(int index, std::int64_t value);
  void null(int index);
  // Runs the statement with what is bound (a statement that returns rows is an error) and
  // makes it ready for the next row: how many rows it changed.
  int run();
  // The rowid of this connection's last insert.
  std::int64_t last_insert_rowid() const;

 private:
  [[noreturn]] void fail(const char* step) const;
  struct Handles;  // the connection and the statement (SQLite's types stay out of this header)
  std::unique_ptr<Handles> h_;
};

// A query prepared once on a SOCI session's connection, its rows read straight from SQLite:
// through soci::row every value of every row went into a holder of its own, a third to a half
// of reading a million open invoices or a run's entries. Read the current row with the col_*
// functions below, as a soci::row with those of row_util.hpp. Errors throw soci::soci_error.
class SqliteQuery {
 public:
  SqliteQuery(soci::session& sql, const char* text);
  ~SqliteQuery();
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  // Parameters count from 1, bound before the first next().
  void integer(int index, std::int64_t value);
  // Steps to the next row: false after the last one, when the query is ready to run again.
  bool next();

  // The current row; columns count from 0.
  bool is_null(std::size_t column) const;
  std::int64_t integer_at(std::size_t column) const;
  std::string_view text_at(std::size_t column) const;  // valid until the next step
  std::string name_of(std::size_t column) const;

 private:
  [[noreturn]] void fail(const char* step) const;
  struct Handles;
  std::unique_ptr<Handles> h_;
};

long long col_i64(const SqliteQuery& r, std::size_t i);  // a NULL throws DB_QUERY
std::string col_str(const SqliteQuery& r, std::size_t i);  // NULL -> ""
Date col_date(const SqliteQuery& r, std::size_t i);
std::optional<Date> col_opt_date(const SqliteQuery& r, std::size_t i);
Money col_money(const SqliteQuery& r, std::size_t amount, std::size_t currency);

// The row mappers of row_util.hpp, for the current row of a query selecting the same columns.
Invoice invoice_from_row(const SqliteQuery& r);
Entry entry_from_row(const SqliteQuery& r);

}  // namespace arcd::store
