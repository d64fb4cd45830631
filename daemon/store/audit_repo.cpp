#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

constexpr const char* kColumns = "id, at, actor, action, entity_type, entity_id, reason, details";

AuditRecord to_record(const soci::row& r) {
  AuditRecord a;
  a.id = AuditRecordId(col_i64(r, 0));
  a.at = col_instant(r, 1);
  a.actor = col_str(r, 2);
  a.action = col_str(r, 3);
  a.entity_type = col_str(r, 4);
  a.entity_id = col_str(r, 5);
  a.reason = col_str(r, 6);
  a.details = col_str(r, 7);
  return a;
}

}  // namespace

// Imports append one record per invoice: the INSERT is prepared once per transaction.
struct SqlAuditLog::PreparedInsert {
  long long id = 0;
  std::string at, actor, action, entity_type, entity_id, reason, details;
  soci::statement st;
  explicit PreparedInsert(soci::session& sql)
      : st((sql.prepare << "INSERT INTO audit_log(at, actor, action, entity_type, entity_id, reason, details) "
                           "VALUES(:t, :a, :ac, :et, :ei, :r, :d) RETURNING id",
            soci::use(at), soci::use(actor), soci::use(action), soci::use(entity_type), soci::use(entity_id), soci::use(reason),
            soci::use(details), soci::into(id))) {}
};

SqlAuditLog::SqlAuditLog(RepoContext c) : c_(c) {}
SqlAuditLog::~SqlAuditLog() = default;

AuditRecordId SqlAuditLog::append(const AuditRecord& r) {
  if (r.actor.empty() || r.action.empty()) throw Error("DB_INVARIANT", "an audit record needs an actor and an action");
  try {
    if (!insert_) insert_ = std::make_unique<PreparedInsert>(c_.sql);
    auto& p = *insert_;
    p.at = r.at == Instant{} ? c_.now() : to_iso8601(r.at);
    p.actor = r.actor;
    p.action = r.action;
    p.entity_type = r.entity_type;
    p.entity_id = r.entity_id;
    p.reason = r.reason;
    p.details = r.details.empty() ? "{}" : r.details;
    p.st.execute(true);
    const AuditRecordId id(p.id);
    while (p.st.fetch()) {
    }
    return id;
  } catch (...) {
    c_.fail("append audit record " + r.action);
  }
}

std::vector<AuditRecord> SqlAuditLog::for_entity(const std::string& entity_type, const std::string& entity_id) {
  try {
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kColumns + " FROM audit_log WHERE entity_type = :t AND entity_id = :i ORDER BY id",
                     to_record, soci::use(entity_type), soci::use(entity_id));
  } catch (...) {
    c_.fail("audit of " + entity_type + " " + entity_id);
  }
}

std::vector<AuditRecord> SqlAuditLog::list(const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql, std::string("SELECT ") + kColumns + " FROM audit_log WHERE id > :a ORDER BY id LIMIT :l",
                     to_record, soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list audit log");
  }
}

}  // namespace arcd::store
