#pragma once
// GET /api/v1/forecast?as_of=D&horizon=DAYS&by=currency|entity&flows=true
//   {as_of, horizon_days, by, buckets: [{period, from, to, currency, group, amount, flows}],
//    disputed_held_out: [{currency, amount}], on_account_netted: [{currency, amount}],
//    flows?: [{key, invoice_id, customer_id, entity, currency, amount, expected, basis,
//              probability, days_late_assumed}]}

#include <functional>

#include "api/router.hpp"
#include "api/scope.hpp"
#include "arcd/store.hpp"
#include "forecast/forecast.hpp"

namespace arcd::api {

// A collector's forecast covers the customers of their segment; everyone else's the portfolio.
void add_forecast_routes(Router& router, Store& store, forecast::ForecastSettings settings, std::function<Date()> today,
                         CollectorOf collector_of);

}  // namespace arcd::api
