#pragma once
// The `csv` ERP connector's folder mode: invoice CSV files dropped into an inbox folder are
// claimed (renamed into a processing folder, atomic on one file system), parsed, handed to the
// importer, then moved to archive/<YYYY-MM-DD>/, or to quarantine/ with <name>.error.txt
// beside them naming what is wrong. A file still being written is left alone until its size
// and modification time have been stable for `stable_for`, or a "<name>.done" marker exists.
// Files left in processing/ by a crash are imported again on the next poll (import is
// idempotent). Blocking: run on the worker pool.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "arcd/date.hpp"
#include "arcd/erp_connector.hpp"
#include "arcd/error.hpp"
#include "mapping/invoice_csv.hpp"

namespace arcd::connectors {

struct CsvFolderOptions {
  std::filesystem::path inbox;
  std::filesystem::path processing;
  std::filesystem::path archive;
  std::filesystem::path quarantine;
  std::chrono::seconds stable_for{5};
  std::size_t max_file_bytes = 256u << 20;
  mapping::InvoiceCsvOptions csv;
};

struct FileOutcome {
  std::filesystem::path file;        // where the file ended (archive or quarantine)
  bool imported = false;
  std::string message;               // the importer's summary or the problem
};

// Stores a parsed batch; returns a one-line summary, or a problem that quarantines the file.
using BatchImporter = std::function<Result<std::string>(const InvoiceBatch&)>;

class CsvFolderSource {
 public:
  // Creates the folders. Throws arcd::Error CSV_SOURCE_CONFIG when a folder cannot be made.
  explicit CsvFolderSource(CsvFolderOptions options);
  // One pass over the inbox (and leftovers in processing), oldest file first.
  std::vector<FileOutcome> poll(const BatchImporter& import, Instant now);
  const CsvFolderOptions& options() const noexcept { return options_; }

 private:
  bool ready(const std::filesystem::path& file, Instant now) const;
  FileOutcome process(const std::filesystem::path& claimed, const BatchImporter& import, Instant now);
  CsvFolderOptions options_;
};

}  // namespace arcd::connectors
