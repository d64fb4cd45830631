#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/entry_details_json.hpp"
#include "store/id_insert.hpp"
#include "store/row_util.hpp"

namespace arcd::store {

const char* const kEntryColumns =
    "id, statement_id, entry_key, position, amount, currency, direction, reversal, status, booking_date, value_date, "
    "bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account, remittance, structured_reference, "
    "batch_key, entry_amount, detail_index, detail_count, details";

Entry entry_from_row(const soci::row& r) {
  Entry e;
  e.id = EntryId(col_i64(r, 0));
  e.statement_id = StatementId(col_i64(r, 1));
  e.entry_key = col_str(r, 2);
  e.position = static_cast<int>(col_i64(r, 3));
  e.amount = col_money(r, 4, 5);
  e.direction = parse_direction(col_str(r, 6)).value_or(Direction::credit);
  e.reversal = col_i64(r, 7) != 0;
  e.status = parse_entry_status(col_str(r, 8)).value_or(EntryStatus::booked);
  e.booking_date = col_opt_date(r, 9);
  e.value_date = col_opt_date(r, 10);
  e.bank_transaction_code = col_str(r, 11);
  e.bank_reference = col_str(r, 12);
  e.end_to_end_id = col_str(r, 13);
  e.payer_name = col_str(r, 14);
  e.payer_account = col_str(r, 15);
  e.remittance = col_str(r, 16);
  e.structured_reference = col_str(r, 17);
  e.batch_key = col_str(r, 18);
  e.entry_amount = Money(col_i64(r, 19), e.amount.currency());
  e.detail_index = static_cast<int>(col_i64(r, 20));
  e.detail_count = static_cast<int>(col_i64(r, 21));
  e.details = entry_details_from_json(col_str(r, 22));
  return e;
}

namespace {
const char* const kColumns = kEntryColumns;
Entry to_entry(const soci::row& r) { return entry_from_row(r); }
}  // namespace

namespace {

// The bound values of one entry row, refilled for every insert of a prepared statement.
struct EntryRow {
  long long statement = 0, amount = 0, entry_amount = 0;
  int reversal = 0, position = 0, detail_index = 0, detail_count = 0;
  std::string entry_key, currency, direction, status, booking, value, btc, bank_ref, e2e, payer_name, payer_account, remittance,
      structured, batch_key, details;
  soci::indicator booking_ind = soci::i_ok, value_ind = soci::i_ok;

  void assign(const Entry& e) {
    statement = e.statement_id.value();
    amount = e.amount.minor();
    entry_amount = e.entry_amount.minor();
    reversal = e.reversal ? 1 : 0;
    position = e.position;
    detail_index = e.detail_index;
    detail_count = e.detail_count;
    entry_key = e.entry_key;
    currency = e.amount.currency().code();
    direction = to_string(e.direction);
    status = to_string(e.status);
    booking = e.booking_date ? e.booking_date->to_string() : "";
    value = e.value_date ? e.value_date->to_string() : "";
    booking_ind = e.booking_date ? soci::i_ok : soci::i_null;
    value_ind = e.value_date ? soci::i_ok : soci::i_null;
    btc = e.bank_transaction_code;
    bank_ref = e.bank_reference;
    e2e = e.end_to_end_id;
    payer_name = e.payer_name;
    payer_account = e.payer_account;
    remittance = e.remittance;
    structured = e.structured_reference;
    batch_key = e.batch_key;
    details = entry_details_to_json(e.details);
  }
};

constexpr const char* kInsert =
    "INSERT INTO entries(statement_id, entry_key, position, amount, currency, direction, reversal, status, "
    "booking_date, value_date, bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account, "
    "remittance, structured_reference, batch_key, entry_amount, detail_index, detail_count, details) VALUES(:st, :k, :p, "
    ":a, :c, :d, :r, :s, :bd, :vd, :btc, :br, :e2e, :pn, :pa, :rem, :sr, :bk, :ea, :di, :dc, :dt)";

void check(const Entry& e) {
  if (e.amount.is_negative()) throw Error("DB_INVARIANT", "entry " + e.entry_key + " has a negative amount; direction carries the sign");
}

}  // namespace

EntryId SqlEntries::insert(const Entry& e) {
  check(e);
  auto id = insert_if_new(e);
  if (!id) {
    c_.failed = true;
    throw Error("DB_CONFLICT", "insert entry " + e.entry_key + ": the entry key exists");
  }
  return *id;
}

// Preparing an INSERT costs more than running it; a statement import inserts thousands of
// entries in one transaction, so the statement is prepared once and its bound values refilled.
struct SqlEntries::PreparedInsert {
  EntryRow r;
  long long id = 0;
  IdInsert st;
  soci::statement to_cash_inbox;

