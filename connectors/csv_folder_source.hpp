#pragma once
// The `csv` ERP connector's folder mode: a FolderInbox whose files are invoice CSVs, parsed
// whole (all or nothing) before the importer sees them.

#include "arcd/erp_connector.hpp"
#include "connectors/folder_inbox.hpp"
#include "mapping/invoice_csv.hpp"

namespace arcd::connectors {

struct CsvFolderOptions : FolderInboxOptions {
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
