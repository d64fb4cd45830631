// The dunning sequence's records: which stage each invoice reached, the messages sent, the runs.
#include <boost/json.hpp>

#include <cstdlib>

#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

std::string ids_json(const std::vector<InvoiceId>& ids) {
  boost::json::array a;
  for (auto id : ids) a.push_back(id.value());
  return boost::json::serialize(a);
}

std::vector<InvoiceId> ids_from_json(const std::string& text) {
  std::vector<InvoiceId> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array())
    if (x.is_int64()) out.emplace_back(x.as_int64());
  return out;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto end = s.find(',', start);
    std::string part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!part.empty()) out.push_back(part);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string join_commas(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

const char* const kCommunicationColumns =
    "id, customer_id, currency, stage, template, language, recipients, subject, invoices, amount, status, message_id, run_date, "
    "error, created_at, sent_at";

Communication to_communication(const soci::row& r) {
  Communication c;
  c.id = col_i64(r, 0);
  c.customer_id = CustomerId(col_i64(r, 1));
  c.currency = col_str(r, 2);
  c.stage = col_str(r, 3);
  c.template_name = col_str(r, 4);
  c.language = col_str(r, 5);
  c.recipients = split_commas(col_str(r, 6));
  c.subject = col_str(r, 7);
  c.invoices = ids_from_json(col_str(r, 8));
  c.amount = col_i64(r, 9);
  c.status = col_str(r, 10);
  c.message_id = col_str(r, 11);
  c.run_date = col_date(r, 12);
  c.error = col_str(r, 13);
  c.created_at = col_instant(r, 14);
  c.sent_at = col_stamp(r, 15);
  return c;
}

// The invoice columns prefixed for the join, then the dunning state's.
std::string dunnable_select() {
  std::string cols;
  std::string list = kInvoiceColumns;
  std::size_t start = 0;
  while (start < list.size()) {
    auto end = list.find(',', start);
    std::string col = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!col.empty() && col.front() == ' ') col.erase(col.begin());
    cols += (cols.empty() ? "i." : ", i.") + col;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "SELECT " + cols + ", s.policy, s.stage_index, s.fired_on, s.stage, s.next_due, s.due_date FROM invoices i LEFT JOIN dunning_state s ON s.invoice_id = i.id ";
}

DunnableInvoice to_dunnable(const soci::row& r) {
  DunnableInvoice d;
  d.invoice = invoice_from_row(r);
  const std::size_t base = 18;
  d.dunning_policy = col_str(r, base);
  if (auto idx = col_opt_i64(r, base + 1)) d.stage_index = static_cast<int>(*idx);
  d.stage_fired_on = col_opt_date(r, base + 2);
  d.stage = col_str(r, base + 3);
  d.next_due = col_str(r, base + 4);
  d.state_due_date = col_str(r, base + 5);
  return d;
}

}  // namespace

std::vector<DunnableInvoice> SqlDunning::dunnable(CustomerId first, CustomerId last) {
  try {
    const long long lo = first.value(), hi = last.value();
    return fetch_all(c_.sql,
                     dunnable_select() +
                         "WHERE i.status = 'open' AND i.customer_id BETWEEN :lo AND :hi ORDER BY i.customer_id, i.currency, "
                         "i.due_date, i.id",
                     to_dunnable, soci::use(lo), soci::use(hi));
  } catch (...) {
    c_.fail("read open invoices of customers " + first.to_string() + ".." + last.to_string());
  }
}

std::vector<DunnableInvoice> SqlDunning::dunnable_of(const std::vector<CustomerId>& customers) {
  if (customers.empty()) return {};
  try {
    // Ids are integers: written into the statement, so one query reads a whole batch.
    std::string in;
    for (const auto& c : customers) in += (in.empty() ? "" : ",") + c.to_string();
    return fetch_all(c_.sql,
                     dunnable_select() + "WHERE i.status = 'open' AND i.customer_id IN (" + in +
                         ") ORDER BY i.customer_id, i.currency, i.due_date, i.id",
                     to_dunnable);
  } catch (...) {
    c_.fail("read open invoices of " + std::to_string(customers.size()) + " customers");
  }
}

std::vector<CustomerId> SqlDunning::customers_due(Date day, Date horizon) {
  try {
    const std::string d = day.to_string(), h = horizon.to_string();
    return fetch_all(c_.sql,
                     "SELECT DISTINCT i.customer_id FROM invoices i LEFT JOIN dunning_state s ON s.invoice_id = i.id "
                     "WHERE i.status = 'open' AND ((s.invoice_id IS NULL AND i.due_date <= :h) OR s.next_due <= :d "
                     "OR s.due_date <> i.due_date) ORDER BY i.customer_id",
                     [](const soci::row& r) { return CustomerId(col_i64(r, 0)); }, soci::use(h), soci::use(d));
  } catch (...) {
    c_.fail("find customers due for collections");
  }
}

