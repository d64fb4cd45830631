// arcctl outbox list | retry | drop: what waits for the ERPs, and a person's decisions on
// events the dispatcher gave up on.
#include <boost/json.hpp>

#include "api/json_views.hpp"
#include "arcctl/commands.hpp"
#include "arcd/clock.hpp"
#include "arcd/error.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

int decide(Context& c, const char* action, const char* refused) {
  const OutboxEventId id(id_word(c, "outbox event id"));
  auto tx = c.migrated_store().begin();
  if (!tx->outbox().get(id)) {
    c.err << "NOT_FOUND: outbox event " << id.to_string() << " does not exist\n";
    return 1;
  }
  const bool ok = std::string(action) == "retried" ? tx->outbox().retry(id, make_system_clock()->now()) : tx->outbox().drop(id);
  if (!ok) {
    c.err << "OUTBOX_REFUSED: " << refused << "\n";
    return 1;
  }
  tx->audit().append({{}, {}, cli_actor(), std::string("outbox.") + action, "outbox", id.to_string(), c.option("reason").value_or(""), "{}"});
  tx->commit();
  const std::string message = "event " + id.to_string() + " " + action;
  if (c.format == Format::json) c.out << json::serialize(json::object{{"message", message}}) << "\n";
  else c.out << message << "\n";
  return 0;
}

}  // namespace

int cmd_outbox_list(Context& c) {
  OutboxFilter filter;
  if (auto v = c.option("status")) {
    filter.status = parse_outbox_status(*v);
    if (!filter.status) throw Error("CLI_USAGE", "--status is pending, delivered, dead or dropped");
  }
  if (auto v = c.option("source")) filter.destination = *v;
  auto tx = c.migrated_store().begin();
  const auto events = tx->outbox().list(filter, page_option(c));
  if (c.format == Format::json) {
    json::array items;
    for (const auto& e : events) items.push_back(api::outbox_event_json(e));
    c.out << json::serialize(items) << "\n";
    return 0;
  }
  Table t({"id", "destination", "kind", "key", "status", "attempts", "next_attempt_at", "remote_id", "last_error"});
  for (const auto& e : events) {
    t.add({e.id.value(), json::value(e.destination), json::value(e.kind), json::value(e.idempotency_key),
           json::value(std::string(to_string(e.status))), e.attempts, json::value(to_iso8601(e.next_attempt_at)),
           json::value(e.remote_id), json::value(e.last_error)});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_outbox_retry(Context& c) { return decide(c, "retried", "only a dead event can be retried"); }

int cmd_outbox_drop(Context& c) {
  return decide(c, "dropped", "only a dead event, or a pending one nobody is delivering now, can be dropped");
}

}  // namespace arcd::arcctl
