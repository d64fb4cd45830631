#pragma once
// /api/v1/outbox: what waits to be delivered to the ERPs, what went dead, and a person's
// decisions on dead events (retry, drop).

#include "api/router.hpp"
#include "arcd/store.hpp"

namespace arcd::api {

void add_outbox_routes(Router& router, Store& store, std::shared_ptr<const Clock> clock);

}  // namespace arcd::api
