#pragma once
// The values of a camt message that carry money, dates and directions, read strictly where money
// is at stake, with a precise place in every problem: "<file>:<line> Stmt[1]/Ntry[3]/Amt".
// One instance per thread: it remembers the last currency it looked up.

#include <pugixml.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "arcd/error.hpp"
#include "arcd/model.hpp"
#include "mapping/statement_sink.hpp"
#include "mapping/xml_pieces.hpp"

namespace arcd::mapping {

class CamtValues {
 public:
  CamtValues(std::string_view origin, const StatementParseOptions& options) : origin_(origin), options_(options) {}

  // Where the values being read are: the piece's start (its line is counted only for a
  // message), the record ("Stmt[2]") and the entry (0: the record's header).
  void at(LineCounter* lines, std::size_t piece_at, const std::string* record_path, int entry_index) {
    lines_ = lines;
    piece_at_ = piece_at;
    record_path_ = record_path;
    entry_index_ = entry_index;
  }
  void set_entry_index(int i) { entry_index_ = i; }
  std::string where(const std::string& element) const;

  // "2017-04-01", "2017-04-01+02:00", "2025-07-23T00:00:00.000000000": the calendar date as written.
  static std::optional<Date> date_of(const std::string& s);
  Result<std::optional<Date>> date_choice(pugi::xml_node n, const std::string& element) const;
  // <Amt Ccy="EUR">8.850</Amt>: exact in the currency's minor units, never negative.
  Result<Money> amount(pugi::xml_node amt, const std::string& element);
  std::optional<Money> optional_amount(pugi::xml_node amt);
  Result<Direction> indicator(pugi::xml_node n, const std::string& element, bool required) const;
  // v02: repeated ChargesInformation with Amt; v04+: TtlChrgsAndTaxAmt or Rcrd/Amt.
  std::optional<Money> charges(pugi::xml_node chrgs);
  std::optional<Currency> currency_of(const std::string& code) const;

  // Parses the piece at() names in place into `doc` (copied into `buffer` first as UTF-8, and
  // closed with </close_qname> when that is given). XML_MALFORMED names the line. `encoding` is
  // the file's (camt_encoding); in automatic, a piece that is not UTF-8 is read as Windows-1252
  // and `reread` says so, in utf8 it is TEXT_ENCODING.
  Result<pugi::xml_node> load(pugi::xml_document& doc, std::string& buffer, std::string_view xml, std::string_view close_qname,
                              TextEncoding encoding, bool& reread) const;

 private:
  std::optional<Currency> cached_currency(std::string_view code);

  std::string_view origin_;
  const StatementParseOptions& options_;
  LineCounter* lines_ = nullptr;
  std::size_t piece_at_ = 0;
  const std::string* record_path_ = nullptr;
  int entry_index_ = 0;
  std::string last_currency_code_;
  std::optional<Currency> last_currency_;
};

}  // namespace arcd::mapping
