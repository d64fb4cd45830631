#pragma once
// Where statement parsers deliver what they read, one entry at a time, so a 1 GB file never
// has to be in memory as objects. A parser calls begin_statement, entry* and end_statement per
// statement; on a problem it stops and returns it (the sink's owner discards what it got).

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "arcd/model.hpp"
#include "mapping/text_encoding.hpp"

namespace arcd::mapping {

class StatementSink {
 public:
  virtual ~StatementSink() = default;
  // The statement as known before its entries (identity, account, balances read so far).
  virtual void begin_statement(const Statement& s) = 0;
  virtual void entry(const Entry& e) = 0;
  // An entry its sender no longer needs (a parse beside the writer hands over its own copies):
  // a sink may keep its strings instead of copying them. By default, entry(e).
  virtual void take_entry(Entry&& e) { entry(e); }
  // The statement complete: all balances, and warnings such as a balance mismatch.
  virtual void end_statement(const Statement& s) = 0;
};

struct ParsedStatement {
  Statement statement;
  std::vector<Entry> entries;
};

// Keeps everything in memory: for tests, small files and the upload preview.
class CollectingSink final : public StatementSink {
 public:
  void begin_statement(const Statement& s) override { statements.push_back({s, {}}); }
  void entry(const Entry& e) override { statements.back().entries.push_back(e); }
  void end_statement(const Statement& s) override { statements.back().statement = s; }
  std::vector<ParsedStatement> statements;
};

// Per-deployment leniency and limits, from the statement source's config.
struct StatementParseOptions {
  std::size_t max_depth = 64;            // XML nesting
  std::size_t max_element_bytes = 4u << 20;  // one camt entry, or the header of a statement
  std::string fallback_currency;         // used where a file says "XXX" or nothing (PostFinance)
  bool accept_bad_control_totals = false;  // BAI2: accept with a warning instead of rejecting
  std::map<int, Direction> bai2_type_overrides;  // a bank's own 900-999 codes
  // How BAI2 and MT940 text is read; for camt it overrides the XML declaration (banks known to
  // declare ISO-8859-1 and send ISO-8859-15) unless automatic.
  TextEncoding text_encoding = TextEncoding::automatic;
  // Called now and then (about every MiB) with how many bytes of the file are done: for
  // progress reports, and so a caller reading a mapped file can let go of what is behind.
  std::function<void(std::size_t bytes_done)> progress;
  // camt: threads that read entries while the caller scans the file (-1: one where the
  // machine has two cores or more, else none; 0: everything on the caller's thread).
  int parse_workers = -1;
};

// What a parse found, for the import summary.
struct ParseSummary {
  std::string format;  // "camt.053.001.08", "bai2", "mt940", "mt942"
  int statements = 0;
  int entries = 0;     // after splitting batches into transaction details
  std::vector<std::string> warnings;
};

}  // namespace arcd::mapping
