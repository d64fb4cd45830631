#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {

const char* const kCustomerColumns = "id, source, external_id, name, email, tier, version, language, risk_class, collector, account_manager, collection_policy, "
    "credit_hold";

Customer customer_from_row(const soci::row& r) {
  Customer c;
  c.id = CustomerId(col_i64(r, 0));
  c.source = col_str(r, 1);
  c.external_id = col_str(r, 2);
  c.name = col_str(r, 3);
  c.email = col_str(r, 4);
  c.tier = col_str(r, 5);
  c.version = col_i64(r, 6);
  c.language = col_str(r, 7);
  c.risk_class = col_str(r, 8);
  c.collector = col_str(r, 9);
  c.account_manager = col_str(r, 10);
  c.collection_policy = col_str(r, 11);
  c.credit_hold = col_i64(r, 12) != 0;
  return c;
}

namespace {

const char* const kColumns = kCustomerColumns;

// What segments a customer (tier, risk class, its own policy) decides which policy its
// invoices follow: after a change, a collections run looks at them again.
void recheck_dunning(soci::session& sql, long long customer) {
  sql << "UPDATE dunning_state SET next_due = '' WHERE invoice_id IN (SELECT id FROM invoices WHERE customer_id = :c)",
      soci::use(customer);
}
Customer to_customer(const soci::row& r) { return customer_from_row(r); }

CustomerAccount to_account(const soci::row& r) { return {CustomerId(col_i64(r, 0)), col_str(r, 1), col_str(r, 2)}; }

}  // namespace

CustomerId SqlCustomers::insert(const Customer& c) {
  try {
    long long id = 0;
    const std::string now = c_.now();
    const int hold = c.credit_hold ? 1 : 0;
    c_.sql << "INSERT INTO customers(source, external_id, name, email, tier, version, created_at, updated_at, language, "
              "collector, account_manager, collection_policy, credit_hold) "
              "VALUES(:s, :e, :n, :m, :t, 1, :c, :u, :l, :co, :am, :p, :h) RETURNING id",
        soci::use(c.source), soci::use(c.external_id), soci::use(c.name), soci::use(c.email), soci::use(c.tier),
        soci::use(now), soci::use(now), soci::use(c.language), soci::use(c.collector), soci::use(c.account_manager),
        soci::use(c.collection_policy), soci::use(hold), soci::into(id);
    return CustomerId(id);
  } catch (...) {
    c_.fail("insert customer " + c.external_id);
  }
}

void SqlCustomers::update(const Customer& c) {
  long long affected = 0;
  try {
    const std::string now = c_.now();
    const long long id = c.id.value();
    const long long version = c.version;
    soci::statement st = (c_.sql.prepare << "UPDATE customers SET name = :n, email = :m, tier = :t, version = version + 1, "
                                             "updated_at = :u WHERE id = :id AND version = :v",
                          soci::use(c.name), soci::use(c.email), soci::use(c.tier), soci::use(now), soci::use(id),
                          soci::use(version));
    st.execute(true);
    affected = st.get_affected_rows();
    if (affected == 1) recheck_dunning(c_.sql, id);
  } catch (...) {
    c_.fail("update customer " + c.id.to_string());
  }
  if (affected != 1) throw Error("DB_CONFLICT", "customer " + c.id.to_string() + " changed since version " + std::to_string(c.version));
}

std::optional<Customer> SqlCustomers::get(CustomerId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM customers WHERE id = :id", to_customer, soci::use(v));
  } catch (...) {
    c_.fail("get customer " + id.to_string());
  }
}

std::optional<Customer> SqlCustomers::find_by_external_id(const std::string& source, const std::string& external_id) {
  try {
    if (!find_) {
      find_ = std::make_unique<PreparedRowQuery>(c_.sql, std::string("SELECT ") + kColumns + " FROM customers WHERE source = :s AND external_id = :e",
                                                 soci::use(find_source_), soci::use(find_external_id_));
    }
    find_source_ = source;
    find_external_id_ = external_id;
    return find_->first(to_customer);
  } catch (...) {
    c_.fail("find customer " + external_id);
  }
}

