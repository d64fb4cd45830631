// API tokens and Idempotency-Key answers.
#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

constexpr const char* kTokenColumns =
    "id, user_name, role, all_customers, token_hash, prefix, note, created_at, created_by, expires_at, revoked_at, "
    "revoked_by, last_used_at";

ApiToken to_token(const soci::row& r) {
  ApiToken t;
  t.id = col_i64(r, 0);
  t.user = col_str(r, 1);
  t.role = parse_role(col_str(r, 2)).value_or(Role::viewer);
  t.all_customers = col_i64(r, 3) != 0;
  t.token_hash = col_str(r, 4);
  t.prefix = col_str(r, 5);
  t.note = col_str(r, 6);
  t.created_at = col_instant(r, 7);
  t.created_by = col_str(r, 8);
  t.expires_at = col_stamp(r, 9);
  t.revoked_at = col_stamp(r, 10);
  t.revoked_by = col_str(r, 11);
  t.last_used_at = col_stamp(r, 12);
  return t;
}

}  // namespace

std::int64_t SqlAccess::add_token(const ApiToken& t) {
  try {
    long long id = 0;
    const std::string role(to_string(t.role));
    const int all = t.all_customers ? 1 : 0;
    const std::string now = c_.now();
    soci::indicator expires_ind = t.expires_at ? soci::i_ok : soci::i_null;
    const std::string expires = t.expires_at ? to_iso8601(*t.expires_at) : std::string();
    c_.sql << "INSERT INTO api_tokens(user_name, role, all_customers, token_hash, prefix, note, created_at, created_by, expires_at) "
              "VALUES(:u, :r, :a, :h, :p, :n, :c, :b, :e) RETURNING id",
        soci::use(t.user), soci::use(role), soci::use(all), soci::use(t.token_hash), soci::use(t.prefix), soci::use(t.note),
        soci::use(now), soci::use(t.created_by), soci::use(expires, expires_ind), soci::into(id);
    return id;
  } catch (...) {
    c_.fail("add API token for " + t.user);
  }
}

std::optional<ApiToken> SqlAccess::token_by_hash(const std::string& token_hash) {
  try {
    return fetch_one(c_.sql, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE token_hash = :h", to_token,
                     soci::use(token_hash));
  } catch (...) {
    c_.fail("look up API token");
  }
}

std::optional<ApiToken> SqlAccess::token(std::int64_t id) {
  try {
    const long long i = id;
    return fetch_one(c_.sql, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = :i", to_token, soci::use(i));
  } catch (...) {
    c_.fail("read API token " + std::to_string(id));
  }
}

std::vector<ApiToken> SqlAccess::tokens(bool include_revoked) {
  try {
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kTokenColumns + " FROM api_tokens" +
                         (include_revoked ? "" : " WHERE revoked_at IS NULL") + " ORDER BY id",
                     to_token);
  } catch (...) {
    c_.fail("list API tokens");
  }
}

bool SqlAccess::revoke_token(std::int64_t id, const Actor& by) {
  try {
    const long long i = id;
    const std::string now = c_.now();
    return changed_one(c_.sql, "UPDATE api_tokens SET revoked_at = :n, revoked_by = :b WHERE id = :i AND revoked_at IS NULL",
                       soci::use(now), soci::use(by), soci::use(i));
  } catch (...) {
    c_.fail("revoke API token " + std::to_string(id));
  }
}

void SqlAccess::touch_token(std::int64_t id) {
  try {
    const long long i = id;
    const std::string now = c_.now();
    c_.sql << "UPDATE api_tokens SET last_used_at = :n WHERE id = :i", soci::use(now), soci::use(i);
  } catch (...) {
    c_.fail("note API token use");
  }
}

std::optional<IdempotentAnswer> SqlAccess::claim_idempotency_key(const std::string& user, const std::string& key,
                                                                 const std::string& request_hash) {
  try {
    const std::string now = c_.now();
    // ON CONFLICT: a second request with the key waits for the first's claim to commit, then
    // reads it, on both backends.
    soci::statement st = (c_.sql.prepare << "INSERT INTO idempotency_keys(user_name, idem_key, request_hash, created_at) "
                                            "VALUES(:u, :k, :h, :c) ON CONFLICT (user_name, idem_key) DO NOTHING",
                          soci::use(user), soci::use(key), soci::use(request_hash), soci::use(now));
    st.execute(true);
    if (st.get_affected_rows() == 1) return std::nullopt;
    return fetch_one(
        c_.sql, "SELECT request_hash, status, content_type, response FROM idempotency_keys WHERE user_name = :u AND idem_key = :k",
        [](const soci::row& r) {
          return IdempotentAnswer{col_str(r, 0), static_cast<int>(col_i64(r, 1)), col_str(r, 2), col_str(r, 3)};
        },
        soci::use(user), soci::use(key));
  } catch (...) {
    c_.fail("claim idempotency key");
  }
}

void SqlAccess::finish_idempotency_key(const std::string& user, const std::string& key, int status, const std::string& content_type,
                                       const std::string& body) {
  try {
    c_.sql << "UPDATE idempotency_keys SET status = :s, content_type = :t, response = :b WHERE user_name = :u AND idem_key = :k",
        soci::use(status), soci::use(content_type), soci::use(body), soci::use(user), soci::use(key);
  } catch (...) {
    c_.fail("store idempotent answer");
  }
}

void SqlAccess::release_idempotency_key(const std::string& user, const std::string& key) {
  try {
    c_.sql << "DELETE FROM idempotency_keys WHERE user_name = :u AND idem_key = :k", soci::use(user), soci::use(key);
  } catch (...) {
    c_.fail("release idempotency key");
  }
}

std::int64_t SqlAccess::purge_idempotency_keys(Instant before) {
  try {
    const std::string b = to_iso8601(before);
    soci::statement st = (c_.sql.prepare << "DELETE FROM idempotency_keys WHERE created_at < :b", soci::use(b));
    st.execute(true);
    return st.get_affected_rows();
  } catch (...) {
    c_.fail("purge idempotency keys");
  }
}

}  // namespace arcd::store
