#include "api/cash_routes.hpp"

#include <boost/json.hpp>

#include "api/json_views.hpp"
#include "api/paging.hpp"
#include "api/request_util.hpp"
#include "cashapp/manual.hpp"
#include "cashapp/ptp.hpp"
#include "cashapp/typed_refs.hpp"

namespace arcd::api {
namespace json = boost::json;

namespace {

// ?customer=ID, optional; false (and a 400 in `error`) when it is not a number.
bool customer_param(const HttpRequest& r, std::optional<CustomerId>& customer, HttpResponse& error) {
  auto it = r.query.find("customer");
  if (it == r.query.end()) return true;
  try {
    customer = CustomerId(std::stoll(it->second));
    return true;
  } catch (const std::exception&) {
    error = problem(400, "bad_parameter", "customer is a customer id");
    return false;
  }
}

// A collector applies cash only to their own customers' invoices or accounts.
std::optional<Problem> out_of_scope(Transaction& tx, const CustomerScope& scope, const std::vector<cashapp::ManualLine>& lines,
                                    const std::optional<std::string>& on_account) {
  if (scope.everyone()) return std::nullopt;
  for (const auto& line : lines) {
    auto inv = cashapp::invoice_by_ref(tx, line.invoice);
    if (inv && !scope.allows(tx, inv.value().customer_id))
      return Problem{"NOT_YOUR_CUSTOMER", "invoice", "invoice " + line.invoice + " is a customer's outside your segment"};
  }
  if (on_account) {
    auto c = cashapp::customer_by_ref(tx, *on_account);
    if (c && !scope.allows(c.value())) return Problem{"NOT_YOUR_CUSTOMER", "customer", "customer " + *on_account + " is outside your segment"};
  }
  return std::nullopt;
}

}  // namespace

void add_cash_routes(Router& router, Store& store, CashActions actions) {
  router.add("POST", "/api/v1/cashapp/run", RunOn::worker, [actions](HttpRequest& r) {
    return json_response(200, actions.run(actor_of(r)).to_json());
  });

  router.add("GET", "/api/v1/applications", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    json::array items;
    auto tx = store.begin();
    for (const auto& a : tx->cash().applications(*page)) items.push_back(application_json(a));
    return json_response(200, json::serialize(json::object{{"items", items}}));
  });

