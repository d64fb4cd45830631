#include "api/forecast_routes.hpp"

#include <boost/json.hpp>

namespace arcd::api {
namespace json = boost::json;

namespace {

json::array per_currency(const std::map<std::string, std::int64_t>& sums) {
  json::array out;
  for (const auto& [code, minor] : sums) out.push_back({{"currency", code}, {"amount", Money(minor, Currency::of(code)).to_string()}});
  return out;
}

}  // namespace

void add_forecast_routes(Router& router, Store& store, forecast::ForecastSettings settings, std::function<Date()> today,
                         CollectorOf collector_of) {
  router.add("GET", "/api/v1/forecast", RunOn::worker, [&store, settings, today, collector_of](HttpRequest& r) {
    Date as_of = today();
    if (auto it = r.query.find("as_of"); it != r.query.end()) {
      auto d = Date::parse(it->second);
      if (!d) return problem(400, "bad_parameter", "as_of is a date YYYY-MM-DD");
      as_of = *d;
    }
    int horizon = 90;
    if (auto it = r.query.find("horizon"); it != r.query.end()) {
      try {
        std::size_t used = 0;
        horizon = std::stoi(it->second, &used);
        if (used != it->second.size() || horizon < 1 || horizon > 730) throw std::out_of_range("horizon");
      } catch (const std::exception&) {
        return problem(400, "bad_parameter", "horizon is a number of days, 1..730");
      }
    }
    auto by = forecast::GroupBy::currency;
    if (auto it = r.query.find("by"); it != r.query.end()) {
      if (it->second == "entity") by = forecast::GroupBy::entity;
      else if (it->second == "account") by = forecast::GroupBy::account;
      else if (it->second != "currency") return problem(400, "bad_parameter", "by is currency, entity or account");
    }
    const bool with_flows = r.query.count("flows") && r.query.at("flows") == "true";
    auto tx = store.begin();
    auto f = forecast::build_forecast(*tx, settings, as_of);
    if (const CustomerScope scope(r, collector_of); !scope.everyone()) {
      std::map<std::int64_t, bool> allowed;
      std::erase_if(f.flows, [&](const forecast::ExpectedInflow& e) {
        auto [it, fresh] = allowed.try_emplace(e.customer.value(), false);
        if (fresh) it->second = scope.allows(*tx, e.customer);
        return !it->second;
      });
    }
    json::array buckets;
    for (const auto& b : forecast::bucket_forecast(f, horizon, by))
      buckets.push_back({{"period", b.period},
                         {"from", b.from.to_string()},
                         {"to", b.to.to_string()},
                         {"currency", b.currency},
                         {"group", b.group},
                         {"amount", Money(b.amount_minor, Currency::of(b.currency)).to_string()},
                         {"flows", b.flows}});
    json::object o{{"as_of", as_of.to_string()},
                   {"horizon_days", horizon},
                   {"by", by == forecast::GroupBy::entity ? "entity" : by == forecast::GroupBy::account ? "account" : "currency"},
                   {"buckets", std::move(buckets)},
                   {"disputed_held_out", per_currency(f.disputed)},
                   {"on_account_netted", per_currency(f.on_account)}};
    if (with_flows) {
      json::array flows;
      for (const auto& e : f.flows) {
        if (e.expected > as_of.plus_days(horizon)) continue;
        flows.push_back({{"key", e.key},
                         {"invoice_id", e.invoice.value()},
                         {"customer_id", e.customer.value()},
                         {"entity", e.entity},
                         {"account", e.account},
                         {"currency", std::string(e.amount.currency().code())},
                         {"amount", e.amount.to_string()},
                         {"expected", e.expected.to_string()},
                         {"basis", std::string(forecast::to_string(e.basis))},
                         {"probability", std::string(forecast::to_string(e.probability))},
                         {"days_late_assumed", e.days_late_assumed}});
      }
      o["flows"] = std::move(flows);
    }
    return json_response(200, json::serialize(o));
  });
}

}  // namespace arcd::api
