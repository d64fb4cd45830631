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
  e.payload = json::serialize(json::object{{"version", snapshot.version},
                                           {"receipts_through", snapshot.receipts_through},
                                           {"feed", json::parse(mapping::tms::feed_json(snapshot.feed))}});
  e.created_at = now;
  e.next_attempt_at = now;
  tx.outbox().enqueue(e);
}

FeedSnapshot parse_feed_event(const OutboxEvent& e) {
  try {
    const json::value v = json::parse(e.payload);
    const auto& o = v.as_object();
    FeedSnapshot s;
    s.version = o.at("version").to_number<std::int64_t>();
    s.receipts_through = o.at("receipts_through").to_number<std::int64_t>();
    s.feed = mapping::tms::parse_feed_json(json::serialize(o.at("feed")));
    return s;
  } catch (const Error& x) {
    throw Error("OUTBOX_PAYLOAD", "event " + std::to_string(e.id.value()) + ": " + x.detail());
  } catch (const std::exception& x) {
    throw Error("OUTBOX_PAYLOAD", "event " + std::to_string(e.id.value()) + ": " + x.what());
  }
}

}  // namespace arcd::forecast
