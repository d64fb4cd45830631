#include "forecast/feed_events.hpp"

#include <boost/json.hpp>

#include "arcd/error.hpp"

namespace arcd::forecast {
namespace json = boost::json;

std::string tms_destination(const std::string& target_name) { return "tms:" + target_name; }

void enqueue_feed(Transaction& tx, const std::string& destination, const FeedSnapshot& snapshot, Instant now) {
  OutboxEvent e;
  e.destination = destination;
  e.kind = kFeedKind;
  e.idempotency_key = snapshot.feed.feed_id + "@" + destination;
  e.payload = json::serialize(
      json::object{{"version", snapshot.version}, {"feed_id", snapshot.feed.feed_id}, {"receipts_through", snapshot.receipts_through}});
  e.created_at = now;
  e.next_attempt_at = now;
  tx.outbox().enqueue(e);
}

FeedEvent parse_feed_event(const OutboxEvent& e) {
  try {
    const json::value v = json::parse(e.payload);
    const auto& o = v.as_object();
    FeedEvent f;
    f.version = o.at("version").to_number<std::int64_t>();
    f.feed_id = std::string(o.at("feed_id").as_string());
    f.receipts_through = o.at("receipts_through").to_number<std::int64_t>();
    return f;
  } catch (const std::exception& x) {
    throw Error("OUTBOX_PAYLOAD", "event " + std::to_string(e.id.value()) + ": not a feed event (" + x.what() + ")");
  }
}

FeedSnapshot load_snapshot(Transaction& tx, const FeedEvent& e) {
  const auto body = tx.feeds().body(e.version);
  if (!body) throw Error("OUTBOX_PAYLOAD", "feed " + e.feed_id + " (version " + std::to_string(e.version) + ") is no longer kept");
  FeedSnapshot s;
  s.version = e.version;
  s.receipts_through = e.receipts_through;
  try {
    s.feed = mapping::tms::parse_feed_json(*body);
  } catch (const Error& x) {
    throw Error("OUTBOX_PAYLOAD", "feed " + e.feed_id + ": " + x.detail());
  }
  return s;
}

}  // namespace arcd::forecast
