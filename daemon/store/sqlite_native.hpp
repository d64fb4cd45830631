#pragma once
// The few places the store talks to SQLite's C API under SOCI, each for a measured reason:
// the rowid of the last insert (RETURNING costs a statement journal) and raw-file chunks bound
// straight from the caller's bytes (soci::blob copies every chunk twice).

#include <soci/soci.h>

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

}  // namespace arcd::store
