#pragma once
// A blocking HTTP(S) client over one libcurl easy handle, kept between calls so the connection
// is reused; inside an HttpLanes run only the calling lane waits (see http_lanes.hpp). TLS
// peer and host verification are on unless switched off; a CA file serves private CAs. Transport failures throw ErpError(transient) naming the method and URL; HTTP
// statuses are the caller's to judge.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "arcd/erp_connector.hpp"

namespace arcd::connectors {

struct HttpSettings {
  std::string base_url;           // "https://erp.example.com" (no trailing slash needed)
  bool verify_tls = true;
  std::string ca_file;            // PEM bundle for a private CA; empty: the system's
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{30};  // a whole request
  std::string user_agent = "arcd";
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case; the last value wins
  std::string header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpSettings settings);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `target` is a path with its query ("/api/resource/Sales%20Invoice?limit=20") or an absolute
  // URL (a next link). Headers are "Name: value".
  // libcurl silently sends a request again when a reused connection turns out dead; for a
  // request that creates something that could create it twice. So a request that is not
  // `repeatable` (every POST that writes) goes over a fresh connection, where libcurl never
  // repeats it. GET is always repeatable.
  HttpResponse send(const std::string& method, const std::string& target, const std::string& body,
                    const std::vector<std::string>& headers, bool repeatable = false);
  const HttpSettings& settings() const { return settings_; }

 private:
  HttpSettings settings_;
  void* curl_;  // CURL*
};

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string url_encode(const std::string& s);

// Seconds from a Retry-After header (delta-seconds only; an HTTP date gives nullopt).
std::optional<std::chrono::seconds> retry_after_of(const HttpResponse& r);

// The ERP failure an HTTP status means when the body says nothing more precise:
// 401/403 auth, 404 not_found, 429 rate_limited, other 4xx rejected, 5xx and the rest transient.
ErpFailure failure_for_status(long status);

// A body shortened for error messages and logs (secrets never travel in bodies we log).
std::string snippet(const std::string& body, std::size_t max = 300);

}  // namespace arcd::connectors
