#include "mapping/tms/inflow_feed.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "arcd/digest.hpp"
#include "arcd/error.hpp"
#include "mapping/csv_writer.hpp"
#include "mapping/json_fields.hpp"

namespace arcd::mapping::tms {
namespace json = boost::json;

namespace {

// 95 -> "0.95": a decimal written from integers, never through a float.
std::string probability_text(int percent) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d.%02d", percent / 100, percent % 100);
  return buf;
}

// One CSV line, fields quoted where they must be.
std::string csv_line(std::initializer_list<std::string> fields) {
  std::string out;
  bool first = true;
  for (const auto& v : fields) {
    if (!first) out += ',';
    out += csv_field(v);
    first = false;
  }
  return out + '\n';
}

}  // namespace

std::string feed_json(const Feed& feed) {
  json::array removed, flows;
  for (const auto& r : feed.removed_references) removed.emplace_back(r);
  for (const auto& f : feed.flows) {
    flows.push_back({{"entity", f.entity},
                     {"account_id", f.account_id},
                     {"value_date", f.value_date.to_string()},
                     {"amount", f.amount.to_string()},
                     {"currency", std::string(f.amount.currency().code())},
                     {"category", f.category},
                     {"certainty", f.certainty},
                     // A JSON number, as receivers expect; parsed from its exact decimal text.
                     {"probability", json::parse(probability_text(f.probability_percent))},
                     {"counterparty", {{"id", f.counterparty_id}, {"name", f.counterparty_name}}},
                     {"reference", f.reference},
                     {"invoice", {{"number", f.invoice_number}, {"due_date", f.due_date.to_string()}, {"source_erp", f.source_erp}}}});
  }
  json::object out{{"feed_id", feed.feed_id}};
  if (feed.version > 0) out["version"] = feed.version;
  out["generated_at"] = to_iso8601(feed.generated_at);
  out["horizon"] = {{"from", feed.from.to_string()}, {"to", feed.to.to_string()}};
  out["mode"] = feed.mode;
  out["removed_references"] = std::move(removed);
  out["flows"] = std::move(flows);
  if (!feed.receipts.empty()) {
    json::array receipts;
    for (const auto& r : feed.receipts)
      receipts.push_back({{"reference", r.reference},
                          {"application_id", r.application_id},
                          {"entity", r.entity},
                          {"account_id", r.account_id},
                          {"value_date", r.value_date.to_string()},
                          {"amount", r.amount.to_string()},
                          {"currency", std::string(r.amount.currency().code())},
                          {"counterparty", {{"id", r.counterparty_id}, {"name", r.counterparty_name}}},
                          {"invoice_number", r.invoice_number}});
    out["receipts"] = std::move(receipts);
  }
  return json::serialize(out);
}

namespace {

// Strict reads of what feed_json wrote; a failure names the field.
struct Reader {
  std::string where;
  const json::value& at(const json::object& o, const char* key) const {
    const auto* v = o.if_contains(key);
    if (!v) throw Error("FEED_PARSE", where + key + ": missing");
    return *v;
  }
  std::string str(const json::object& o, const char* key) const {
    const auto& v = at(o, key);
    if (!v.is_string()) throw Error("FEED_PARSE", where + key + ": not a string");
    return std::string(v.as_string());
  }
  const json::object& obj(const json::object& o, const char* key) const {
    const auto& v = at(o, key);
    if (!v.is_object()) throw Error("FEED_PARSE", where + key + ": not an object");
    return v.as_object();
  }
  const json::array& arr(const json::object& o, const char* key) const {
    const auto& v = at(o, key);
    if (!v.is_array()) throw Error("FEED_PARSE", where + key + ": not an array");
    return v.as_array();
  }
  Date date(const json::object& o, const char* key) const {
    const auto d = Date::parse(str(o, key));
    if (!d) throw Error("FEED_PARSE", where + key + ": not a date");
    return *d;
  }
  Money money(const json::object& o, const char* amount, const char* currency) const {
    const auto c = Currency::find(str(o, currency));
    if (!c) throw Error("FEED_PARSE", where + currency + ": not an ISO 4217 currency");
    try {
      return Money::parse(str(o, amount), *c);
    } catch (const Error& e) {
      throw Error("FEED_PARSE", where + amount + ": " + e.detail());
    }
  }
  // Calls f(reader, object) for each element of the array `key`, each reader naming "key[i].".
  template <class F>
  void each_object(const json::object& o, const char* key, F f) const {
    const auto& items = arr(o, key);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Reader e{where + key + "[" + std::to_string(i) + "]."};
      if (!items[i].is_object()) throw Error("FEED_PARSE", e.where + ": not an object");
      f(e, items[i].as_object());
    }
  }
  std::int64_t integer(const json::object& o, const char* key) const {
    const auto& v = at(o, key);
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.as_uint64());
    throw Error("FEED_PARSE", where + key + ": not an integer");
  }
};