std::vector<Customer> SqlCustomers::find_by_external_id_any(const std::string& external_id) {
  try {
    return fetch_all(c_.sql, std::string("SELECT ") + kColumns + " FROM customers WHERE external_id = :e ORDER BY id", to_customer,
                     soci::use(external_id));
  } catch (...) {
    c_.fail("find customer " + external_id);
  }
}

std::vector<Customer> SqlCustomers::list(const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql, std::string("SELECT ") + kColumns + " FROM customers WHERE id > :a ORDER BY id LIMIT :l",
                     to_customer, soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list customers");
  }
}

std::int64_t SqlCustomers::count() {
  try {
    long long n = 0;
    c_.sql << "SELECT COUNT(*) FROM customers", soci::into(n);
    return n;
  } catch (...) {
    c_.fail("count customers");
  }
}

void SqlCustomers::add_account(const CustomerAccount& a) {
  try {
    const long long id = a.customer_id.value();
    const std::string now = c_.now();
    c_.sql << "INSERT INTO customer_accounts(customer_id, account, origin, created_at) VALUES(:c, :a, :o, :t) "
              "ON CONFLICT (customer_id, account) DO NOTHING",
        soci::use(id), soci::use(a.account), soci::use(a.origin), soci::use(now);
  } catch (...) {
    c_.fail("add account for customer " + a.customer_id.to_string());
  }
}

std::vector<CustomerAccount> SqlCustomers::accounts(CustomerId id) {
  try {
    const long long v = id.value();
    return fetch_all(c_.sql, "SELECT customer_id, account, origin FROM customer_accounts WHERE customer_id = :c ORDER BY account",
                     to_account, soci::use(v));
  } catch (...) {
    c_.fail("accounts of customer " + id.to_string());
  }
}

std::vector<CustomerAccount> SqlCustomers::find_by_account(const std::string& account) {
  try {
    return fetch_all(c_.sql, "SELECT customer_id, account, origin FROM customer_accounts WHERE account = :a ORDER BY customer_id",
                     to_account, soci::use(account));
  } catch (...) {
    c_.fail("find account");
  }
}

}  // namespace arcd::store

namespace arcd::store {

void SqlCustomers::set_collections_profile(const Customer& c) {
  long long affected = 0;
  try {
    const std::string now = c_.now();
    const long long id = c.id.value();
    const long long version = c.version;
    soci::statement st = (c_.sql.prepare << "UPDATE customers SET language = :l, collector = :c, account_manager = :a, "
                                             "collection_policy = :p, version = version + 1, updated_at = :u "
                                             "WHERE id = :id AND version = :v",
                          soci::use(c.language), soci::use(c.collector), soci::use(c.account_manager),
                          soci::use(c.collection_policy), soci::use(now), soci::use(id), soci::use(version));
    st.execute(true);
    affected = st.get_affected_rows();
    if (affected == 1) recheck_dunning(c_.sql, id);
  } catch (...) {
    c_.fail("update collections profile of customer " + c.id.to_string());
  }
  if (affected != 1) throw Error("DB_CONFLICT", "customer " + c.id.to_string() + " changed since version " + std::to_string(c.version));
}

void SqlCustomers::set_risk_class(CustomerId id, const std::string& risk_class, Date computed_on, bool recheck) {
  try {
    const long long v = id.value();
    const std::string on = computed_on.to_string();
    c_.sql << "UPDATE customers SET risk_class = :r, risk_computed_on = :d WHERE id = :id", soci::use(risk_class), soci::use(on),
        soci::use(v);
    if (recheck) recheck_dunning(c_.sql, v);
  } catch (...) {
    c_.fail("set risk class of customer " + id.to_string());
  }
}

void SqlCustomers::set_credit_hold(CustomerId id, bool on) {
  try {
    const long long v = id.value();
    const int flag = on ? 1 : 0;
    const std::string now = c_.now();
    c_.sql << "UPDATE customers SET credit_hold = :h, updated_at = :u WHERE id = :id", soci::use(flag), soci::use(now), soci::use(v);
  } catch (...) {
    c_.fail("set credit hold of customer " + id.to_string());
  }
}

}  // namespace arcd::store
