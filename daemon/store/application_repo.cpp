#include "arcd/error.hpp"
#include "store/id_insert.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"
#include "store/sqlite_native.hpp"

namespace arcd::store {

const char* const kApplicationColumns =
    "id, entry_id, invoice_id, customer_id, kind, amount, currency, reverses, rule, reason, actor, created_at, "
    "invoice_amount, invoice_currency";

Application application_from_row(const soci::row& r) {
  Application a;
  a.id = ApplicationId(col_i64(r, 0));
  a.entry_id = EntryId(col_i64(r, 1));
  if (auto v = col_opt_i64(r, 2)) a.invoice_id = InvoiceId(*v);
  if (auto v = col_opt_i64(r, 3)) a.customer_id = CustomerId(*v);
  a.kind = parse_application_kind(col_str(r, 4)).value_or(ApplicationKind::apply);
  a.amount = col_money(r, 5, 6);
  if (auto v = col_opt_i64(r, 7)) a.reverses = ApplicationId(*v);
  a.rule = col_str(r, 8);
  a.reason = col_str(r, 9);
  a.actor = col_str(r, 10);
  a.created_at = col_instant(r, 11);
  if (auto v = col_opt_i64(r, 12)) a.invoice_amount = Money(*v, Currency::of(col_str(r, 13)));
  return a;
}

namespace {
const char* const kColumns = kApplicationColumns;
Application to_application(const soci::row& r) { return application_from_row(r); }

std::vector<Application> fetch(soci::session& sql, const std::string& where, long long key) {
  return fetch_all(sql, std::string("SELECT ") + kColumns + " FROM applications WHERE " + where + " ORDER BY id", to_application,
                   soci::use(key));
}

}  // namespace

constexpr const char* kInsert =
    "INSERT INTO applications(entry_id, invoice_id, customer_id, kind, amount, currency, reverses, rule, "
    "reason, actor, created_at, invoice_amount, invoice_currency) "
    "VALUES(:e, :i, :c, :k, :a, :cy, :rv, :ru, :re, :ac, :t, :ia, :ic)";

// Cash application inserts thousands of applications per transaction: the statement is
// prepared once and its bound values refilled. On SQLite the values are bound straight from
// the application (SqliteStatement): SOCI copied each string into a buffer of its own.
struct SqlApplications::PreparedInsert {
  long long entry = 0, amount = 0, invoice = 0, customer = 0, reverses = 0, invoice_amount = 0, id = 0;
  soci::indicator invoice_ind = soci::i_null, customer_ind = soci::i_null, reverses_ind = soci::i_null,
                  invoice_amount_ind = soci::i_null;
  std::string kind, currency, rule, reason, actor, now, invoice_currency;
  IdInsert st;

  PreparedInsert(soci::session& sql, Backend backend)
      : st(sql, backend, kInsert, soci::use(entry), soci::use(invoice, invoice_ind), soci::use(customer, customer_ind), soci::use(kind), soci::use(amount),
           soci::use(currency), soci::use(reverses, reverses_ind), soci::use(rule), soci::use(reason), soci::use(actor),
           soci::use(now), soci::use(invoice_amount, invoice_amount_ind), soci::use(invoice_currency, invoice_amount_ind)) {}

  void assign(const Application& a, std::string created_at) {
    entry = a.entry_id.value();
    amount = a.amount.minor();
    invoice = a.invoice_id ? a.invoice_id->value() : 0;
    invoice_ind = a.invoice_id ? soci::i_ok : soci::i_null;
    customer = a.customer_id ? a.customer_id->value() : 0;
    customer_ind = a.customer_id ? soci::i_ok : soci::i_null;
    reverses = a.reverses ? a.reverses->value() : 0;
    reverses_ind = a.reverses ? soci::i_ok : soci::i_null;
    invoice_amount = a.invoice_amount ? a.invoice_amount->minor() : 0;
    invoice_currency = a.invoice_amount ? std::string(a.invoice_amount->currency().code()) : std::string();
    invoice_amount_ind = a.invoice_amount ? soci::i_ok : soci::i_null;
    kind = std::string(to_string(a.kind));
    currency = std::string(a.amount.currency().code());
    rule = a.rule;
    reason = a.reason;
    actor = a.actor;
    now = std::move(created_at);
  }
};

SqlApplications::SqlApplications(RepoContext c) : c_(c) {}

SqlApplications::~SqlApplications() = default;

long long SqlApplications::insert_into_sqlite(const Application& a) {
  if (!sqlite_insert_) sqlite_insert_ = std::make_unique<SqliteStatement>(c_.sql, kInsert);
  SqliteStatement& st = *sqlite_insert_;
  // Bound without a copy, so each must live until run(): Money::currency() returns a copy,
  // whose code() would point into a temporary.
  const std::string now = c_.now();
  const Currency currency = a.amount.currency();
  const std::optional<Currency> invoice_currency =
      a.invoice_amount ? std::optional<Currency>(a.invoice_amount->currency()) : std::nullopt;
  auto id_or_null = [&st](int index, auto id) {
    if (id) st.integer(index, id->value());
    else st.null(index);
  };
  st.integer(1, a.entry_id.value());
  id_or_null(2, a.invoice_id);
  id_or_null(3, a.customer_id);
  st.text(4, to_string(a.kind));
  st.integer(5, a.amount.minor());
  st.text(6, currency.code());
  id_or_null(7, a.reverses);
  st.text(8, a.rule);
  st.text(9, a.reason);
  st.text(10, a.actor);
  st.text(11, now);
  if (a.invoice_amount) {
    st.integer(12, a.invoice_amount->minor());
    st.text(13, invoice_currency->code());
  } else {
    st.null(12);
    st.null(13);
  }
  if (st.run() != 1) throw Error("DB_QUERY", "the application was not inserted");
  return st.last_insert_rowid();
}

ApplicationId SqlApplications::insert(const Application& a) {
  if (a.actor.empty()) throw Error("DB_INVARIANT", "an application needs an actor");
  try {
    if (c_.backend == Backend::sqlite) return ApplicationId(insert_into_sqlite(a));
    if (!insert_) insert_ = std::make_unique<PreparedInsert>(c_.sql, c_.backend);
    insert_->assign(a, c_.now());
    const auto id = insert_->st.run();
    if (!id) throw Error("DB_QUERY", "the application was not inserted");
    return ApplicationId(*id);
  } catch (...) {
    c_.fail("insert application for entry " + a.entry_id.to_string());
  }
}

std::vector<Application> SqlApplications::for_entry(EntryId id) {
  try {
    return fetch(c_.sql, "entry_id = :k", static_cast<long long>(id.value()));
  } catch (...) {
    c_.fail("applications of entry " + id.to_string());
  }
}

std::vector<Application> SqlApplications::for_invoice(InvoiceId id) {
  try {
    return fetch(c_.sql, "invoice_id = :k", static_cast<long long>(id.value()));
  } catch (...) {
    c_.fail("applications of invoice " + id.to_string());
  }
}

}  // namespace arcd::store
