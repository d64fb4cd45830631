#include "api/openapi_roles.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "arcd/embedded.hpp"

ARCD_EMBEDDED(openapi_files)

namespace arcd::api {
namespace json = boost::json;

std::string_view openapi_document() { return embedded::openapi_files[0].content; }

void add_openapi_route(Router& router) {
  router.add("GET", "/api/v1/openapi.json", RunOn::io,
             [](HttpRequest&) { return json_response(200, std::string(openapi_document())); });
}

std::vector<std::string> apply_openapi_roles(Router& router, std::string_view document) {
  std::vector<std::string> problems;
  json::value doc;
  try {
    doc = json::parse(document);
  } catch (const std::exception& e) {
    return {std::string("the OpenAPI document is not JSON: ") + e.what()};
  }
  const auto* paths = doc.is_object() ? doc.as_object().if_contains("paths") : nullptr;
  if (!paths || !paths->is_object()) return {"the OpenAPI document has no paths"};
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : paths->as_object()) {
    if (!item.is_object()) continue;
    for (const auto& [verb, op] : item.as_object()) {
      if (verb == "parameters" || !op.is_object()) continue;
      std::string method(verb);
      std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      documented.insert({method, std::string(path)});
      const auto* role = op.as_object().if_contains("x-arcd-role");
      if (!role || !role->is_string()) {
        problems.push_back(method + " " + std::string(path) + ": no x-arcd-role");
        continue;
      }
      const std::string r(role->as_string());
      Access access;
      if (r == "public") {
        access.is_public = true;
        access.role = Role::viewer;
      } else if (auto parsed = parse_role(r)) {
        access.role = *parsed;
      } else {
        problems.push_back(method + " " + std::string(path) + ": x-arcd-role '" + r + "' is not a role");
        continue;
      }
      if (!router.set_access(method, std::string(path), access))
        problems.push_back(method + " " + std::string(path) + ": documented but the server has no such route");
    }
  }
  for (const auto& r : router.routes())
    if (!documented.count({r.method, r.pattern})) problems.push_back(r.method + " " + r.pattern + ": not in the OpenAPI document");
  return problems;
}

}  // namespace arcd::api
