#include "arcctl/output.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "arcd/error.hpp"
#include "mapping/csv_writer.hpp"

namespace arcd::arcctl {

Format parse_format(const std::string& s) {
  if (s == "table") return Format::table;
  if (s == "json") return Format::json;
  if (s == "csv") return Format::csv;
  throw Error("CLI_USAGE", "--format must be table, json or csv, not '" + s + "'");
}

std::string cell_text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return boost::json::serialize(v);
}

using mapping::csv_field;

boost::json::array Table::to_json() const {
  boost::json::array out;
  for (const auto& row : rows_) {
    boost::json::object o;
    for (std::size_t i = 0; i < columns_.size(); ++i) o[columns_[i]] = row[i];
    out.push_back(std::move(o));
  }
  return out;
}

void Table::print(std::ostream& out, Format format) const {
  if (format == Format::json) {
    out << boost::json::serialize(to_json()) << "\n";
    return;
  }
  if (format == Format::csv) {
    for (std::size_t i = 0; i < columns_.size(); ++i) out << (i ? "," : "") << csv_field(columns_[i]);
    out << "\r\n";
    for (const auto& row : rows_) {
      for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(cell_text(row[i]));
      out << "\r\n";
    }
    return;
  }
  std::vector<std::size_t> width(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) width[i] = columns_[i].size();
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], cell_text(row[i]).size());
  auto line = [&](auto cell) {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      std::string text = cell(i);
      out << (i ? "  " : "") << text;
      if (i + 1 < columns_.size()) out << std::string(width[i] - text.size(), ' ');
    }
    out << "\n";
  };
  line([&](std::size_t i) { return columns_[i]; });
  line([&](std::size_t i) { return std::string(width[i], '-'); });
  for (const auto& row : rows_) line([&](std::size_t i) { return cell_text(row[i]); });
}

}  // namespace arcd::arcctl
