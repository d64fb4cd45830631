#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {

ActivityId SqlActivities::add_activity(const Activity& a) {
  try {
    long long id = 0;
    const long long customer = a.customer_id.value();
    const std::string now = c_.now();
    c_.sql << "INSERT INTO activities(customer_id, kind, text, actor, at) VALUES(:c, :k, :t, :a, :n) RETURNING id",
        soci::use(customer), soci::use(a.kind), soci::use(a.text), soci::use(a.actor), soci::use(now), soci::into(id);
    return ActivityId(id);
  } catch (...) {
    c_.fail("add activity for customer " + a.customer_id.to_string());
  }
}

std::vector<Activity> SqlActivities::activities(CustomerId customer) {
  try {
    const long long c = customer.value();
    return fetch_all(c_.sql, "SELECT id, customer_id, kind, text, actor, at FROM activities WHERE customer_id = :c ORDER BY id",
                     [](const soci::row& r) {
                       return Activity{ActivityId(col_i64(r, 0)), CustomerId(col_i64(r, 1)), col_str(r, 2), col_str(r, 3),
                                       col_str(r, 4), col_instant(r, 5)};
                     },
                     soci::use(c));
  } catch (...) {
    c_.fail("activities of customer " + customer.to_string());
  }
}

TaskId SqlActivities::add_task(const Task& t) {
  try {
    long long id = 0;
    const long long customer = t.customer_id.value();
    const int done = t.done ? 1 : 0;
    std::string due = t.due ? t.due->to_string() : "";
    soci::indicator due_ind = t.due ? soci::i_ok : soci::i_null;
    const std::string now = c_.now();
    c_.sql << "INSERT INTO tasks(customer_id, kind, title, due_date, done, assignee, created_at) "
              "VALUES(:c, :k, :t, :d, :dn, :a, :n) RETURNING id",
        soci::use(customer), soci::use(t.kind), soci::use(t.title), soci::use(due, due_ind), soci::use(done),
        soci::use(t.assignee), soci::use(now), soci::into(id);
    return TaskId(id);
  } catch (...) {
    c_.fail("add task for customer " + t.customer_id.to_string());
  }
}

std::vector<Task> SqlActivities::tasks(CustomerId customer) {
  try {
    const long long c = customer.value();
    return fetch_all(c_.sql,
                     "SELECT id, customer_id, kind, title, due_date, done, assignee, created_at FROM tasks "
                     "WHERE customer_id = :c ORDER BY id",
                     [](const soci::row& r) {
                       Task t;
                       t.id = TaskId(col_i64(r, 0));
                       t.customer_id = CustomerId(col_i64(r, 1));
                       t.kind = col_str(r, 2);
                       t.title = col_str(r, 3);
                       t.due = col_opt_date(r, 4);
                       t.done = col_i64(r, 5) != 0;
                       t.assignee = col_str(r, 6);
                       t.created_at = col_instant(r, 7);
                       return t;
                     },
                     soci::use(c));
  } catch (...) {
    c_.fail("tasks of customer " + customer.to_string());
  }
}

}  // namespace arcd::store
