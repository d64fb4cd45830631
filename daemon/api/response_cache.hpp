#pragma once
// Answers to GET requests kept for a moment, so a room of dashboards and scripts polling
// balances and worklists costs one database read per `ttl`, not one per request. Keyed by
// the token (what its user may see) and the exact target. Any change request
// through the API forgets everything at once, so a person always sees their own change;
// changes from elsewhere (imports, runs, arcctl) show within `ttl`.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/http_types.hpp"

namespace arcd::api {

class ResponseCache {
 public:
  explicit ResponseCache(std::chrono::milliseconds ttl, std::size_t max_entries = 20000);
  bool enabled() const { return ttl_.count() > 0; }
  // The cache key of a request: who asks (their view of the data) and what.
  static std::string key_of(const HttpRequest& r);
  // The cached answer, or the one computed by `compute` — only once at a time per key: when
  // many ask for the same expired answer together (after every change, say), one computes
  // and the others wait for its answer instead of all reading the database at once.
  HttpResponse get_or_compute(const std::string& key, const std::function<HttpResponse()>& compute);
  void invalidate();
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Entry {
    HttpResponse response;
    std::chrono::steady_clock::time_point stored;
    std::uint64_t generation;
  };
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0;
  struct Flight {
    bool done = false;
    std::optional<HttpResponse> response;  // unset: the computation failed; compute yourself
  };
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  std::condition_variable landed_;
};

}  // namespace arcd::api