  router.add("POST", "/api/v1/applications/{id}/reverse", RunOn::worker, [actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"reason", FieldKind::string}});
    if (!body) return error;
    const auto reason = string_field(*body, "reason").value_or("");
    const Actor actor = actor_of(r);
    return outcome(actions.exclusive([&](Store& s, const cashapp::MatchSettings&, Date today) -> Result<std::string> {
      auto tx = s.begin();
      auto result = cashapp::reverse_application(*tx, ApplicationId(*id), reason, today, actor);
      if (result) tx->commit();
      return result;
    }));
  });

  router.add("GET", "/api/v1/exceptions", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    json::array items;
    auto tx = store.begin();
    for (const auto& x : tx->cash().exceptions(*page)) items.push_back(exception_json(x, tx->entries().get(x.entry_id)));
    return json_response(200, json::serialize(json::object{{"items", items}}));
  });

  router.add("POST", "/api/v1/exceptions/{entry}/apply", RunOn::worker, [actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "entry", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"invoices", FieldKind::array}, {"on_account", FieldKind::string}, {"not_customer", FieldKind::string}});
    if (!body) return error;
    const Actor actor = actor_of(r);
    const EntryId entry(*id);
    std::vector<cashapp::ManualLine> lines;
    if (auto it = body->find("invoices"); it != body->end()) {
      if (!it->value().is_array()) return problem(400, "bad_request", "invoices is an array of {number, amount?}");
      for (const auto& v : it->value().as_array()) {
        if (!v.is_object()) return problem(400, "bad_request", "invoices is an array of {number, amount?}");
        auto number = string_field(v.as_object(), "number");
        if (!number) return problem(400, "bad_request", "every invoice needs a number");
        lines.push_back({*number, string_field(v.as_object(), "amount")});
      }
    }
    const auto on_account = string_field(*body, "on_account");
    const auto not_customer = string_field(*body, "not_customer");
    if ((!lines.empty()) + on_account.has_value() + not_customer.has_value() != 1) {
      return problem(400, "bad_request", "give exactly one of invoices, on_account or not_customer");
    }
    // Saying a credit is not a customer's payment takes it out of AR: a manager's call.
    if (not_customer && !r.principal->at_least(Role::manager))
      return problem(403, "forbidden", "marking a payment as not a customer's needs the role manager");
    const CustomerScope scope(r, actions.collector_of);
    return outcome(actions.exclusive([&](Store& s, const cashapp::MatchSettings& settings, Date today) -> Result<std::string> {
      auto tx = s.begin();
      if (auto refused = out_of_scope(*tx, scope, lines, on_account)) return *refused;
      Result<std::string> result = !lines.empty()  ? cashapp::apply_entry(*tx, entry, lines, settings, today, actor)
                                   : on_account    ? cashapp::put_on_account(*tx, entry, *on_account, today, actor)
                                                   : cashapp::mark_not_customer(*tx, entry, *not_customer, today, actor);
      if (result) tx->commit();
      return result;
    }));
  });

  router.add("GET", "/api/v1/ptps", RunOn::worker, [&store, actions](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    std::optional<CustomerId> customer;
    if (!customer_param(r, customer, error)) return error;
    std::optional<PtpState> state;
    if (auto it = r.query.find("state"); it != r.query.end()) {
      state = parse_ptp_state(it->second);
      if (!state) return problem(400, "bad_parameter", "state is open, kept, partially_kept, broken or cancelled");
    }
    json::array items;
    auto tx = store.begin();
    const CustomerScope scope(r, actions.collector_of);
    for (const auto& p : tx->ptps().list(customer, state, *page))
      if (scope.allows(*tx, p.customer_id)) items.push_back(ptp_json(p));
    return json_response(200, json::serialize(json::object{{"items", items}}));
  });

  router.add("POST", "/api/v1/ptps", RunOn::worker, [actions](HttpRequest& r) {
    HttpResponse error;
    auto body = body_of(r, error, {{"customer", FieldKind::string}, {"invoices", FieldKind::array}, {"amount", FieldKind::string}, {"currency", FieldKind::string}, {"promised_date", FieldKind::string}, {"channel", FieldKind::string}, {"grace_days", FieldKind::integer}});
    if (!body) return error;
    const Actor actor = actor_of(r);
    const auto customer = string_field(*body, "customer");
    const auto amount = string_field(*body, "amount");
    const auto currency = string_field(*body, "currency");
    const auto date = string_field(*body, "promised_date");
    if (!customer || !amount || !currency || !date) {
      return problem(400, "bad_request", "customer, amount, currency and promised_date are required (strings)");
    }
    std::vector<std::string> numbers;
    if (auto it = body->find("invoices"); it != body->end() && it->value().is_array()) {
      for (const auto& v : it->value().as_array()) {
        if (v.is_string()) numbers.emplace_back(v.as_string());
      }
    }
    int grace = -1;
    if (auto it = body->find("grace_days"); it != body->end()) {
      if (!it->value().is_int64()) return problem(400, "bad_request", "grace_days is a whole number");
      grace = static_cast<int>(it->value().as_int64());
    }
    const std::string channel = string_field(*body, "channel").value_or("");
    const CustomerScope scope(r, actions.collector_of);
    return outcome(actions.exclusive([&](Store& s, const cashapp::MatchSettings& settings, Date today) -> Result<std::string> {
      auto tx = s.begin();
      auto request = cashapp::ptp_request(*tx, *customer, numbers, *amount, *currency, *date, channel,
                                          grace >= 0 ? grace : settings.ptp_grace_days);
      if (!request) return request.problem();
      if (!scope.allows(*tx, request.value().customer)) return Problem{"NOT_YOUR_CUSTOMER", "customer", "customer " + *customer + " is outside your segment"};
      auto id = cashapp::add_ptp(*tx, request.value(), today, actor);
      if (!id) return id.problem();
      tx->commit();
      return "promise to pay " + id.value().to_string() + " recorded";
    }));
  });

  router.add("POST", "/api/v1/ptps/{id}/cancel", RunOn::worker, [actions](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto body = body_of(r, error, {{"reason", FieldKind::string}});
    if (!body) return error;
    const auto reason = string_field(*body, "reason").value_or("");
    const Actor actor = actor_of(r);
    const CustomerScope scope(r, actions.collector_of);
    return outcome(actions.exclusive([&](Store& s, const cashapp::MatchSettings&, Date) -> Result<std::string> {
      auto tx = s.begin();
      if (const auto p = tx->ptps().get(PtpId(*id)); p && !scope.allows(*tx, p->customer_id))
        return Problem{"NOT_YOUR_CUSTOMER", "ptp", "promise " + std::to_string(*id) + " is a customer's outside your segment"};
      auto result = cashapp::cancel_ptp(*tx, PtpId(*id), reason, actor);
      if (!result) return result.problem();
      tx->commit();
      return std::string("promise to pay ") + std::to_string(*id) + " cancelled";
    }));
  });

  router.add("GET", "/api/v1/ptps/kept-rate", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    std::optional<CustomerId> customer;
    if (!customer_param(r, customer, error)) return error;
    auto tx = store.begin();
    const auto k = cashapp::ptp_kept_rate(*tx, customer);
    return json_response(200, json::serialize(json::object{{"kept", k.kept},
                                                           {"partially_kept", k.partially_kept},
                                                           {"broken", k.broken},
                                                           {"open", k.open},
                                                           {"cancelled", k.cancelled},
                                                           {"kept_rate_percent", k.rate()}}));
  });
}

}  // namespace arcd::api
