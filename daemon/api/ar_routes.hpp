#pragma once
// What AR staff read: customers with their true balance, invoices by status, customer,
// overdue range or dispute, and the portfolio's aging.
//   GET /api/v1/customers?q=TEXT&after=ID&limit=N
//   GET /api/v1/customers/{id}?as_of=D            balance per currency, aging, risk, open invoices; ETag
//   GET /api/v1/invoices?customer&status&overdue_min&overdue_max&disputed&as_of&after&limit
//   GET /api/v1/invoices/{id}                      with applications and disputes; ETag
//   GET /api/v1/aging?as_of=D                      every open invoice aged, per currency

#include <functional>

#include "api/router.hpp"
#include "api/scope.hpp"
#include "arcd/store.hpp"

namespace arcd::api {

struct ArReadContext {
  std::function<Date()> today;
  CollectorOf collector_of;
};

void add_ar_routes(Router& router, Store& store, ArReadContext context);

}  // namespace arcd::api
