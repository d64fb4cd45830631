#pragma once
// Builds the periodic jobs of the configured ERP connectors (`csv` folders, ERPs over HTTP)
// and statement sources (`inbox` and `sftp` folders) and registers them as named timers
// "erp.<name>" and "stmt.<name>". Built aside first, so a reload that fails to build keeps the
// running jobs.

#include <functional>
#include <mutex>
#include <memory>
#include <vector>

#include <spdlog/logger.h>

#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/timers.hpp"
#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "connectors/csv_folder_source.hpp"
#include "connectors/folder_inbox.hpp"

namespace arcd::app {

class ConnectorJobs {
 public:
  // Creates folders and validates; throws arcd::Error on a connector that cannot run.
  // `on_change` is called (on the worker) after a poll that imported something: cash
  // application runs then.
  ConnectorJobs(const Config& config, Store& store, std::shared_ptr<const Clock> clock, Loggers& loggers,
                const connectors::ErpRegistry& registry, std::function<void()> on_change = {});
  // Registers one timer per connector. The jobs reference this object: keep it alive until
  // the timers are cancelled and the worker pool drained.
  void schedule(TimerRegistry& timers);
  // One pass over every connector now (arcctl, tests).
  void run_once();

 private:
  struct Csv {
    CsvConnectorSection config;
    connectors::CsvFolderSource source;
    std::shared_ptr<spdlog::logger> log;
  };
  struct StatementInbox {
    StatementSourceSection config;
    connectors::FolderInbox inbox;
    std::shared_ptr<spdlog::logger> log;
    std::optional<connectors::SftpFetcher> sftp;
  };
  struct Erp {
    ErpConnectorSection config;
    std::unique_ptr<ErpConnector> connector;
    std::shared_ptr<spdlog::logger> log;
    std::mutex running;  // a slow pull and its next timer tick never overlap
  };
  void poll(Csv& c);
  void poll(StatementInbox& s);
  void poll(Erp& e);
  Store& store_;
  std::shared_ptr<const Clock> clock_;
  std::function<void()> on_change_;
  std::vector<std::unique_ptr<Csv>> csv_;
  std::vector<std::unique_ptr<Erp>> erps_;
  std::vector<std::unique_ptr<StatementInbox>> statements_;
};

}  // namespace arcd::app
