#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace {

constexpr const char* kColumns =
    "id, statement_id, entry_key, position, amount, currency, direction, reversal, status, booking_date, value_date, "
    "bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account, remittance, structured_reference, "
    "batch_key";

Entry to_entry(const soci::row& r) {
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
  return e;
}

}  // namespace

EntryId SqlEntries::insert(const Entry& e) {
  if (e.amount.is_negative()) throw Error("DB_INVARIANT", "entry " + e.entry_key + " has a negative amount; direction carries the sign");
  try {
    long long id = 0;
    const long long statement = e.statement_id.value(), amount = e.amount.minor();
    const int reversal = e.reversal ? 1 : 0, position = e.position;
    const std::string currency(e.amount.currency().code()), direction(to_string(e.direction)), status(to_string(e.status));
    std::string booking = e.booking_date ? e.booking_date->to_string() : "";
    std::string value = e.value_date ? e.value_date->to_string() : "";
    soci::indicator booking_ind = e.booking_date ? soci::i_ok : soci::i_null;
    soci::indicator value_ind = e.value_date ? soci::i_ok : soci::i_null;
    c_.sql << "INSERT INTO entries(statement_id, entry_key, position, amount, currency, direction, reversal, status, "
              "booking_date, value_date, bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account, "
              "remittance, structured_reference, batch_key) VALUES(:st, :k, :p, :a, :c, :d, :r, :s, :bd, :vd, :btc, :br, "
              ":e2e, :pn, :pa, :rem, :sr, :bk) RETURNING id",
        soci::use(statement), soci::use(e.entry_key), soci::use(position), soci::use(amount), soci::use(currency),
        soci::use(direction), soci::use(reversal), soci::use(status), soci::use(booking, booking_ind),
        soci::use(value, value_ind), soci::use(e.bank_transaction_code), soci::use(e.bank_reference),
        soci::use(e.end_to_end_id), soci::use(e.payer_name), soci::use(e.payer_account), soci::use(e.remittance),
        soci::use(e.structured_reference), soci::use(e.batch_key), soci::into(id);
    return EntryId(id);
  } catch (...) {
    c_.fail("insert entry " + e.entry_key);
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
