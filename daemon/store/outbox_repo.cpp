#include "arcd/error.hpp"
#include "store/id_insert.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"
#include "store/sqlite_native.hpp"

namespace arcd::store {
namespace {

constexpr const char* kColumns =
    "id, destination, kind, idempotency_key, ordering_key, payload, status, attempts, next_attempt_at, last_error, created_at, "
    "delivered_at, claimed_by, claim_until, remote_id, lapsed_claims";

std::optional<Instant> opt_instant(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return parse_iso8601(s);
}

OutboxEvent to_event(const soci::row& r) {
  OutboxEvent e;
  e.id = OutboxEventId(col_i64(r, 0));
  e.destination = col_str(r, 1);
  e.kind = col_str(r, 2);
  e.idempotency_key = col_str(r, 3);
  e.ordering_key = col_str(r, 4);
  e.payload = col_str(r, 5);
  e.status = parse_outbox_status(col_str(r, 6)).value_or(OutboxStatus::pending);
  e.attempts = static_cast<int>(col_i64(r, 7));
  e.next_attempt_at = col_instant(r, 8);
  e.last_error = col_str(r, 9);
  e.created_at = col_instant(r, 10);
  e.delivered_at = col_opt_instant(r, 11);
  e.claimed_by = col_str(r, 12);
  e.claim_until = opt_instant(col_str(r, 13));
  e.remote_id = col_str(r, 14);
  e.lapsed_claims = static_cast<int>(col_i64(r, 15));
  return e;
}

}  // namespace

constexpr const char* kEnqueue =
    "INSERT INTO outbox(destination, kind, idempotency_key, ordering_key, payload, status, attempts, next_attempt_at, "
    "created_at) VALUES(:d, :k, :i, :o, :p, 'pending', 0, :n, :c)";

// On SQLite the insert itself is a SqliteStatement (values bound straight from the event:
// SOCI copied each string, the payload too, into a buffer of its own); the lookup of a key
// already queued stays here.
struct SqlOutbox::PreparedEnqueue {
  std::string destination, kind, key, ordering, payload, next, now;
  long long id = 0;
  soci::indicator id_ind = soci::i_null;
  std::optional<IdInsert> insert;  // PostgreSQL
  soci::statement find;
  PreparedEnqueue(soci::session& sql, Backend backend)
      : find((sql.prepare << "SELECT id FROM outbox WHERE idempotency_key = :k", soci::use(key), soci::into(id, id_ind))) {
    if (backend == Backend::postgresql) {
      insert.emplace(sql, backend, kEnqueue, soci::use(destination), soci::use(kind), soci::use(key), soci::use(ordering),
                     soci::use(payload), soci::use(next), soci::use(now));
    }
  }
};

SqlOutbox::SqlOutbox(RepoContext c) : c_(c) {}
SqlOutbox::~SqlOutbox() = default;

OutboxEventId SqlOutbox::enqueue(const OutboxEvent& e) {
  try {
    if (!enqueue_) enqueue_ = std::make_unique<PreparedEnqueue>(c_.sql, c_.backend);
    PreparedEnqueue& p = *enqueue_;
    p.key = e.idempotency_key;
    p.now = c_.now();
    p.next = e.next_attempt_at == Instant{} ? p.now : to_iso8601(e.next_attempt_at);
    if (c_.backend == Backend::postgresql) {
      p.destination = e.destination;
      p.kind = e.kind;
      p.ordering = e.ordering_key;
      p.payload = e.payload;
    }
    // The key already queued: its id, nothing added. On PostgreSQL looked up first, since ON
    // CONFLICT would use up a sequence value for every duplicate; on SQLite the insert tries
    // first and skips a duplicate, one statement instead of two for the usual new key (cash
    // application queues an event for almost every payment).
    auto existing = [&]() -> std::optional<OutboxEventId> {
      p.id_ind = soci::i_null;
      const bool got = p.find.execute(true);
      while (p.find.fetch()) {
      }
      if (got && p.id_ind == soci::i_ok) return OutboxEventId(p.id);
      return std::nullopt;
    };
    if (c_.backend == Backend::postgresql) {
      if (auto id = existing()) return *id;
      if (const auto id = p.insert->run()) return OutboxEventId(*id);
    } else {
      if (!sqlite_enqueue_) {
        sqlite_enqueue_ = std::make_unique<SqliteStatement>(c_.sql, (std::string(kEnqueue) + " ON CONFLICT(idempotency_key) DO NOTHING").c_str());
      }
      SqliteStatement& st = *sqlite_enqueue_;
      st.text(1, e.destination);
      st.text(2, e.kind);
      st.text(3, e.idempotency_key);
      st.text(4, e.ordering_key);
      st.text(5, e.payload);
      st.text(6, p.next);
      st.text(7, p.now);
      if (st.run() == 1) return OutboxEventId(st.last_insert_rowid());
    }
    if (auto id = existing()) return *id;
    throw Error("DB_QUERY", "outbox event " + e.idempotency_key + " was not inserted");
  } catch (...) {
    c_.fail("enqueue outbox event " + e.idempotency_key);
  }
}

std::vector<OutboxEvent> SqlOutbox::claim(const std::string& destination, Instant now, Instant lease_until,
                                          const std::string& owner, int limit) {
  try {
    const std::string at = to_iso8601(now), until = to_iso8601(lease_until);
    // SQLite serializes writers (BEGIN IMMEDIATE), so the lock clause is PostgreSQL's only.
    const std::string lock = c_.backend == Backend::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    // An event waits while an earlier one with its ordering key is still pending (claimed or
    // backing off): per invoice, the ERP hears about things in the order they happened.
    return fetch_all(
        c_.sql,
        std::string("UPDATE outbox SET lapsed_claims = lapsed_claims + CASE WHEN claimed_by <> '' THEN 1 ELSE 0 END, "
                    "claimed_by = :o, claim_until = :u WHERE id IN ("
                    "SELECT e.id FROM outbox e WHERE e.destination = :d AND e.status = 'pending' AND e.next_attempt_at <= :n1 "
                    "AND (e.claim_until = '' OR e.claim_until < :n2) "
                    "AND (e.ordering_key = '' OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.ordering_key = e.ordering_key "
                    "AND p.status = 'pending' AND p.id < e.id)) ORDER BY e.id LIMIT :l") +
            lock + ") RETURNING " + kColumns,
        to_event, soci::use(owner), soci::use(until), soci::use(destination), soci::use(at), soci::use(at), soci::use(limit));
  } catch (...) {
    c_.fail("claim outbox events for " + destination);
  }
}

bool SqlOutbox::mark_delivered(OutboxEventId id, const std::string& owner, const std::string& remote_id) {
  try {
    const long long v = id.value();
    const std::string now = c_.now();
    return changed_one(c_.sql,
                       "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = :t, remote_id = :r, "
                       "last_error = '', claimed_by = '', claim_until = '' WHERE id = :id AND claimed_by = :o AND status = 'pending'",
                       soci::use(now), soci::use(remote_id), soci::use(v), soci::use(owner));
  } catch (...) {
    c_.fail("mark outbox event " + id.to_string() + " delivered");
  }
}

bool SqlOutbox::mark_retry(OutboxEventId id, const std::string& owner, const std::string& error, Instant next_attempt_at) {
  try {
    const long long v = id.value();
    const std::string next = to_iso8601(next_attempt_at);
    return changed_one(c_.sql,
                       "UPDATE outbox SET attempts = attempts + 1, last_error = :e, next_attempt_at = :n, claimed_by = '', "
                       "claim_until = '' WHERE id = :id AND claimed_by = :o AND status = 'pending'",
                       soci::use(error), soci::use(next), soci::use(v), soci::use(owner));
  } catch (...) {
    c_.fail("reschedule outbox event " + id.to_string());
  }
}

bool SqlOutbox::mark_dead(OutboxEventId id, const std::string& owner, const std::string& error) {
  try {
    const long long v = id.value();
    return changed_one(c_.sql,
                       "UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = :e, claimed_by = '', "
                       "claim_until = '' WHERE id = :id AND claimed_by = :o AND status = 'pending'",
                       soci::use(error), soci::use(v), soci::use(owner));
  } catch (...) {
    c_.fail("mark outbox event " + id.to_string() + " dead");
  }
}

bool SqlOutbox::retry(OutboxEventId id, Instant now) {
  try {
    const long long v = id.value();
    const std::string at = to_iso8601(now);
    return changed_one(c_.sql,
                       "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = :n, claimed_by = '', "
                       "claim_until = '' WHERE id = :id AND status = 'dead'",
                       soci::use(at), soci::use(v));
  } catch (...) {
    c_.fail("retry outbox event " + id.to_string());
  }
}

bool SqlOutbox::drop(OutboxEventId id) {
  try {
    const long long v = id.value();
    // A claimed event is being delivered now: dropping it would not stop that.
    const std::string now = c_.now();
    return changed_one(c_.sql,
                       "UPDATE outbox SET status = 'dropped', claimed_by = '', claim_until = '' WHERE id = :id AND "
                       "(status = 'dead' OR (status = 'pending' AND (claim_until = '' OR claim_until < :n)))",
                       soci::use(v), soci::use(now));
  } catch (...) {
    c_.fail("drop outbox event " + id.to_string());
  }
}

std::optional<OutboxEvent> SqlOutbox::get(OutboxEventId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM outbox WHERE id = :id", to_event, soci::use(v));
  } catch (...) {
    c_.fail("get outbox event " + id.to_string());
  }
}

