#include "api/outbox_routes.hpp"

#include <boost/json.hpp>

#include "api/json_views.hpp"
#include "api/paging.hpp"
#include "api/request_util.hpp"

namespace arcd::api {
namespace json = boost::json;

void add_outbox_routes(Router& router, Store& store, std::shared_ptr<const Clock> clock) {
  // ?status=pending|delivered|dead|dropped&destination=NAME&after=ID&limit=N
  router.add("GET", "/api/v1/outbox", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    OutboxFilter filter;
    if (auto it = r.query.find("status"); it != r.query.end()) {
      filter.status = parse_outbox_status(it->second);
      if (!filter.status) return problem(400, "bad_parameter", "status is one of pending, delivered, dead, dropped");
    }
    if (auto it = r.query.find("destination"); it != r.query.end()) filter.destination = it->second;
    json::array items;
    auto tx = store.begin();
    for (const auto& e : tx->outbox().list(filter, *page)) items.push_back(outbox_event_json(e));
    json::object counts;
    for (const auto& s : tx->outbox().stats()) {
      auto& d = counts[s.destination];
      if (!d.is_object()) d = json::object{};
      d.as_object()[to_string(s.status)] = s.count;
    }
    return json_response(200, json::serialize(json::object{{"items", items}, {"undelivered", counts}}));
  });

  router.add("GET", "/api/v1/outbox/{id}", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto tx = store.begin();
    auto e = tx->outbox().get(OutboxEventId(*id));
    if (!e) return problem(404, "not_found", "outbox event " + std::to_string(*id) + " does not exist");
    return json_response(200, json::serialize(outbox_event_json(*e)));
  });

  router.add("POST", "/api/v1/outbox/{id}/retry", RunOn::worker, [&store, clock](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto tx = store.begin();
    if (!tx->outbox().get(OutboxEventId(*id))) return problem(404, "not_found", "outbox event " + std::to_string(*id) + " does not exist");
    if (!tx->outbox().retry(OutboxEventId(*id), clock->now())) {
      return problem(409, "not_dead", "only a dead event can be retried");
    }
    tx->audit().append({{}, {}, actor_of(r), "outbox.retried",
                        "outbox", std::to_string(*id), "", "{}"});
    tx->commit();
    return json_response(200, json::serialize(json::object{{"message", "event " + std::to_string(*id) + " will be delivered again"}}));
  });

  router.add("POST", "/api/v1/outbox/{id}/drop", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto tx = store.begin();
    if (!tx->outbox().get(OutboxEventId(*id))) return problem(404, "not_found", "outbox event " + std::to_string(*id) + " does not exist");
    if (!tx->outbox().drop(OutboxEventId(*id))) {
      return problem(409, "not_droppable", "only a dead event, or a pending one nobody is delivering now, can be dropped");
    }
    tx->audit().append({{}, {}, actor_of(r), "outbox.dropped",
                        "outbox", std::to_string(*id), "", "{}"});
    tx->commit();
    return json_response(200, json::serialize(json::object{{"message", "event " + std::to_string(*id) + " will never be delivered"}}));
  });
}

}  // namespace arcd::api
