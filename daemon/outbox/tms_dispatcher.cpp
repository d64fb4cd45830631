#include "outbox/tms_dispatcher.hpp"

#include <algorithm>

#include "forecast/feed_events.hpp"
#include "forecast/feed_snapshot.hpp"

namespace arcd::outbox {

TmsDispatcher::TmsDispatcher(Store& store, std::shared_ptr<const Clock> clock, std::string destination,
                             std::unique_ptr<connectors::FeedSink> sink, forecast::ForecastSettings forecast, DispatchSettings settings,
                             std::string owner, std::shared_ptr<spdlog::logger> log)
    : store_(store), clock_(std::move(clock)), destination_(std::move(destination)), sink_(std::move(sink)), forecast_(std::move(forecast)),
      s_(settings), owner_(std::move(owner)), log_(std::move(log)) {}

std::chrono::seconds TmsDispatcher::backoff(int attempts) const {
  // No jitter: one event per destination, nothing to spread.
  return std::chrono::seconds(std::min<std::int64_t>(s_.max_backoff.count(), s_.base_backoff.count() << std::min(attempts, 20)));
}

DispatchPass TmsDispatcher::run_once() {
  DispatchPass pass;
  const Instant now = clock_->now();
  std::vector<OutboxEvent> claimed;
  {
    auto tx = store_.begin();
    claimed = tx->outbox().claim(destination_, now, now + s_.lease, owner_, 1000);
    tx->commit();
  }
  if (claimed.empty()) return pass;
  pass.claimed = static_cast<int>(claimed.size());

  // The events name their snapshots; a broken payload goes dead, the rest compete by version.
  std::optional<std::pair<OutboxEvent, forecast::FeedEvent>> newest;
  std::vector<OutboxEvent> older;
  auto tx = store_.begin();
  for (const auto& e : claimed) {
    try {
      const auto f = forecast::parse_feed_event(e);
      if (!newest || f.version > newest->second.version) {
        if (newest) older.push_back(newest->first);
        newest.emplace(e, f);
      } else {
        older.push_back(e);
      }
    } catch (const Error& x) {
      if (tx->outbox().mark_dead(e.id, owner_, x.what())) ++pass.dead;
      log_->error("TMS_FEED_DEAD destination={} event={} error={}", destination_, e.id.value(), x.what());
    }
  }
  if (!newest) {
    tx->commit();
    return pass;
  }
  const OutboxEvent event = newest->first;
  const auto had = tx->feeds().delivered(destination_);
  auto supersede = [&](const std::string& by) {
    for (const auto& e : older)
      if (tx->outbox().mark_delivered(e.id, owner_, "superseded by " + by)) ++pass.delivered;
  };
  if (had && had->version >= newest->second.version) {
    // It already has this one or a newer one (a second daemon, or a retry that raced).
    older.push_back(event);
    supersede(had->feed_id);
    tx->commit();
    return pass;
  }
  // Composed against what the destination has: vanished references, receipts since.
  forecast::FeedSnapshot snapshot;
  mapping::tms::Feed feed;
  try {
    snapshot = forecast::load_snapshot(*tx, newest->second);
    const auto since = had ? tx->feeds().get(had->version) : std::nullopt;
    feed = forecast::feed_since(*tx, snapshot, since, forecast_);
  } catch (const Error& x) {
    if (x.code() != "OUTBOX_PAYLOAD") throw;
    if (tx->outbox().mark_dead(event.id, owner_, x.what())) ++pass.dead;
    log_->error("TMS_FEED_DEAD destination={} event={} error={}", destination_, event.id.value(), x.what());
    tx->commit();
    return pass;
  }
  // The older ones are never sent: this one carries everything they did.
  supersede(snapshot.feed.feed_id);
  tx->commit();

  std::string remote;
  try {
    remote = sink_->deliver(feed);
  } catch (const ErpError& x) {
    auto failed = store_.begin();
    const bool permanent = x.kind() == ErpFailure::rejected;
    if (permanent || event.attempts + 1 >= s_.max_attempts) {
      if (failed->outbox().mark_dead(event.id, owner_, x.what())) ++pass.dead;
      log_->error("TMS_FEED_DEAD destination={} feed={} attempts={} error={}", destination_, feed.feed_id, event.attempts + 1, x.what());
    } else {
      const auto wait = std::max(backoff(event.attempts), x.retry_after().value_or(std::chrono::seconds(0)));
      if (failed->outbox().mark_retry(event.id, owner_, x.what(), clock_->now() + wait)) ++pass.retried;
      log_->warn("TMS_FEED_RETRY destination={} feed={} attempt={} retry_in_s={} error={}", destination_, feed.feed_id, event.attempts + 1,
                 wait.count(), x.what());
    }
    failed->commit();
    return pass;
  } catch (const std::exception& x) {
    auto failed = store_.begin();
    if (failed->outbox().mark_retry(event.id, owner_, x.what(), clock_->now() + backoff(event.attempts))) ++pass.retried;
    failed->commit();
    log_->warn("TMS_FEED_RETRY destination={} feed={} error={}", destination_, feed.feed_id, x.what());
    return pass;
  }

  auto done = store_.begin();
  if (!done->outbox().mark_delivered(event.id, owner_, remote)) {
    ++pass.lost_claims;  // another daemon took it over; it will record its own delivery
    return pass;
  }
  done->feeds().record_delivery({destination_, snapshot.version, feed.feed_id, snapshot.receipts_through, clock_->now()});
  done->commit();
  ++pass.delivered;
  log_->info("TMS_FEED_DELIVERED destination={} feed={} version={} flows={} removed={} receipts={} superseded={}", destination_,
             feed.feed_id, snapshot.version, feed.flows.size(), feed.removed_references.size(), feed.receipts.size(), older.size());
  return pass;
}

}  // namespace arcd::outbox
