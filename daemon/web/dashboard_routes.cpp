#include "web/dashboard_routes.hpp"

#include <boost/json.hpp>

#include "api/request_util.hpp"
#include "arcd/embedded.hpp"

ARCD_EMBEDDED(dashboard_files)

namespace arcd::web {
namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::RunOn;

namespace {

std::string content_type_of(std::string_view name) {
  auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.substr(name.size() - s.size()) == s; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

// Scripts and styles only from arcd itself; no framing, no sniffing, no referrer.
void harden(HttpResponse& r) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
                         "base-uri 'none'; form-action 'self'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
}

HttpResponse asset(std::string_view name) {
  for (std::size_t i = 0; i < embedded::dashboard_files_count; ++i) {
    if (embedded::dashboard_files[i].name == name) {
      HttpResponse r{200, content_type_of(name), std::string(embedded::dashboard_files[i].content), {}};
      harden(r);
      return r;
    }
  }
  return api::problem(404, "not_found", "no file " + std::string(name));
}

std::string cookie(const HttpRequest& r, const std::string& value, int max_age) {
  return std::string(api::kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (r.secure ? "; Secure" : "");
}

json::object session_json(const Principal& p, const std::string& csrf) {
  return {{"user", p.user}, {"role", std::string(to_string(p.role))}, {"all_customers", p.all_customers}, {"csrf", csrf}};
}

}  // namespace

void add_dashboard_routes(api::Router& router, api::AccessGate& gate, std::shared_ptr<api::Authenticator> auth) {
  router.add("GET", "/", RunOn::io, [](HttpRequest&) {
    HttpResponse r{302, "text/plain", "", {}};
    r.headers.emplace_back("Location", "/ui/");
    return r;
  });
  router.add("GET", "/ui/", RunOn::io, [](HttpRequest&) { return asset("index.html"); });
  router.add("GET", "/ui/{file}", RunOn::io, [](HttpRequest& r) { return asset(r.params["file"]); });

  router.add("POST", "/web/session", RunOn::worker, [&gate, auth](HttpRequest& r) {
    HttpResponse error;
    auto body = api::body_of(r, error, {{"token", api::FieldKind::string}});
    if (!body) return error;
    const auto token = api::string_field(*body, "token");
    if (!token) return api::problem(400, "missing_field", "token is required");
    const auto p = auth->principal(*token);
    if (!p) return api::problem(401, "invalid_token", "the token is unknown, revoked or expired");
    auto resp = api::json_response(200, json::serialize(session_json(*p, gate.csrf_for(*token))));
    resp.headers.emplace_back("Set-Cookie", cookie(r, *token, 12 * 3600));
    return resp;
  });

  router.add("GET", "/web/session", RunOn::worker, [&gate](HttpRequest& r) {
    const auto [secret, from_cookie] = api::AccessGate::credential_of(r);
    return api::json_response(200, json::serialize(session_json(*r.principal, gate.csrf_for(secret))));
  });

  router.add("POST", "/web/logout", RunOn::io, [](HttpRequest& r) {
    auto resp = api::json_response(200, R"({"message":"signed out"})");
    resp.headers.emplace_back("Set-Cookie", cookie(r, "", 0));
    return resp;
  });
}

}  // namespace arcd::web
