#include "api/router.hpp"

#include <boost/json.hpp>

namespace arcd::api {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

HttpResponse problem(int status, const std::string& code, const std::string& detail) {
  boost::json::object o{{"type", "https://arcd.dev/problems/" + code},
                        {"title", code},
                        {"status", status},
                        {"code", code},
                        {"detail", detail}};
  return {status, "application/problem+json", boost::json::serialize(o), {}};
}

HttpResponse json_response(int status, std::string body) { return {status, "application/json", std::move(body), {}}; }

void Router::add(std::string method, std::string pattern, RunOn run_on, Handler handler) {
  routes_.push_back({std::move(method), std::move(pattern), run_on, std::move(handler), Access{}});
}

bool Router::set_access(const std::string& method, const std::string& pattern, Access access) {
  for (auto& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      r.access = access;
      return true;
    }
  }
  return false;
}

Router::Match Router::match(HttpRequest& request) const {
  Match m;
  const auto want = segments(request.path);
  for (const auto& r : routes_) {
    const auto have = segments(r.pattern);
    if (have.size() != want.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < have.size() && ok; ++i) {
      if (have[i].size() > 2 && have[i].front() == '{' && have[i].back() == '}') {
        if (want[i].empty()) ok = false;
        else params[have[i].substr(1, have[i].size() - 2)] = want[i];
      } else {
        ok = have[i] == want[i];
      }
    }
    if (!ok) continue;
    m.path_known = true;
    if (r.method == request.method || (r.method == "GET" && request.method == "HEAD")) {
      request.params = std::move(params);
      m.route = &r;
      return m;
    }
  }
  return m;
}

}  // namespace arcd::api
