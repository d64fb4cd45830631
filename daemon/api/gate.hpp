#pragma once
// What stands between a request and a non-public handler, in this order:
//   1. authentication: "Authorization: Bearer <token>", or the dashboard's session cookie;
//   2. the route's role (from the OpenAPI document);
//   3. CSRF: a cookie-authenticated change must carry X-CSRF-Token (the dashboard gets it
//      from GET /web/session); a bearer token cannot be sent by another site, so needs none;
//   4. Idempotency-Key on POST: the first answer is stored per user and key and replayed
//      for a repeat with the same body; a different body with the key is refused;
//   5. the handler, then an audit record of every change request with the token's user;
//      a GET's success is kept in the response cache, and any change empties it.

#include <chrono>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "api/authenticator.hpp"
#include "api/http_server.hpp"
#include "api/response_cache.hpp"

namespace arcd::api {

constexpr const char* kSessionCookie = "arcd_session";

class AccessGate {
 public:
  AccessGate(Store& store, std::shared_ptr<Authenticator> auth, std::shared_ptr<ResponseCache> cache,
             std::shared_ptr<spdlog::logger> log);
  HttpResponse operator()(const Route& route, HttpRequest& request);
  // The CSRF value that goes with a session's token.
  std::string csrf_for(const std::string& secret) const;
  // The token a request presents and whether it came in the cookie; empty when none.
  static std::pair<std::string, bool> credential_of(const HttpRequest& request);

 private:
  HttpResponse with_idempotency(const Route& route, HttpRequest& request, const std::string& key);
  void audit(const Route& route, const HttpRequest& request, int status);

  Store& store_;
  std::shared_ptr<Authenticator> auth_;
  std::shared_ptr<ResponseCache> cache_;
  std::shared_ptr<spdlog::logger> log_;
  std::string csrf_key_;  // random per process: a restart asks the dashboard to fetch it again
};

// The gate as the server's hook.
Gate make_gate(std::shared_ptr<AccessGate> gate);

}  // namespace arcd::api
