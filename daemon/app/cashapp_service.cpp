#include "app/cashapp_service.hpp"

namespace arcd::app {

CashAppService::CashAppService(Store& store, std::shared_ptr<const Clock> clock, CashAppSection config,
                               std::shared_ptr<spdlog::logger> log)
    : store_(store), clock_(std::move(clock)), log_(std::move(log)), config_(std::move(config)) {}

void CashAppService::reconfigure(const CashAppSection& config) {
  std::lock_guard lock(config_mutex_);
  config_ = config;
}

std::optional<cashapp::RunSummary> CashAppService::last() const {
  std::lock_guard lock(last_mutex_);
  return last_;
}

cashapp::MatchSettings CashAppService::settings() const {
  std::lock_guard lock(config_mutex_);
  return config_.match;
}

bool CashAppService::enabled() const {
  std::lock_guard lock(config_mutex_);
  return config_.enabled;
}

int CashAppService::run_every_minutes() const {
  std::lock_guard lock(config_mutex_);
  return config_.run_every_minutes;
}

cashapp::RunSummary CashAppService::run_locked(const Actor& actor, cashapp::InvariantCheck check) {
  cashapp::RunOptions options;
  options.actor = actor;
  options.check = check;
  options.should_stop = [this] { return stopping_.load(); };
  options.progress = [this](std::int64_t done) {
    if (done >= 10000) log_->info("CASHAPP_PROGRESS entries_done={}", done);
  };
  const auto settings_now = settings();
  try {
    auto s = cashapp::run_cash_application(store_, settings_now, *clock_, options);
    if (s.stopped) log_->info("CASHAPP_RUN stopped early for shutdown; the rest runs next time");
    if (s.skipped) {
      log_->info("CASHAPP_RUN skipped: another daemon on this database is running cash application");
      return s;
    }
    log_->info("CASHAPP_RUN entries={} applied={} queued={} ignored={} reversals={} applications={} ptps_expired={} seconds={:.3f}",
               s.entries, s.applied, s.queued, s.ignored, s.reversals, s.applications, s.ptps_expired, s.seconds);
    if (!s.invariant_ok) log_->error("CASHAPP_INVARIANT_VIOLATED {}", s.invariant);
    ++runs_;
    std::lock_guard lock(last_mutex_);
    last_ = s;
    return s;
  } catch (const std::exception& e) {
    log_->error("CASHAPP_RUN_FAILED {}", e.what());
    throw;
  }
}

cashapp::RunSummary CashAppService::run(const Actor& actor) {
  std::lock_guard lock(run_mutex_);
  return run_locked(actor, cashapp::InvariantCheck::full);
}

std::optional<cashapp::RunSummary> CashAppService::request(const Actor& actor) {
  if (!enabled() || stopping_) return std::nullopt;
  {
    std::lock_guard lock(state_mutex_);
    if (running_) {
      pending_ = true;
      return std::nullopt;
    }
    running_ = true;
  }
  std::optional<cashapp::RunSummary> last;
  while (true) {
    {
      std::lock_guard lock(state_mutex_);
      pending_ = false;
    }
    try {
      std::lock_guard lock(run_mutex_);
      last = run_locked(actor, cashapp::InvariantCheck::touched);
    } catch (const std::exception&) {
      // Logged; the next request or tick tries again.
    }
    std::lock_guard lock(state_mutex_);
    if (!pending_) {
      running_ = false;
      return last;
    }
  }
}

}  // namespace arcd::app
