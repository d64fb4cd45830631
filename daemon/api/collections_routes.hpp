#pragma once
// /api/v1 routes of the collections workflow: runs (dry or not), worklist, disputes, holds,
// a customer's timeline and logged calls, tasks and their outcomes, write-offs, KPIs.
// The acting user is recorded with every change.

#include <functional>

#include "api/router.hpp"
#include "api/scope.hpp"
#include "arcd/store.hpp"
#include "collections/run.hpp"
#include "collections/settings.hpp"

namespace arcd::api {

struct CollectionsActions {
  std::function<collections::RunReport(const collections::RunOptions&)> run;
  std::function<collections::CollectionsSettings()> settings;
  std::function<Date()> today;
  CollectorOf collector_of;  // a collector's segment (api/scope.hpp)
};

void add_collections_routes(Router& router, Store& store, CollectionsActions actions);

}  // namespace arcd::api
