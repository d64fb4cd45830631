#pragma once
// The inflow feed snapshots: every expected flow within the horizon under a stable reference
// ("arcd:<source>:<invoice id>", plus ":ptp:<id>" for a promised part), recorded with its
// version and the last application it covers. What one receiver gets is composed from the
// snapshot and what that receiver acknowledged last: the references that vanished since and
// the receipts applied since, however many snapshots it missed.

#include "arcd/store.hpp"
#include "forecast/forecast.hpp"
#include "mapping/tms/inflow_feed.hpp"

namespace arcd::forecast {

struct FeedSnapshot {
  std::int64_t version = 0;
  std::int64_t receipts_through = 0;  // the highest application id it covers
  mapping::tms::Feed feed;            // flows only: no removed references, no receipts
};

// Records the next snapshot in `tx` (commit it once the feed is handed over or queued).
FeedSnapshot next_feed_snapshot(Transaction& tx, const Forecast& f, Instant now, const ForecastSettings& s);

// The snapshot as a receiver sees it after `since` (the version and receipts it has; nullopt:
// nothing yet): the vanished references and the receipts added.
mapping::tms::Feed feed_since(Transaction& tx, const FeedSnapshot& snapshot, const std::optional<ForecastFeedRepository::Snapshot>& since,
                              const ForecastSettings& settings);

}  // namespace arcd::forecast
