#include "connectors/csv_folder_source.hpp"

namespace arcd::connectors {

CsvFolderSource::CsvFolderSource(CsvFolderOptions o)
    : inbox_(static_cast<const FolderInboxOptions&>(o)), csv_(std::move(o.csv)) {}

std::vector<FileOutcome> CsvFolderSource::poll(const BatchImporter& import, Instant now) {
  return inbox_.poll(
      [&](const std::string& name, MappedFile& file) -> Result<std::string> {
        auto batch = mapping::parse_invoice_csv(file.bytes(), name, csv_);
        if (!batch) return batch.problem();
        return import(batch.value());
      },
      now);
}

}  // namespace arcd::connectors
