#include "store/entry_details_json.hpp"

#include <boost/json.hpp>

namespace arcd::store {
namespace json = boost::json;

namespace {

json::value money(const std::optional<Money>& m, const json::storage_ptr& sp) {
  if (!m) return json::value(nullptr, sp);
  const Currency currency = m->currency();
  return json::object({{"amount", m->to_string()}, {"currency", currency.code()}}, sp);
}

std::optional<Money> money(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_object()) return std::nullopt;
  const auto& m = it->value().as_object();
  try {
    return Money::parse(json::value_to<std::string>(m.at("amount")), Currency::of(json::value_to<std::string>(m.at("currency"))));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string str(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

}  // namespace

std::string entry_details_to_json(const EntryDetails& d) {
  // Written for every stored entry: the document is built in a buffer on the stack (a malloc()
  // per key and value was most of this function's time), and spills to the heap only if large.
  unsigned char buffer[4096];
  json::monotonic_resource arena(buffer, sizeof buffer);
  const json::storage_ptr sp(&arena);
  json::object o(sp);
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) o[k] = v;
  };
  put("entry_reference", d.entry_reference);
  put("message_id", d.message_id);
  put("payment_information_id", d.payment_information_id);
  put("instruction_id", d.instruction_id);
  put("transaction_id", d.transaction_id);
  put("mandate_id", d.mandate_id);
  put("uetr", d.uetr);
  put("ultimate_debtor", d.ultimate_debtor);
  put("creditor_name", d.creditor_name);
  put("creditor_account", d.creditor_account);
  put("payer_bic", d.payer_bic);
  put("exchange_rate", d.exchange_rate);
  put("source_currency", d.source_currency);
  put("target_currency", d.target_currency);
  put("return_reason", d.return_reason);
  put("additional_entry_info", d.additional_entry_info);
  put("additional_transaction_info", d.additional_transaction_info);
  if (d.instructed_amount) o["instructed_amount"] = money(d.instructed_amount, sp);
  if (d.transaction_amount) o["transaction_amount"] = money(d.transaction_amount, sp);
  if (d.charges) o["charges"] = money(d.charges, sp);
  if (!d.creditor_references.empty()) {
    json::array a(sp);
    for (const auto& r : d.creditor_references) {
      a.push_back(json::object({{"type", r.type}, {"issuer", r.issuer}, {"reference", r.reference}}, sp));
    }
    o["creditor_references"] = std::move(a);
  }
  if (!d.referred_documents.empty()) {
    json::array a(sp);
    for (const auto& r : d.referred_documents) a.push_back(json::object({{"number", r.number}, {"amount", money(r.amount, sp)}}, sp));
    o["referred_documents"] = std::move(a);
  }
  return json::serialize(o);
}

EntryDetails entry_details_from_json(const std::string& text) {
  EntryDetails d;
  if (text.empty() || text == "{}") return d;  // most entries: nothing beyond the columns
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return d;
  const auto& o = v.as_object();
  d.entry_reference = str(o, "entry_reference");
  d.message_id = str(o, "message_id");
  d.payment_information_id = str(o, "payment_information_id");
  d.instruction_id = str(o, "instruction_id");
  d.transaction_id = str(o, "transaction_id");
  d.mandate_id = str(o, "mandate_id");
  d.uetr = str(o, "uetr");
  d.ultimate_debtor = str(o, "ultimate_debtor");
  d.creditor_name = str(o, "creditor_name");
  d.creditor_account = str(o, "creditor_account");
  d.payer_bic = str(o, "payer_bic");
  d.exchange_rate = str(o, "exchange_rate");
  d.source_currency = str(o, "source_currency");
  d.target_currency = str(o, "target_currency");
  d.return_reason = str(o, "return_reason");
  d.additional_entry_info = str(o, "additional_entry_info");
  d.additional_transaction_info = str(o, "additional_transaction_info");
  d.instructed_amount = money(o, "instructed_amount");
  d.transaction_amount = money(o, "transaction_amount");
  d.charges = money(o, "charges");
  if (auto it = o.find("creditor_references"); it != o.end() && it->value().is_array()) {
    for (const auto& r : it->value().as_array()) {
      if (!r.is_object()) continue;
      d.creditor_references.push_back({str(r.as_object(), "type"), str(r.as_object(), "issuer"), str(r.as_object(), "reference")});
    }
  }
  if (auto it = o.find("referred_documents"); it != o.end() && it->value().is_array()) {
    for (const auto& r : it->value().as_array()) {
      if (!r.is_object()) continue;
      d.referred_documents.push_back({str(r.as_object(), "number"), money(r.as_object(), "amount")});
    }
  }
  return d;
}

}  // namespace arcd::store
