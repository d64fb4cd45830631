// Contacts, disputes, holds and write-offs: what people record about a customer's collection.
#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

Contact to_contact(const soci::row& r) {
  Contact c;
  c.id = col_i64(r, 0);
  c.customer_id = CustomerId(col_i64(r, 1));
  c.role = col_str(r, 2);
  c.name = col_str(r, 3);
  c.email = col_str(r, 4);
  c.invalid_reason = col_str(r, 5);
  return c;
}

const char* const kDisputeColumns =
    "d.id, d.invoice_id, d.reason, d.is_open, d.opened_by, d.opened_at, d.closed_at, d.amount, d.currency, d.owner, d.note, "
    "d.resolution, d.resolved_by";

Dispute to_dispute(const soci::row& r) {
  Dispute d;
  d.id = DisputeId(col_i64(r, 0));
  d.invoice_id = InvoiceId(col_i64(r, 1));
  d.reason = col_str(r, 2);
  d.open = col_i64(r, 3) != 0;
  d.opened_by = col_str(r, 4);
  d.opened_at = col_instant(r, 5);
  d.closed_at = col_stamp(r, 6);
  if (col_opt_i64(r, 7)) d.amount = col_money(r, 7, 8);
  d.owner = col_str(r, 9);
  d.note = col_str(r, 10);
  d.resolution = col_str(r, 11);
  d.resolved_by = col_str(r, 12);
  return d;
}

const char* const kHoldColumns =
    "id, customer_id, invoice_id, reason, starts_on, until_date, placed_by, placed_at, ended_at, ended_by, renews";

Hold to_hold(const soci::row& r) {
  Hold h;
  h.id = HoldId(col_i64(r, 0));
  h.customer_id = CustomerId(col_i64(r, 1));
  if (auto i = col_opt_i64(r, 2)) h.invoice_id = InvoiceId(*i);
  h.reason = col_str(r, 3);
  h.until = col_date(r, 5);
  h.starts_on = col_day(r, 4).value_or(h.until);
  h.placed_by = col_str(r, 6);
  h.placed_at = col_instant(r, 7);
  h.ended_at = col_stamp(r, 8);
  h.ended_by = col_str(r, 9);
  if (auto i = col_opt_i64(r, 10)) h.renews = HoldId(*i);
  return h;
}

const char* const kWriteoffColumns =
    "id, invoice_id, amount, currency, reason, state, proposed_by, proposed_at, decided_by, decided_at";

Writeoff to_writeoff(const soci::row& r) {
  Writeoff w;
  w.id = col_i64(r, 0);
  w.invoice_id = InvoiceId(col_i64(r, 1));
  w.amount = col_money(r, 2, 3);
  w.reason = col_str(r, 4);
  w.state = parse_writeoff_state(col_str(r, 5)).value_or(WriteoffState::proposed);
  w.proposed_by = col_str(r, 6);
  w.proposed_at = col_instant(r, 7);
  w.decided_by = col_str(r, 8);
  w.decided_at = col_stamp(r, 9);
  return w;
}

}  // namespace

// --- contacts

std::int64_t SqlContacts::add(const Contact& c) {
  try {
    const long long customer = c.customer_id.value();
    const std::string now = c_.now();
    c_.sql << "INSERT INTO contacts(customer_id, role, name, email, created_at) VALUES(:c, :r, :n, :e, :t) "
              "ON CONFLICT (customer_id, role, email) DO UPDATE SET name = excluded.name",
        soci::use(customer), soci::use(c.role), soci::use(c.name), soci::use(c.email), soci::use(now);
    long long id = 0;
    c_.sql << "SELECT id FROM contacts WHERE customer_id = :c AND role = :r AND email = :e", soci::use(customer),
        soci::use(c.role), soci::use(c.email), soci::into(id);
    return id;
  } catch (...) {
    c_.fail("add contact for customer " + c.customer_id.to_string());
  }
}

std::vector<Contact> SqlContacts::of(CustomerId customer) {
  try {
    const long long c = customer.value();
    return fetch_all(c_.sql,
                     "SELECT id, customer_id, role, name, email, invalid_reason FROM contacts WHERE customer_id = :c ORDER BY id",
                     to_contact, soci::use(c));
  } catch (...) {
    c_.fail("contacts of customer " + customer.to_string());
  }
}

void SqlContacts::mark_invalid(CustomerId customer, const std::string& email, const std::string& reason) {
  try {
    const long long c = customer.value();
    const std::string now = c_.now();
    c_.sql << "UPDATE contacts SET invalid_reason = :r, invalid_at = :t WHERE customer_id = :c AND lower(email) = lower(:e)",
        soci::use(reason), soci::use(now), soci::use(c), soci::use(email);
  } catch (...) {
    c_.fail("mark contact invalid for customer " + customer.to_string());
  }
}

