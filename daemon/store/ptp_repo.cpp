#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

constexpr const char* kColumns =
    "id, customer_id, amount, currency, promised_date, channel, state, recorded_by, created_at, paid, grace_days";

Ptp to_ptp(const soci::row& r) {
  Ptp p;
  p.id = PtpId(col_i64(r, 0));
  p.customer_id = CustomerId(col_i64(r, 1));
  p.amount = col_money(r, 2, 3);
  p.promised_date = col_date(r, 4);
  p.channel = col_str(r, 5);
  p.state = parse_ptp_state(col_str(r, 6)).value_or(PtpState::open);
  p.recorded_by = col_str(r, 7);
  p.created_at = col_instant(r, 8);
  p.paid = Money(col_i64(r, 9), p.amount.currency());
  p.grace_days = static_cast<int>(col_i64(r, 10));
  return p;
}

}  // namespace

PtpId SqlPtps::insert(const Ptp& p) {
  if (p.recorded_by.empty()) throw Error("DB_INVARIANT", "a promise to pay needs who recorded it");
  try {
    long long id = 0;
    const long long customer = p.customer_id.value(), amount = p.amount.minor(), paid = p.paid.minor();
    const int grace = p.grace_days;
    const std::string currency(p.amount.currency().code()), date = p.promised_date.to_string(), state(to_string(p.state));
    const std::string now = c_.now();
    c_.sql << "INSERT INTO ptps(customer_id, amount, currency, promised_date, channel, state, recorded_by, created_at, paid, "
              "grace_days, updated_at) VALUES(:c, :a, :cy, :d, :ch, :s, :r, :t, :p, :g, :u) RETURNING id",
        soci::use(customer), soci::use(amount), soci::use(currency), soci::use(date), soci::use(p.channel), soci::use(state),
        soci::use(p.recorded_by), soci::use(now), soci::use(paid), soci::use(grace), soci::use(now), soci::into(id);
    for (const auto& invoice : p.invoices) {
      const long long inv = invoice.value();
      c_.sql << "INSERT INTO ptp_invoices(ptp_id, invoice_id) VALUES(:p, :i)", soci::use(id), soci::use(inv);
    }
    return PtpId(id);
  } catch (...) {
    c_.fail("insert promise to pay for customer " + p.customer_id.to_string());
  }
}

namespace {
std::vector<InvoiceId> invoices_of(soci::session& sql, long long ptp) {
  return fetch_all(sql, "SELECT invoice_id FROM ptp_invoices WHERE ptp_id = :p ORDER BY invoice_id",
                   [](const soci::row& r) { return InvoiceId(col_i64(r, 0)); }, soci::use(ptp));
}
}  // namespace

std::optional<Ptp> SqlPtps::get(PtpId id) {
  try {
    const long long v = id.value();
    auto p = fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM ptps WHERE id = :id", to_ptp, soci::use(v));
    if (p) p->invoices = invoices_of(c_.sql, v);
    return p;
  } catch (...) {
    c_.fail("get promise to pay " + id.to_string());
  }
}

std::vector<Ptp> SqlPtps::list(std::optional<CustomerId> customer, std::optional<PtpState> state, const Page& page) {
  try {
    const long long after = page.after_id, cust = customer ? customer->value() : 0;
    const int limit = page.limit;
    const std::string st = state ? std::string(to_string(*state)) : std::string();
    const int any_customer = customer ? 0 : 1, any_state = state ? 0 : 1;
    auto out = fetch_all(c_.sql,
                         std::string("SELECT ") + kColumns +
                             " FROM ptps WHERE id > :a AND (:anyc = 1 OR customer_id = :c) AND (:anys = 1 OR state = :s) "
                             "ORDER BY id LIMIT :l",
                         to_ptp, soci::use(after), soci::use(any_customer), soci::use(cust), soci::use(any_state),
                         soci::use(st), soci::use(limit));
    for (auto& p : out) p.invoices = invoices_of(c_.sql, p.id.value());
    return out;
  } catch (...) {
    c_.fail("list promises to pay");
  }
}

void SqlPtps::update(const Ptp& p) {
  try {
    const long long id = p.id.value(), paid = p.paid.minor();
    const std::string state(to_string(p.state)), now = c_.now();
    c_.sql << "UPDATE ptps SET state = :s, paid = :p, updated_at = :u WHERE id = :id", soci::use(state), soci::use(paid),
        soci::use(now), soci::use(id);
  } catch (...) {
    c_.fail("update promise to pay " + p.id.to_string());
  }
}

void SqlPtps::add_event(const PtpEvent& e) {
  try {
    const long long ptp = e.ptp_id.value(), paid = e.paid.minor();
    long long app = e.application_id ? e.application_id->value() : 0;
    soci::indicator app_ind = e.application_id ? soci::i_ok : soci::i_null;
    const std::string state(to_string(e.state)), now = c_.now();
    c_.sql << "INSERT INTO ptp_events(ptp_id, state, paid, application_id, note, actor, at) VALUES(:p, :s, :pa, :a, :n, :ac, :t)",
        soci::use(ptp), soci::use(state), soci::use(paid), soci::use(app, app_ind), soci::use(e.note), soci::use(e.actor),
        soci::use(now);
  } catch (...) {
    c_.fail("record event of promise to pay " + e.ptp_id.to_string());
  }
}

std::vector<CustomerId> SqlPtps::customers_with_promises() {
  try {
    return fetch_all(c_.sql, "SELECT DISTINCT customer_id FROM ptps WHERE state IN ('open', 'kept') ORDER BY customer_id",
                     [](const soci::row& r) { return CustomerId(col_i64(r, 0)); });
  } catch (...) {
    c_.fail("customers with promises to pay");
  }
}

std::vector<PtpEvent> SqlPtps::events(PtpId id) {
  try {
    const long long v = id.value();
    return fetch_all(c_.sql,
                     "SELECT e.ptp_id, e.state, e.paid, p.currency, e.application_id, e.note, e.actor, e.at "
                     "FROM ptp_events e JOIN ptps p ON p.id = e.ptp_id WHERE e.ptp_id = :p ORDER BY e.id",
                     [](const soci::row& r) {
                       PtpEvent e;
                       e.ptp_id = PtpId(col_i64(r, 0));
                       e.state = parse_ptp_state(col_str(r, 1)).value_or(PtpState::open);
                       e.paid = col_money(r, 2, 3);
                       if (auto a = col_opt_i64(r, 4)) e.application_id = ApplicationId(*a);
                       e.note = col_str(r, 5);
                       e.actor = col_str(r, 6);
                       e.at = col_instant(r, 7);
                       return e;
                     },
                     soci::use(v));
  } catch (...) {
    c_.fail("events of promise to pay " + id.to_string());
  }
}

}  // namespace arcd::store
