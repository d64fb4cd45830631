// The cash ledger: bulk reads for the matching index and the bookkeeping that keeps invoice
// totals, entry states and the exception queue in step with the applications.
#include <algorithm>
#include <iterator>

#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"
#include "store/sqlite_native.hpp"

namespace arcd {

namespace store {
namespace {

const char* const kExceptionColumns = "entry_id, amount, currency, reason, detail, candidates, customer_id, updated_at";

CashException exception_from_row(const soci::row& r) {
  CashException e;
  e.entry_id = EntryId(col_i64(r, 0));
  e.amount = col_money(r, 1, 2);
  e.reason = col_str(r, 3);
  e.detail = col_str(r, 4);
  e.candidates = col_str(r, 5);
  if (auto v = col_opt_i64(r, 6)) e.customer_id = CustomerId(*v);
  e.updated_at = col_instant(r, 7);
  return e;
}

Entry to_entry(const soci::row& r) { return entry_from_row(r); }

}  // namespace

// An invoice's totals after an application (or its reversal, negative), refused when it would
// take the invoice below zero. On SQLite run through SqliteStatement (SOCI copied every bound
// value), its parameters numbered in order of appearance: :ap 1, :ad 2, :t1 3, :t2 4, :t 5,
// :id 6, :t3 7, :t4 8.
constexpr const char* kAddToInvoice =
    "UPDATE invoices SET amount_applied = amount_applied + CAST(:ap AS BIGINT), "
    "amount_adjusted = amount_adjusted + CAST(:ad AS BIGINT), "
    "amount_open = amount_open - CAST(:t1 AS BIGINT), "
    "status = CASE WHEN status = 'cancelled' THEN 'cancelled' "
    "WHEN amount_open - CAST(:t2 AS BIGINT) <= 0 THEN 'paid' ELSE 'open' END, "
    "version = version + 1, updated_at = :t WHERE id = :id "
    "AND (CAST(:t3 AS BIGINT) <= 0 OR amount_open >= CAST(:t4 AS BIGINT))";

// Statements run for every decision of a run; preparing them each time cost more than running.
struct SqlCashLedger::Prepared {
  long long id = 0, applied = 0, adjusted = 0, total = 0;
  std::string now;
  soci::statement add_to_invoice, seen;
  // An exception queued (or re-queued) and an adjustment: a few in a hundred decisions, but a
  // statement prepared for each cost more than the rest of the decision's writes.
  struct {
    long long entry = 0, amount = 0, customer = 0;
    soci::indicator customer_ind = soci::i_null;
    std::string currency, reason, detail, candidates;
  } x;
  struct {
    long long invoice = 0, entry = 0, amount = 0;
    soci::indicator entry_ind = soci::i_null;
    std::string currency, reason, actor;
  } adj;
  soci::statement put_exception, remove_exception, add_adjustment;

