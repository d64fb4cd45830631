#pragma once
// Odoo's external API on the wire, both transports: JSON-RPC 2.0 at /jsonrpc (Odoo 16-19,
// execute_kw with positional args) and JSON-2 at /json/2/<model>/<method> (Odoo 19, named
// args, bare results). Pure: request bodies out, results or Odoo's faults in.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "arcd/erp_connector.hpp"

namespace arcd::mapping::odoo {

// One ORM call, independent of the transport. `ids` makes it a call on records
// (action_create_payments, message_post, read); `first` is the leading argument of model
// methods (search_read's domain, create's values).
struct Call {
  std::string model;
  std::string method;
  std::optional<boost::json::array> ids;
  std::optional<boost::json::value> first;
  boost::json::object kwargs;
};

// The JSON-RPC body of common.<method>(args...).
std::string common_request(int id, const std::string& method, boost::json::array args);
// The JSON-RPC body of object.execute_kw(db, uid, key, model, method, args, kwargs).
std::string execute_kw_request(int id, const std::string& db, std::int64_t uid, const std::string& key, const Call& call);
// The JSON-2 path and body of the call.
std::string json2_path(const Call& call);
std::string json2_request(const Call& call);

// An error Odoo reported: JSON-RPC's error member (HTTP 200) or a JSON-2 error body.
struct Fault {
  int code = 0;           // JSON-RPC level: 200 (any server error), 100 session expired, 404
  std::string name;       // "odoo.exceptions.AccessDenied", "werkzeug.exceptions.Unauthorized"
  std::string message;
};

// A JSON-RPC reply: the result (null when the method returned None: Odoo then leaves
// `result` out), or the fault. Throws ErpError(transient) on a body that is neither.
struct Reply {
  boost::json::value result;
  std::optional<Fault> fault;
};
Reply parse_jsonrpc_reply(std::string_view body, const std::string& what);
// A JSON-2 error body: the {name, message, ...} object, or a bare JSON string (early 19).
Fault parse_json2_fault(std::string_view body, long status);

// What a fault means to the caller.
bool is_session_expired(const Fault& f);
bool is_access_denied(const Fault& f);
ErpError error_of(const Fault& f, const std::string& what);

}  // namespace arcd::mapping::odoo
