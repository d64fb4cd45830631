#include "api/request_util.hpp"

#include <boost/json.hpp>

#include "arcd/digest.hpp"

namespace arcd::api {
namespace json = boost::json;

Actor actor_of(const HttpRequest& r) {
  if (r.principal) return "api:" + r.principal->user;
  return "api:anonymous@" + (r.remote.empty() ? std::string("unknown") : r.remote);
}

std::optional<json::object> body_of(const HttpRequest& r, HttpResponse& error, std::initializer_list<FieldSpec> fields) {
  json::value v;
  try {
    v = json::parse(r.body);
  } catch (const std::exception& e) {
    error = problem(400, "bad_json", std::string("the body is not JSON: ") + e.what());
    return std::nullopt;
  }
  if (!v.is_object()) {
    error = problem(400, "bad_json", "the body must be a JSON object");
    return std::nullopt;
  }
  static constexpr const char* kKindNames[] = {"a string", "a whole number", "true or false", "an array"};
  for (const auto& [key, value] : v.as_object()) {
    const FieldSpec* spec = nullptr;
    for (const auto& f : fields)
      if (key == f.name) spec = &f;
    if (!spec) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + std::string(f.name);
      error = problem(400, "unknown_field", "'" + std::string(key) + "' is not a field here (fields: " + known + ")");
      return std::nullopt;
    }
    const bool ok = spec->kind == FieldKind::string    ? value.is_string()
                    : spec->kind == FieldKind::integer ? value.is_int64() || value.is_uint64()
                    : spec->kind == FieldKind::boolean ? value.is_bool()
                                                       : value.is_array();
    if (!ok) {
      error = problem(400, "wrong_type", "'" + std::string(key) + "' must be " + kKindNames[static_cast<int>(spec->kind)]);
      return std::nullopt;
    }
  }
  return std::move(v.as_object());
}

std::optional<std::string> string_field(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

HttpResponse outcome(const Result<std::string>& r) {
  if (r) return json_response(200, json::serialize(json::object{{"message", r.value()}}));
  const auto& p = r.problem();
  const int status = p.code == "NOT_FOUND" ? 404 : (p.code == "NOT_YOUR_CUSTOMER" || p.code == "WRITEOFF_FORBIDDEN") ? 403 : 409;
  std::string code = p.code;
  for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return problem(status, code, p.what);
}

std::string etag_of(const std::string& representation) { return "W/\"" + sha256_hex(representation).substr(0, 20) + "\""; }

std::optional<HttpResponse> if_match_fails(const HttpRequest& r, const std::string& current) {
  const std::string header = r.header("if-match");
  if (header.empty() || header == "*") return std::nullopt;
  // Weak comparison: W/"x" and "x" name the same tag.
  auto bare = [](std::string t) {
    t.erase(0, t.find_first_not_of(' '));
    t.erase(t.find_last_not_of(' ') + 1);
    if (t.rfind("W/", 0) == 0) t.erase(0, 2);
    return t;
  };
  const std::string want = bare(current);
  std::size_t pos = 0;
  while (pos <= header.size()) {
    auto end = header.find(',', pos);
    if (end == std::string::npos) end = header.size();
    if (bare(header.substr(pos, end - pos)) == want) return std::nullopt;
    pos = end + 1;
  }
  auto p = problem(412, "precondition_failed", "the resource changed since you read it (If-Match " + header + ", now " + current + "); read it again");
  p.headers.emplace_back("ETag", current);
  return p;
}

HttpResponse tagged_json(const std::string& body) {
  auto r = json_response(200, body);
  r.headers.emplace_back("ETag", etag_of(body));
  return r;
}

}  // namespace arcd::api