std::vector<std::tuple<CustomerId, std::int64_t, std::int64_t>> SqlDunning::open_balances(Date day) {
  try {
    const std::string d = day.to_string();
    return fetch_all(c_.sql,
                     "SELECT customer_id, CAST(SUM(amount_open) AS BIGINT), CAST(SUM(CASE WHEN due_date < :d THEN amount_open ELSE 0 END) AS BIGINT) "
                     "FROM invoices "
                     "WHERE status = 'open' GROUP BY customer_id",
                     [](const soci::row& r) { return std::make_tuple(CustomerId(col_i64(r, 0)), std::int64_t(col_i64(r, 1)), std::int64_t(col_i64(r, 2))); },
                     soci::use(d));
  } catch (...) {
    c_.fail("sum open balances");
  }
}

std::string SqlDunning::last_run_policies() {
  try {
    auto p = fetch_one(c_.sql, "SELECT policies FROM collection_runs WHERE finished_at <> '' ORDER BY run_date DESC LIMIT 1",
                       [](const soci::row& r) { return col_str(r, 0); });
    return p.value_or("");
  } catch (...) {
    c_.fail("read the last collections run");
  }
}

struct SqlDunning::Prepared {
  long long invoice = 0, communication = 0;
  int index = 0;
  std::string stage, policy, outcome, day, now, next_due, due_date;
  soci::indicator communication_ind = soci::i_null;
  soci::statement insert_stage, upsert_state;
  explicit Prepared(soci::session& sql)
      : insert_stage((sql.prepare << "INSERT INTO dunning_stages(invoice_id, stage, policy, stage_index, outcome, run_date, "
                                     "communication_id, created_at) VALUES(:i, :s, :p, :x, :o, :d, :c, :t) "
                                     "ON CONFLICT (invoice_id, stage) DO NOTHING",
                      soci::use(invoice), soci::use(stage), soci::use(policy), soci::use(index), soci::use(outcome), soci::use(day),
                      soci::use(communication, communication_ind), soci::use(now))),
        upsert_state((sql.prepare << "INSERT INTO dunning_state(invoice_id, policy, stage_index, stage, fired_on, next_due, due_date) "
                                     "VALUES(:i, :p, :x, :s, :d, :n, :dd) "
                                     "ON CONFLICT (invoice_id) DO UPDATE SET policy = excluded.policy, stage_index = excluded.stage_index, "
                                     "stage = excluded.stage, fired_on = excluded.fired_on, next_due = excluded.next_due, "
                                     "due_date = excluded.due_date",
                      soci::use(invoice), soci::use(policy), soci::use(index), soci::use(stage), soci::use(day), soci::use(next_due),
                      soci::use(due_date))) {}
};

SqlDunning::SqlDunning(RepoContext c) : c_(c) {}
SqlDunning::~SqlDunning() = default;

bool SqlDunning::record_stage(const StageRecord& r) {
  try {
    if (!prepared_) prepared_ = std::make_unique<Prepared>(c_.sql);
    Prepared& p = *prepared_;
    p.invoice = r.invoice_id.value();
    p.index = r.stage_index;
    p.stage = r.stage;
    p.policy = r.policy;
    p.outcome = r.fired ? "fired" : "skipped";
    p.day = r.run_date.to_string();
    p.communication = r.communication_id.value_or(0);
    p.communication_ind = r.communication_id ? soci::i_ok : soci::i_null;
    p.now = c_.now();
    // No stage left: a date after any run, so the invoice is not read again for its stages.
    p.next_due = r.next_due ? r.next_due->to_string() : "9999-12-31";
    p.due_date = r.due_date.to_string();
    p.insert_stage.execute(true);
    if (p.insert_stage.get_affected_rows() != 1) return false;
    p.upsert_state.execute(true);
    return true;
  } catch (...) {
    c_.fail("record stage " + r.stage + " of invoice " + r.invoice_id.to_string());
  }
}

void SqlDunning::set_next_due(InvoiceId invoice, std::optional<Date> next_due, Date due_date) {
  try {
    const long long v = invoice.value();
    const std::string next = next_due ? next_due->to_string() : "9999-12-31", due = due_date.to_string();
    c_.sql << "UPDATE dunning_state SET next_due = :n, due_date = :d WHERE invoice_id = :i", soci::use(next), soci::use(due), soci::use(v);
  } catch (...) {
    c_.fail("set next stage date of invoice " + invoice.to_string());
  }
}

