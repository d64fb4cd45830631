#pragma once
// The outbox event that carries one inflow feed snapshot to one treasury system, written in
// the transaction that records the snapshot. Destination "tms:<name>", kind "forecast.feed",
// idempotency key "<feed id>@tms:<name>". The payload is the snapshot (its version, the last
// application it covers, its flows); what the receiver gets on top (vanished references,
// receipts) is composed at delivery from what it acknowledged last.

#include <string>

#include "arcd/store.hpp"
#include "forecast/feed_snapshot.hpp"

namespace arcd::forecast {

inline constexpr const char* kFeedKind = "forecast.feed";
std::string tms_destination(const std::string& target_name);

void enqueue_feed(Transaction& tx, const std::string& destination, const FeedSnapshot& snapshot, Instant now);
// Throws arcd::Error OUTBOX_PAYLOAD naming what is wrong.
FeedSnapshot parse_feed_event(const OutboxEvent& e);

}  // namespace arcd::forecast
