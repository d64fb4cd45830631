#pragma once
// What route handlers share: who is acting, the JSON body, and turning a Result into a
// response (RFC 9457 problem details with the problem's code in lower case).

#include <initializer_list>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "api/http_types.hpp"
#include "arcd/error.hpp"
#include "arcd/model.hpp"

namespace arcd::api {

// "api:<the token's user>" (every non-public route has one).
Actor actor_of(const HttpRequest& r);
// What a body field must be.
enum class FieldKind { string, integer, boolean, array };
struct FieldSpec {
  const char* name;
  FieldKind kind;
};
// The body as a JSON object, or a 400 in `error`: not JSON (bad_json), a field not in
// `fields` (unknown_field) or of the wrong type (wrong_type), each naming the field. Money
// travels as decimal strings, never as JSON numbers.
std::optional<boost::json::object> body_of(const HttpRequest& r, HttpResponse& error, std::initializer_list<FieldSpec> fields);
std::optional<std::string> string_field(const boost::json::object& o, const char* key);
// 200 {"message": ...}, or the problem: NOT_FOUND 404, CLI-style validation codes 409/422.
HttpResponse outcome(const Result<std::string>& r);

}  // namespace arcd::api

namespace arcd::api {

// A weak ETag over a representation's bytes: two collectors who read the same state get the
// same tag, and any change makes a new one.
std::string etag_of(const std::string& representation);
// nullopt when the request may go on: no If-Match, "*", or one of its tags is `current`;
// else 412 precondition_failed (someone changed the resource since it was read).
std::optional<HttpResponse> if_match_fails(const HttpRequest& r, const std::string& current);
// A JSON body with its ETag header.
HttpResponse tagged_json(const std::string& body);

}  // namespace arcd::api
