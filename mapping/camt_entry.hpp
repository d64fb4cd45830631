#pragma once
// One camt entry (<Ntry>) read into the entries it stands for: a batch becomes one Entry per
// transaction detail. Needs nothing from the entries before it, so entries can be read on
// several threads and put back in file order (camt_entry_pool.hpp); what depends on order
// (positions, batch keys, the statement's running sums) is left to whoever emits them.

#include <pugixml.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arcd/error.hpp"
#include "arcd/model.hpp"
#include "mapping/camt_values.hpp"
#include "mapping/statement_sink.hpp"
#include "mapping/xml_pieces.hpp"

namespace arcd::mapping {

// What every entry of a statement shares.
struct CamtRecordContext {
  std::string account;      // for entry keys
  std::string record_path;  // "Stmt[2]", for messages
};

struct CamtNtryPiece {
  std::string_view xml;
  std::size_t start_offset = 0, end_offset = 0;
  int entry_index = 0;  // 1-based within its record
  std::shared_ptr<const CamtRecordContext> record;
};

struct ParsedNtry {
  // The first `count` entries are this one's (the rest are kept for their buffers). Entry keys
  // are set; positions and batch keys are the emitter's.
  std::vector<Entry> entries;
  std::size_t count = 0;
  Entry& next() {
    if (count == entries.size()) entries.emplace_back();
    return entries[count++];
  }
  bool batch = false;          // several details: each entry gets a batch key
  std::string batch_ref;       // the bank's reference for the batch, else its PmtInfId
  Money entry_amount = Money::unset();  // the entry as booked, for the statement's balance check
  Direction direction = Direction::credit;
  bool booked = false;
  std::vector<std::string> warnings;  // "where: what"
  std::optional<Problem> problem;     // the entry cannot be read: the file is rejected
  std::size_t end_offset = 0;
};

class CamtEntryParser {
 public:
  // `document` is the whole file (for line numbers in messages).
  CamtEntryParser(std::string_view document, std::string_view origin, const StatementParseOptions& options, TextEncoding encoding);
  // Never throws: a problem is reported in `out`.
  void parse(const CamtNtryPiece& piece, ParsedNtry& out);

 private:
  Result<bool> read_entry(pugi::xml_node ntry, const CamtRecordContext& record, ParsedNtry& out);
  Result<bool> read_detail(pugi::xml_node tx, Entry& e, bool batch);
  void warn(ParsedNtry& out, const std::string& what) { out.warnings.push_back(values_.where("") + ": " + what); }

  LineCounter lines_;
  CamtValues values_;
  TextEncoding encoding_;
  pugi::xml_document doc_;
  std::string buffer_;
  std::vector<pugi::xml_node> txs_;  // reused from entry to entry
  std::vector<std::optional<Money>> tx_amounts_;
  const Entry blank_{};
  Entry base_;
};

}  // namespace arcd::mapping