  explicit Prepared(soci::session& sql)
      : add_to_invoice((sql.prepare << kAddToInvoice, soci::use(applied), soci::use(adjusted), soci::use(total), soci::use(total), soci::use(now), soci::use(id),
                        soci::use(total), soci::use(total))),
        seen((sql.prepare << "DELETE FROM cash_inbox WHERE entry_id = :id", soci::use(id))),
        put_exception((sql.prepare << "INSERT INTO cash_exceptions(entry_id, amount, currency, reason, detail, candidates, customer_id, "
                                      "updated_at) VALUES(:e, :a, :c, :r, :d, :ca, :cu, :t) ON CONFLICT (entry_id) DO UPDATE SET "
                                      "amount = excluded.amount, currency = excluded.currency, reason = excluded.reason, "
                                      "detail = excluded.detail, candidates = excluded.candidates, customer_id = excluded.customer_id, "
                                      "updated_at = excluded.updated_at",
                       soci::use(x.entry), soci::use(x.amount), soci::use(x.currency), soci::use(x.reason), soci::use(x.detail),
                       soci::use(x.candidates), soci::use(x.customer, x.customer_ind), soci::use(now))),
        remove_exception((sql.prepare << "DELETE FROM cash_exceptions WHERE entry_id = :e", soci::use(id))),
        add_adjustment((sql.prepare << "INSERT INTO adjustments(invoice_id, entry_id, amount, currency, reason, actor, created_at) "
                                       "VALUES(:i, :e, :a, :c, :r, :ac, :t)",
                        soci::use(adj.invoice), soci::use(adj.entry, adj.entry_ind), soci::use(adj.amount), soci::use(adj.currency),
                        soci::use(adj.reason), soci::use(adj.actor), soci::use(now))) {}
};

SqlCashLedger::SqlCashLedger(RepoContext c) : c_(c) {}
SqlCashLedger::~SqlCashLedger() = default;

SqlCashLedger::Prepared& SqlCashLedger::prepared() {
  if (!prepared_) prepared_ = std::make_unique<Prepared>(c_.sql);
  return *prepared_;
}

void SqlCashLedger::for_each_open_invoice(const std::function<void(const Invoice&)>& f) {
  try {
    const std::string query = std::string("SELECT ") + kInvoiceColumns + " FROM invoices WHERE status = 'open' ORDER BY id";
    if (c_.backend == Backend::sqlite) {  // every open invoice, at the start of every run
      SqliteQuery q(c_.sql, query.c_str());
      while (q.next()) f(invoice_from_row(q));
      return;
    }
    for_each_row(c_.sql, query, [&](const soci::row& r) { f(invoice_from_row(r)); });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read open invoices");
  }
}

void SqlCashLedger::for_each_customer(const std::function<void(const Customer&)>& f) {
  try {
    for_each_row(c_.sql, std::string("SELECT ") + kCustomerColumns + " FROM customers ORDER BY id",
                 [&](const soci::row& r) { f(customer_from_row(r)); });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read customers");
  }
}

void SqlCashLedger::for_each_customer_account(const std::function<void(const CustomerAccount&)>& f) {
  try {
    for_each_row(c_.sql, "SELECT customer_id, account, origin FROM customer_accounts ORDER BY customer_id",
                 [&](const soci::row& r) { f(CustomerAccount{CustomerId(col_i64(r, 0)), col_str(r, 1), col_str(r, 2)}); });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read customer accounts");
  }
}

void SqlCashLedger::for_each_issued_reference(
    const std::function<void(const std::string&, std::optional<InvoiceId>, std::optional<CustomerId>)>& f) {
  try {
    for_each_row(c_.sql, "SELECT reference, invoice_id, customer_id FROM issued_references", [&](const soci::row& r) {
      std::optional<InvoiceId> invoice;
      std::optional<CustomerId> customer;
      if (auto v = col_opt_i64(r, 1)) invoice = InvoiceId(*v);
      if (auto v = col_opt_i64(r, 2)) customer = CustomerId(*v);
      f(col_str(r, 0), invoice, customer);
    });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read issued references");
  }
}

void SqlCashLedger::add_issued_reference(const std::string& reference, std::optional<InvoiceId> invoice,
                                         std::optional<CustomerId> customer, const std::string& kind) {
  try {
    long long inv = invoice ? invoice->value() : 0, cus = customer ? customer->value() : 0;
    soci::indicator inv_ind = invoice ? soci::i_ok : soci::i_null, cus_ind = customer ? soci::i_ok : soci::i_null;
    const std::string now = c_.now();
    c_.sql << "INSERT INTO issued_references(reference, invoice_id, customer_id, kind, created_at) VALUES(:r, :i, :c, :k, :t) "
              "ON CONFLICT (reference) DO NOTHING",
        soci::use(reference), soci::use(inv, inv_ind), soci::use(cus, cus_ind), soci::use(kind), soci::use(now);
  } catch (...) {
    c_.fail("add issued reference " + reference);
  }
}

std::vector<std::pair<Entry, CashState>> SqlCashLedger::entries_to_match(EntryId after, int limit) {
  try {
    const long long a = after.value();
    // The next entries of the inbox and of the queue, merged by id: two index range scans.
    auto read = [&](const char* table, CashState state) {
      const std::string query = std::string("SELECT ") + kEntryColumns + " FROM entries WHERE id IN (SELECT entry_id FROM " + table +
                                " WHERE entry_id > :a ORDER BY entry_id LIMIT :l) AND status = 'booked' ORDER BY id";
      if (c_.backend == Backend::sqlite) {  // a run reads every entry it matches this way
        std::vector<std::pair<Entry, CashState>> rows;
        SqliteQuery q(c_.sql, query.c_str());
        q.integer(1, a);
        q.integer(2, limit);
        while (q.next()) rows.emplace_back(entry_from_row(q), state);
        return rows;
      }
      return fetch_all(c_.sql, query, [&](const soci::row& r) { return std::make_pair(entry_from_row(r), state); }, soci::use(a),
                       soci::use(limit));
    };
    auto fresh = read("cash_inbox", CashState::fresh);
    auto queued = read("cash_exceptions", CashState::queued);
    std::vector<std::pair<Entry, CashState>> out;
    out.reserve(fresh.size() + queued.size());
    std::merge(std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()), std::make_move_iterator(queued.begin()),
               std::make_move_iterator(queued.end()), std::back_inserter(out),
               [](const auto& x, const auto& y) { return x.first.id.value() < y.first.id.value(); });
    if (out.size() > static_cast<std::size_t>(limit)) out.erase(out.begin() + limit, out.end());
    return out;
  } catch (...) {
    c_.fail("read entries to match");
  }
}

CashState SqlCashLedger::state_of(EntryId id) {
  long long in_inbox = 0, in_queue = 0;
  try {
    const long long v = id.value();
    c_.sql << "SELECT COUNT(*) FROM cash_inbox WHERE entry_id = :id", soci::use(v), soci::into(in_inbox);
    c_.sql << "SELECT COUNT(*) FROM cash_exceptions WHERE entry_id = :id", soci::use(v), soci::into(in_queue);
  } catch (...) {
    c_.fail("read cash state of entry " + id.to_string());
  }
  return in_inbox ? CashState::fresh : in_queue ? CashState::queued : CashState::done;
}

void SqlCashLedger::seen(EntryId id) {
  try {
    auto& p = prepared();
    p.id = id.value();
    p.seen.execute(true);
  } catch (...) {
    c_.fail("take entry " + id.to_string() + " out of the cash inbox");
  }
}

void SqlCashLedger::seen_up_to(EntryId id) {
  try {
    const long long v = id.value();
    c_.sql << "DELETE FROM cash_inbox WHERE entry_id <= :id", soci::use(v);
  } catch (...) {
    c_.fail("take entries up to " + id.to_string() + " out of the cash inbox");
  }
}

std::vector<Entry> SqlCashLedger::credits_with_end_to_end_id(const std::string& end_to_end_id) {
  try {
    // The last terms are entries_by_end_to_end_id's own WHERE (schema 17): with them, the
    // partial index serves the query. An id they leave out was never worth looking up.
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kEntryColumns +
                         " FROM entries WHERE end_to_end_id = :e AND status = 'booked' AND direction = 'credit' "
                         "AND end_to_end_id <> '' AND end_to_end_id <> 'NOTPROVIDED' AND end_to_end_id <> 'NONREF' ORDER BY id",
                     to_entry, soci::use(end_to_end_id));
  } catch (...) {
    c_.fail("find credits with end-to-end id " + end_to_end_id);
  }
}

