#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/entry_details_json.hpp"
#include "store/id_insert.hpp"
#include "store/row_util.hpp"
#include "store/sqlite_native.hpp"

namespace arcd::store {

const char* const kEntryColumns =
    "id, statement_id, entry_key, position, amount, currency, direction, reversal, status, booking_date, value_date, "
    "bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account, remittance, structured_reference, "
    "batch_key, entry_amount, detail_index, detail_count, details";

namespace {

// One mapping for both kinds of row (a soci::row, a SqliteQuery's current row).
template <class Row>
Entry read_entry(const Row& r) {
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

}  // namespace

Entry entry_from_row(const soci::row& r) { return read_entry(r); }
Entry entry_from_row(const SqliteQuery& r) { return read_entry(r); }

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

constexpr const char* kQueue = "INSERT INTO cash_inbox(entry_id) VALUES(:id)";

void check(const Entry& e) {
  if (e.amount.is_negative()) throw Error("DB_INVARIANT", "entry " + e.entry_key + " has a negative amount; direction carries the sign");
}

}  // namespace

EntryId SqlEntries::insert(const Entry& e) {
  auto id = insert_unqueued_if_new(e);
  if (!id) {
    c_.failed = true;
    throw Error("DB_CONFLICT", "insert entry " + e.entry_key + ": the entry key exists");
  }
  // A booked entry waits for cash application; a pending one until the bank books it.
  if (e.status == EntryStatus::booked) {
    try {
      const long long v = id->value();
      c_.sql << kQueue, soci::use(v);
    } catch (...) {
      c_.fail("queue entry " + e.entry_key);
    }
  }
  return *id;
}

// Preparing an INSERT costs more than running it; a statement import inserts thousands of
// entries in one transaction, so the statement is prepared once and run for every entry.
struct SqlEntries::PreparedInsert {
  virtual ~PreparedInsert() = default;
  // Stores the entry: its new id, or nullopt when an entry with its key exists.
  virtual std::optional<long long> insert(const Entry& e) = 0;
};

namespace {

const std::string kInsertIfNew = std::string(kInsert) + " ON CONFLICT (entry_key) DO NOTHING";

// PostgreSQL: through SOCI, the id from RETURNING.
class SociEntryInsert final : public SqlEntries::PreparedInsert {
 public:
  SociEntryInsert(soci::session& sql, Backend backend)
      : st_(sql, backend, kInsertIfNew, soci::use(r_.statement), soci::use(r_.entry_key), soci::use(r_.position), soci::use(r_.amount),
            soci::use(r_.currency), soci::use(r_.direction), soci::use(r_.reversal), soci::use(r_.status),
            soci::use(r_.booking, r_.booking_ind), soci::use(r_.value, r_.value_ind), soci::use(r_.btc), soci::use(r_.bank_ref),
            soci::use(r_.e2e), soci::use(r_.payer_name), soci::use(r_.payer_account), soci::use(r_.remittance), soci::use(r_.structured),
            soci::use(r_.batch_key), soci::use(r_.entry_amount), soci::use(r_.detail_index), soci::use(r_.detail_count),
            soci::use(r_.details)) {}

  std::optional<long long> insert(const Entry& e) override {
    r_.assign(e);
    return st_.run();
  }

 private:
  EntryRow r_;
  IdInsert st_;
};

// SQLite: the values bound straight from the entry (an import's writer spent a fifth of its
// time copying them into SOCI's buffers), the id from the connection's last insert.
class SqliteEntryInsert final : public SqlEntries::PreparedInsert {
 public:
  explicit SqliteEntryInsert(soci::session& sql) : st_(sql, kInsertIfNew.c_str()) {}

  std::optional<long long> insert(const Entry& e) override {
    // Everything bound must live until run(): these are the values not kept in `e` as text
    // (Money::currency() returns a copy, whose code() would point into a temporary).
    const Currency currency = e.amount.currency();
    const std::string booking = e.booking_date ? e.booking_date->to_string() : std::string();
    const std::string value = e.value_date ? e.value_date->to_string() : std::string();
    const std::string details = entry_details_to_json(e.details);
    st_.integer(1, e.statement_id.value());
    st_.text(2, e.entry_key);
    st_.integer(3, e.position);
    st_.integer(4, e.amount.minor());
    st_.text(5, currency.code());
    st_.text(6, to_string(e.direction));
    st_.integer(7, e.reversal ? 1 : 0);
    st_.text(8, to_string(e.status));
    if (e.booking_date) st_.text(9, booking); else st_.null(9);
    if (e.value_date) st_.text(10, value); else st_.null(10);
    st_.text(11, e.bank_transaction_code);
    st_.text(12, e.bank_reference);
    st_.text(13, e.end_to_end_id);
    st_.text(14, e.payer_name);
    st_.text(15, e.payer_account);
    st_.text(16, e.remittance);
    st_.text(17, e.structured_reference);
    st_.text(18, e.batch_key);
    st_.integer(19, e.entry_amount.minor());
    st_.integer(20, e.detail_index);
    st_.integer(21, e.detail_count);
    st_.text(22, details);
    if (st_.run() == 0) return std::nullopt;
    return st_.last_insert_rowid();
  }

 private:
  SqliteStatement st_;
};

}  // namespace

SqlEntries::SqlEntries(RepoContext c) : c_(c) {}
SqlEntries::~SqlEntries() = default;

std::optional<EntryId> SqlEntries::insert_unqueued_if_new(const Entry& e) {
  check(e);
  try {
    if (!insert_) {
      if (c_.backend == Backend::sqlite) {
        insert_ = std::make_unique<SqliteEntryInsert>(c_.sql);
      } else {
        insert_ = std::make_unique<SociEntryInsert>(c_.sql, c_.backend);
      }
    }
    const auto id = insert_->insert(e);
    if (!id) return std::nullopt;
    return EntryId(*id);
  } catch (...) {
    c_.fail("insert entry " + e.entry_key);
  }
}

// One statement for a run of entries: a range of rowids read from pages just written.
long long SqlEntries::queue_booked(EntryId first, EntryId last) {
  try {
    const long long from = first.value(), to = last.value();
    soci::statement st = (c_.sql.prepare << "INSERT INTO cash_inbox(entry_id) SELECT id FROM entries "
                                            "WHERE id >= :f AND id <= :t AND status = 'booked' ORDER BY id",
                          soci::use(from), soci::use(to));
    st.execute(true);
    return st.get_affected_rows();
  } catch (...) {
    c_.fail("queue entries " + first.to_string() + " to " + last.to_string());
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
