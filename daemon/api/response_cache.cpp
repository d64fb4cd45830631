#include "api/response_cache.hpp"

namespace arcd::api {

ResponseCache::ResponseCache(std::chrono::milliseconds ttl, std::size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

std::string ResponseCache::key_of(const HttpRequest& r) {
  // Per token: answers depend on the user's segment, and a session's CSRF value on its token.
  return std::to_string(r.principal->token_id) + '\n' + r.method + ' ' + r.target;
}

HttpResponse ResponseCache::get_or_compute(const std::string& key, const std::function<HttpResponse()>& compute) {
  if (!enabled()) return compute();
  std::shared_ptr<Flight> flight;
  std::uint64_t generation = 0;
  {
    std::unique_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.generation == generation_ && std::chrono::steady_clock::now() - it->second.stored <= ttl_) {
      ++hits_;
      return it->second.response;
    }
    if (auto f = flights_.find(key); f != flights_.end()) {
      auto other = f->second;
      landed_.wait_for(lock, std::chrono::seconds(10), [&] { return other->done; });
      if (other->done && other->response) {
        ++hits_;
        return *other->response;
      }
    } else {
      flight = std::make_shared<Flight>();
      flights_[key] = flight;
      generation = generation_;
    }
    ++misses_;
  }
  if (!flight) return compute();  // the leader failed or took too long: answer on our own
  std::optional<HttpResponse> response;
  try {
    response = compute();
  } catch (...) {
    std::lock_guard lock(mutex_);
    flight->done = true;
    flights_.erase(key);
    landed_.notify_all();
    throw;
  }
  std::lock_guard lock(mutex_);
  flight->done = true;
  if (response->status == 200) {
    flight->response = response;
    // Stored only if nothing changed while it was computed; waiters get it either way (they
    // asked before the change finished).
    if (generation == generation_) {
      if (entries_.size() >= max_entries_) entries_.clear();
      entries_[key] = {*response, std::chrono::steady_clock::now(), generation};
    }
  }
  flights_.erase(key);
  landed_.notify_all();
  return *response;
}

void ResponseCache::invalidate() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

std::uint64_t ResponseCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::uint64_t ResponseCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace arcd::api
