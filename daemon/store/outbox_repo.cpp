#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

constexpr const char* kColumns =
    "id, destination, kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at";

OutboxEvent to_event(const soci::row& r) {
  OutboxEvent e;
  e.id = OutboxEventId(col_i64(r, 0));
  e.destination = col_str(r, 1);
  e.kind = col_str(r, 2);
  e.idempotency_key = col_str(r, 3);
  e.payload = col_str(r, 4);
  e.status = parse_outbox_status(col_str(r, 5)).value_or(OutboxStatus::pending);
  e.attempts = static_cast<int>(col_i64(r, 6));
  e.next_attempt_at = col_instant(r, 7);
  e.last_error = col_str(r, 8);
  e.created_at = col_instant(r, 9);
  return e;
}

}  // namespace

OutboxEventId SqlOutbox::enqueue(const OutboxEvent& e) {
  try {
    long long existing = 0;
    soci::indicator existing_ind = soci::i_null;
    c_.sql << "SELECT id FROM outbox WHERE idempotency_key = :k", soci::use(e.idempotency_key),
        soci::into(existing, existing_ind);
    if (c_.sql.got_data() && existing_ind == soci::i_ok) return OutboxEventId(existing);
    long long id = 0;
    const std::string now = c_.now();
    const std::string next = e.next_attempt_at == Instant{} ? now : to_iso8601(e.next_attempt_at);
    c_.sql << "INSERT INTO outbox(destination, kind, idempotency_key, payload, status, attempts, next_attempt_at, "
              "created_at) VALUES(:d, :k, :i, :p, 'pending', 0, :n, :c) RETURNING id",
        soci::use(e.destination), soci::use(e.kind), soci::use(e.idempotency_key), soci::use(e.payload), soci::use(next),
        soci::use(now), soci::into(id);
    return OutboxEventId(id);
  } catch (...) {
    c_.fail("enqueue outbox event " + e.idempotency_key);
  }
}

std::vector<OutboxEvent> SqlOutbox::claim_due(Instant now, int limit) {
  try {
    const std::string at = to_iso8601(now);
    // SQLite serializes writers (BEGIN IMMEDIATE), so the lock clause is PostgreSQL's only.
    const std::string lock = c_.backend == Backend::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kColumns +
                         " FROM outbox WHERE status = 'pending' AND next_attempt_at <= :n ORDER BY id LIMIT :l" + lock,
                     to_event, soci::use(at), soci::use(limit));
  } catch (...) {
    c_.fail("claim outbox events");
  }
}

void SqlOutbox::mark_delivered(OutboxEventId id) {
  try {
    const long long v = id.value();
    const std::string now = c_.now();
    c_.sql << "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = :t WHERE id = :id",
        soci::use(now), soci::use(v);
  } catch (...) {
    c_.fail("mark outbox event " + id.to_string() + " delivered");
  }
}

void SqlOutbox::mark_failed(OutboxEventId id, const std::string& error, Instant next_attempt_at, bool give_up) {
  try {
    const long long v = id.value();
    const std::string next = to_iso8601(next_attempt_at), status = give_up ? "failed" : "pending";
    c_.sql << "UPDATE outbox SET status = :s, attempts = attempts + 1, last_error = :e, next_attempt_at = :n WHERE id = :id",
        soci::use(status), soci::use(error), soci::use(next), soci::use(v);
  } catch (...) {
    c_.fail("mark outbox event " + id.to_string() + " failed");
  }
}

std::vector<OutboxEvent> SqlOutbox::list(std::optional<OutboxStatus> status, const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    std::string st = status ? std::string(to_string(*status)) : "";
    auto p = (c_.sql.prepare << std::string("SELECT ") + kColumns + " FROM outbox WHERE " +
                                    (status ? "status = :s AND " : "") + "id > :a ORDER BY id LIMIT :l");
    if (status) p, soci::use(st);
    p, soci::use(after), soci::use(limit);
    soci::rowset<soci::row> rows(p);
    std::vector<OutboxEvent> out;
    for (const auto& r : rows) out.push_back(to_event(r));
    return out;
  } catch (...) {
    c_.fail("list outbox");
  }
}

}  // namespace arcd::store
