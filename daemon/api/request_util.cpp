#include "api/request_util.hpp"

#include <boost/json.hpp>

namespace arcd::api {
namespace json = boost::json;

Actor actor_of(const HttpRequest& r) {
  const std::string user = r.header("x-arcd-user");
  if (!user.empty()) return "api:" + user;
  return "api:" + (r.remote.empty() ? std::string("anonymous") : r.remote);
}

// The body as a JSON object, or a 400 in `error`.
std::optional<json::object> body_of(const HttpRequest& r, HttpResponse& error) {
  try {
    auto v = json::parse(r.body);
    if (v.is_object()) return v.as_object();
  } catch (const std::exception&) {
  }
  error = problem(400, "bad_json", "the body must be a JSON object");
  return std::nullopt;
}

std::optional<std::string> string_field(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

HttpResponse outcome(const Result<std::string>& r) {
  if (r) return json_response(200, json::serialize(json::object{{"message", r.value()}}));
  const auto& p = r.problem();
  const int status = p.code == "NOT_FOUND" ? 404 : 409;
  std::string code = p.code;
  for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return problem(status, code, p.what);
}

}  // namespace arcd::api