void SqlContacts::clear_invalid(std::int64_t id) {
  try {
    const long long v = id;
    c_.sql << "UPDATE contacts SET invalid_reason = '', invalid_at = '' WHERE id = :id", soci::use(v);
  } catch (...) {
    c_.fail("clear contact " + std::to_string(id));
  }
}

// --- disputes

DisputeId SqlDisputes::insert(const Dispute& d) {
  try {
    long long id = 0;
    const long long invoice = d.invoice_id.value();
    long long amount = d.amount ? d.amount->minor() : 0;
    soci::indicator amount_ind = d.amount ? soci::i_ok : soci::i_null;
    const std::string currency = d.amount ? std::string(d.amount->currency().code()) : "";
    const std::string now = c_.now();
    c_.sql << "INSERT INTO disputes(invoice_id, reason, is_open, opened_by, opened_at, amount, currency, owner, note) "
              "VALUES(:i, :r, 1, :b, :t, :a, :c, :o, :n) RETURNING id",
        soci::use(invoice), soci::use(d.reason), soci::use(d.opened_by), soci::use(now), soci::use(amount, amount_ind),
        soci::use(currency), soci::use(d.owner), soci::use(d.note), soci::into(id);
    return DisputeId(id);
  } catch (...) {
    c_.fail("open dispute on invoice " + d.invoice_id.to_string());
  }
}

std::optional<Dispute> SqlDisputes::get(DisputeId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kDisputeColumns + " FROM disputes d WHERE d.id = :id", to_dispute,
                     soci::use(v));
  } catch (...) {
    c_.fail("get dispute " + id.to_string());
  }
}

bool SqlDisputes::resolve(DisputeId id, const std::string& resolution, const std::string& note, const Actor& by) {
  try {
    const long long v = id.value();
    const std::string now = c_.now();
    return changed_one(c_.sql,
                       "UPDATE disputes SET is_open = 0, closed_at = :t, resolution = :r, resolved_by = :b, "
                       "note = CASE WHEN :n = '' THEN note ELSE note || CASE WHEN note = '' THEN '' ELSE ' | ' END || :n2 END "
                       "WHERE id = :id AND is_open = 1",
                       soci::use(now), soci::use(resolution), soci::use(by), soci::use(note), soci::use(note), soci::use(v));
  } catch (...) {
    c_.fail("resolve dispute " + id.to_string());
  }
}

std::vector<Dispute> SqlDisputes::list(const DisputeFilter& filter, const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    const int any_open = filter.open ? 0 : 1;
    const int open = filter.open.value_or(true) ? 1 : 0;
    const long long customer = filter.customer ? filter.customer->value() : 0;
    const int any_customer = filter.customer ? 0 : 1;
    const long long invoice = filter.invoice ? filter.invoice->value() : 0;
    const int any_invoice = filter.invoice ? 0 : 1;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kDisputeColumns +
                         " FROM disputes d JOIN invoices i ON i.id = d.invoice_id WHERE d.id > :a "
                         "AND (:ao = 1 OR d.is_open = :o) AND (:ac = 1 OR i.customer_id = :c) AND (:ai = 1 OR d.invoice_id = :i) "
                         "ORDER BY d.id LIMIT :l",
                     to_dispute, soci::use(after), soci::use(any_open), soci::use(open), soci::use(any_customer),
                     soci::use(customer), soci::use(any_invoice), soci::use(invoice), soci::use(limit));
  } catch (...) {
    c_.fail("list disputes");
  }
}

std::vector<InvoiceId> SqlDisputes::open_invoice_ids() {
  try {
    return fetch_all(c_.sql, "SELECT DISTINCT invoice_id FROM disputes WHERE is_open = 1",
                     [](const soci::row& r) { return InvoiceId(col_i64(r, 0)); });
  } catch (...) {
    c_.fail("list disputed invoices");
  }
}

// --- holds

HoldId SqlHolds::insert(const Hold& h) {
  try {
    long long id = 0;
    const long long customer = h.customer_id.value();
    long long invoice = h.invoice_id ? h.invoice_id->value() : 0;
    soci::indicator invoice_ind = h.invoice_id ? soci::i_ok : soci::i_null;
    long long renews = h.renews ? h.renews->value() : 0;
    soci::indicator renews_ind = h.renews ? soci::i_ok : soci::i_null;
    const std::string starts = h.starts_on.to_string(), until = h.until.to_string();
    const std::string now = c_.now();
    c_.sql << "INSERT INTO holds(customer_id, invoice_id, reason, starts_on, until_date, placed_by, placed_at, renews) "
              "VALUES(:c, :i, :r, :s, :u, :b, :t, :n) RETURNING id",
        soci::use(customer), soci::use(invoice, invoice_ind), soci::use(h.reason), soci::use(starts), soci::use(until),
        soci::use(h.placed_by), soci::use(now), soci::use(renews, renews_ind), soci::into(id);
    return HoldId(id);
  } catch (...) {
    c_.fail("add hold for customer " + h.customer_id.to_string());
  }
}

