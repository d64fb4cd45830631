#include "api/collections_routes.hpp"

#include <boost/json.hpp>

#include "api/paging.hpp"
#include "api/request_util.hpp"
#include "api/scope.hpp"
#include "cashapp/typed_refs.hpp"
#include "collections/cases.hpp"
#include "collections/kpis.hpp"
#include "collections/timeline.hpp"
#include "collections/worklist.hpp"

namespace arcd::api {
namespace json = boost::json;

namespace {

std::optional<Date> date_param(const HttpRequest& r, const char* name, HttpResponse& error) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return std::nullopt;
  auto d = Date::parse(it->second);
  if (!d) error = problem(400, "bad_parameter", std::string(name) + " is a date YYYY-MM-DD");
  return d;
}

json::object dispute_json(const Dispute& d) {
  return {{"id", d.id.value()},
          {"invoice_id", d.invoice_id.value()},
          {"reason", d.reason},
          {"amount", d.amount ? json::value(d.amount->to_string()) : json::value(nullptr)},
          {"currency", d.amount ? json::value(std::string(d.amount->currency().code())) : json::value(nullptr)},
          {"owner", d.owner},
          {"note", d.note},
          {"open", d.open},
          {"opened_by", d.opened_by},
          {"opened_at", to_iso8601(d.opened_at)},
          {"closed_at", d.closed_at ? json::value(to_iso8601(*d.closed_at)) : json::value(nullptr)},
          {"resolution", d.resolution},
          {"resolved_by", d.resolved_by}};
}

json::object hold_json(const Hold& h) {
  return {{"id", h.id.value()},
          {"customer_id", h.customer_id.value()},
          {"invoice_id", h.invoice_id ? json::value(h.invoice_id->value()) : json::value(nullptr)},
          {"reason", h.reason},
          {"starts_on", h.starts_on.to_string()},
          {"until", h.until.to_string()},
          {"placed_by", h.placed_by},
          {"ended_at", h.ended_at ? json::value(to_iso8601(*h.ended_at)) : json::value(nullptr)},
          {"renews", h.renews ? json::value(h.renews->value()) : json::value(nullptr)}};
}

json::object task_json(const Task& t) {
  return {{"id", t.id.value()},
          {"customer_id", t.customer_id.value()},
          {"invoice_id", t.invoice_id ? json::value(t.invoice_id->value()) : json::value(nullptr)},
          {"kind", t.kind},
          {"title", t.title},
          {"due", t.due ? json::value(t.due->to_string()) : json::value(nullptr)},
          {"assignee", t.assignee},
          {"done", t.done},
          {"outcome", t.outcome},
          {"completed_by", t.completed_by}};
}

json::object writeoff_json(const Writeoff& w) {
  return {{"id", w.id},
          {"invoice_id", w.invoice_id.value()},
          {"amount", w.amount.to_string()},
          {"currency", std::string(w.amount.currency().code())},
          {"reason", w.reason},
          {"state", std::string(to_string(w.state))},
          {"proposed_by", w.proposed_by},
          {"decided_by", w.decided_by}};
}

// A Result<T> as the message on success, the problem otherwise.
template <class T>
HttpResponse outcome_of(const Result<T>& r, const std::string& message) {
  if (!r) return outcome(Result<std::string>(r.problem()));
  return outcome(Result<std::string>(message));
}

std::optional<Money> money_field(const json::object& o, const Invoice& inv, HttpResponse& error) {
  auto v = string_field(o, "amount");
  if (!v) return std::nullopt;
  try {
    return Money::parse(*v, inv.amount_open.currency());
  } catch (const Error& e) {
    error = problem(400, "bad_amount", "amount: " + e.detail());
    return std::nullopt;
  }
}

}  // namespace

