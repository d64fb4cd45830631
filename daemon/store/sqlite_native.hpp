#pragma once
// The few places the store talks to SQLite's C API under SOCI, each for a measured reason:
// the rowid of the last insert (RETURNING costs a statement journal) and raw-file chunks bound
// straight from the caller's bytes (soci::blob copies every chunk twice).

#include <soci/soci.h>

#include <string>
#include <string_view>

namespace arcd::store {

long long sqlite_last_insert_rowid(soci::session& sql);

// INSERT INTO raw_file_chunks(sha256, chunk, content) with `content` bound without a copy.
void sqlite_insert_raw_chunk(soci::session& sql, const std::string& sha256, int chunk, std::string_view content);

}  // namespace arcd::store
