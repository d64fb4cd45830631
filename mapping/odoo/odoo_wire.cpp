#include "mapping/odoo/odoo_wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mapping/json_fields.hpp"

namespace arcd::mapping::odoo {
namespace json = boost::json;

std::string common_request(int id, const std::string& method, json::array args) {
  return json::serialize(json::object{{"jsonrpc", "2.0"},
                                      {"method", "call"},
                                      {"id", id},
                                      {"params", json::object{{"service", "common"}, {"method", method}, {"args", std::move(args)}}}});
}

std::string execute_kw_request(int id, const std::string& db, std::int64_t uid, const std::string& key, const Call& call) {
  json::array positional;
  if (call.ids) positional.push_back(*call.ids);
  if (call.first) positional.push_back(*call.first);
  json::array args{json::value(db), json::value(uid), json::value(key), json::value(call.model), json::value(call.method),
                   std::move(positional), call.kwargs};
  return json::serialize(json::object{{"jsonrpc", "2.0"},
                                      {"method", "call"},
                                      {"id", id},
                                      {"params", json::object{{"service", "object"}, {"method", "execute_kw"}, {"args", std::move(args)}}}});
}

std::string json2_path(const Call& call) { return "/json/2/" + call.model + "/" + call.method; }

std::string json2_request(const Call& call) {
  json::object body = call.kwargs;
  if (call.ids) body["ids"] = *call.ids;
  if (call.first) {
    if (call.method == "create") {
      // JSON-2 takes create's values as a list.
      body["vals_list"] = call.first->is_array() ? *call.first : json::value(json::array{*call.first});
    } else {
      body["domain"] = *call.first;
    }
  }
  return json::serialize(body);
}

namespace {

Fault fault_from(const json::object& err, int code) {
  Fault f;
  f.code = code;
  if (const auto* data = err.if_contains("data"); data && data->is_object()) {
    const auto& d = data->get_object();
    if (const auto* n = d.if_contains("name"); n && n->is_string()) f.name = std::string(n->get_string());
    if (const auto* m = d.if_contains("message"); m && m->is_string()) f.message = std::string(m->get_string());
  }
  if (f.name.empty()) {
    if (const auto* n = err.if_contains("name"); n && n->is_string()) f.name = std::string(n->get_string());
  }
  if (f.message.empty()) {
    if (const auto* m = err.if_contains("message"); m && m->is_string()) f.message = std::string(m->get_string());
  }
  return f;
}

}  // namespace

Reply parse_jsonrpc_reply(std::string_view body, const std::string& what) {
  json::value v = parse_json(body, what);
  if (!v.is_object()) throw ErpError(ErpFailure::transient, what + ": not a JSON-RPC reply: " + std::string(body.substr(0, 120)));
  auto& o = v.get_object();
  Reply r;
  if (const auto* err = o.if_contains("error")) {
    if (!err->is_object()) throw ErpError(ErpFailure::transient, what + ": error member is not an object");
    int code = 0;
    if (const auto* c = err->get_object().if_contains("code"); c && c->is_int64()) code = static_cast<int>(c->get_int64());
    r.fault = fault_from(err->get_object(), code);
    return r;
  }
  // No result and no error: the method returned None.
  if (auto* res = o.if_contains("result")) r.result = std::move(*res);
  return r;
}

Fault parse_json2_fault(std::string_view body, long status) {
  Fault f;
  f.code = static_cast<int>(status);
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    f.message = std::string(body.substr(0, 200));
  } else if (v.is_string()) {
    f.message = std::string(v.get_string());
  } else if (v.is_object()) {
    f = fault_from(v.get_object(), static_cast<int>(status));
  }
  return f;
}

bool is_session_expired(const Fault& f) {
  return f.code == 100 || f.name == "odoo.http.SessionExpiredException";
}

bool is_access_denied(const Fault& f) {
  return f.name == "odoo.exceptions.AccessDenied" || f.name == "werkzeug.exceptions.Unauthorized" || f.code == 401;
}

ErpError error_of(const Fault& f, const std::string& what) {
  const std::string text = what + ": " + (f.name.empty() ? "Odoo error" : f.name) + ": " + f.message;
  if (is_access_denied(f) || is_session_expired(f) || f.name == "odoo.exceptions.AccessError" || f.code == 403) {
    return ErpError(ErpFailure::auth, text);
  }
  if (f.name == "odoo.exceptions.MissingError" || f.code == 404) return ErpError(ErpFailure::not_found, text);
  if (f.code == 429) return ErpError(ErpFailure::rate_limited, text);
  if (f.name == "odoo.exceptions.UserError" || f.name == "odoo.exceptions.ValidationError" ||
      f.name == "odoo.exceptions.RedirectWarning" || f.code == 422 || (f.code >= 400 && f.code < 500 && f.code != 408)) {
    return ErpError(ErpFailure::rejected, text);
  }
  // Anything else is a server bug or a concurrency failure: retry with backoff.
  return ErpError(ErpFailure::transient, text);
}

}  // namespace arcd::mapping::odoo
