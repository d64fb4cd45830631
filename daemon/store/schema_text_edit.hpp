#pragma once
// Changing a SQLite table's definition in place, by SQLite's documented procedure for
// changes that leave every stored row as it is (https://sqlite.org/lang_altertable.html,
// "otherwise"): edit the CREATE text in sqlite_schema with writable_schema on, bump
// schema_version so that every connection re-reads the schema. A table rebuild would copy
// every row instead, minutes at the first start for a database of millions of entries.
// Only for edits that cannot change what a row may hold (a constraint restated in other
// words): SQLite trusts the new text without looking at the rows.

#include <soci/soci.h>

#include <string_view>

namespace arcd::store {

// A migration whose text says this runs through run_schema_text_edit (SQLite only).
inline constexpr std::string_view kEditsSchemaText = "-- arcd: edits schema text";

// Runs `script` inside the session's open transaction with writable_schema on, then bumps
// schema_version and makes this connection re-read the whole schema, so that a text SQLite
// cannot parse throws here (DB_SCHEMA_TEXT, naming SQLite's complaint) while the transaction
// can still be rolled back. writable_schema is off again however this ends.
void run_schema_text_edit(soci::session& sql, std::string_view script);

}  // namespace arcd::store