std::optional<OutboxEvent> SqlOutbox::find(const std::string& idempotency_key) {
  try {
    return fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM outbox WHERE idempotency_key = :k", to_event,
                     soci::use(idempotency_key));
  } catch (...) {
    c_.fail("find outbox event " + idempotency_key);
  }
}

std::vector<OutboxEvent> SqlOutbox::list(const OutboxFilter& filter, const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    const std::string st = filter.status ? std::string(to_string(*filter.status)) : "";
    const std::string dest = filter.destination.value_or("");
    auto p = (c_.sql.prepare << std::string("SELECT ") + kColumns + " FROM outbox WHERE " +
                                    (filter.status ? "status = :s AND " : "") + (filter.destination ? "destination = :d AND " : "") +
                                    "id > :a ORDER BY id LIMIT :l");
    if (filter.status) p, soci::use(st);
    if (filter.destination) p, soci::use(dest);
    p, soci::use(after), soci::use(limit);
    soci::rowset<soci::row> rows(p);
    std::vector<OutboxEvent> out;
    for (const auto& r : rows) out.push_back(to_event(r));
    return out;
  } catch (...) {
    c_.fail("list outbox");
  }
}

std::vector<OutboxStats> SqlOutbox::stats() {
  try {
    return fetch_all(c_.sql,
                     "SELECT destination, status, CAST(COUNT(*) AS BIGINT), MIN(created_at) FROM outbox "
                     "WHERE status <> 'delivered' GROUP BY destination, status ORDER BY destination, status",
                     [](const soci::row& r) {
                       OutboxStats s;
                       s.destination = col_str(r, 0);
                       s.status = parse_outbox_status(col_str(r, 1)).value_or(OutboxStatus::pending);
                       s.count = col_i64(r, 2);
                       s.oldest_created = col_opt_instant(r, 3);
                       return s;
                     });
  } catch (...) {
    c_.fail("count outbox events");
  }
}

