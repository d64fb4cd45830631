#pragma once
// The next inflow feed snapshot from a forecast: every expected flow within the horizon under
// a stable reference ("arcd:<source>:<invoice id>", plus ":ptp:<id>" for a promised part),
// the references of the previous snapshot that vanished (paid, cancelled, moved out), and the
// next version, recorded so the one after can compare.

#include "arcd/store.hpp"
#include "forecast/forecast.hpp"
#include "mapping/tms/inflow_feed.hpp"

namespace arcd::forecast {

struct FeedSnapshot {
  std::int64_t version = 0;
  mapping::tms::Feed feed;
};

// Records the snapshot in `tx` (commit it once the feed is handed over).
FeedSnapshot next_feed_snapshot(Transaction& tx, const Forecast& f, Instant now, int horizon_days);

}  // namespace arcd::forecast
