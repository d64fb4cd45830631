#include "api/paging.hpp"

namespace arcd::api {

std::optional<Page> page_of(const HttpRequest& r, HttpResponse& error) {
  Page p;
  try {
    if (auto it = r.query.find("after"); it != r.query.end()) p.after_id = std::stoll(it->second);
    if (auto it = r.query.find("limit"); it != r.query.end()) p.limit = std::stoi(it->second);
  } catch (const std::exception&) {
    error = problem(400, "bad_parameter", "after and limit must be whole numbers");
    return std::nullopt;
  }
  if (p.limit < 1 || p.limit > 1000 || p.after_id < 0) {
    error = problem(400, "bad_parameter", "limit must be 1..1000 and after not negative");
    return std::nullopt;
  }
  return p;
}

std::optional<long long> id_param(const HttpRequest& r, const std::string& name, HttpResponse& error) {
  try {
    std::size_t used = 0;
    const std::string& v = r.params.at(name);
    const long long id = std::stoll(v, &used);
    if (used == v.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  error = problem(400, "bad_parameter", "the " + name + " is a positive number");
  return std::nullopt;
}

}  // namespace arcd::api
