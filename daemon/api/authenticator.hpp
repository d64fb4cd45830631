#pragma once
// Turns a presented token into a Principal. Answers are cached for a few seconds (a busy
// dashboard must not cost a database read per request); a revoked token therefore stops
// working within `cache_seconds`, and a token's last use is written at most once a minute.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "arcd/access.hpp"
#include "arcd/clock.hpp"
#include "arcd/store.hpp"

namespace arcd::api {

class Authenticator {
 public:
  Authenticator(Store& store, std::shared_ptr<const Clock> clock, std::chrono::seconds cache_for = std::chrono::seconds(5));
  // Blocks on the database on a cache miss: call on the worker pool.
  std::optional<Principal> principal(const std::string& secret);

 private:
  struct Cached {
    std::optional<Principal> principal;
    std::chrono::steady_clock::time_point fetched;
  };
  Store& store_;
  std::shared_ptr<const Clock> clock_;
  std::chrono::seconds cache_for_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
};

}  // namespace arcd::api
