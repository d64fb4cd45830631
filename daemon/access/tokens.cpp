#include "access/tokens.hpp"

#include <boost/json.hpp>

#include "arcd/digest.hpp"

namespace arcd::access {
namespace json = boost::json;

namespace {

bool valid_user(const std::string& u) {
  if (u.empty() || u.size() > 64) return false;
  for (char ch : u) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
                    ch == '-' || ch == '@';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string token_hash(const std::string& secret) { return sha256_hex(secret); }

Result<IssuedToken> issue_token(Transaction& tx, const TokenRequest& request, const Actor& actor) {
  if (!valid_user(request.user))
    return Problem{"TOKEN_INVALID", "user", "the user name '" + request.user + "' must be 1-64 letters, digits, '.', '_', '-' or '@'"};
  if (request.all_customers && request.role != Role::collector)
    return Problem{"TOKEN_INVALID", "all_customers", "all_customers is for collectors; other roles see every customer already"};
  IssuedToken out;
  out.secret = "arcd_" + random_hex(32);
  auto& t = out.token;
  t.user = request.user;
  t.role = request.role;
  t.all_customers = request.all_customers;
  t.expires_at = request.expires_at;
  t.note = request.note;
  t.token_hash = token_hash(out.secret);
  t.prefix = out.secret.substr(0, 12);
  t.created_by = actor;
  t.id = tx.access().add_token(t);
  tx.audit().append({{}, {}, actor, "token.created", "api_token", std::to_string(t.id), request.note,
                     json::serialize(json::object{{"user", t.user},
                                                  {"role", std::string(to_string(t.role))},
                                                  {"all_customers", t.all_customers},
                                                  {"prefix", t.prefix}})});
  return out;
}

Result<std::string> revoke_token(Transaction& tx, std::int64_t id, const Actor& actor) {
  const auto t = tx.access().token(id);
  if (!t) return Problem{"NOT_FOUND", "token", "API token " + std::to_string(id) + " does not exist"};
  if (!tx.access().revoke_token(id, actor)) return Problem{"TOKEN_INVALID", "token", "API token " + std::to_string(id) + " was revoked before"};
  tx.audit().append({{}, {}, actor, "token.revoked", "api_token", std::to_string(id), "",
                     json::serialize(json::object{{"user", t->user}, {"prefix", t->prefix}})});
  return "token " + std::to_string(id) + " (" + t->user + ") revoked";
}

std::optional<Principal> principal_of(const ApiToken& t, Instant now) {
  if (t.revoked_at) return std::nullopt;
  if (t.expires_at && *t.expires_at <= now) return std::nullopt;
  return Principal{t.id, t.user, t.role, t.all_customers};
}

}  // namespace arcd::access
