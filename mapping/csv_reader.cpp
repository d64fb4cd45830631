#include "mapping/csv_reader.hpp"

namespace arcd::mapping {

Result<std::vector<CsvRow>> read_csv(std::string_view text, std::string_view origin, char delimiter) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  row.line = 1;
  bool in_quotes = false;
  bool field_was_quoted = false;
  bool row_has_content = false;
  int quote_line = 0;
  auto where = [&](int l) { return std::string(origin) + ":" + std::to_string(l); };

  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  auto end_row = [&] {
    end_field();
    // A line with nothing on it is not a row (trailing newline, blank separator lines).
    if (row_has_content) rows.push_back(std::move(row));
    row = CsvRow{};
    row_has_content = false;
  };

  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || field_was_quoted) {
        return Problem{"CSV_STRAY_QUOTE", where(line), "a quote inside an unquoted field; quote the whole field and write inner quotes twice"};
      }
      in_quotes = true;
      field_was_quoted = true;
      row_has_content = true;
      quote_line = line;
    } else if (c == delimiter) {
      row_has_content = true;
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the row
    } else if (c == '\n') {
      end_row();
      ++line;
      row.line = line;
    } else {
      if (field_was_quoted) {
        return Problem{"CSV_STRAY_QUOTE", where(line), "text after a closing quote"};
      }
      field += c;
      row_has_content = true;
    }
  }
  if (in_quotes) return Problem{"CSV_UNTERMINATED_QUOTE", where(quote_line), "a quoted field is never closed"};
  end_row();
  return rows;
}

}  // namespace arcd::mapping
