#pragma once
// The daemon's configuration: TOML parsed into typed structs, strictly. Unknown keys, missing
// required keys, wrong types and out-of-range values are errors naming the key and file:line.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "api/http_server.hpp"
#include "forecast/forecast.hpp"
#include "app/collections_config.hpp"
#include "cashapp/settings.hpp"
#include "connectors/erp_registry.hpp"
#include "outbox/dispatcher.hpp"
#include "connectors/folder_inbox.hpp"
#include "connectors/sftp_fetcher.hpp"
#include "connectors/tms/feed_sink.hpp"
#include "mapping/invoice_csv.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::app {

struct DaemonSection {
  std::string log_level = "info";   // trace, debug, info, warn, error
  std::string log_format = "plain"; // plain or json
  int io_threads = 2;
  int worker_threads = 4;
  int worker_queue_limit = 1000;    // queued blocking jobs before new ones are refused
  int shutdown_timeout_seconds = 10;
};

struct DatabaseSection {
  std::string url = "sqlite:///var/lib/arcd/arcd.db";  // a secret: may carry a password
  int pool_size = 4;
  int busy_timeout_ms = 5000;
};

using HttpSection = api::HttpServerOptions;

// What every folder-based source has: its name, folders, polling and size limit.
struct FileSourceSection {
  std::string name;                 // the instance name (the source of what it delivers)
  std::filesystem::path inbox, processing, archive, quarantine;
  int poll_seconds = 60;
  int jitter_seconds = 5;
  int stable_seconds = 5;
  std::size_t max_file_bytes = 256u << 20;
  connectors::FolderInboxOptions inbox_options() const {
    return {inbox, processing, archive, quarantine, std::chrono::seconds(stable_seconds), max_file_bytes};
  }
};

struct CsvConnectorSection : FileSourceSection {
  mapping::InvoiceCsvOptions csv;
};

// An ERP reached over HTTP (type "odoo"): pulled every poll_seconds, incrementally from a
// stored cursor less overlap_seconds, with a full sweep of open invoices every
// full_sweep_hours; and, when `push` is on, told through the outbox what arcd applied.
struct ErpConnectorSection {
  connectors::ErpConnectorSettings erp;  // name, type, http, per-type settings (secrets inside)
  int poll_seconds = 300;
  int jitter_seconds = 10;
  int page_size = 200;
  int overlap_seconds = 300;
  int full_sweep_hours = 24;
  bool push = true;
};

// [outbox]: delivery of what the outside world must hear.
struct OutboxSection {
  bool enabled = true;
  int poll_seconds = 5;  // also right after every cash-application run
  outbox::DispatchSettings dispatch;
};

// A bank statement source. Type "inbox": a folder the bank channel (EBICS client, an
// operator) drops files into. Type "sftp": files fetched from an SFTP server into that folder.
struct StatementSourceSection : FileSourceSection {
  StatementSourceSection() { max_file_bytes = std::size_t(2) << 30; }  // bank files run large
  std::string type = "inbox";
  mapping::StatementParseOptions parse;
  std::optional<connectors::SftpOptions> sftp;  // type "sftp": fetched into the inbox first
};

// [cashapp]: the matching settings, and when runs happen besides after every statement
// import and invoice sync.
struct CashAppSection {
  bool enabled = true;
  int run_every_minutes = 60;  // also expires promises to pay
  cashapp::MatchSettings match;
};

struct Config {
  std::string file;                 // where it was read from ("" for built-in defaults)
  DaemonSection daemon;
  DatabaseSection database;
  HttpSection http;
  std::vector<CsvConnectorSection> csv_connectors;
  std::vector<ErpConnectorSection> erp_connectors;
  std::vector<StatementSourceSection> statement_sources;
  CashAppSection cashapp;
  OutboxSection outbox;
  collections::CollectionsSettings collections;  // [collections]; its policies default to config/dunning.toml
  MailSection mail;
  forecast::ForecastSettings forecast;  // [forecast]
  std::vector<connectors::TmsTargetSettings> tms;  // [tms.<name>]: where the inflow feed goes
};

// Command-line and environment overrides, applied on top of the file before validation.
struct Overrides {
  std::vector<std::string> set;     // "section.key=value", TOML value syntax or a bare string
  std::string database_url;         // --database, else ARCD_DATABASE_URL
};

// Reads and validates. Throws arcd::Error CFG_PARSE (TOML syntax), CFG_UNKNOWN_KEY,
// CFG_MISSING_KEY, CFG_TYPE, CFG_RANGE, CFG_SECRET, CFG_OVERRIDE, each "file:line: key: what".
// An empty path means built-in defaults plus overrides.
Config load_config(const std::filesystem::path& path, const Overrides& overrides);

// A string as a TOML basic string literal, quotes and escapes included.
std::string toml_quote(const std::string& s);

// The configuration as TOML with secrets replaced by "***" (for `config check --show`).
std::string describe_config(const Config& config);

}  // namespace arcd::app
