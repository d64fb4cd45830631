#pragma once
// Outbox delivery inside the daemon: a dispatcher whose targets are the ERP connectors with
// push on, the mail dispatcher, and one feed dispatcher per treasury system; run on its timer
// and whenever cash application may have written events; one pass at a time (a request during
// a pass makes it go round once more). Each pass first takes an inflow feed snapshot for the
// treasury systems that want one after cash application, when cash was applied or undone
// since the last snapshot. Keeps the outbox counts of its last pass for /metrics, so a scrape
// never waits for the database.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <spdlog/logger.h>

#include "app/config.hpp"
#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "outbox/dispatcher.hpp"
#include "outbox/mail_dispatcher.hpp"
#include "outbox/tms_dispatcher.hpp"

namespace arcd::app {

struct OutboxSnapshot {
  std::int64_t pending = 0, dead = 0;
  double oldest_pending_seconds = 0;
  int breakers_open = 0;
};

class OutboxService {
 public:
  OutboxService(Store& store, std::shared_ptr<const Clock> clock, const connectors::ErpRegistry& registry,
                std::shared_ptr<spdlog::logger> log);
  // Builds the dispatcher for this configuration (start and reload).
  void configure(const Config& config);
  // Delivers what is due now; blocking, call on a worker.
  void request();
  // A treasury system's scheduled snapshot, then a delivery pass; blocking, call on a worker.
  void publish_feed(const std::string& target);
  std::vector<connectors::TmsTargetSettings> tms_targets() const;
  // Drops the inflow feed snapshots no treasury system needs any more.
  void prune_feeds();
  void stop() { stopping_ = true; }

  bool enabled() const;
  int poll_seconds() const;
  OutboxSnapshot snapshot() const;
  std::int64_t delivered_total() const;
  std::int64_t retried_total() const;
  std::int64_t dead_total() const;

 private:
  void refresh_snapshot(const outbox::Dispatcher& d);
  void publish_after_cash_application();

  Store& store_;
  std::shared_ptr<const Clock> clock_;
  const connectors::ErpRegistry& registry_;
  std::shared_ptr<spdlog::logger> log_;
  std::string owner_;
  mutable std::mutex config_mutex_;
  std::shared_ptr<outbox::Dispatcher> dispatcher_;
  std::shared_ptr<outbox::MailDispatcher> mail_;  // null unless [mail] transport is set
  std::vector<std::shared_ptr<outbox::TmsDispatcher>> feeds_;
  std::vector<connectors::TmsTargetSettings> tms_;
  forecast::ForecastSettings forecast_;
  OutboxSection config_;
  std::vector<std::string> targets_;
  std::mutex run_mutex_;
  std::atomic<bool> pending_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> delivered_{0}, retried_{0}, dead_{0};
  mutable std::mutex snapshot_mutex_;
  OutboxSnapshot snapshot_;
};

}  // namespace arcd::app
