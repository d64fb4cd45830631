#include "app/outbox_service.hpp"

#include "connectors/smtp/smtp_transport.hpp"
#include "forecast/feed_events.hpp"
#include "forecast/feed_publisher.hpp"

namespace arcd::app {

OutboxService::OutboxService(Store& store, std::shared_ptr<const Clock> clock, const connectors::ErpRegistry& registry,
                             std::shared_ptr<spdlog::logger> log)
    : store_(store), clock_(std::move(clock)), registry_(registry), log_(std::move(log)), owner_(outbox::Dispatcher::default_owner()) {}

void OutboxService::configure(const Config& config) {
  auto d = std::make_shared<outbox::Dispatcher>(store_, clock_, config.outbox.dispatch, owner_, log_);
  std::vector<std::string> targets;
  for (const auto& e : config.erp_connectors) {
    if (!e.push) continue;
    const connectors::ErpConnectorSettings settings = e.erp;
    const connectors::ErpRegistry* registry = &registry_;
    registry_.make(settings);  // fails now, at start or reload, rather than at the first delivery
    d->add_target(settings.name, [registry, settings] { return registry->make(settings); });
    targets.push_back(settings.name);
  }
  std::shared_ptr<outbox::MailDispatcher> mail;
  if (config.mail.transport == "smtp") {
    outbox::MailDispatchSettings ms;
    ms.max_attempts = config.mail.max_attempts;
    ms.lease = config.outbox.dispatch.lease;
    ms.collector_of = [settings = config.collections](const Customer& c) { return settings.collector_of(c); };
    mail = std::make_shared<outbox::MailDispatcher>(store_, clock_, std::make_unique<connectors::SmtpTransport>(config.mail.smtp), ms,
                                                    owner_, log_);
  }
  std::vector<std::shared_ptr<outbox::TmsDispatcher>> feeds;
  for (const auto& t : config.tms) {
    feeds.push_back(std::make_shared<outbox::TmsDispatcher>(store_, clock_, forecast::tms_destination(t.name),
                                                            connectors::make_feed_sink(t, clock_), config.forecast,
                                                            config.outbox.dispatch, owner_, log_));
  }
  std::lock_guard lock(config_mutex_);
  dispatcher_ = std::move(d);
  mail_ = std::move(mail);
  feeds_ = std::move(feeds);
  tms_ = config.tms;
  forecast_ = config.forecast;
  config_ = config.outbox;
  targets_ = std::move(targets);
}

bool OutboxService::enabled() const {
  std::lock_guard lock(config_mutex_);
  return config_.enabled;
}

int OutboxService::poll_seconds() const {
  std::lock_guard lock(config_mutex_);
  return config_.poll_seconds;
}

void OutboxService::request() {
  pending_ = true;
  std::unique_lock run(run_mutex_, std::try_to_lock);
  if (!run) return;  // the pass in progress goes round once more
  while (pending_.exchange(false) && !stopping_) {
    std::shared_ptr<outbox::Dispatcher> d;
    std::shared_ptr<outbox::MailDispatcher> mail;
    std::vector<std::shared_ptr<outbox::TmsDispatcher>> feeds;
    {
      std::lock_guard lock(config_mutex_);
      if (!config_.enabled) return;
      d = dispatcher_;
      mail = mail_;
      feeds = feeds_;
    }
    if (!d) return;
    try {
      publish_after_cash_application();
      auto pass = d->drain(std::chrono::seconds(60), &stopping_);
      for (const auto& f : feeds) {
        const auto p = f->run_once();
        pass.claimed += p.claimed;
        pass.delivered += p.delivered;
        pass.retried += p.retried;
        pass.dead += p.dead;
        pass.lost_claims += p.lost_claims;
      }
      if (mail) {
        const auto m = mail->drain(std::chrono::seconds(60), &stopping_);
        pass.claimed += m.claimed;
        pass.delivered += m.delivered;
        pass.retried += m.retried;
        pass.dead += m.dead;
        pass.lost_claims += m.lost_claims;
      }
      delivered_ += pass.delivered;
      retried_ += pass.retried;
      dead_ += pass.dead;
      if (pass.claimed > 0) {
        log_->info("OUTBOX_PASS claimed={} delivered={} retried={} dead={} lost_claims={}", pass.claimed, pass.delivered, pass.retried,
                   pass.dead, pass.lost_claims);
      }
      refresh_snapshot(*d);
    } catch (const std::exception& e) {
      log_->error("OUTBOX_PASS_FAILED error={}", e.what());
    }
  }
}

std::vector<connectors::TmsTargetSettings> OutboxService::tms_targets() const {
  std::lock_guard lock(config_mutex_);
  return tms_;
}

void OutboxService::publish_after_cash_application() {
  std::vector<std::string> destinations;
  forecast::ForecastSettings settings;
  {
    std::lock_guard lock(config_mutex_);
    for (const auto& t : tms_)
      if (t.after_cash_application) destinations.push_back(forecast::tms_destination(t.name));
    settings = forecast_;
  }
  // Its own failure (the forecast, a version race with another daemon) never holds up delivery.
  try {
    if (const auto p = forecast::publish_feed(store_, settings, destinations, clock_->now(), clock_->today(), true))
      log_->info("TMS_FEED_SNAPSHOT version={} feed={} flows={} reason=cash_application destinations={}", p->version, p->feed_id, p->flows,
                 destinations.size());
  } catch (const std::exception& e) {
    log_->error("TMS_FEED_SNAPSHOT_FAILED reason=cash_application error={}", e.what());
  }
}

void OutboxService::prune_feeds() {
  if (const auto pruned = forecast::prune_snapshots(store_); pruned > 0)
    log_->info("TMS_FEED_PRUNED snapshots={}", pruned);
}

void OutboxService::publish_feed(const std::string& target) {
  forecast::ForecastSettings settings;
  {
    std::lock_guard lock(config_mutex_);
    settings = forecast_;
  }
  try {
    if (const auto p = forecast::publish_feed(store_, settings, {forecast::tms_destination(target)}, clock_->now(), clock_->today(), false))
      log_->info("TMS_FEED_SNAPSHOT version={} feed={} flows={} reason=schedule destination=tms:{}", p->version, p->feed_id, p->flows, target);
  } catch (const std::exception& e) {
    log_->error("TMS_FEED_SNAPSHOT_FAILED destination=tms:{} error={}", target, e.what());
    return;
  }
  request();
}

void OutboxService::refresh_snapshot(const outbox::Dispatcher& d) {
  OutboxSnapshot s;
  auto tx = store_.begin();
  const auto stats = tx->outbox().stats();
  tx->commit();
  const Instant now = clock_->now();
  for (const auto& st : stats) {
    if (st.status == OutboxStatus::pending) {
      s.pending += st.count;
      if (st.oldest_created) {
        s.oldest_pending_seconds = std::max(s.oldest_pending_seconds, static_cast<double>((now - *st.oldest_created).count()));
      }
    } else if (st.status == OutboxStatus::dead) {
      s.dead += st.count;
    }
  }
  {
    std::lock_guard lock(config_mutex_);
    for (const auto& t : targets_) s.breakers_open += d.breaker_open(t) ? 1 : 0;
  }
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = s;
}

OutboxSnapshot OutboxService::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

std::int64_t OutboxService::delivered_total() const { return delivered_; }
std::int64_t OutboxService::retried_total() const { return retried_; }
std::int64_t OutboxService::dead_total() const { return dead_; }

}  // namespace arcd::app
