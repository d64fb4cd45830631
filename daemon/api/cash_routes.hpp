#pragma once
// Cash application and promises to pay over HTTP. The acting user is the token's
// ("api:<user>") and is recorded on every change.
//   POST /api/v1/cashapp/run                              run now; 200 + run summary
//   GET  /api/v1/applications?after=ID&limit=N
//   POST /api/v1/applications/{id}/reverse   {"reason"}   200 {"message"}
//   GET  /api/v1/exceptions?after=ENTRY&limit=N          the exception queue, by entry id
//   POST /api/v1/exceptions/{entry}/apply    {"invoices": [{"number", "amount"?}]} | {"on_account": "CUSTOMER"}
//                                            | {"not_customer": "REASON"}
//   GET  /api/v1/ptps?customer=ID&state=S&after=ID&limit=N
//   POST /api/v1/ptps   {"customer", "invoices"?: [numbers], "amount", "currency", "promised_date", "channel"?, "grace_days"?}
//   POST /api/v1/ptps/{id}/cancel            {"reason"}
//   GET  /api/v1/ptps/kept-rate?customer=ID
// Errors: 400 bad request, 404 not_found, 409 cash_invalid / cash_overapplied / ptp_invalid.

#include <functional>
#include <string>

#include "api/router.hpp"
#include "api/scope.hpp"
#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "cashapp/run.hpp"
#include "cashapp/settings.hpp"

namespace arcd::api {

struct CashActions {
  std::function<cashapp::RunSummary(const Actor&)> run;
  // Runs a person's action serialized with cash-application runs.
  using Action = std::function<Result<std::string>(Store&, const cashapp::MatchSettings&, Date today)>;
  std::function<Result<std::string>(const Action&)> exclusive;
  CollectorOf collector_of;  // a collector's segment (api/scope.hpp)
};

void add_cash_routes(Router& router, Store& store, CashActions actions);

}  // namespace arcd::api