std::vector<Entry> SqlCashLedger::credits_from(const std::string& payer_account, const Money& amount) {
  try {
    const long long a = amount.minor();
    const std::string currency(amount.currency().code());
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kEntryColumns +
                         " FROM entries WHERE payer_account = :p AND amount = :a AND currency = :c AND direction = 'credit' "
                         "AND status = 'booked' AND reversal = 0 ORDER BY id DESC",
                     to_entry, soci::use(payer_account), soci::use(a), soci::use(currency));
  } catch (...) {
    c_.fail("find credits from " + payer_account);
  }
}

void SqlCashLedger::add_to_invoice(InvoiceId id, std::int64_t applied_delta, std::int64_t adjusted_delta) {
  try {
    int changed = 0;
    if (c_.backend == Backend::sqlite) {
      if (!sqlite_add_to_invoice_) sqlite_add_to_invoice_ = std::make_unique<SqliteStatement>(c_.sql, kAddToInvoice);
      SqliteStatement& st = *sqlite_add_to_invoice_;
      const std::string now = c_.now();
      const std::int64_t total = applied_delta + adjusted_delta;
      st.integer(1, applied_delta);
      st.integer(2, adjusted_delta);
      for (int total_at : {3, 4, 7, 8}) st.integer(total_at, total);
      st.text(5, now);
      st.integer(6, id.value());
      changed = st.run();
    } else {
      auto& p = prepared();
      p.id = id.value();
      p.applied = applied_delta;
      p.adjusted = adjusted_delta;
      p.total = applied_delta + adjusted_delta;
      p.now = c_.now();
      p.add_to_invoice.execute(true);
      changed = static_cast<int>(p.add_to_invoice.get_affected_rows());
    }
    if (changed != 1) {
      throw Error("CASH_OVERAPPLIED", "invoice " + id.to_string() + " does not exist or has less than " +
                                          std::to_string(applied_delta + adjusted_delta) + " minor units open");
    }
  } catch (const Error&) {
    c_.failed = true;
    throw;
  } catch (...) {
    c_.fail("update the applied amount of invoice " + id.to_string());
  }
}

