#pragma once
// Who may use the API: tokens, the four roles, and the person behind a request.
//
// Roles are ordered: each may do what the one before it may, and more.
//   viewer     reads everything
//   collector  + acts on the customers of their segment (those whose collector they are),
//              or on every customer when the token says all_customers
//   manager    + acts on every customer; approves write-offs (never their own); runs
//              collections and cash application; reverses applications
//   admin      + the outbox and API tokens

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arcd/date.hpp"

namespace arcd {

enum class Role { viewer = 0, collector = 1, manager = 2, admin = 3 };

std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

struct ApiToken {
  std::int64_t id = 0;
  std::string user;
  Role role = Role::viewer;
  bool all_customers = false;
  std::string token_hash;  // SHA-256 of the secret, lower-case hex
  std::string prefix;      // the secret's first characters, to recognise it in a list
  std::string note;
  Instant created_at{};
  std::string created_by;
  std::optional<Instant> expires_at;
  std::optional<Instant> revoked_at;
  std::string revoked_by;
  std::optional<Instant> last_used_at;
};

// The authenticated user of a request.
struct Principal {
  std::int64_t token_id = 0;
  std::string user;
  Role role = Role::viewer;
  bool all_customers = false;
  bool at_least(Role r) const { return static_cast<int>(role) >= static_cast<int>(r); }
  // Sees and acts on every customer (else only those whose collector is `user`).
  bool every_customer() const { return role != Role::collector || all_customers; }
};

// What a stored request answer looks like when an Idempotency-Key comes again.
struct IdempotentAnswer {
  std::string request_hash;
  int status = 0;  // 0: the first request is still being handled
  std::string content_type;
  std::string body;
};

}  // namespace arcd
