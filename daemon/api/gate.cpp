#include "api/gate.hpp"

#include <boost/json.hpp>

#include "arcd/digest.hpp"

namespace arcd::api {
namespace json = boost::json;

namespace {

bool changes_something(const std::string& method) { return method != "GET" && method != "HEAD"; }

std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    auto part = header.substr(pos, end - pos);
    part.erase(0, part.find_first_not_of(' '));
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

bool valid_key(const std::string& key) {
  if (key.empty() || key.size() > 200) return false;
  for (unsigned char c : key)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

}  // namespace

AccessGate::AccessGate(Store& store, std::shared_ptr<Authenticator> auth, std::shared_ptr<ResponseCache> cache,
                       std::shared_ptr<spdlog::logger> log)
    : store_(store), auth_(std::move(auth)), cache_(std::move(cache)), log_(std::move(log)), csrf_key_(random_hex(32)) {}

std::string AccessGate::csrf_for(const std::string& secret) const { return hmac_sha256_hex(csrf_key_, secret); }

std::pair<std::string, bool> AccessGate::credential_of(const HttpRequest& request) {
  const std::string authorization = request.header("authorization");
  if (authorization.rfind("Bearer ", 0) == 0) return {authorization.substr(7), false};
  const std::string cookie = cookie_value(request.header("cookie"), kSessionCookie);
  if (!cookie.empty()) return {cookie, true};
  return {{}, false};
}

HttpResponse AccessGate::operator()(const Route& route, HttpRequest& request) {
  const auto [secret, from_cookie] = credential_of(request);
  if (secret.empty()) {
    auto r = problem(401, "unauthenticated", "send an API token: Authorization: Bearer <token>");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"arcd\"");
    return r;
  }
  request.principal = auth_->principal(secret);
  if (!request.principal) {
    log_->warn("API_TOKEN_REFUSED remote={} route={}", request.remote, route.pattern);
    auto r = problem(401, "invalid_token", "the token is unknown, revoked or expired");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"arcd\", error=\"invalid_token\"");
    return r;
  }
  const auto& p = *request.principal;
  const bool change = changes_something(request.method);
  if (!p.at_least(route.access.role)) {
    if (change) audit(route, request, 403);
    return problem(403, "forbidden",
                   request.method + " " + route.pattern + " needs the role " + std::string(to_string(route.access.role)) +
                       "; " + p.user + " is " + std::string(to_string(p.role)));
  }
  if (change && from_cookie && !constant_time_equal(request.header("x-csrf-token"), csrf_for(secret)))
    return problem(403, "csrf_failed", "a change from the dashboard needs its X-CSRF-Token; reload the page");
  if (!change) {
    return cache_->get_or_compute(ResponseCache::key_of(request), [&] {
      const ReadIntent reading;  // never behind a writer's lock
      return route.handler(request);
    });
  }
  HttpResponse response;
  const std::string key = request.header("idempotency-key");
  if (request.method == "POST" && !key.empty()) {
    if (!valid_key(key)) return problem(400, "bad_idempotency_key", "Idempotency-Key is 1-200 visible ASCII characters");
    response = with_idempotency(route, request, key);
  } else {
    response = route.handler(request);
  }
  cache_->invalidate();  // even a refused change may have moved something (a lapsed claim, a touched token)
  audit(route, request, response.status);
  return response;
}

HttpResponse AccessGate::with_idempotency(const Route& route, HttpRequest& request, const std::string& key) {
  const std::string user = request.principal->user;
  const std::string fingerprint = sha256_hex(request.method + ' ' + request.target + '\n' + request.body);
  std::optional<IdempotentAnswer> stored;
  {
    auto tx = store_.begin();
    stored = tx->access().claim_idempotency_key(user, key, fingerprint);
    tx->commit();
  }
  if (stored) {
    if (stored->request_hash != fingerprint)
      return problem(422, "idempotency_key_reused", "Idempotency-Key '" + key + "' was used for a different request");
    if (stored->status == 0) {
      auto r = problem(409, "idempotency_in_progress", "a request with Idempotency-Key '" + key + "' is still being handled");
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    HttpResponse replay{stored->status, stored->content_type, stored->body, {}};
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  HttpResponse response;
  try {
    response = route.handler(request);
  } catch (...) {
    auto tx = store_.begin();
    tx->access().release_idempotency_key(user, key);
    tx->commit();
    throw;
  }
  auto tx = store_.begin();
  // Only a success is kept: a refused request changed nothing and may be sent again once fixed.
  if (response.status < 400) tx->access().finish_idempotency_key(user, key, response.status, response.content_type, response.body);
  else tx->access().release_idempotency_key(user, key);
  tx->commit();
  return response;
}

void AccessGate::audit(const Route& route, const HttpRequest& request, int status) {
  try {
    const auto& p = *request.principal;
    auto tx = store_.begin();
    tx->audit().append({{}, {}, "api:" + p.user, "api." + request.method, "route", route.pattern, "",
                        json::serialize(json::object{{"path", request.path},
                                                     {"status", status},
                                                     {"token_id", p.token_id},
                                                     {"role", std::string(to_string(p.role))},
                                                     {"remote", request.remote}})});
    tx->commit();
  } catch (const std::exception& e) {
    log_->error("API_AUDIT_FAILED route={} user={} error={}", route.pattern, request.principal->user, e.what());
  }
}

Gate make_gate(std::shared_ptr<AccessGate> gate) {
  return [gate](const Route& route, HttpRequest& request) { return (*gate)(route, request); };
}

}  // namespace arcd::api
