#include "api/authenticator.hpp"

#include "access/tokens.hpp"

namespace arcd::api {

Authenticator::Authenticator(Store& store, std::shared_ptr<const Clock> clock, std::chrono::seconds cache_for)
    : store_(store), clock_(std::move(clock)), cache_for_(cache_for) {}

std::optional<Principal> Authenticator::principal(const std::string& secret) {
  // Only well-formed secrets reach the database or the cache.
  if (secret.size() != 69 || secret.rfind("arcd_", 0) != 0) return std::nullopt;
  const std::string hash = access::token_hash(secret);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && now - it->second.fetched < cache_for_) return it->second.principal;
  }
  std::optional<Principal> p;
  {
    auto tx = store_.begin();
    const auto token = tx->access().token_by_hash(hash);
    if (token) {
      p = access::principal_of(*token, clock_->now());
      if (p && (!token->last_used_at || clock_->now() - *token->last_used_at > std::chrono::minutes(1))) {
        tx->access().touch_token(token->id);
        tx->commit();
      }
    }
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: a flood of made-up tokens cannot grow it
  cache_[hash] = {p, now};
  return p;
}

}  // namespace arcd::api