std::vector<StageRecord> SqlDunning::stages(InvoiceId invoice) {
  try {
    const long long v = invoice.value();
    return fetch_all(c_.sql,
                     "SELECT invoice_id, policy, stage, stage_index, outcome, run_date, communication_id FROM dunning_stages "
                     "WHERE invoice_id = :i ORDER BY stage_index",
                     [](const soci::row& r) {
                       StageRecord s;
                       s.invoice_id = InvoiceId(col_i64(r, 0));
                       s.policy = col_str(r, 1);
                       s.stage = col_str(r, 2);
                       s.stage_index = static_cast<int>(col_i64(r, 3));
                       s.fired = col_str(r, 4) == "fired";
                       s.run_date = col_date(r, 5);
                       s.communication_id = col_opt_i64(r, 6);
                       return s;
                     },
                     soci::use(v));
  } catch (...) {
    c_.fail("stages of invoice " + invoice.to_string());
  }
}

std::optional<std::int64_t> SqlDunning::add_communication(const Communication& c) {
  try {
    long long id = 0;
    soci::indicator id_ind = soci::i_null;
    const long long customer = c.customer_id.value();
    const std::string recipients = join_commas(c.recipients), invoices = ids_json(c.invoices), day = c.run_date.to_string();
    const long long amount = c.amount;
    const std::string now = c_.now();
    c_.sql << "INSERT INTO communications(customer_id, currency, stage, template, language, recipients, subject, invoices, amount, "
              "status, message_id, run_date, error, created_at) VALUES(:c, :cu, :s, :t, :l, :r, :su, :i, :a, :st, :m, :d, :e, :n) "
              "ON CONFLICT (customer_id, currency, run_date) DO NOTHING RETURNING id",
        soci::use(customer), soci::use(c.currency), soci::use(c.stage), soci::use(c.template_name), soci::use(c.language),
        soci::use(recipients), soci::use(c.subject), soci::use(invoices), soci::use(amount), soci::use(c.status),
        soci::use(c.message_id), soci::use(day), soci::use(c.error), soci::use(now), soci::into(id, id_ind);
    if (!c_.sql.got_data() || id_ind == soci::i_null) return std::nullopt;
    return id;
  } catch (...) {
    c_.fail("record communication to customer " + c.customer_id.to_string());
  }
}

std::optional<Communication> SqlDunning::communication(std::int64_t id) {
  try {
    const long long v = id;
    return fetch_one(c_.sql, std::string("SELECT ") + kCommunicationColumns + " FROM communications WHERE id = :id",
                     to_communication, soci::use(v));
  } catch (...) {
    c_.fail("get communication " + std::to_string(id));
  }
}

std::optional<Communication> SqlDunning::communication_by_message_id(const std::string& message_id) {
  try {
    return fetch_one(c_.sql, std::string("SELECT ") + kCommunicationColumns + " FROM communications WHERE message_id = :m",
                     to_communication, soci::use(message_id));
  } catch (...) {
    c_.fail("find communication " + message_id);
  }
}

std::vector<Communication> SqlDunning::communications(const std::optional<CustomerId>& customer, const Page& page) {
  try {
    const long long c = customer ? customer->value() : 0;
    const int any = customer ? 0 : 1;
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kCommunicationColumns +
                         " FROM communications WHERE id > :a AND (:any = 1 OR customer_id = :c) ORDER BY id LIMIT :l",
                     to_communication, soci::use(after), soci::use(any), soci::use(c), soci::use(limit));
  } catch (...) {
    c_.fail("list communications");
  }
}

void SqlDunning::set_communication_status(std::int64_t id, const std::string& status, const std::string& error) {
  try {
    const long long v = id;
    const std::string now = c_.now();
    const std::string sent_at = status == "sent" ? now : "";
    c_.sql << "UPDATE communications SET status = :s, error = :e, sent_at = :t WHERE id = :id", soci::use(status), soci::use(error),
        soci::use(sent_at), soci::use(v);
  } catch (...) {
    c_.fail("set status of communication " + std::to_string(id));
  }
}

