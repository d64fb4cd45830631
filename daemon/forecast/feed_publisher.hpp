#pragma once
// Takes an inflow feed snapshot and queues it for every treasury system, in one transaction:
// the version counts only if every destination will get it. Done on each destination's
// schedule and after cash application moved the figures (an application since the last
// snapshot); each destination's dispatcher then delivers the newest snapshot it has.

#include <optional>
#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "forecast/forecast.hpp"

namespace arcd::forecast {

struct Published {
  std::int64_t version = 0;
  std::string feed_id;
  std::size_t flows = 0;
};

// nullopt (nothing written) when `destinations` is empty, or when `only_if_moved` and no cash
// was applied or undone since the latest snapshot.
std::optional<Published> publish_feed(Store& store, const ForecastSettings& settings, const std::vector<std::string>& destinations,
                                      Instant now, Date today, bool only_if_moved);

// Removes the snapshots nobody needs any more: all but the latest, each destination's last
// delivery (what its next feed is compared with) and those still waiting in the outbox.
// Returns how many went.
std::int64_t prune_snapshots(Store& store);

}  // namespace arcd::forecast
