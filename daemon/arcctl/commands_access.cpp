// arcctl tokens create | list | revoke, and audit verify: who may call the API, and whether
// the audit log is still what was written.
#include <boost/json.hpp>

#include "access/tokens.hpp"
#include "arcctl/commands.hpp"
#include "arcd/audit_chain.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

std::string stamp(const std::optional<Instant>& t) { return t ? to_iso8601(*t) : std::string(); }

}  // namespace

int cmd_tokens_create(Context& c) {
  access::TokenRequest r;
  r.user = required(c, "user", "who the token is for");
  const auto role_text = required(c, "role", "viewer, collector, manager or admin");
  const auto role = parse_role(role_text);
  if (!role) throw Error("CLI_USAGE", "--role is viewer, collector, manager or admin, not '" + role_text + "'");
  r.role = *role;
  r.all_customers = c.option("all-customers").has_value();
  if (auto e = c.option("expires")) {
    const auto d = Date::parse(*e);
    if (!d) throw Error("CLI_USAGE", "--expires is a date YYYY-MM-DD");
    r.expires_at = parse_iso8601(d->to_string() + "T00:00:00Z");
  }
  r.note = c.option("note").value_or("");
  auto tx = c.migrated_store().begin();
  const auto issued = access::issue_token(*tx, r, cli_actor());
  if (!issued) {
    c.err << issued.problem().code << ": " << issued.problem().what << "\n";
    return 1;
  }
  tx->commit();
  const auto& t = issued.value().token;
  if (c.format == Format::json) {
    c.out << json::serialize(json::object{{"id", t.id},
                                          {"user", t.user},
                                          {"role", std::string(to_string(t.role))},
                                          {"all_customers", t.all_customers},
                                          {"expires_at", stamp(t.expires_at)},
                                          {"token", issued.value().secret}})
          << "\n";
  } else {
    c.out << "token " << t.id << " for " << t.user << " (" << to_string(t.role) << "); shown once, keep it now:\n"
          << issued.value().secret << "\n";
  }
  return 0;
}

int cmd_tokens_list(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto tokens = tx->access().tokens(c.option("all").has_value());
  Table t({"id", "user", "role", "all_customers", "prefix", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at", "note"});
  for (const auto& k : tokens)
    t.add({k.id, json::value(k.user), json::value(std::string(to_string(k.role))), json::value(k.all_customers),
           json::value(k.prefix), json::value(to_iso8601(k.created_at)), json::value(k.created_by), json::value(stamp(k.expires_at)),
           json::value(stamp(k.last_used_at)), json::value(stamp(k.revoked_at)), json::value(k.note)});
  t.print(c.out, c.format);
  return 0;
}

int cmd_tokens_revoke(Context& c) {
  const auto id = id_word(c, "token id");
  auto tx = c.migrated_store().begin();
  return finish(c, *tx, access::revoke_token(*tx, id, cli_actor()));
}

int cmd_audit_verify(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto [head_id, head_hash] = tx->audit().chain_head();
  const auto v = verify_audit_chain([&](const auto& f) { tx->audit().for_each_chained(f); }, head_id, head_hash);
  if (c.format == Format::json) {
    c.out << json::serialize(json::object{{"ok", v.ok},
                                          {"records", v.records},
                                          {"chained", v.chained},
                                          {"before_chain", v.before_chain},
                                          {"head_hash", v.head_hash},
                                          {"first_bad_id", v.first_bad_id},
                                          {"problem", v.problem}})
          << "\n";
  } else if (v.ok) {
    c.out << "audit log intact: " << v.records << " records, " << v.chained << " chained";
    if (v.before_chain > 0) c.out << " (" << v.before_chain << " written before the chain began)";
    c.out << "; head " << (v.head_hash.empty() ? "(empty)" : v.head_hash) << "\n";
  } else {
    c.err << "AUDIT_TAMPERED: " << v.problem << "\n";
  }
  return v.ok ? 0 : 1;
}

}  // namespace arcd::arcctl
