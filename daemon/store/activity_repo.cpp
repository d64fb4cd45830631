#include "arcd/error.hpp"
#include "store/id_insert.hpp"
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

namespace {

const char* const kTaskColumns =
    "id, customer_id, kind, title, due_date, done, assignee, created_at, invoice_id, source_key, outcome, completed_by, "
    "completed_at, note";

Task to_task(const soci::row& r) {
  Task t;
  t.id = TaskId(col_i64(r, 0));
  t.customer_id = CustomerId(col_i64(r, 1));
  t.kind = col_str(r, 2);
  t.title = col_str(r, 3);
  t.due = col_opt_date(r, 4);
  t.done = col_i64(r, 5) != 0;
  t.assignee = col_str(r, 6);
  t.created_at = col_instant(r, 7);
  if (auto i = col_opt_i64(r, 8)) t.invoice_id = InvoiceId(*i);
  t.source_key = col_str(r, 9);
  t.outcome = col_str(r, 10);
  t.completed_by = col_str(r, 11);
  t.completed_at = col_stamp(r, 12);
  t.note = col_str(r, 13);
  return t;
}

Activity to_activity(const soci::row& r) {
  return Activity{ActivityId(col_i64(r, 0)), CustomerId(col_i64(r, 1)), col_str(r, 2), col_str(r, 3), col_str(r, 4),
                  col_instant(r, 5)};
}

}  // namespace

TaskId SqlActivities::add_task(const Task& t) {
  auto id = add_task_once(t);
  if (!id) throw Error("DB_CONFLICT", "a task with key '" + t.source_key + "' exists");
  return *id;
}

struct SqlActivities::PreparedTask {
  long long customer = 0, invoice = 0;
  int done = 0;
  std::string kind, title, due, assignee, now, key;
  soci::indicator due_ind = soci::i_null, invoice_ind = soci::i_null, key_ind = soci::i_null;
  IdInsert st;
  PreparedTask(soci::session& sql, Backend backend)
      : st(sql, backend,
           "INSERT INTO tasks(customer_id, kind, title, due_date, done, assignee, created_at, invoice_id, source_key) "
           "VALUES(:c, :k, :t, :d, :dn, :a, :n, :i, :s) ON CONFLICT (source_key) DO NOTHING",
           soci::use(customer), soci::use(kind), soci::use(title), soci::use(due, due_ind), soci::use(done), soci::use(assignee),
           soci::use(now), soci::use(invoice, invoice_ind), soci::use(key, key_ind)) {}
};

SqlActivities::SqlActivities(RepoContext c) : c_(c) {}
SqlActivities::~SqlActivities() = default;

std::optional<TaskId> SqlActivities::add_task_once(const Task& t) {
  try {
    if (!task_insert_) task_insert_ = std::make_unique<PreparedTask>(c_.sql, c_.backend);
    PreparedTask& p = *task_insert_;
    p.customer = t.customer_id.value();
    p.kind = t.kind;
    p.title = t.title;
    p.due = t.due ? t.due->to_string() : "";
    p.due_ind = t.due ? soci::i_ok : soci::i_null;
    p.done = t.done ? 1 : 0;
    p.assignee = t.assignee;
    p.now = c_.now();
    p.invoice = t.invoice_id ? t.invoice_id->value() : 0;
    p.invoice_ind = t.invoice_id ? soci::i_ok : soci::i_null;
    p.key = t.source_key;
    p.key_ind = p.key.empty() ? soci::i_null : soci::i_ok;
    const auto id = p.st.run();
    if (!id) return std::nullopt;
    return TaskId(*id);
  } catch (...) {
    c_.fail("add task for customer " + t.customer_id.to_string());
  }
}

std::vector<Task> SqlActivities::tasks(CustomerId customer) {
  try {
    const long long c = customer.value();
    return fetch_all(c_.sql, std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE customer_id = :c ORDER BY id", to_task,
                     soci::use(c));
  } catch (...) {
    c_.fail("tasks of customer " + customer.to_string());
  }
}

std::optional<Task> SqlActivities::task(TaskId id) {
  try {
    const long long v = id.value();
    return fetch_one(c_.sql, std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = :id", to_task, soci::use(v));
  } catch (...) {
    c_.fail("get task " + id.to_string());
  }
}

std::vector<Task> SqlActivities::open_tasks(const std::optional<std::string>& assignee) {
  try {
    const std::string who = assignee.value_or("");
    const int any = assignee ? 0 : 1;
    return fetch_all(c_.sql,
                     std::string("SELECT ") + kTaskColumns +
                         " FROM tasks WHERE done = 0 AND (:any = 1 OR assignee = :a) "
                         "ORDER BY CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, id",
                     to_task, soci::use(any), soci::use(who));
  } catch (...) {
    c_.fail("list open tasks");
  }
}

bool SqlActivities::complete_task(TaskId id, const std::string& outcome, const std::string& note, const Actor& by) {
  try {
    const long long v = id.value();
    const std::string now = c_.now();
    soci::statement st = (c_.sql.prepare << "UPDATE tasks SET done = 1, outcome = :o, note = :n, completed_by = :b, "
                                             "completed_at = :t WHERE id = :id AND done = 0",
                          soci::use(outcome), soci::use(note), soci::use(by), soci::use(now), soci::use(v));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (...) {
    c_.fail("complete task " + id.to_string());
  }
}

std::vector<Activity> SqlActivities::activities_page(const Page& page, const std::optional<CustomerId>& customer) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    const long long c = customer ? customer->value() : 0;
    const int any = customer ? 0 : 1;
    return fetch_all(c_.sql,
                     "SELECT id, customer_id, kind, text, actor, at FROM activities WHERE id > :a AND (:any = 1 OR customer_id = :c) "
                     "ORDER BY id LIMIT :l",
                     to_activity, soci::use(after), soci::use(any), soci::use(c), soci::use(limit));
  } catch (...) {
    c_.fail("list activities");
  }
}

}  // namespace arcd::store
