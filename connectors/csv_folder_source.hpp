#pragma once
// The `csv` ERP connector's folder mode: a FolderInbox whose files are invoice CSVs, parsed
// whole (all or nothing) before the importer sees them.

#include "arcd/erp_connector.hpp"
#include "connectors/folder_inbox.hpp"
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

// Stores a parsed batch; returns a one-line summary, or a problem that quarantines the file.
using BatchImporter = std::function<Result<std::string>(const InvoiceBatch&)>;

class CsvFolderSource {
 public:
  explicit CsvFolderSource(CsvFolderOptions options);
  std::vector<FileOutcome> poll(const BatchImporter& import, Instant now);

 private:
  FolderInbox inbox_;
  mapping::InvoiceCsvOptions csv_;
};

}  // namespace arcd::connectors
