#pragma once
// Listings in the three formats every arcctl listing takes: an aligned table for people,
// JSON (an array of objects) and CSV (RFC 4180, header first) for scripts.

#include <boost/json/value.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace arcd::arcctl {

enum class Format { table, json, csv };
// Throws arcd::Error CLI_USAGE for anything but table, json, csv.
Format parse_format(const std::string& s);

class Table {
 public:
  explicit Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  // Cells in column order; numbers stay numbers in JSON, money goes as a decimal string.
  void add(std::vector<boost::json::value> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out, Format format) const;
  boost::json::array to_json() const;
  std::size_t size() const { return rows_.size(); }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<boost::json::value>> rows_;
};

// A JSON value as a plain cell text: strings unquoted, null empty.
std::string cell_text(const boost::json::value& v);

}  // namespace arcd::arcctl
