#include "arcd/error.hpp"
#include "store/id_insert.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"
#include "store/sqlite_native.hpp"

namespace arcd::store {

const char* const kInvoiceColumns =
    "id, source, number, customer_id, issue_date, due_date, currency, amount_total, amount_open, "
    "payment_reference, status, version, amount_applied, amount_adjusted, external_id, amount_pushed, erp_pushed_at, collection_policy";

namespace {

// One mapping for both kinds of row (a soci::row, a SqliteQuery's current row).
template <class Row>
Invoice read_invoice(const Row& r) {
  Invoice i;
  i.id = InvoiceId(col_i64(r, 0));
  i.source = col_str(r, 1);
  i.number = col_str(r, 2);
  i.customer_id = CustomerId(col_i64(r, 3));
  i.issue_date = col_date(r, 4);
  i.due_date = col_date(r, 5);
  i.amount_total = col_money(r, 7, 6);
  i.amount_open = col_money(r, 8, 6);
  i.payment_reference = col_str(r, 9);
  i.status = parse_invoice_status(col_str(r, 10)).value_or(InvoiceStatus::open);
  i.version = col_i64(r, 11);
  i.applied_minor = col_i64(r, 12);
  i.adjusted_minor = col_i64(r, 13);
  i.external_id = col_str(r, 14);
  i.pushed_minor = col_i64(r, 15);
  if (const std::string at = col_str(r, 16); !at.empty()) i.erp_pushed_at = parse_iso8601(at);
  i.collection_policy = col_str(r, 17);
  return i;
}

}  // namespace

Invoice invoice_from_row(const soci::row& r) { return read_invoice(r); }
Invoice invoice_from_row(const SqliteQuery& r) { return read_invoice(r); }

namespace {

const char* const kColumns = kInvoiceColumns;
Invoice to_invoice(const soci::row& r) { return invoice_from_row(r); }

// The filter as SQL with its bound values kept alive for the statement's lifetime.
struct FilterSql {
  std::string where = " WHERE 1 = 1";
  long long customer = 0;
  std::string status;
  std::string source;
  bool has_customer = false;
  bool has_source = false;
  explicit FilterSql(const InvoiceFilter& f) {
    if (f.customer) {
      customer = f.customer->value();
      has_customer = true;
      where += " AND customer_id = :c";
    }
    if (f.status) {
      status = std::string(to_string(*f.status));
      where += " AND status = :st";
    }
    if (f.source) {
      source = *f.source;
      has_source = true;
      where += " AND source = :so";
    }
  }
  void bind(soci::details::prepare_temp_type& p) {
    if (has_customer) p, soci::use(customer);
    if (!status.empty()) p, soci::use(status);
    if (has_source) p, soci::use(source);
  }
};

void check_consistent(const Invoice& i) {
  if (!(i.amount_total.currency() == i.amount_open.currency())) {
    throw Error("DB_INVARIANT", "invoice " + i.number + " mixes currencies in total and open amount");
  }
}

}  // namespace

// An import looks every invoice up (by ERP id, then by number) and inserts the new ones:
// those statements are prepared once per transaction, not once per invoice.
struct SqlInvoices::Prepared {
  // Lookups: the id only; the row is read with get() when there is one.
  std::string source, key;
  long long found = 0;
  soci::indicator found_ind = soci::i_null;
  soci::statement by_external_id, by_number;
  // The insert.
  std::string number, issue, due, currency, payment_reference, status, now, external_id;
  long long customer = 0, total = 0, open = 0, erp_open = 0, applied = 0, adjusted = 0, pushed = 0;
  IdInsert insert;

