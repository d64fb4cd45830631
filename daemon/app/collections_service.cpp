#include "app/collections_service.hpp"

#include <chrono>

namespace arcd::app {

CollectionsService::CollectionsService(Store& store, std::shared_ptr<const Clock> clock, std::shared_ptr<spdlog::logger> log)
    : store_(store), clock_(std::move(clock)), log_(std::move(log)) {}

void CollectionsService::configure(const Config& config) {
  auto templates = std::make_shared<const collections::TemplateSet>(collections::TemplateSet::load(config.collections.templates_dir));
  std::lock_guard lock(mutex_);
  settings_ = config.collections;
  templates_ = std::move(templates);
}

bool CollectionsService::enabled() const {
  std::lock_guard lock(mutex_);
  return settings_.enabled;
}

std::optional<collections::RunReport> CollectionsService::tick() {
  if (stopping_) return std::nullopt;
  const Instant now = clock_->now();
  const Date today = utc_date(now);
  {
    std::lock_guard lock(mutex_);
    if (!settings_.enabled) return std::nullopt;
    const auto hour = std::chrono::duration_cast<std::chrono::hours>(now - std::chrono::sys_days(today.days())).count();
    if (hour < settings_.run_hour_utc) return std::nullopt;
  }
  {
    auto tx = store_.begin();
    const auto done = tx->dunning().run(today);
    if (done && done->first) return std::nullopt;
  }
  return run({today, false, "system:collections"});
}

collections::RunReport CollectionsService::run(const collections::RunOptions& options) {
  std::lock_guard lock(mutex_);
  auto report = collections::run_collections(store_, *clock_, settings_, *templates_, options, log_,
                                             [this](std::int64_t done, std::int64_t all) {
                                               if (done == all || done % 20000 < static_cast<std::int64_t>(settings_.batch_customers))
                                                 log_->info("COLLECTIONS_PROGRESS customers={}/{}", done, all);
                                             });
  if (!options.dry_run) {
    std::lock_guard l(last_mutex_);
    last_ = report;
  }
  return report;
}

std::optional<collections::RunReport> CollectionsService::last() const {
  std::lock_guard lock(last_mutex_);
  return last_;
}

}  // namespace arcd::app