std::optional<Hold> SqlHolds::get(HoldId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kHoldColumns + " FROM holds WHERE id = :id", to_hold, soci::use(v));
  } catch (...) {
    c_.fail("get hold " + id.to_string());
  }
}

bool SqlHolds::end(HoldId id, const Actor& by) {
  try {
    const long long v = id.value();
    const std::string now = c_.now();
    return changed_one(c_.sql, "UPDATE holds SET ended_at = :t, ended_by = :b WHERE id = :id AND ended_at = ''", soci::use(now),
                       soci::use(by), soci::use(v));
  } catch (...) {
    c_.fail("end hold " + id.to_string());
  }
}

std::vector<Hold> SqlHolds::unended(const std::optional<CustomerId>& customer) {
  try {
    const long long c = customer ? customer->value() : 0;
    const int any = customer ? 0 : 1;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kHoldColumns +
                         " FROM holds WHERE ended_at = '' AND (:any = 1 OR customer_id = :c) ORDER BY id",
                     to_hold, soci::use(any), soci::use(c));
  } catch (...) {
    c_.fail("list holds");
  }
}

std::vector<Hold> SqlHolds::list(const std::optional<CustomerId>& customer, const Page& page) {
  try {
    const long long c = customer ? customer->value() : 0;
    const int any = customer ? 0 : 1;
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kHoldColumns +
                         " FROM holds WHERE id > :a AND (:any = 1 OR customer_id = :c) ORDER BY id LIMIT :l",
                     to_hold, soci::use(after), soci::use(any), soci::use(c), soci::use(limit));
  } catch (...) {
    c_.fail("list holds");
  }
}

// --- write-offs

std::int64_t SqlWriteoffs::insert(const Writeoff& w) {
  try {
    long long id = 0;
    const long long invoice = w.invoice_id.value();
    const long long amount = w.amount.minor();
    const std::string currency(w.amount.currency().code());
    const std::string now = c_.now();
    c_.sql << "INSERT INTO writeoffs(invoice_id, amount, currency, reason, state, proposed_by, proposed_at) "
              "VALUES(:i, :a, :c, :r, 'proposed', :b, :t) RETURNING id",
        soci::use(invoice), soci::use(amount), soci::use(currency), soci::use(w.reason), soci::use(w.proposed_by), soci::use(now),
        soci::into(id);
    return id;
  } catch (...) {
    c_.fail("propose write-off of invoice " + w.invoice_id.to_string());
  }
}

std::optional<Writeoff> SqlWriteoffs::get(std::int64_t id) {
  try {
    const long long v = id;
    return fetch_one(c_.sql, std::string("SELECT ") + kWriteoffColumns + " FROM writeoffs WHERE id = :id", to_writeoff,
                     soci::use(v));
  } catch (...) {
    c_.fail("get write-off " + std::to_string(id));
  }
}

bool SqlWriteoffs::decide(std::int64_t id, WriteoffState state, const Actor& by) {
  try {
    const long long v = id;
    const std::string s(to_string(state));
    const std::string now = c_.now();
    return changed_one(c_.sql,
                       "UPDATE writeoffs SET state = :s, decided_by = :b, decided_at = :t WHERE id = :id AND state = 'proposed'",
                       soci::use(s), soci::use(by), soci::use(now), soci::use(v));
  } catch (...) {
    c_.fail("decide write-off " + std::to_string(id));
  }
}

std::vector<Writeoff> SqlWriteoffs::list(const std::optional<WriteoffState>& state, const std::optional<InvoiceId>& invoice,
                                         const Page& page) {
  try {
    const std::string s = state ? std::string(to_string(*state)) : "";
    const int any_state = state ? 0 : 1;
    const long long i = invoice ? invoice->value() : 0;
    const int any_invoice = invoice ? 0 : 1;
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kWriteoffColumns +
                         " FROM writeoffs WHERE id > :a AND (:xs = 1 OR state = :s) AND (:ai = 1 OR invoice_id = :i) "
                         "ORDER BY id LIMIT :l",
                     to_writeoff, soci::use(after), soci::use(any_state), soci::use(s), soci::use(any_invoice), soci::use(i),
                     soci::use(limit));
  } catch (...) {
    c_.fail("list write-offs");
  }
}

}  // namespace arcd::store