  Prepared(soci::session& sql, Backend backend)
      : by_external_id((sql.prepare << "SELECT id FROM invoices WHERE source = :s AND external_id = :k", soci::use(source),
                        soci::use(key), soci::into(found, found_ind))),
        by_number((sql.prepare << "SELECT id FROM invoices WHERE source = :s AND number = :k", soci::use(source), soci::use(key),
                   soci::into(found, found_ind))),
        insert(sql, backend,
               "INSERT INTO invoices(source, number, customer_id, issue_date, due_date, currency, amount_total, "
               "amount_open, payment_reference, status, version, created_at, updated_at, erp_open, amount_applied, "
               "amount_adjusted, external_id, amount_pushed) "
               "VALUES(:so, :nu, :cu, :is, :du, :cy, :to, :op, :pr, :st, 1, :ca, :ua, :eo, :ap, :ad, :ex, :pu)",
               soci::use(source), soci::use(number), soci::use(customer), soci::use(issue), soci::use(due), soci::use(currency),
               soci::use(total), soci::use(open), soci::use(payment_reference), soci::use(status), soci::use(now), soci::use(now),
               soci::use(erp_open), soci::use(applied), soci::use(adjusted), soci::use(external_id), soci::use(pushed)) {}
};

SqlInvoices::SqlInvoices(RepoContext c) : c_(c) {}
SqlInvoices::~SqlInvoices() = default;

SqlInvoices::Prepared& SqlInvoices::prepared() {
  if (!prepared_) prepared_ = std::make_unique<Prepared>(c_.sql, c_.backend);
  return *prepared_;
}

std::optional<Invoice> SqlInvoices::by_id_query(int which, const std::string& source, const std::string& key) {
  auto& p = prepared();
  p.source = source;
  p.key = key;
  p.found_ind = soci::i_null;
  soci::statement& st = which == 0 ? p.by_external_id : p.by_number;
  const bool got = st.execute(true);
  if (!got || p.found_ind != soci::i_ok) return std::nullopt;
  return get(InvoiceId(p.found));
}

InvoiceId SqlInvoices::insert(const Invoice& i) {
  check_consistent(i);
  try {
    auto& p = prepared();
    p.now = c_.now();
    p.source = i.source;
    p.number = i.number;
    p.issue = i.issue_date.to_string();
    p.due = i.due_date.to_string();
    p.currency = std::string(i.amount_total.currency().code());
    p.status = std::string(to_string(i.status));
    p.payment_reference = i.payment_reference;
    p.external_id = i.external_id;
    p.customer = i.customer_id.value();
    p.total = i.amount_total.minor();
    p.open = i.amount_open.minor();
    p.applied = i.applied_minor;
    p.adjusted = i.adjusted_minor;
    p.pushed = i.pushed_minor;
    p.erp_open = p.open + (p.applied - p.pushed) + p.adjusted;
    const auto id = p.insert.run();
    if (!id) throw Error("DB_QUERY", "the invoice was not inserted");
    return InvoiceId(*id);
  } catch (...) {
    c_.fail("insert invoice " + i.number);
  }
}

void SqlInvoices::update(const Invoice& i) {
  check_consistent(i);
  long long affected = 0;
  try {
    const std::string now = c_.now(), issue = i.issue_date.to_string(), due = i.due_date.to_string();
    const std::string currency(i.amount_total.currency().code()), status(to_string(i.status));
    const long long id = i.id.value(), version = i.version, customer = i.customer_id.value();
    const long long total = i.amount_total.minor(), open = i.amount_open.minor();
    // The ERP's view is arcd's open amount plus arcd's applications the ERP has not
    // acknowledged and its adjustments; applied, adjusted and pushed move only through the
    // cash ledger and acknowledge_push, never through this update.
    const long long erp_open = open + (i.applied_minor - i.pushed_minor) + i.adjusted_minor;
    soci::statement st =
        (c_.sql.prepare << "UPDATE invoices SET customer_id = :cu, issue_date = :is, due_date = :du, currency = :cy, "
                           "amount_total = :to, amount_open = :op, erp_open = :eo, payment_reference = :pr, status = :st, "
                           "external_id = :ex, version = version + 1, updated_at = :ua WHERE id = :id AND version = :v",
         soci::use(customer), soci::use(issue), soci::use(due), soci::use(currency), soci::use(total), soci::use(open),
         soci::use(erp_open), soci::use(i.payment_reference), soci::use(status), soci::use(i.external_id), soci::use(now),
         soci::use(id), soci::use(version));
    st.execute(true);
    affected = st.get_affected_rows();
  } catch (...) {
    c_.fail("update invoice " + i.number);
  }
  if (affected != 1) throw Error("DB_CONFLICT", "invoice " + i.number + " changed since version " + std::to_string(i.version));
}

std::optional<Invoice> SqlInvoices::get(InvoiceId id) {
  try {
    if (!get_) get_ = std::make_unique<PreparedRowQuery>(c_.sql, std::string("SELECT ") + kColumns + " FROM invoices WHERE id = :id",
                                                         soci::use(get_id_));
    get_id_ = id.value();
    return get_->first(to_invoice);
  } catch (...) {
    c_.fail("get invoice " + id.to_string());
  }
}

std::optional<Invoice> SqlInvoices::find_by_number(const std::string& source, const std::string& number) {
  try {
    return by_id_query(1, source, number);
  } catch (...) {
    c_.fail("find invoice " + number);
  }
}

std::vector<Invoice> SqlInvoices::find_by_number_any(const std::string& number) {
  try {
    return fetch_all(c_.sql, std::string("SELECT ") + kColumns + " FROM invoices WHERE number = :n ORDER BY id", to_invoice,
                     soci::use(number));
  } catch (...) {
    c_.fail("find invoice " + number);
  }
}

std::optional<Invoice> SqlInvoices::find_by_external_id(const std::string& source, const std::string& external_id) {
  try {
    return by_id_query(0, source, external_id);
  } catch (...) {
    c_.fail("find invoice with ERP id " + external_id);
  }
}

void SqlInvoices::acknowledge_push(InvoiceId id, std::int64_t pushed_delta, Instant at, std::optional<std::int64_t> erp_open_now) {
  long long affected = 0;
  try {
    const long long v = id.value(), delta = pushed_delta;
    const std::string when = to_iso8601(at), now = c_.now();
    soci::statement st = [&] {
      if (!erp_open_now) {
        return soci::statement((c_.sql.prepare << "UPDATE invoices SET amount_pushed = amount_pushed + CAST(:d1 AS BIGINT), "
                                                  "erp_open = erp_open - CAST(:d2 AS BIGINT), erp_pushed_at = :at, "
                                                  "version = version + 1, updated_at = :u WHERE id = :id",
                                soci::use(delta), soci::use(delta), soci::use(when), soci::use(now), soci::use(v)));
      }
      const long long fresh = *erp_open_now;
      // open = ERP open - (applied - pushed) - adjusted, with pushed after this delivery; the
      // right-hand sides read the row as it was.
      return soci::statement(
          (c_.sql.prepare << "UPDATE invoices SET amount_pushed = amount_pushed + CAST(:d1 AS BIGINT), erp_open = CAST(:f1 AS BIGINT), "
                             "amount_open = CAST(:f2 AS BIGINT) - amount_applied + amount_pushed + CAST(:d2 AS BIGINT) - amount_adjusted, "
                             "status = CASE WHEN status = 'cancelled' THEN 'cancelled' WHEN CAST(:f3 AS BIGINT) - amount_applied + "
                             "amount_pushed + CAST(:d3 AS BIGINT) - amount_adjusted <= 0 THEN 'paid' ELSE 'open' END, "
                             "erp_pushed_at = :at, version = version + 1, updated_at = :u WHERE id = :id",
           soci::use(delta), soci::use(fresh), soci::use(fresh), soci::use(delta), soci::use(fresh), soci::use(delta), soci::use(when),
           soci::use(now), soci::use(v)));
    }();
    st.execute(true);
    affected = st.get_affected_rows();
  } catch (...) {
    c_.fail("acknowledge push to invoice " + id.to_string());
  }
  if (affected != 1) throw Error("DB_NOT_FOUND", "invoice " + id.to_string() + " does not exist");
}

std::vector<Invoice> SqlInvoices::list(const InvoiceFilter& filter, const Page& page) {
  try {
    FilterSql f(filter);
    const long long after = page.after_id;
    const int limit = page.limit;
    auto p = (c_.sql.prepare << std::string("SELECT ") + kColumns + " FROM invoices" + f.where +
                                    " AND id > :a ORDER BY id LIMIT :l");
    f.bind(p);
    p, soci::use(after), soci::use(limit);
    soci::rowset<soci::row> rows(p);
    std::vector<Invoice> out;
    for (const auto& r : rows) out.push_back(to_invoice(r));
    return out;
  } catch (...) {
    c_.fail("list invoices");
  }
}

void SqlInvoices::for_each_open_external_id(const std::string& source, const std::function<void(const std::string&)>& f) {
  try {
    // One streaming statement, not pages by id: for "source = ? AND id > ? ORDER BY id" the
    // planner walks the (source, number) index and sorts every open invoice of the source,
    // once per page, which made a sweep quadratic.
    for_each_row(
        c_.sql, "SELECT external_id FROM invoices WHERE source = :s AND status = 'open' AND external_id <> ''",
        [&](const soci::row& r) { f(col_str(r, 0)); }, soci::use(source));
  } catch (...) {
    c_.fail("open invoices of " + source);
  }
}

std::vector<Invoice> SqlInvoices::list_ordered(const InvoiceFilter& filter, InvoiceOrder order, const std::optional<InvoiceCursor>& after,
                                               int limit) {
  try {
    FilterSql f(filter);
    // Column names come from the enum, never from the request.
    const std::string column = order.key == InvoiceOrder::Key::due_date ? "due_date" : "amount_open";
    const std::string cmp = order.descending ? "<" : ">";
    const std::string dir = order.descending ? " DESC" : "";
    std::string sql = std::string("SELECT ") + kColumns + " FROM invoices" + f.where;
    if (after) sql += " AND (" + column + " " + cmp + " :v OR (" + column + " = :v2 AND id " + cmp + " :i))";
    sql += " ORDER BY " + column + dir + ", id" + dir + " LIMIT :l";
    auto p = (c_.sql.prepare << sql);
    f.bind(p);
    std::string text_value;
    long long amount_value = 0, after_id = 0;
    if (after) {
      after_id = after->id;
      if (order.key == InvoiceOrder::Key::due_date) {
        text_value = after->value;
        p, soci::use(text_value), soci::use(text_value);
      } else {
        amount_value = std::stoll(after->value);
        p, soci::use(amount_value), soci::use(amount_value);
      }
      p, soci::use(after_id);
    }
    p, soci::use(limit);
    soci::rowset<soci::row> rows(p);
    std::vector<Invoice> out;
    for (const auto& r : rows) out.push_back(to_invoice(r));
    return out;
  } catch (...) {
    c_.fail("list invoices in order");
  }
}

std::int64_t SqlInvoices::count(const InvoiceFilter& filter) {
  try {
    FilterSql f(filter);
    long long n = 0;
    auto p = (c_.sql.prepare << "SELECT COUNT(*) FROM invoices" + f.where);
    f.bind(p);
    p, soci::into(n);
    soci::statement st(p);
    st.execute(true);
    return n;
  } catch (...) {
    c_.fail("count invoices");
  }
}

}  // namespace arcd::store

namespace arcd::store {

void SqlInvoices::set_collection_policy(InvoiceId id, const std::string& policy) {
  try {
    const long long v = id.value();
    const std::string now = c_.now();
    c_.sql << "UPDATE invoices SET collection_policy = :p, updated_at = :u WHERE id = :id", soci::use(policy), soci::use(now),
        soci::use(v);
    c_.sql << "UPDATE dunning_state SET next_due = '' WHERE invoice_id = :id", soci::use(v);
  } catch (...) {
    c_.fail("set collection policy of invoice " + id.to_string());
  }
}

}  // namespace arcd::store
