#pragma once
// What route handlers share: who is acting, the JSON body, and turning a Result into a
// response (RFC 9457 problem details with the problem's code in lower case).

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "api/http_types.hpp"
#include "arcd/error.hpp"
#include "arcd/model.hpp"

namespace arcd::api {

// "api:<X-Arcd-User>" or "api:<remote address>" until API tokens name the user.
Actor actor_of(const HttpRequest& r);
// The body as a JSON object, or a 400 in `error`.
std::optional<boost::json::object> body_of(const HttpRequest& r, HttpResponse& error);
std::optional<std::string> string_field(const boost::json::object& o, const char* key);
// 200 {"message": ...}, or the problem: NOT_FOUND 404, CLI-style validation codes 409/422.
HttpResponse outcome(const Result<std::string>& r);

}  // namespace arcd::api
