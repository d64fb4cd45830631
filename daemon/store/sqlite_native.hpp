#pragma once
// The few places the store talks to SQLite's C API under SOCI, each for a measured reason:
// the rowid of the last insert (RETURNING costs a statement journal), raw-file chunks bound
// straight from the caller's bytes (soci::blob copies every chunk twice), and the statements
// an import or a run executes once per row (SqliteStatement).

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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

}  // namespace arcd::store
