#pragma once
// RFC 4180 CSV: quoted fields with "" escapes and embedded line breaks, CRLF or LF, an
// optional UTF-8 byte order mark. Pure: text in, rows with their line numbers out.

#include <string>
#include <string_view>
#include <vector>

#include "arcd/error.hpp"

namespace arcd::mapping {

struct CsvRow {
  int line = 0;  // 1-based physical line where the row starts
  std::vector<std::string> fields;
};

// Splits the whole text. Problem codes: CSV_UNTERMINATED_QUOTE, CSV_STRAY_QUOTE.
// `where` in a problem is "<origin>:<line>".
Result<std::vector<CsvRow>> read_csv(std::string_view text, std::string_view origin, char delimiter = ',');

}  // namespace arcd::mapping
