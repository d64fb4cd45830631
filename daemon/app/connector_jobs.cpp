#include "app/connector_jobs.hpp"

#include "sync/invoice_sync.hpp"

namespace arcd::app {

ConnectorJobs::ConnectorJobs(const std::vector<CsvConnectorSection>& csv, Store& store, std::shared_ptr<const Clock> clock,
                             Loggers& loggers)
    : store_(store), clock_(std::move(clock)) {
  for (const auto& c : csv) {
    connectors::CsvFolderOptions o{c.inbox, c.processing, c.archive, c.quarantine, std::chrono::seconds(c.stable_seconds),
                                   c.max_file_bytes, c.csv};
    csv_.push_back(std::make_unique<Csv>(Csv{c, connectors::CsvFolderSource(std::move(o)), loggers.get("erp." + c.name)}));
  }
}

void ConnectorJobs::schedule(TimerRegistry& timers) {
  for (auto& c : csv_) {
    Csv* csv = c.get();
    timers.add("erp." + c->config.name, std::chrono::seconds(c->config.poll_seconds), std::chrono::seconds(c->config.jitter_seconds),
               [this, csv] { poll(*csv); });
  }
}

void ConnectorJobs::run_once() {
  for (auto& c : csv_) poll(*c);
}

void ConnectorJobs::poll(Csv& c) {
  const std::string actor = "system:erp." + c.config.name;
  auto import = [&](const InvoiceBatch& batch) -> Result<std::string> {
    return sync::import_invoices(store_, c.config.name, batch, actor).to_string();
  };
  try {
    for (const auto& outcome : c.source.poll(import, clock_->now())) {
      if (outcome.imported) {
        c.log->info("CSV_FILE_IMPORTED file={} {}", outcome.file.string(), outcome.message);
      } else {
        c.log->error("CSV_FILE_REJECTED file={} {}", outcome.file.string(), outcome.message);
      }
    }
  } catch (const std::exception& e) {
    // A database failure leaves the file in processing/ for the next poll.
    c.log->error("CSV_IMPORT_RETRY connector={} error={}", c.config.name, e.what());
  }
}

}  // namespace arcd::app
