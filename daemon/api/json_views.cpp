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

}  // namespace arcd::api
