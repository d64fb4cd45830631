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
  std::lock_guard run(run_mutex_);
  collections::CollectionsSettings settings;
  std::shared_ptr<const collections::TemplateSet> templates;
  {
    std::lock_guard lock(mutex_);
    settings = settings_;
    templates = templates_;
  }
  // Progress about every 20 000 customers, and at the end.
  std::int64_t reported = 0;
  auto report = collections::run_collections(store_, *clock_, settings, *templates, options, log_,
                                             [this, &reported](std::int64_t done, std::int64_t all) {
                                               if (done != all && done - reported < 20000) return;
                                               reported = done;
                                               log_->info("COLLECTIONS_PROGRESS customers={}/{}", done, all);
                                             });
  if (!options.dry_run) {
    std::lock_guard l(last_mutex_);
    last_ = report;
  }
  return report;
}

collections::CollectionsSettings CollectionsService::settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

std::string CollectionsService::collector_of(const Customer& c) const {
  std::lock_guard lock(mutex_);
  return settings_.collector_of(c);
}

std::optional<collections::RunReport> CollectionsService::last() const {
  std::lock_guard lock(last_mutex_);
  return last_;
}

}  // namespace arcd::app
