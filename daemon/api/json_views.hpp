#pragma once
// The JSON shape of model objects in the API (and arcctl --format json). Field names are part
// of the public contract: add, never rename.

#include <boost/json/object.hpp>

#include "arcd/model.hpp"
#include "arcd/store.hpp"

namespace arcd::api {

boost::json::object statement_json(const Statement& s);
boost::json::object entry_json(const Entry& e);
boost::json::object application_json(const Application& a);
// The queued amount with the payment a person needs to see to decide (payer, text, date).
boost::json::object exception_json(const CashException& x, const std::optional<Entry>& entry = std::nullopt);
boost::json::object ptp_json(const Ptp& p);
// An outbox event, its payload as JSON (never secrets: payloads carry amounts and references).
boost::json::object outbox_event_json(const OutboxEvent& e);

}  // namespace arcd::api
