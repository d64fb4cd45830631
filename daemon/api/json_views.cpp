#include "api/json_views.hpp"

#include <boost/json.hpp>

namespace arcd::api {
namespace json = boost::json;

namespace {
json::value date_or_null(const std::optional<Date>& d) { return d ? json::value(d->to_string()) : json::value(nullptr); }
}  // namespace

json::object statement_json(const Statement& s) {
  json::array balances;
  for (const auto& b : s.balances) {
    balances.push_back(json::object{{"type", b.type},
                                    {"amount", b.amount.to_string()},
                                    {"currency", std::string(b.amount.currency().code())},
                                    {"date", date_or_null(b.date)}});
  }
  return json::object{{"id", s.id.value()},
                      {"format", s.format},
                      {"kind", s.kind},
                      {"account", s.account},
                      {"currency", std::string(s.currency.code())},
                      {"bank_statement_id", s.bank_statement_id},
                      {"sequence", s.sequence ? json::value(*s.sequence) : json::value(nullptr)},
                      {"created_at", s.created_at ? json::value(to_iso8601(*s.created_at)) : json::value(nullptr)},
                      {"from_date", date_or_null(s.from_date)},
                      {"to_date", date_or_null(s.to_date)},
                      {"file_sha256", s.file_sha256},
                      {"warnings", s.warnings},
                      {"balances", balances}};
}

json::object entry_json(const Entry& e) {
  json::array refs;
  for (const auto& r : e.details.creditor_references) refs.push_back(json::object{{"type", r.type}, {"reference", r.reference}});
  return json::object{{"id", e.id.value()},
                      {"statement_id", e.statement_id.value()},
                      {"entry_key", e.entry_key},
                      {"amount", e.amount.to_string()},
                      {"currency", std::string(e.amount.currency().code())},
                      {"direction", std::string(to_string(e.direction))},
                      {"reversal", e.reversal},
                      {"status", std::string(to_string(e.status))},
                      {"booking_date", date_or_null(e.booking_date)},
                      {"value_date", date_or_null(e.value_date)},
                      {"bank_transaction_code", e.bank_transaction_code},
                      {"bank_reference", e.bank_reference},
                      {"end_to_end_id", e.end_to_end_id},
                      {"payer_name", e.payer_name},
                      {"payer_account", e.payer_account},
                      {"remittance", e.remittance},
                      {"structured_reference", e.structured_reference},
                      {"creditor_references", refs},
                      {"return_reason", e.details.return_reason},
                      {"batch_key", e.batch_key},
                      {"entry_amount", e.entry_amount.to_string()},
                      {"detail_index", e.detail_index},
                      {"detail_count", e.detail_count}};
}

json::object application_json(const Application& a) {
  return json::object{{"id", a.id.value()},
                      {"entry_id", a.entry_id.value()},
                      {"kind", std::string(to_string(a.kind))},
                      {"invoice_id", a.invoice_id ? json::value(a.invoice_id->value()) : json::value(nullptr)},
                      {"customer_id", a.customer_id ? json::value(a.customer_id->value()) : json::value(nullptr)},
                      {"amount", a.amount.to_string()},
                      {"currency", std::string(a.amount.currency().code())},
                      {"invoice_amount", a.invoice_amount ? json::value(a.invoice_amount->to_string()) : json::value(nullptr)},
                      {"invoice_currency",
                       a.invoice_amount ? json::value(std::string(a.invoice_amount->currency().code())) : json::value(nullptr)},
                      {"reverses", a.reverses ? json::value(a.reverses->value()) : json::value(nullptr)},
                      {"rule", a.rule},
                      {"reason", a.reason},
                      {"actor", a.actor},
                      {"created_at", to_iso8601(a.created_at)}};
}

json::object exception_json(const CashException& x, const std::optional<Entry>& entry) {
  json::value candidates;
  try {
    candidates = json::parse(x.candidates);
  } catch (const std::exception&) {
    candidates = json::array();
  }
  return json::object{{"entry_id", x.entry_id.value()},
                      {"amount", x.amount.to_string()},
                      {"currency", std::string(x.amount.currency().code())},
                      {"reason", x.reason},
                      {"detail", x.detail},
                      {"customer_id", x.customer_id ? json::value(x.customer_id->value()) : json::value(nullptr)},
                      {"candidates", candidates},
                      {"updated_at", to_iso8601(x.updated_at)},
                      {"entry", entry ? json::value(json::object{{"direction", std::string(to_string(entry->direction))},
                                                                 {"amount", entry->amount.to_string()},
                                                                 {"booking_date", date_or_null(entry->booking_date)},
                                                                 {"payer_name", entry->payer_name},
                                                                 {"payer_account", entry->payer_account},
                                                                 {"end_to_end_id", entry->end_to_end_id},
                                                                 {"structured_reference", entry->structured_reference},
                                                                 {"remittance", entry->remittance}})
                                      : json::value(nullptr)}};
}

json::object ptp_json(const Ptp& p) {
  json::array invoices;
  for (auto id : p.invoices) invoices.push_back(id.value());
  return json::object{{"id", p.id.value()},
                      {"customer_id", p.customer_id.value()},
                      {"invoices", invoices},
                      {"amount", p.amount.to_string()},
                      {"paid", p.paid.to_string()},
                      {"currency", std::string(p.amount.currency().code())},
                      {"promised_date", p.promised_date.to_string()},
                      {"grace_days", p.grace_days},
                      {"channel", p.channel},
                      {"state", std::string(to_string(p.state))},
                      {"recorded_by", p.recorded_by},
                      {"created_at", to_iso8601(p.created_at)}};
}

json::object outbox_event_json(const OutboxEvent& e) {
  json::error_code ec;
  json::value payload = json::parse(e.payload, ec);
  if (ec) payload = json::value(e.payload);
  json::object o{{"id", e.id.value()},
                 {"destination", e.destination},
                 {"kind", e.kind},
                 {"idempotency_key", e.idempotency_key},
                 {"ordering_key", e.ordering_key},
                 {"status", std::string(to_string(e.status))},
                 {"attempts", e.attempts},
                 {"next_attempt_at", to_iso8601(e.next_attempt_at)},
                 {"last_error", e.last_error},
                 {"created_at", to_iso8601(e.created_at)},
                 {"delivered_at", e.delivered_at ? json::value(to_iso8601(*e.delivered_at)) : json::value(nullptr)},
                 {"claimed_by", e.claimed_by},
                 {"remote_id", e.remote_id},
                 {"payload", std::move(payload)}};
  return o;
}

}  // namespace arcd::api
