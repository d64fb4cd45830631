#pragma once
// The collections workflow inside the daemon: the daily run, started at the first check after
// run_hour_utc once a day (a restart after a crash finishes the day's run: stages already
// recorded do not fire again), and on request (arcctl, the API). One run at a time.

#include <atomic>
#include <mutex>
#include <optional>

#include <spdlog/logger.h>

#include "app/config.hpp"
#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "collections/run.hpp"

namespace arcd::app {

class CollectionsService {
 public:
  CollectionsService(Store& store, std::shared_ptr<const Clock> clock, std::shared_ptr<spdlog::logger> log);
  // Loads templates and settings (start and reload); throws on bad templates.
  void configure(const Config& config);
  // The daily check: runs today's run when it is due and not finished. Blocking.
  std::optional<collections::RunReport> tick();
  // A run for a date (dry or not), waiting for one in progress. Blocking.
  collections::RunReport run(const collections::RunOptions& options);
  void stop() { stopping_ = true; }

  bool enabled() const;
  std::optional<collections::RunReport> last() const;
  collections::CollectionsSettings settings() const;
  // Who works the customer under the current settings (no copy of the settings).
  std::string collector_of(const Customer& c) const;

 private:
  Store& store_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex run_mutex_;      // one run at a time
  mutable std::mutex mutex_;  // guards the settings and templates (never held for a run)
  collections::CollectionsSettings settings_;
  std::shared_ptr<const collections::TemplateSet> templates_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex last_mutex_;
  std::optional<collections::RunReport> last_;
};

}  // namespace arcd::app
