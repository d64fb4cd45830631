#include "forecast/feed_publisher.hpp"

#include "forecast/feed_events.hpp"
#include "forecast/feed_snapshot.hpp"

namespace arcd::forecast {

std::optional<Published> publish_feed(Store& store, const ForecastSettings& settings, const std::vector<std::string>& destinations,
                                      Instant now, Date today, bool only_if_moved) {
  if (destinations.empty()) return std::nullopt;
  auto tx = store.begin();
  if (only_if_moved) {
    const auto latest = tx->feeds().latest();
    if ((latest ? latest->receipts_through : 0) == tx->feeds().last_application_id()) return std::nullopt;
  }
  const auto snapshot = next_feed_snapshot(*tx, build_forecast(*tx, settings, today), now, settings);
  for (const auto& d : destinations) enqueue_feed(*tx, d, snapshot, now);
  tx->commit();
  return Published{snapshot.version, snapshot.feed.feed_id, snapshot.feed.flows.size()};
}

}  // namespace arcd::forecast