  PreparedInsert(soci::session& sql, Backend backend)
      : st(sql, backend, std::string(kInsert) + " ON CONFLICT (entry_key) DO NOTHING", soci::use(r.statement), soci::use(r.entry_key),
           soci::use(r.position), soci::use(r.amount), soci::use(r.currency), soci::use(r.direction), soci::use(r.reversal),
           soci::use(r.status), soci::use(r.booking, r.booking_ind), soci::use(r.value, r.value_ind), soci::use(r.btc),
           soci::use(r.bank_ref), soci::use(r.e2e), soci::use(r.payer_name), soci::use(r.payer_account), soci::use(r.remittance),
           soci::use(r.structured), soci::use(r.batch_key), soci::use(r.entry_amount), soci::use(r.detail_index),
           soci::use(r.detail_count), soci::use(r.details)),
        to_cash_inbox((sql.prepare << "INSERT INTO cash_inbox(entry_id) VALUES(:id)", soci::use(id))) {}
};

SqlEntries::SqlEntries(RepoContext c) : c_(c) {}
SqlEntries::~SqlEntries() = default;

std::optional<EntryId> SqlEntries::insert_if_new(const Entry& e) {
  check(e);
  try {
    if (!insert_) insert_ = std::make_unique<PreparedInsert>(c_.sql, c_.backend);
    insert_->r.assign(e);
    const auto inserted = insert_->st.run();
    if (!inserted) return std::nullopt;
    insert_->id = *inserted;
    const EntryId id(insert_->id);
    // A booked entry waits for cash application; a pending one when the bank books it.
    if (e.status == EntryStatus::booked) insert_->to_cash_inbox.execute(true);
    return id;
  } catch (...) {
    c_.fail("insert entry " + e.entry_key);
  }
}

void SqlEntries::mark_booked(EntryId id, std::optional<Date> booking_date) {
  try {
    const long long v = id.value();
    std::string booking = booking_date ? booking_date->to_string() : "";
    soci::indicator ind = booking_date ? soci::i_ok : soci::i_null;
    soci::statement st = (c_.sql.prepare << "UPDATE entries SET status = 'booked', booking_date = COALESCE(:b, booking_date) "
                                             "WHERE id = :id AND status = 'pending'",
                          soci::use(booking, ind), soci::use(v));
    st.execute(true);
    if (st.get_affected_rows() == 1) c_.sql << "INSERT INTO cash_inbox(entry_id) VALUES(:id)", soci::use(v);
  } catch (...) {
    c_.fail("mark entry " + id.to_string() + " booked");
  }
}

std::optional<Entry> SqlEntries::get(EntryId id) {
  const long long v = id.value();
  try {
    return fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM entries WHERE id = :id", to_entry, soci::use(v));
  } catch (...) {
    c_.fail("get entry " + id.to_string());
  }
}

std::optional<Entry> SqlEntries::find_by_key(const std::string& entry_key) {
  try {
    return fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM entries WHERE entry_key = :k", to_entry,
                     soci::use(entry_key));
  } catch (...) {
    c_.fail("find entry " + entry_key);
  }
}

std::vector<Entry> SqlEntries::list_by_statement(StatementId id, const Page& page) {
  try {
    const long long statement = id.value(), after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kColumns + " FROM entries WHERE statement_id = :s AND id > :a ORDER BY id LIMIT :l",
                     to_entry, soci::use(statement), soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list entries of statement " + id.to_string());
  }
}

}  // namespace arcd::store
