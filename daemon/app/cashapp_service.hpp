#pragma once
// Cash application inside the daemon: runs after every statement import and invoice sync
// and on a timer, one at a time (a request during a run makes that run go round once more),
// and lets a person's decisions wait for a run in progress rather than race it.

#include <atomic>
#include <mutex>
#include <optional>

#include <spdlog/logger.h>

#include "app/config.hpp"
#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "cashapp/run.hpp"

namespace arcd::app {

class CashAppService {
 public:
  CashAppService(Store& store, std::shared_ptr<const Clock> clock, CashAppSection config, std::shared_ptr<spdlog::logger> log);

  // Runs now unless a run is in progress, in which case that run goes round once more.
  // Blocking: call on a worker. Returns the summary of the run made here, if any.
  std::optional<cashapp::RunSummary> request(const Actor& actor);
  // Runs now, waiting for one in progress to finish, and checks every cent (the API).
  cashapp::RunSummary run(const Actor& actor);
  // Shutdown: a run in progress ends after its current batch; no new one starts.
  void stop() { stopping_ = true; }

  // A person's action, serialized with the runs: f(Transaction&, settings, today) -> Result<std::string>.
  template <class F>
  auto exclusive(F f) {
    std::lock_guard lock(run_mutex_);
    return f(store_, settings(), clock_->today());
  }

  // The last run's summary (for /metrics) and how many runs there were.
  std::optional<cashapp::RunSummary> last() const;
  std::uint64_t runs() const { return runs_; }

  void reconfigure(const CashAppSection& config);
  cashapp::MatchSettings settings() const;
  bool enabled() const;
  int run_every_minutes() const;

 private:
  cashapp::RunSummary run_locked(const Actor& actor, cashapp::InvariantCheck check);

  Store& store_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex config_mutex_;
  CashAppSection config_;
  std::mutex run_mutex_;    // held for a run or a person's action
  std::mutex state_mutex_;  // guards the two flags
  bool running_ = false;
  bool pending_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> runs_{0};
  mutable std::mutex last_mutex_;
  std::optional<cashapp::RunSummary> last_;
};

}  // namespace arcd::app
