#pragma once
// The outbox event that carries one inflow feed snapshot to one treasury system, written in
// the transaction that records the snapshot. Destination "tms:<name>", kind "forecast.feed",
// idempotency key "<feed id>@tms:<name>". The payload names the snapshot (version, feed id,
// the last application it covers); its flows are kept once with the snapshot
// (forecast_feeds.body), not once per destination. What the receiver gets on top (vanished
// references, receipts) is composed at delivery from what it acknowledged last.

#include <string>

#include "arcd/store.hpp"
#include "forecast/feed_snapshot.hpp"

namespace arcd::forecast {

inline constexpr const char* kFeedKind = "forecast.feed";
std::string tms_destination(const std::string& target_name);

void enqueue_feed(Transaction& tx, const std::string& destination, const FeedSnapshot& snapshot, Instant now);

struct FeedEvent {
  std::int64_t version = 0;
  std::string feed_id;
  std::int64_t receipts_through = 0;
};
// Throws arcd::Error OUTBOX_PAYLOAD naming what is wrong.
FeedEvent parse_feed_event(const OutboxEvent& e);
// The snapshot the event names, flows and all. Throws OUTBOX_PAYLOAD when it is gone (pruned:
// every destination has a newer one) or unreadable.
FeedSnapshot load_snapshot(Transaction& tx, const FeedEvent& e);

}  // namespace arcd::forecast
