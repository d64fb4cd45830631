#pragma once
// The OpenAPI document (docs/openapi.json, embedded) is the one place where each route's
// role is written, as `x-arcd-role` on every operation: viewer, collector, manager, admin or
// public. The router takes its access rules from it, so the documentation cannot drift from
// what is enforced, and a route missing from the document stays admin-only.

#include <string>
#include <string_view>
#include <vector>

#include "api/router.hpp"

namespace arcd::api {

// The embedded document, and GET /api/v1/openapi.json serving it.
std::string_view openapi_document();
void add_openapi_route(Router& router);
// Applies the roles; returns what does not line up: routes without an operation in the
// document and operations without a route, one line each.
std::vector<std::string> apply_openapi_roles(Router& router, std::string_view document);

}  // namespace arcd::api
