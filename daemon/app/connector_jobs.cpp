#include "app/connector_jobs.hpp"

#include "statements/statement_import.hpp"
#include "sync/erp_pull.hpp"
#include "sync/invoice_sync.hpp"

namespace arcd::app {

ConnectorJobs::ConnectorJobs(const Config& config, Store& store, std::shared_ptr<const Clock> clock, Loggers& loggers,
                             const connectors::ErpRegistry& registry, std::function<void()> on_change)
    : store_(store), clock_(std::move(clock)), on_change_(std::move(on_change)) {
  for (const auto& e : config.erp_connectors) {
    auto erp = std::make_unique<Erp>();
    erp->config = e;
    erp->connector = registry.make(e.erp);
    erp->log = loggers.get("erp." + e.erp.name);
    erps_.push_back(std::move(erp));
  }
  for (const auto& s : config.statement_sources) {
    statements_.push_back(std::make_unique<StatementInbox>(
        StatementInbox{s, connectors::FolderInbox(s.inbox_options()), loggers.get("stmt"), std::nullopt}));
    if (s.sftp) statements_.back()->sftp.emplace(*s.sftp);
  }
  for (const auto& c : config.csv_connectors) {
    connectors::CsvFolderOptions o{c.inbox_options(), c.csv};
    csv_.push_back(std::make_unique<Csv>(Csv{c, connectors::CsvFolderSource(std::move(o)), loggers.get("erp." + c.name)}));
  }
}

void ConnectorJobs::schedule(TimerRegistry& timers) {
  for (auto& s : statements_) {
    StatementInbox* inbox = s.get();
    timers.add("stmt." + s->config.name, std::chrono::seconds(s->config.poll_seconds), std::chrono::seconds(s->config.jitter_seconds),
               [this, inbox] { poll(*inbox); });
  }
  for (auto& e : erps_) {
    Erp* erp = e.get();
    // The first pull soon after start, then every poll_seconds.
    timers.add("erp." + e->config.erp.name, std::chrono::seconds(e->config.poll_seconds), std::chrono::seconds(e->config.jitter_seconds),
               [this, erp] { poll(*erp); }, std::chrono::seconds(1));
  }
  for (auto& c : csv_) {
    Csv* csv = c.get();
    timers.add("erp." + c->config.name, std::chrono::seconds(c->config.poll_seconds), std::chrono::seconds(c->config.jitter_seconds),
               [this, csv] { poll(*csv); });
  }
}

void ConnectorJobs::run_once() {
  for (auto& e : erps_) poll(*e);
  for (auto& c : csv_) poll(*c);
  for (auto& s : statements_) poll(*s);
}

void ConnectorJobs::poll(StatementInbox& s) {
  const std::string actor = "system:stmt." + s.config.name;
  auto handle = [&](const std::string& name, connectors::MappedFile& file) -> Result<std::string> {
    // Progress for large files, and parsed pages handed back so memory stays flat.
    mapping::StatementParseOptions parse = s.config.parse;
    const std::size_t total = file.bytes().size();
    std::size_t next_report = 64u << 20;
    parse.progress = [&](std::size_t done) {
      file.release_before(done);
      if (done >= next_report) {
        s.log->info("STMT_IMPORT_PROGRESS source={} file={} done_mb={} of_mb={}", s.config.name, name, done >> 20, total >> 20);
        next_report = done + (64u << 20);
      }
    };
    auto r = statements::import_statement_file(store_, name, file.bytes(), parse, actor);
    if (!r) return r.problem();
    if (r.value().already_imported) s.log->warn("STMT_DUPLICATE_FILE source={} {}", s.config.name, r.value().to_string());
    for (const auto& w : r.value().warnings) s.log->warn("STMT_WARNING source={} {}", s.config.name, w);
    return r.value().to_string();
  };
  if (s.sftp) {
    auto fetched = s.sftp->fetch_into(s.config.inbox);
    if (!fetched) {
      s.log->error("STMT_SFTP_FAILED source={} {}", s.config.name, fetched.problem().to_string());
    } else {
      for (const auto& p : fetched.value().problems) s.log->warn("STMT_SFTP_FILE source={} {}", s.config.name, p);
      if (!fetched.value().fetched.empty()) s.log->info("STMT_SFTP_FETCHED source={} files={}", s.config.name, fetched.value().fetched.size());
    }
  }
  bool imported = false;
  try {
    for (const auto& outcome : s.inbox.poll(handle, clock_->now())) {
      imported = imported || outcome.imported;
      if (outcome.imported) s.log->info("STMT_FILE_IMPORTED source={} file={} {}", s.config.name, outcome.file.string(), outcome.message);
      else s.log->error("STMT_FILE_REJECTED source={} file={} {}", s.config.name, outcome.file.string(), outcome.message);
    }
  } catch (const std::exception& e) {
    s.log->error("STMT_IMPORT_RETRY source={} error={}", s.config.name, e.what());
  }
  if (imported && on_change_) on_change_();
}

void ConnectorJobs::poll(Erp& e) {
  std::unique_lock lock(e.running, std::try_to_lock);
  if (!lock) return;
  const auto& c = e.config;
  sync::ErpPullSettings s;
  s.source = c.erp.name;
  s.page_size = c.page_size;
  s.overlap = std::chrono::seconds(c.overlap_seconds);
  s.full_sweep_every = std::chrono::hours(c.full_sweep_hours);
  sync::ErpPullHooks hooks;
  std::size_t next_report = 10000;
  hooks.progress = [&](const sync::ErpPullSummary& p) {
    if (static_cast<std::size_t>(p.records) >= next_report) {
      e.log->info("ERP_PULL_PROGRESS connector={} pages={} invoices={}", c.erp.name, p.pages, p.records);
      next_report += 10000;
    }
  };
  try {
    const auto summary = sync::pull_from_erp(store_, *e.connector, s, *clock_, "system:erp." + c.erp.name, hooks);
    e.log->info("ERP_PULLED connector={} {}", c.erp.name, summary.to_string());
    if ((summary.sync.invoices_created > 0 || summary.sync.invoices_updated > 0) && on_change_) on_change_();
  } catch (const ErpError& err) {
    // What was committed stays; the next poll resumes from the last page's cursor.
    e.log->error("ERP_PULL_FAILED connector={} kind={} error={}", c.erp.name, to_string(err.kind()), err.what());
  } catch (const std::exception& err) {
    e.log->error("ERP_PULL_FAILED connector={} error={}", c.erp.name, err.what());
  }
}

void ConnectorJobs::poll(Csv& c) {
  const std::string actor = "system:erp." + c.config.name;
  auto import = [&](const InvoiceBatch& batch) -> Result<std::string> {
    return sync::import_invoices(store_, c.config.name, batch, actor).to_string();
  };
  bool imported = false;
  try {
    for (const auto& outcome : c.source.poll(import, clock_->now())) {
      imported = imported || outcome.imported;
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
  if (imported && on_change_) on_change_();
}

}  // namespace arcd::app