bool SqlDunning::start_run(Date run_date) {
  try {
    const std::string day = run_date.to_string(), now = c_.now();
    soci::statement st = (c_.sql.prepare << "INSERT INTO collection_runs(run_date, started_at) VALUES(:d, :t) "
                                             "ON CONFLICT (run_date) DO NOTHING",
                          soci::use(day), soci::use(now));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (...) {
    c_.fail("start collections run " + run_date.to_string());
  }
}

void SqlDunning::finish_run(Date run_date, const std::string& summary_json, const std::string& policies) {
  try {
    const std::string day = run_date.to_string(), now = c_.now();
    c_.sql << "UPDATE collection_runs SET finished_at = :t, summary = :s, policies = :p WHERE run_date = :d", soci::use(now),
        soci::use(summary_json), soci::use(policies), soci::use(day);
  } catch (...) {
    c_.fail("finish collections run " + run_date.to_string());
  }
}

std::optional<std::pair<bool, std::string>> SqlDunning::run(Date run_date) {
  try {
    const std::string day = run_date.to_string();
    return fetch_one(c_.sql, "SELECT finished_at, summary FROM collection_runs WHERE run_date = :d",
                     [](const soci::row& r) { return std::make_pair(!col_str(r, 0).empty(), col_str(r, 1)); }, soci::use(day));
  } catch (...) {
    c_.fail("read collections run " + run_date.to_string());
  }
}

std::optional<Instant> SqlDunning::newest_statement_import() {
  try {
    auto at = fetch_one(c_.sql, "SELECT MAX(imported_at) FROM statements", [](const soci::row& r) { return col_stamp(r, 0); });
    return at ? *at : std::nullopt;
  } catch (...) {
    c_.fail("read the newest statement");
  }
}

void SqlDunning::for_each_payment(Date since, const std::function<void(CustomerId, std::int64_t, int)>& f) {
  try {
    const std::string from = since.to_string();
    for_each_row(c_.sql,
                 "SELECT i.customer_id, COALESCE(a.invoice_amount, a.amount), a.created_at, i.due_date FROM applications a "
                 "JOIN invoices i ON i.id = a.invoice_id WHERE a.kind = 'apply' AND a.created_at >= :s",
                 [&](const soci::row& r) {
                   const Date paid = utc_date(col_instant(r, 2));
                   f(CustomerId(col_i64(r, 0)), col_i64(r, 1), days_between(col_date(r, 3), paid));
                 },
                 soci::use(from));
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read payment history");
  }
}

std::vector<std::pair<CustomerId, std::int64_t>> SqlDunning::broken_promises(Date since) {
  try {
    const std::string from = since.to_string();
    return fetch_all(c_.sql,
                     "SELECT customer_id, COUNT(*) FROM ptps WHERE state IN ('broken', 'partially_kept') AND created_at >= :s "
                     "GROUP BY customer_id",
                     [](const soci::row& r) { return std::make_pair(CustomerId(col_i64(r, 0)), std::int64_t(col_i64(r, 1))); },
                     soci::use(from));
  } catch (...) {
    c_.fail("count broken promises");
  }
}

void SqlDunning::for_each_kpi_invoice(const std::function<void(const KpiInvoice&)>& f) {
  try {
    for_each_row(c_.sql,
                 "SELECT id, customer_id, currency, issue_date, due_date, amount_total, amount_open, status FROM invoices ORDER BY id",
                 [&](const soci::row& r) {
                   KpiInvoice k;
                   k.id = InvoiceId(col_i64(r, 0));
                   k.customer = CustomerId(col_i64(r, 1));
                   k.currency = col_str(r, 2);
                   k.issue_date = col_date(r, 3);
                   k.due_date = col_date(r, 4);
                   k.total = col_i64(r, 5);
                   k.open = col_i64(r, 6);
                   k.status = parse_invoice_status(col_str(r, 7)).value_or(InvoiceStatus::open);
                   f(k);
                 });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read invoices for KPIs");
  }
}

void SqlDunning::for_each_invoice_flow(const std::function<void(const InvoiceFlow&)>& f) {
  try {
    for_each_row(c_.sql,
                 "SELECT invoice_id, created_at, COALESCE(invoice_amount, amount), kind, rule FROM applications "
                 "WHERE invoice_id IS NOT NULL AND kind IN ('apply', 'unapply')",
                 [&](const soci::row& r) {
                   const std::string kind = col_str(r, 3);
                   const std::int64_t amount = col_i64(r, 2);
                   f({InvoiceId(col_i64(r, 0)), utc_date(col_instant(r, 1)), kind == "unapply" ? -std::abs(amount) : amount, kind,
                      col_str(r, 4)});
                 });
    for_each_row(c_.sql, "SELECT invoice_id, created_at, amount, reason FROM adjustments", [&](const soci::row& r) {
      const std::string reason = col_str(r, 3);
      f({InvoiceId(col_i64(r, 0)), utc_date(col_instant(r, 1)), col_i64(r, 2), reason == "write_off" ? "write_off" : "adjustment", ""});
    });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read invoice flows for KPIs");
  }
}

std::vector<std::pair<std::string, std::int64_t>> SqlDunning::unapplied_by_currency() {
  try {
    return fetch_all(c_.sql,
                     "SELECT currency, CAST(SUM(amount) AS BIGINT) FROM (SELECT currency, amount FROM cash_exceptions UNION ALL "
                     "SELECT currency, amount FROM applications WHERE kind = 'on_account') u GROUP BY currency ORDER BY currency",
                     [](const soci::row& r) { return std::make_pair(col_str(r, 0), std::int64_t(col_i64(r, 1))); });
  } catch (...) {
    c_.fail("sum unapplied cash");
  }
}

}  // namespace arcd::store