// 0.95 -> 95: the number read through its exact decimal text, as json_fields reads amounts.
int percent_of(const json::value& v, const std::string& where) {
  std::int64_t hundredths = -1;
  try {
    if (v.is_number()) hundredths = money_from_json(v, Currency::of("EUR"), where + "probability").minor();
  } catch (const Error&) {
    hundredths = -1;  // out of range
  }
  if (hundredths < 0 || hundredths > 100) throw Error("FEED_PARSE", where + "probability: not a number between 0 and 1 in hundredths");
  return static_cast<int>(hundredths);
}

}  // namespace

Feed parse_feed_json(std::string_view text) {
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec) throw Error("FEED_PARSE", "not JSON: " + ec.message());
  if (!doc.is_object()) throw Error("FEED_PARSE", "the feed is not a JSON object");
  const auto& o = doc.as_object();
  Reader r;
  Feed f;
  f.feed_id = r.str(o, "feed_id");
  if (o.contains("version")) f.version = r.integer(o, "version");
  const auto at = parse_iso8601(r.str(o, "generated_at"));
  if (!at) throw Error("FEED_PARSE", "generated_at: not an ISO 8601 instant");
  f.generated_at = *at;
  const auto& horizon = r.obj(o, "horizon");
  f.from = Reader{"horizon."}.date(horizon, "from");
  f.to = Reader{"horizon."}.date(horizon, "to");
  f.mode = r.str(o, "mode");
  for (const auto& v : r.arr(o, "removed_references")) {
    if (!v.is_string()) throw Error("FEED_PARSE", "removed_references: not a string");
    f.removed_references.emplace_back(v.as_string());
  }
  r.each_object(o, "flows", [&](const Reader& e, const json::object& x) {
    FeedFlow flow;
    flow.entity = e.str(x, "entity");
    flow.account_id = e.str(x, "account_id");
    flow.value_date = e.date(x, "value_date");
    flow.amount = e.money(x, "amount", "currency");
    flow.category = e.str(x, "category");
    flow.certainty = e.str(x, "certainty");
    flow.probability_percent = percent_of(e.at(x, "probability"), e.where);
    const auto& cp = e.obj(x, "counterparty");
    flow.counterparty_id = e.str(cp, "id");
    flow.counterparty_name = e.str(cp, "name");
    flow.reference = e.str(x, "reference");
    const auto& inv = e.obj(x, "invoice");
    flow.invoice_number = e.str(inv, "number");
    flow.due_date = e.date(inv, "due_date");
    flow.source_erp = e.str(inv, "source_erp");
    if (const auto p = flow.reference.find(":ptp:"); p != std::string::npos) flow.ptp_id = std::atoll(flow.reference.c_str() + p + 5);
    f.flows.push_back(std::move(flow));
  });
  if (o.contains("receipts")) {
    r.each_object(o, "receipts", [&](const Reader& e, const json::object& x) {
      Receipt rc;
      rc.reference = e.str(x, "reference");
      rc.application_id = e.integer(x, "application_id");
      rc.entity = e.str(x, "entity");
      rc.account_id = e.str(x, "account_id");
      rc.value_date = e.date(x, "value_date");
      rc.amount = e.money(x, "amount", "currency");
      const auto& cp = e.obj(x, "counterparty");
      rc.counterparty_id = e.str(cp, "id");
      rc.counterparty_name = e.str(cp, "name");
      rc.invoice_number = e.str(x, "invoice_number");
      f.receipts.push_back(std::move(rc));
    });
  }
  return f;
}

