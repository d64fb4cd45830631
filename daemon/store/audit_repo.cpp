#include "arcd/error.hpp"
#include "store/id_insert.hpp"
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
  AuditChainFields f;
  std::string prev_hash, hash;
  IdInsert st;
  PreparedInsert(soci::session& sql, Backend backend)
      : st(sql, backend,
           "INSERT INTO audit_log(at, actor, action, entity_type, entity_id, reason, details, prev_hash, hash) "
           "VALUES(:t, :a, :ac, :et, :ei, :r, :d, :p, :h)",
           soci::use(f.at), soci::use(f.actor), soci::use(f.action), soci::use(f.entity_type), soci::use(f.entity_id),
           soci::use(f.reason), soci::use(f.details), soci::use(prev_hash), soci::use(hash)) {}
};

SqlAuditLog::SqlAuditLog(RepoContext c) : c_(c) {}
SqlAuditLog::~SqlAuditLog() = default;

void SqlAuditLog::append(const AuditRecord& r) {
  if (r.actor.empty() || r.action.empty()) throw Error("DB_INVARIANT", "an audit record needs an actor and an action");
  pending_.push_back({r.at == Instant{} ? c_.now() : to_iso8601(r.at), r.actor, r.action, r.entity_type, r.entity_id, r.reason,
                      r.details.empty() ? "{}" : r.details});
}

void SqlAuditLog::flush() {
  if (pending_.empty()) return;
  try {
    // The head row is locked from here to COMMIT: records chain in the order they commit.
    long long last_id = 0;
    std::string last_hash;
    c_.sql << (c_.backend == Backend::postgresql ? "SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE"
                                                  : "SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1"),
        soci::into(last_id), soci::into(last_hash);
    if (!insert_) insert_ = std::make_unique<PreparedInsert>(c_.sql, c_.backend);
    auto& p = *insert_;
    for (auto& f : pending_) {
      p.f = std::move(f);
      p.prev_hash = last_hash;
      p.hash = audit_chain_hash(p.prev_hash, p.f);
      const auto id = p.st.run();
      if (!id) throw Error("DB_QUERY", "the audit record was not inserted");
      last_id = *id;
      last_hash = p.hash;
    }
    pending_.clear();
    c_.sql << "UPDATE audit_chain_head SET last_id = :i, last_hash = :h WHERE id = 1", soci::use(last_id), soci::use(last_hash);
  } catch (...) {
    pending_.clear();
    c_.fail("append audit records");
  }
}

std::vector<AuditRecord> SqlAuditLog::for_entity(const std::string& entity_type, const std::string& entity_id) {
  flush();
  try {
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kColumns + " FROM audit_log WHERE entity_type = :t AND entity_id = :i ORDER BY id",
                     to_record, soci::use(entity_type), soci::use(entity_id));
  } catch (...) {
    c_.fail("audit of " + entity_type + " " + entity_id);
  }
}

std::vector<AuditRecord> SqlAuditLog::list(const Page& page) {
  flush();
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql, std::string("SELECT ") + kColumns + " FROM audit_log WHERE id > :a ORDER BY id LIMIT :l",
                     to_record, soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list audit log");
  }
}

void SqlAuditLog::for_each_chained(const std::function<void(const AuditChainRow&)>& f) {
  flush();
  try {
    // Paged by id so a long log is never held in memory at once.
    long long after = 0;
    for (;;) {
      int seen = 0;
      soci::rowset<soci::row> rows =
          (c_.sql.prepare << "SELECT id, at, actor, action, entity_type, entity_id, reason, details, prev_hash, hash "
                             "FROM audit_log WHERE id > :a ORDER BY id LIMIT 5000",
           soci::use(after));
      for (const auto& r : rows) {
        AuditChainRow row;
        row.id = col_i64(r, 0);
        row.fields = {col_str(r, 1), col_str(r, 2), col_str(r, 3), col_str(r, 4), col_str(r, 5), col_str(r, 6), col_str(r, 7)};
        row.prev_hash = col_str(r, 8);
        row.hash = col_str(r, 9);
        after = row.id;
        ++seen;
        f(row);
      }
      if (seen < 5000) break;
    }
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read the audit log");
  }
}

std::pair<std::int64_t, std::string> SqlAuditLog::chain_head() {
  try {
    long long id = 0;
    std::string hash;
    c_.sql << "SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1", soci::into(id), soci::into(hash);
    return {id, hash};
  } catch (...) {
    c_.fail("read the audit chain head");
  }
}

}  // namespace arcd::store
