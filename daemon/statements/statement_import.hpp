#pragma once
// Imports one bank statement file: detects its format, parses it, and stores the raw file
// (content-addressed by SHA-256), its statements and its entries in ONE transaction: the whole
// file or nothing. Idempotent: a file already imported is a no-op that says so, and an entry
// already stored from another file (an intraday report, a re-sent statement) is not stored
// again; a pending entry that arrives booked is marked booked.

#include <string>
#include <vector>

#include "arcd/digest.hpp"
#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::statements {

struct ImportReport {
  std::string file_name;
  std::string sha256;
  std::string format;
  bool already_imported = false;  // the same bytes were imported before: nothing changed
  int statements = 0;
  int entries_new = 0;
  int entries_known = 0;           // stored before from another file
  int entries_booked = 0;          // pending before, booked now
  std::vector<std::string> warnings;
  std::string to_string() const;   // one line for logs and the CLI
  std::string to_json() const;     // for the API and `--format json`
};

// Problems (a file that cannot be parsed) come back as Problem and leave nothing stored;
// database failures throw arcd::Error (DB_*), also leaving nothing.
Result<ImportReport> import_statement_file(Store& store, const std::string& file_name, std::string_view bytes,
                                           const mapping::StatementParseOptions& options, const Actor& actor);


}  // namespace arcd::statements