std::string feed_csv(const Feed& feed) {
  std::string out =
      "feed_id,generated_at,entity,account_id,value_date,amount,currency,category,certainty,probability,counterparty_id,"
      "counterparty_name,reference,invoice_number,due_date,source_erp\n";
  const std::string generated = to_iso8601(feed.generated_at);
  for (const auto& f : feed.flows)
    out += csv_line({feed.feed_id, generated, f.entity, f.account_id, f.value_date.to_string(), f.amount.to_string(),
                     std::string(f.amount.currency().code()), f.category, f.certainty, probability_text(f.probability_percent),
                     f.counterparty_id, f.counterparty_name, f.reference, f.invoice_number, f.due_date.to_string(), f.source_erp});
  for (const auto& r : feed.receipts)
    out += csv_line({feed.feed_id, generated, r.entity, r.account_id, r.value_date.to_string(), r.amount.to_string(),
                     std::string(r.amount.currency().code()), "AR_COLLECTION", "ACTUAL", "1.00", r.counterparty_id, r.counterparty_name,
                     r.reference + ":receipt:" + std::to_string(r.application_id), r.invoice_number, "", r.entity});
  return out;
}

namespace {

// Coupa's free-text comment: the promise, or how sure the prediction is.
std::string coupa_comment(const FeedFlow& f) {
  if (f.certainty == "PROMISED" && f.ptp_id > 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "PTP-%04lld promised", static_cast<long long>(f.ptp_id));
    return buf;
  }
  std::string what = f.certainty == "PREDICTED" ? "predicted" : f.certainty == "PROMISED" ? "promised" : "contractual";
  return what + " p=" + probability_text(f.probability_percent);
}

// Kyriba's description: the promise if there is one, who pays, and for which invoice.
std::string kyriba_description(const FeedFlow& f) {
  std::string out;
  if (f.certainty == "PROMISED" && f.ptp_id > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "PTP-%04lld ", static_cast<long long>(f.ptp_id));
    out = buf;
  }
  return out + f.counterparty_name + " " + f.invoice_number;
}

}  // namespace

std::optional<FileLayout> parse_file_layout(std::string_view name) {
  if (name == "csv") return FileLayout::arcd;
  if (name == "coupa") return FileLayout::coupa;
  if (name == "treasury-systems") return FileLayout::treasury_systems;
  if (name == "kyriba") return FileLayout::kyriba;
  return std::nullopt;
}

std::string feed_file(const Feed& feed, FileLayout layout) {
  if (layout == FileLayout::arcd) return feed_csv(feed);
  std::string out;
  if (layout == FileLayout::coupa) {
    out = "AccountID,Amount,Value Date,Booking Date,Payment Reference,Project,Portfolio,Counterparty,Cash Flow GL number,CategoryID,"
          "Cash Flow category,Comment\n";
    for (const auto& f : feed.flows)
      out += csv_line({f.account_id, f.amount.to_string(), f.value_date.to_string(), "", f.reference, "", "", f.counterparty_name, "",
                       f.category, "", coupa_comment(f)});
  } else if (layout == FileLayout::kyriba) {
    out = "Account Code,Flow Code,Budget Code,Transaction Date,Value Date,Amount,Currency,Status,Reference,Description\n";
    for (const auto& f : feed.flows)
      out += csv_line({f.account_id, f.category, "CASH_IN", f.value_date.to_string(), f.value_date.to_string(), f.amount.to_string(),
                       std::string(f.amount.currency().code()), f.certainty == "PROMISED" ? "CONFIRMED_FORECAST" : "FORECAST", f.reference,
                       kyriba_description(f)});
  } else {
    out = "LegalEntity,PaymentDate,ValueDate,ForecastDate,Currency,Amount,Counterparty,AP/AR\n";
    for (const auto& f : feed.flows)
      out += csv_line({f.entity, f.value_date.to_string(), f.value_date.to_string(), feed.from.to_string(),
                       std::string(f.amount.currency().code()), f.amount.to_string(), f.counterparty_name, "AR"});
  }
  return out;
}

FeedSignature sign_feed(std::string_view body, std::string_view secret, Instant at) {
  FeedSignature s;
  s.timestamp = std::to_string(at.time_since_epoch().count());
  std::string signed_text = s.timestamp;
  signed_text += '.';
  signed_text += body;
  s.signature = "sha256=" + hmac_sha256_hex(secret, signed_text);
  return s;
}

}  // namespace arcd::mapping::tms
