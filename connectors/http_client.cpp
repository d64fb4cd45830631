#include "connectors/http_client.hpp"

#include <curl/curl.h>

#include "connectors/http_transfer.hpp"
#include "mapping/json_fields.hpp"

#include <algorithm>
#include <cctype>

namespace arcd::connectors {
namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string_view line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = std::string(value);
  }
  return size * n;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
};

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(HttpSettings settings) : settings_(std::move(settings)), curl_(curl_easy_init()) {
  if (!curl_) throw Error("HTTP_INIT", "libcurl could not create a handle");
  while (!settings_.base_url.empty() && settings_.base_url.back() == '/') settings_.base_url.pop_back();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::send(const std::string& method, const std::string& target, const std::string& body,
                              const std::vector<std::string>& headers, bool repeatable) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  const bool absolute = target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0;
  const std::string url = absolute ? target : settings_.base_url + target;
  HttpResponse response;
  HeaderList list;
  for (const auto& h : headers) list.list = curl_slist_append(list.list, h.c_str());
  // libcurl adds "Expect: 100-continue" to larger POSTs; ERPs behind proxies answer it badly.
  list.list = curl_slist_append(list.list, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "GET") curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.list);
  if (!repeatable && method != "GET") {
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);  // and closed after: no idle connections pile up
  }
  curl_easy_setopt(c, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L);
  if (!settings_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
  const CURLcode rc = perform_transfer(c);
  if (rc != CURLE_OK) {
    // Whether the ERP received and committed the request is unknown: callers look before
    // they create again.
    throw ErpError(ErpFailure::transient, method + " " + url + ": " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string url_encode(const std::string& s) { return mapping::percent_encode(s); }

std::optional<std::chrono::seconds> retry_after_of(const HttpResponse& r) {
  const std::string v = r.header("retry-after");
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::stol(v));
}

ErpFailure failure_for_status(long status) {
  if (status == 401 || status == 403) return ErpFailure::auth;
  if (status == 404) return ErpFailure::not_found;
  if (status == 429) return ErpFailure::rate_limited;
  if (status == 408 || status == 409 || status == 423 || status == 425) return ErpFailure::transient;
  if (status >= 400 && status < 500) return ErpFailure::rejected;
  return ErpFailure::transient;
}

std::string snippet(const std::string& body, std::size_t max) {
  std::string s = body.size() > max ? body.substr(0, max) + "..." : body;
  for (char& ch : s) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  return s;
}

}  // namespace arcd::connectors
