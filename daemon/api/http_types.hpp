#pragma once
// HTTP requests and responses as plain data, so handlers never see Beast types.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arcd/access.hpp"

namespace arcd::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> params;   // {name} segments of the matched route
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;  // peer address (the client's, from X-Forwarded-For behind a trusted proxy)
  bool secure = false;  // came over TLS (or through a proxy that says so)
  std::optional<Principal> principal;  // set by the gate before a non-public handler runs
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// RFC 9457 problem details with a stable error code.
HttpResponse problem(int status, const std::string& code, const std::string& detail);
HttpResponse json_response(int status, std::string body);

}  // namespace arcd::api
