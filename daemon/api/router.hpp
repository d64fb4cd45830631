#pragma once
// Routes: method + path pattern ("/api/v1/customers/{id}") -> handler, and where it runs:
// on the io thread (cheap, never blocks) or on the worker pool (database, parsing).

#include <functional>
#include <string>
#include <vector>

#include "api/http_types.hpp"

namespace arcd::api {

enum class RunOn { io, worker };
using Handler = std::function<HttpResponse(HttpRequest&)>;

struct Route {
  std::string method;
  std::string pattern;
  RunOn run_on;
  Handler handler;
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

 private:
  std::vector<Route> routes_;
};

}  // namespace arcd::api
