#include "api/system_routes.hpp"

#include <boost/json.hpp>

#include "arcd/version.hpp"

namespace arcd::api {
namespace json = boost::json;

void add_system_routes(Router& router, Metrics& metrics, std::function<Readiness()> probe) {
  router.add("GET", "/healthz", RunOn::io, [](HttpRequest&) { return json_response(200, R"({"status":"ok"})"); });

  router.add("GET", "/readyz", RunOn::worker, [probe](HttpRequest&) {
    const Readiness r = probe();
    const bool ready = r.database_reachable && r.schema_version == r.known_schema_version;
    json::object o{{"status", ready ? "ready" : "not_ready"},
                   {"database", r.database_reachable ? "reachable" : "unreachable"},
                   {"schema_version", r.schema_version},
                   {"known_schema_version", r.known_schema_version}};
    if (!r.detail.empty()) o["detail"] = r.detail;
    return json_response(ready ? 200 : 503, json::serialize(o));
  });

  router.add("GET", "/metrics", RunOn::io, [&metrics](HttpRequest&) {
    return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(), {}};
  });

  router.add("GET", "/api/v1/version", RunOn::worker, [probe](HttpRequest&) {
    const Readiness r = probe();
    json::object o{{"name", "arcd"}, {"version", std::string(kVersion)}, {"schema_version", r.schema_version},
                   {"known_schema_version", r.known_schema_version}};
    return json_response(200, json::serialize(o));
  });
}

}  // namespace arcd::api