void SqlCashLedger::add_adjustment(const Adjustment& a) {
  try {
    auto& p = prepared();
    p.adj.invoice = a.invoice_id.value();
    p.adj.amount = a.amount.minor();
    p.adj.entry = a.entry_id ? a.entry_id->value() : 0;
    p.adj.entry_ind = a.entry_id ? soci::i_ok : soci::i_null;
    p.adj.currency = a.amount.currency().code();
    p.adj.reason = a.reason;
    p.adj.actor = a.actor;
    p.now = c_.now();
    p.add_adjustment.execute(true);
  } catch (...) {
    c_.fail("add adjustment to invoice " + a.invoice_id.to_string());
  }
}

void SqlCashLedger::put_exception(const CashException& e) {
  try {
    auto& p = prepared();
    p.x.entry = e.entry_id.value();
    p.x.amount = e.amount.minor();
    p.x.customer = e.customer_id ? e.customer_id->value() : 0;
    p.x.customer_ind = e.customer_id ? soci::i_ok : soci::i_null;
    p.x.currency = e.amount.currency().code();
    p.x.reason = e.reason;
    p.x.detail = e.detail;
    p.x.candidates = e.candidates;
    p.now = c_.now();
    p.put_exception.execute(true);
  } catch (...) {
    c_.fail("queue entry " + e.entry_id.to_string());
  }
}

void SqlCashLedger::remove_exception(EntryId id) {
  try {
    auto& p = prepared();
    p.id = id.value();
    p.remove_exception.execute(true);
  } catch (...) {
    c_.fail("dequeue entry " + id.to_string());
  }
}

std::optional<CashException> SqlCashLedger::exception(EntryId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kExceptionColumns + " FROM cash_exceptions WHERE entry_id = :e",
                     exception_from_row, soci::use(v));
  } catch (...) {
    c_.fail("read exception of entry " + id.to_string());
  }
}

std::vector<CashException> SqlCashLedger::exceptions(const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kExceptionColumns +
                         " FROM cash_exceptions WHERE entry_id > :a ORDER BY entry_id LIMIT :l",
                     exception_from_row, soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list exceptions");
  }
}

std::optional<Application> SqlCashLedger::application(ApplicationId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kApplicationColumns + " FROM applications WHERE id = :id",
                     application_from_row, soci::use(v));
  } catch (...) {
    c_.fail("read application " + id.to_string());
  }
}

std::vector<Application> SqlCashLedger::applications(const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kApplicationColumns + " FROM applications WHERE id > :a ORDER BY id LIMIT :l",
                     application_from_row, soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list applications");
  }
}

std::vector<Money> SqlCashLedger::on_account(CustomerId customer) {
  try {
    const long long c = customer.value();
    // On-account records less the unapplies that reverse them (those carry no invoice).
    std::vector<Money> out;
    for_each_row(c_.sql,
                 "SELECT CAST(SUM(CASE WHEN kind = 'unapply' THEN -amount ELSE amount END) AS BIGINT), currency FROM applications "
                 "WHERE customer_id = :c AND invoice_id IS NULL AND kind IN ('on_account', 'unapply') GROUP BY currency ORDER BY currency",
                 [&](const soci::row& r) {
                   const auto m = col_money(r, 0, 1);
                   if (!m.is_zero()) out.push_back(m);
                 },
                 soci::use(c));
    return out;
  } catch (...) {
    c_.fail("on-account balance of customer " + customer.to_string());
  }
}

void SqlCashLedger::for_each_on_account(const std::function<void(CustomerId, const Money&)>& f) {
  try {
    for_each_row(c_.sql,
                 "SELECT customer_id, CAST(SUM(CASE WHEN kind = 'unapply' THEN -amount ELSE amount END) AS BIGINT), currency "
                 "FROM applications WHERE invoice_id IS NULL AND customer_id IS NOT NULL AND kind IN ('on_account', 'unapply') "
                 "GROUP BY customer_id, currency ORDER BY customer_id, currency",
                 [&](const soci::row& r) {
                   const auto m = col_money(r, 1, 2);
                   if (!m.is_zero()) f(CustomerId(col_i64(r, 0)), m);
                 });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("on-account balances");
  }
}

std::pair<std::int64_t, std::int64_t> SqlCashLedger::inbox_and_queue_sizes() {
  long long inbox = 0, queue = 0;
  try {
    c_.sql << "SELECT COUNT(*) FROM cash_inbox", soci::into(inbox);
    c_.sql << "SELECT COUNT(*) FROM cash_exceptions", soci::into(queue);
  } catch (...) {
    c_.fail("count the cash inbox and queue");
  }
  return {inbox, queue};
}

