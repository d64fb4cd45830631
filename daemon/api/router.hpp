#pragma once
// Routes: method + path pattern ("/api/v1/customers/{id}") -> handler, and where it runs:
// on the io thread (cheap, never blocks) or on the worker pool (database, parsing).

#include <functional>
#include <string>
#include <vector>

#include "api/http_types.hpp"
#include "arcd/access.hpp"

namespace arcd::api {

enum class RunOn { io, worker };
using Handler = std::function<HttpResponse(HttpRequest&)>;

// Who may call a route: anyone (health, metrics, the dashboard's files), or a token with at
// least `role`. Routes start admin-only; roles come from the OpenAPI document
// (api/openapi_roles.hpp), so what is documented is what is enforced.
struct Access {
  bool is_public = false;
  Role role = Role::admin;
};

struct Route {
  std::string method;
  std::string pattern;
  RunOn run_on;
  Handler handler;
  Access access;
};

class Router {
 public:
  void add(std::string method, std::string pattern, RunOn run_on, Handler handler);
  struct Match {
    const Route* route = nullptr;  // null: no route for the path or the method
    bool path_known = false;       // the path exists with another method (-> 405)
  };
  // Fills request.params on a match.
  Match match(HttpRequest& request) const;
  const std::vector<Route>& routes() const { return routes_; }
  // False when there is no such route.
  bool set_access(const std::string& method, const std::string& pattern, Access access);

 private:
  std::vector<Route> routes_;
};

}  // namespace arcd::api