void add_collections_routes(Router& router, Store& store, CollectionsActions actions) {
  // {"as_of": "YYYY-MM-DD", "dry_run": true, "full": true}
  router.add("POST", "/api/v1/collections/run", RunOn::worker, [actions](HttpRequest& r) {
    collections::RunOptions o;
    o.as_of = actions.today();
    o.actor = actor_of(r);
    if (!r.body.empty()) {
      HttpResponse error;
      auto body = body_of(r, error, {{"as_of", FieldKind::string}, {"dry_run", FieldKind::boolean}, {"full", FieldKind::boolean}});
      if (!body) return error;
      if (auto v = string_field(*body, "as_of")) {
        auto d = Date::parse(*v);
        if (!d) return problem(400, "bad_parameter", "as_of is a date YYYY-MM-DD");
        o.as_of = *d;
      }
      for (auto [key, flag] : {std::pair{"dry_run", &o.dry_run}, std::pair{"full", &o.full}}) {
        if (auto it = body->find(key); it != body->end()) {
          if (!it->value().is_bool()) return problem(400, "bad_parameter", std::string(key) + " is true or false");
          *flag = it->value().as_bool();
        }
      }
    }
    return json_response(200, collections::report_json(actions.run(o)));
  });

  router.add("GET", "/api/v1/worklist", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    auto as_of = date_param(r, "as_of", error);
    if (error.status >= 400) return error;
    std::optional<std::string> collector;
    if (auto it = r.query.find("collector"); it != r.query.end()) collector = it->second;
    const CustomerScope scope(r, actions.collector_of);
    if (!scope.everyone()) collector = scope.collector();  // a collector's list is their own
    auto tx = store.begin();
    json::array items;
    for (const auto& i : collections::worklist(*tx, actions.settings(), as_of.value_or(actions.today()), collector, page->limit)) {
      json::array overdue, reasons;
      for (const auto& m : i.overdue) overdue.push_back({{"amount", m.to_string()}, {"currency", std::string(m.currency().code())}});
      for (const auto& w : i.reasons) reasons.emplace_back(w);
      items.push_back({{"customer_id", i.customer.id.value()},
                       {"customer", i.customer.external_id},
                       {"name", i.customer.name},
                       {"collector", i.collector},
                       {"score", i.score},
                       {"overdue", std::move(overdue)},
                       {"oldest_days_overdue", i.oldest_days_overdue},
                       {"broken_promises", i.broken_promises},
                       {"risk_class", i.customer.risk_class},
                       {"reasons", std::move(reasons)},
                       {"next_action", i.next_action}});
    }
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  router.add("GET", "/api/v1/disputes", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    DisputeFilter f;
    if (auto it = r.query.find("status"); it != r.query.end()) {
      if (it->second != "open" && it->second != "closed") return problem(400, "bad_parameter", "status is open or closed");
      f.open = it->second == "open";
    }
    if (auto it = r.query.find("customer"); it != r.query.end()) {
      try {
        f.customer = CustomerId(std::stoll(it->second));
      } catch (const std::exception&) {
        return problem(400, "bad_parameter", "customer is a customer id");
      }
    }
    auto tx = store.begin();
    json::array items;
    const CustomerScope scope(r, actions.collector_of);
    for (const auto& d : tx->disputes().list(f, *page))
      if (scope.allows_invoice(*tx, d.invoice_id)) items.push_back(dispute_json(d));
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  // {"invoice": "NUMBER or #ID", "reason": "pricing", "amount": "50.00", "owner": "...", "note": "..."}
  router.add("POST", "/api/v1/disputes", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto body = body_of(r, error, {{"invoice", FieldKind::string}, {"reason", FieldKind::string}, {"amount", FieldKind::string}, {"owner", FieldKind::string}, {"note", FieldKind::string}});
    if (!body) return error;
    auto invoice = string_field(*body, "invoice");
    auto reason = string_field(*body, "reason");
    if (!invoice || !reason) return problem(400, "missing_field", "invoice and reason are required");
    auto tx = store.begin();
    auto inv = cashapp::invoice_by_ref(*tx, *invoice);
    if (!inv) return outcome(Result<std::string>(inv.problem()));
    if (!CustomerScope(r, actions.collector_of).allows(*tx, inv.value().customer_id)) return not_your_customer("invoice " + *invoice);
    auto amount = money_field(*body, inv.value(), error);
    if (error.status >= 400) return error;
    collections::DisputeRequest req{inv.value().id, amount, *reason, string_field(*body, "owner").value_or(""),
                                    string_field(*body, "note").value_or("")};
    auto id = collections::open_dispute(*tx, actions.settings(), req, actor_of(r));
    if (!id) return outcome(Result<std::string>(id.problem()));
    tx->commit();
    return json_response(201, json::serialize(json::object{{"id", id.value().value()}, {"message", "dispute opened"}}));
  });

  // {"resolution": "customer_pays|credit_note|written_off|rejected", "note": "..."}
  router.add("POST", "/api/v1/disputes/{id}/resolve", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"resolution", FieldKind::string}, {"note", FieldKind::string}});
    if (!body) return error;
    auto resolution = string_field(*body, "resolution");
    if (!resolution) return problem(400, "missing_field", "resolution is required");
    auto tx = store.begin();
    if (const auto d = tx->disputes().get(DisputeId(*id))) {
      if (!CustomerScope(r, actions.collector_of).allows_invoice(*tx, d->invoice_id)) return not_your_customer("dispute " + std::to_string(*id));
      if (auto failed = if_match_fails(r, etag_of(json::serialize(dispute_json(*d))))) return *failed;
    }
    auto res = collections::resolve_dispute(*tx, DisputeId(*id), *resolution, string_field(*body, "note").value_or(""), actor_of(r));
    if (res) tx->commit();
    return outcome_of(res, "dispute " + std::to_string(*id) + " resolved");
  });

  router.add("GET", "/api/v1/holds", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    std::optional<CustomerId> customer;
    if (auto it = r.query.find("customer"); it != r.query.end()) {
      try {
        customer = CustomerId(std::stoll(it->second));
      } catch (const std::exception&) {
        return problem(400, "bad_parameter", "customer is a customer id");
      }
    }
    auto tx = store.begin();
    json::array items;
    const CustomerScope scope(r, actions.collector_of);
    for (const auto& h : tx->holds().list(customer, *page))
      if (scope.allows(*tx, h.customer_id)) items.push_back(hold_json(h));
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  // {"customer": "EXTERNAL_ID or #ID", "invoice": "NUMBER", "reason": "...", "until": "YYYY-MM-DD", "renews": 3}
  router.add("POST", "/api/v1/holds", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto body = body_of(r, error, {{"customer", FieldKind::string}, {"invoice", FieldKind::string}, {"reason", FieldKind::string}, {"until", FieldKind::string}, {"renews", FieldKind::integer}});
    if (!body) return error;
    auto customer = string_field(*body, "customer");
    auto until = string_field(*body, "until");
    if (!customer || !until) return problem(400, "missing_field", "customer, reason and until are required");
    auto until_date = Date::parse(*until);
    if (!until_date) return problem(400, "bad_parameter", "until is a date YYYY-MM-DD");
    auto tx = store.begin();
    auto c = cashapp::customer_by_ref(*tx, *customer);
    if (!c) return outcome(Result<std::string>(c.problem()));
    if (!CustomerScope(r, actions.collector_of).allows(c.value())) return not_your_customer("customer " + *customer);
    collections::HoldRequest req;
    req.customer = c.value().id;
    req.reason = string_field(*body, "reason").value_or("");
    req.until = *until_date;
    if (auto inv = string_field(*body, "invoice")) {
      auto i = cashapp::invoice_by_ref(*tx, *inv);
      if (!i) return outcome(Result<std::string>(i.problem()));
      req.invoice = i.value().id;
    }
    if (auto it = body->find("renews"); it != body->end()) {
      if (!it->value().is_int64()) return problem(400, "bad_parameter", "renews is a hold id");
      req.renews = HoldId(it->value().as_int64());
    }
    auto id = collections::add_hold(*tx, actions.settings(), req, actions.today(), actor_of(r));
    if (!id) return outcome(Result<std::string>(id.problem()));
    tx->commit();
    return json_response(201, json::serialize(json::object{{"id", id.value().value()}, {"message", "hold placed"}}));
  });

  router.add("POST", "/api/v1/holds/{id}/end", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto tx = store.begin();
    if (const auto h = tx->holds().get(HoldId(*id))) {
      if (!CustomerScope(r, actions.collector_of).allows(*tx, h->customer_id)) return not_your_customer("hold " + std::to_string(*id));
      if (auto failed = if_match_fails(r, etag_of(json::serialize(hold_json(*h))))) return *failed;
    }
    auto res = collections::end_hold(*tx, actions.settings(), HoldId(*id), actions.today(), actor_of(r));
    if (res) tx->commit();
    return outcome_of(res, "hold " + std::to_string(*id) + " ended");
  });

  router.add("GET", "/api/v1/customers/{id}/timeline", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto tx = store.begin();
    const auto c = tx->customers().get(CustomerId(*id));
    if (!c) return problem(404, "not_found", "customer " + std::to_string(*id) + " does not exist");
    if (!CustomerScope(r, actions.collector_of).allows(*c)) return not_your_customer("customer " + std::to_string(*id));
    json::array items;
    for (const auto& i : collections::timeline(*tx, CustomerId(*id)))
      items.push_back({{"at", i.at}, {"kind", i.kind}, {"text", i.text}, {"actor", i.actor}});
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  // {"kind": "call|note", "text": "..."}
  router.add("POST", "/api/v1/customers/{id}/activities", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"kind", FieldKind::string}, {"text", FieldKind::string}});
    if (!body) return error;
    auto kind = string_field(*body, "kind");
    auto text = string_field(*body, "text");
    if (!kind || (*kind != "call" && *kind != "note") || !text || text->empty())
      return problem(400, "bad_parameter", "kind is call or note, and text says what happened");
    auto tx = store.begin();
    const auto c = tx->customers().get(CustomerId(*id));
    if (!c) return problem(404, "not_found", "customer " + std::to_string(*id) + " does not exist");
    if (!CustomerScope(r, actions.collector_of).allows(*c)) return not_your_customer("customer " + std::to_string(*id));
    const auto a = tx->activities().add_activity({{}, CustomerId(*id), *kind, *text, actor_of(r), {}});
    tx->audit().append({{}, {}, actor_of(r), "activity.logged", "customer", std::to_string(*id), *kind, "{}"});
    tx->commit();
    return json_response(201, json::serialize(json::object{{"id", a.value()}, {"message", *kind + " logged"}}));
  });

  // {"policy"?, "collector"?, "account_manager"?, "language"?}: who works the customer, the
  // language of its reminders, a policy overriding its segment's ("" clears it).
  router.add("POST", "/api/v1/customers/{id}/collections", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"policy", FieldKind::string}, {"collector", FieldKind::string}, {"account_manager", FieldKind::string}, {"language", FieldKind::string}});
    if (!body) return error;
    auto tx = store.begin();
    auto c = tx->customers().get(CustomerId(*id));
    if (!c) return problem(404, "not_found", "customer " + std::to_string(*id) + " does not exist");
    if (auto failed = if_match_fails(r, "W/\"c" + std::to_string(c->id.value()) + "-" + std::to_string(c->version) + "\"")) return *failed;
    if (auto v = string_field(*body, "policy")) {
      if (!v->empty() && !actions.settings().policies.policies.count(*v)) return problem(422, "unknown_policy", "no policy named '" + *v + "'");
      c->collection_policy = *v;
    }
    if (auto v = string_field(*body, "collector")) c->collector = *v;
    if (auto v = string_field(*body, "account_manager")) c->account_manager = *v;
    if (auto v = string_field(*body, "language")) c->language = *v;
    tx->customers().set_collections_profile(*c);
    tx->audit().append({{}, {}, actor_of(r), "customer.collections_profile", "customer", std::to_string(*id), "", json::serialize(*body)});
    tx->commit();
    return json_response(200, json::serialize(json::object{{"message", "customer updated"}}));
  });

  // {"policy": "NAME" or ""}: one invoice's own policy.
  router.add("POST", "/api/v1/invoices/{id}/collection-policy", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"policy", FieldKind::string}});
    if (!body) return error;
    auto policy = string_field(*body, "policy");
    if (!policy) return problem(400, "missing_field", "policy is required (\"\" for the customer's)");
    if (!policy->empty() && !actions.settings().policies.policies.count(*policy))
      return problem(422, "unknown_policy", "no policy named '" + *policy + "'");
    auto tx = store.begin();
    if (!tx->invoices().get(InvoiceId(*id))) return problem(404, "not_found", "invoice " + std::to_string(*id) + " does not exist");
    tx->invoices().set_collection_policy(InvoiceId(*id), *policy);
    tx->audit().append({{}, {}, actor_of(r), "invoice.collection_policy", "invoice", std::to_string(*id), *policy, "{}"});
    tx->commit();
    return json_response(200, json::serialize(json::object{{"message", "invoice updated"}}));
  });

  router.add("GET", "/api/v1/tasks", RunOn::worker, [&store, actions](HttpRequest& r) {
    std::optional<std::string> assignee;
    if (auto it = r.query.find("assignee"); it != r.query.end()) assignee = it->second;
    const CustomerScope scope(r, actions.collector_of);
    if (!scope.everyone()) assignee = scope.collector();
    auto tx = store.begin();
    json::array items;
    for (const auto& t : tx->activities().open_tasks(assignee)) items.push_back(task_json(t));
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  // {"outcome": "reached|left_message|promised|disputed|wrong_contact|done", "note": "..."}
  router.add("POST", "/api/v1/tasks/{id}/done", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"outcome", FieldKind::string}, {"note", FieldKind::string}});
    if (!body) return error;
    static const std::vector<std::string> kOutcomes = {"reached", "left_message", "promised", "disputed", "wrong_contact", "done"};
    auto result = string_field(*body, "outcome");
    if (!result || std::find(kOutcomes.begin(), kOutcomes.end(), *result) == kOutcomes.end())
      return problem(400, "bad_parameter", "outcome is reached, left_message, promised, disputed, wrong_contact or done");
    const std::string note = string_field(*body, "note").value_or("");
    auto tx = store.begin();
    const auto task = tx->activities().task(TaskId(*id));
    if (!task) return problem(404, "not_found", "task " + std::to_string(*id) + " does not exist");
    if (!CustomerScope(r, actions.collector_of).allows(*tx, task->customer_id)) return not_your_customer("task " + std::to_string(*id));
    if (auto failed = if_match_fails(r, etag_of(json::serialize(task_json(*task))))) return *failed;
    if (!tx->activities().complete_task(TaskId(*id), *result, note, actor_of(r))) return problem(409, "conflict", "the task is done already");
    tx->activities().add_activity({{}, task->customer_id, task->kind == "call" ? "call" : "task",
                                   task->title + ": " + *result + (note.empty() ? "" : " — " + note), actor_of(r), {}});
    tx->audit().append({{}, {}, actor_of(r), "task.done", "task", std::to_string(*id), *result, "{}"});
    tx->commit();
    return json_response(200, json::serialize(json::object{{"message", "task done"}}));
  });

  router.add("GET", "/api/v1/writeoffs", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    std::optional<WriteoffState> state;
    if (auto it = r.query.find("status"); it != r.query.end()) {
      state = parse_writeoff_state(it->second);
      if (!state) return problem(400, "bad_parameter", "status is proposed, approved or rejected");
    }
    auto tx = store.begin();
    json::array items;
    const CustomerScope scope(r, actions.collector_of);
    for (const auto& w : tx->writeoffs().list(state, std::nullopt, *page))
      if (scope.allows_invoice(*tx, w.invoice_id)) items.push_back(writeoff_json(w));
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
  });

  // {"invoice": "NUMBER or #ID", "amount": "12.00", "reason": "..."}
  router.add("POST", "/api/v1/writeoffs", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto body = body_of(r, error, {{"invoice", FieldKind::string}, {"reason", FieldKind::string}, {"amount", FieldKind::string}});
    if (!body) return error;
    auto invoice = string_field(*body, "invoice");
    if (!invoice) return problem(400, "missing_field", "invoice and reason are required");
    auto tx = store.begin();
    auto inv = cashapp::invoice_by_ref(*tx, *invoice);
    if (!inv) return outcome(Result<std::string>(inv.problem()));
    if (!CustomerScope(r, actions.collector_of).allows(*tx, inv.value().customer_id)) return not_your_customer("invoice " + *invoice);
    auto amount = money_field(*body, inv.value(), error);
    if (error.status >= 400) return error;
    auto id = collections::propose_writeoff(*tx, inv.value().id, amount, string_field(*body, "reason").value_or(""), actor_of(r));
    if (!id) return outcome(Result<std::string>(id.problem()));
    tx->commit();
    return json_response(201, json::serialize(json::object{{"id", id.value()}, {"message", "write-off proposed"}}));
  });

  for (const bool approve : {true, false}) {
    router.add("POST", approve ? "/api/v1/writeoffs/{id}/approve" : "/api/v1/writeoffs/{id}/reject", RunOn::worker,
               [&store, actions, approve](HttpRequest& r) {
                 HttpResponse error;
                 auto id = id_param(r, "id", error);
                 if (!id) return error;
                 auto tx = store.begin();
                 const Actor actor = actor_of(r);
                 if (const auto w = tx->writeoffs().get(*id))
                   if (auto failed = if_match_fails(r, etag_of(json::serialize(writeoff_json(*w))))) return *failed;
                 auto res = collections::decide_writeoff(*tx, *id, approve, actor, r.principal->at_least(Role::manager));
                 if (!res && res.problem().code == "WRITEOFF_FORBIDDEN") return problem(403, "writeoff_forbidden", res.problem().what);
                 if (res) tx->commit();
                 return outcome_of(res, "write-off " + std::to_string(*id) + (approve ? " approved" : " rejected"));
               });
  }

  router.add("GET", "/api/v1/kpis", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto as_of = date_param(r, "as_of", error);
    if (error.status >= 400) return error;
    auto tx = store.begin();
    const auto k = collections::compute_kpis(*tx, as_of.value_or(actions.today()));
    json::array currencies, disputes;
    for (const auto& c : k.currencies) {
      json::array aging;
      for (const auto& a : c.aging) aging.emplace_back(a.to_string());
      currencies.push_back({{"currency", c.currency},
                            {"ar", c.ar.to_string()},
                            {"aging", std::move(aging)},
                            {"dso_standard", c.dso_standard},
                            {"dso_countback", c.dso_countback},
                            {"best_possible_dso", c.best_possible_dso},
                            {"average_days_delinquent", c.average_days_delinquent},
                            {"cei", c.cei},
                            {"bad_debt_ratio", c.bad_debt_ratio},
                            {"unapplied", c.unapplied.to_string()}});
    }
    for (const auto& d : k.disputes)
      disputes.push_back({{"reason", d.reason}, {"currency", d.currency}, {"count", d.count}, {"value", d.value.to_string()}});
    return json_response(200, json::serialize(json::object{{"as_of", k.as_of.to_string()},
                                                           {"aging_buckets", json::array{"current", "1-30", "31-60", "61-90", "over 90"}},
                                                           {"currencies", std::move(currencies)},
                                                           {"disputes", std::move(disputes)},
                                                           {"auto_match_rate", k.auto_match_rate},
                                                           {"ptp_kept_rate", k.ptp_kept_rate}}));
  });

  // One case each, with an ETag: send it back as If-Match on the change, and a change made
  // by someone else in between gets 412 instead of being overwritten.
  // `load(tx, id)` reads it, `in_scope(tx, scope, case)` says whether the user's segment has it.
  auto one_case = [&router, &store, actions](const std::string& pattern, const std::string& what, auto load, auto in_scope, auto to_json) {
    router.add("GET", pattern, RunOn::worker, [&store, actions, what, load, in_scope, to_json](HttpRequest& r) {
      HttpResponse error;
      auto id = id_param(r, "id", error);
      if (!id) return error;
      auto tx = store.begin();
      const auto found = load(*tx, *id);
      if (!found) return problem(404, "not_found", what + " " + std::to_string(*id) + " does not exist");
      if (!in_scope(*tx, CustomerScope(r, actions.collector_of), *found)) return not_your_customer(what + " " + std::to_string(*id));
      return tagged_json(json::serialize(to_json(*found)));
    });
  };
  one_case("/api/v1/disputes/{id}", "dispute", [](Transaction& tx, long long id) { return tx.disputes().get(DisputeId(id)); },
           [](Transaction& tx, const CustomerScope& sc, const Dispute& d) { return sc.allows_invoice(tx, d.invoice_id); }, dispute_json);
  one_case("/api/v1/holds/{id}", "hold", [](Transaction& tx, long long id) { return tx.holds().get(HoldId(id)); },
           [](Transaction& tx, const CustomerScope& sc, const Hold& h) { return sc.allows(tx, h.customer_id); }, hold_json);
  one_case("/api/v1/tasks/{id}", "task", [](Transaction& tx, long long id) { return tx.activities().task(TaskId(id)); },
           [](Transaction& tx, const CustomerScope& sc, const Task& t) { return sc.allows(tx, t.customer_id); }, task_json);
  one_case("/api/v1/writeoffs/{id}", "write-off", [](Transaction& tx, long long id) { return tx.writeoffs().get(id); },
           [](Transaction& tx, const CustomerScope& sc, const Writeoff& w) { return sc.allows_invoice(tx, w.invoice_id); }, writeoff_json);
}

}  // namespace arcd::api