namespace {

// "id IN (1, 2, 3)" for a chunk of ids (numbers only, so written into the SQL directly), or
// "1 = 1" for all.
template <class Id>
std::vector<std::string> id_filters(const char* column, const std::vector<Id>* only) {
  std::vector<std::string> out;
  if (!only) {
    out.push_back("1 = 1");
    return out;
  }
  for (std::size_t i = 0; i < only->size(); i += 500) {
    std::string f = std::string(column) + " IN (";
    for (std::size_t k = i; k < std::min(only->size(), i + 500); ++k) f += (k > i ? ", " : "") + std::to_string((*only)[k].value());
    out.push_back(f + ")");
  }
  return out;
}

// Calls on_row (a soci::row or a SqliteQuery) for every row of `select` (ending in a WHERE
// clause) whose `column` is one of `only` (in `column` order within each chunk of ids), or for
// every row when `only` is null. SQLite's rows are read natively: through soci::row every number
// went to text and back, a sixth of a cash run's check of each batch it commits.
template <class Id, class OnRow>
void for_each_filtered(const RepoContext& c, const std::string& select, const char* column, const std::vector<Id>* only,
                       OnRow on_row) {
  for (const auto& filter : id_filters(column, only)) {
    const std::string query = select + " AND " + filter + " ORDER BY " + column;
    if (c.backend == Backend::sqlite) {
      SqliteQuery q(c.sql, query.c_str());
      while (q.next()) on_row(q);
    } else {
      for_each_row(c.sql, query, [&](const soci::row& r) { on_row(r); });
    }
  }
}

}  // namespace

std::vector<EntryCashBalance> SqlCashLedger::entry_balances(const std::vector<EntryId>* only) {
  try {
    std::vector<EntryCashBalance> out;
    // Placed: apply, on account and not-a-customer-payment rows less the unapplies that reverse
    // them, all in the entry's currency.
    for_each_filtered(c_,
                      "SELECT e.id, e.amount, e.currency, "
                      "CAST(COALESCE((SELECT SUM(CASE WHEN a.kind = 'unapply' THEN -a.amount ELSE a.amount END) "
                      "          FROM applications a WHERE a.entry_id = e.id), 0) AS BIGINT), "
                      "CAST(COALESCE((SELECT x.amount FROM cash_exceptions x WHERE x.entry_id = e.id), 0) AS BIGINT) "
                      "FROM entries e WHERE e.direction = 'credit' AND e.status = 'booked' "
                      "AND NOT EXISTS (SELECT 1 FROM cash_inbox i WHERE i.entry_id = e.id)",
                      "e.id", only, [&](const auto& r) {
                        out.push_back({EntryId(col_i64(r, 0)), col_money(r, 1, 2), col_i64(r, 3), col_i64(r, 4)});
                      });
    return out;
  } catch (...) {
    c_.fail("sum entry balances");
  }
}

std::vector<InvoiceCashBalance> SqlCashLedger::invoice_balances(const std::vector<InvoiceId>* only) {
  try {
    std::vector<InvoiceCashBalance> out;
    for_each_filtered(
        c_,
        "SELECT i.id, i.number, i.erp_open, i.amount_open, i.amount_applied, i.amount_adjusted, i.amount_pushed, "
        "CAST(COALESCE((SELECT SUM((CASE WHEN a.kind = 'unapply' THEN -1 ELSE 1 END) * COALESCE(a.invoice_amount, a.amount)) "
        "          FROM applications a WHERE a.invoice_id = i.id), 0) AS BIGINT), "
        "CAST(COALESCE((SELECT SUM(d.amount) FROM adjustments d WHERE d.invoice_id = i.id), 0) AS BIGINT) "
        "FROM invoices i WHERE 1 = 1",
        "i.id", only, [&](const auto& r) {
          InvoiceCashBalance b;
          b.invoice_id = InvoiceId(col_i64(r, 0));
          b.number = col_str(r, 1);
          b.erp_open = col_i64(r, 2);
          b.amount_open = col_i64(r, 3);
          b.applied = col_i64(r, 4);
          b.adjusted = col_i64(r, 5);
          b.pushed = col_i64(r, 6);
          b.applications_sum = col_i64(r, 7);
          b.adjustments_sum = col_i64(r, 8);
          out.push_back(std::move(b));
        });
    return out;
  } catch (...) {
    c_.fail("sum invoice balances");
  }
}

}  // namespace store
}  // namespace arcd
