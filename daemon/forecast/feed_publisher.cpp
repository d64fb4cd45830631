#include "forecast/feed_publisher.hpp"

#include <algorithm>

#include "arcd/error.hpp"

#include "forecast/feed_events.hpp"
#include "forecast/feed_snapshot.hpp"

namespace arcd::forecast {

std::optional<Published> publish_feed(Store& store, const ForecastSettings& settings, const std::vector<std::string>& destinations,
                                      Instant now, Date today, bool only_if_moved) {
  if (destinations.empty()) return std::nullopt;
  if (only_if_moved) {
    // Asked every outbox pass: a read (no references parsed) that never queues behind an
    // import's write lock.
    ReadIntent reading;
    auto check = store.begin();
    const auto latest = check->feeds().latest_version();
    if ((latest ? latest->second : 0) == check->feeds().last_application_id()) return std::nullopt;
  }
  auto tx = store.begin();
  const auto snapshot = next_feed_snapshot(*tx, build_forecast(*tx, settings, today), now, settings);
  for (const auto& d : destinations) enqueue_feed(*tx, d, snapshot, now);
  tx->commit();
  return Published{snapshot.version, snapshot.feed.feed_id, snapshot.feed.flows.size()};
}

std::int64_t prune_snapshots(Store& store) {
  auto tx = store.begin();
  std::vector<std::int64_t> waiting;
  OutboxFilter pending;
  pending.status = OutboxStatus::pending;
  for (Page page{0, 1000};;) {
    const auto events = tx->outbox().list(pending, page);
    for (const auto& e : events) {
      if (e.kind != kFeedKind) continue;
      try {
        waiting.push_back(parse_feed_event(e).version);
      } catch (const Error&) {
        // a broken payload names no snapshot; the dispatcher sends it dead
      }
    }
    if (static_cast<int>(events.size()) < page.limit) break;
    page.after_id = events.back().id.value();
  }
  const auto pruned = tx->feeds().prune(waiting);
  tx->commit();
  return pruned;
}

}  // namespace arcd::forecast
