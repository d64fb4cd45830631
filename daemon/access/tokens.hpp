#pragma once
// API tokens: issued with a random secret that is shown once and stored only as its SHA-256,
// checked on every request, revoked for good.

#include <optional>
#include <string>

#include "arcd/access.hpp"
#include "arcd/error.hpp"
#include "arcd/store.hpp"

namespace arcd::access {

struct TokenRequest {
  std::string user;
  Role role = Role::viewer;
  bool all_customers = false;  // collectors only: every customer, not just their segment
  std::optional<Instant> expires_at;
  std::string note;
};

struct IssuedToken {
  ApiToken token;
  std::string secret;  // "arcd_" + 64 hex characters; nowhere else after this
};

// Validates (a user name of letters, digits, '.', '_', '-', '@'; all_customers only for
// collectors), stores the hash and records who made it in the audit log.
Result<IssuedToken> issue_token(Transaction& tx, const TokenRequest& request, const Actor& actor);
Result<std::string> revoke_token(Transaction& tx, std::int64_t id, const Actor& actor);

// The token's principal when the secret names a token that is neither revoked nor expired.
std::optional<Principal> principal_of(const ApiToken& t, Instant now);
// Hash of a presented secret, as stored.
std::string token_hash(const std::string& secret);

}  // namespace arcd::access