std::vector<std::string> SqlOutbox::pending_ordering_keys(const std::string& destination, const std::vector<std::string>& kinds) {
  try {
    std::vector<std::string> out;
    for (const auto& kind : kinds) {
      auto keys = fetch_all(c_.sql,
                            "SELECT DISTINCT ordering_key FROM outbox WHERE destination = :d AND kind = :k AND status = 'pending' "
                            "AND ordering_key <> '' AND (claimed_by <> '' OR attempts > 0)",
                            [](const soci::row& r) { return col_str(r, 0); }, soci::use(destination), soci::use(kind));
      out.insert(out.end(), keys.begin(), keys.end());
    }
    return out;
  } catch (...) {
    c_.fail("list pending outbox keys of " + destination);
  }
}

std::optional<SyncCursor> SqlSyncCursors::get(const std::string& source, const std::string& stream) {
  try {
    return fetch_one(c_.sql, "SELECT cursor, full_sweep_at FROM sync_cursors WHERE source = :s AND stream = :t",
                     [](const soci::row& r) {
                       SyncCursor c;
                       c.cursor = col_str(r, 0);
                       c.full_sweep_at = opt_instant(col_str(r, 1));
                       return c;
                     },
                     soci::use(source), soci::use(stream));
  } catch (...) {
    c_.fail("read sync cursor of " + source);
  }
}

void SqlSyncCursors::put(const std::string& source, const std::string& stream, const SyncCursor& c) {
  try {
    const std::string now = c_.now(), sweep = c.full_sweep_at ? to_iso8601(*c.full_sweep_at) : "";
    c_.sql << "INSERT INTO sync_cursors(source, stream, cursor, full_sweep_at, updated_at) VALUES(:s, :t, :c, :f, :u) "
              "ON CONFLICT (source, stream) DO UPDATE SET cursor = excluded.cursor, full_sweep_at = excluded.full_sweep_at, "
              "updated_at = excluded.updated_at",
        soci::use(source), soci::use(stream), soci::use(c.cursor), soci::use(sweep), soci::use(now);
  } catch (...) {
    c_.fail("write sync cursor of " + source);
  }
}

std::vector<std::tuple<std::string, std::string, std::string>> SqlSyncCursors::all() {
  try {
    // File-based connectors keep no cursor: their last import is when an invoice last changed.
    return fetch_all(c_.sql,
                     "SELECT source, stream, updated_at FROM sync_cursors UNION ALL "
                     "SELECT source, 'invoices', MAX(updated_at) FROM invoices WHERE source NOT IN (SELECT source FROM sync_cursors) "
                     "GROUP BY source ORDER BY 1, 2",
                     [](const soci::row& r) { return std::tuple{col_str(r, 0), col_str(r, 1), col_str(r, 2)}; });
  } catch (...) {
    c_.fail("list sync cursors");
  }
}

}  // namespace arcd::store
