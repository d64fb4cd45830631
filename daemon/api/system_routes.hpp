#pragma once
// Routes every deployment needs: liveness, readiness, metrics and version.
//   GET /healthz         200 {"status":"ok"} while the process serves requests
//   GET /readyz          200 when the database answers and no migration is pending, else 503
//   GET /metrics         Prometheus text format
//   GET /api/v1/version  {"name":"arcd","version":"...","schema_version":N}

#include <functional>
#include <string>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace arcd::api {

struct Readiness {
  bool database_reachable = false;
  int schema_version = 0;
  int known_schema_version = 0;
  std::string detail;
};

// `probe` blocks (database round trip): it runs on the worker pool.
void add_system_routes(Router& router, Metrics& metrics, std::function<Readiness()> probe);

}  // namespace arcd::api
