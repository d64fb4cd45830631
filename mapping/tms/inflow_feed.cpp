#include "mapping/tms/inflow_feed.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "arcd/digest.hpp"
#include "mapping/csv_writer.hpp"

namespace arcd::mapping::tms {
namespace json = boost::json;

namespace {

// 95 -> "0.95": a decimal written from integers, never through a float.
std::string probability_text(int percent) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d.%02d", percent / 100, percent % 100);
  return buf;
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
  return json::serialize(json::object{{"feed_id", feed.feed_id},
                                      {"generated_at", to_iso8601(feed.generated_at)},
                                      {"horizon", {{"from", feed.from.to_string()}, {"to", feed.to.to_string()}}},
                                      {"mode", feed.mode},
                                      {"removed_references", std::move(removed)},
                                      {"flows", std::move(flows)}});
}

std::string feed_csv(const Feed& feed) {
  std::string out =
      "feed_id,generated_at,entity,account_id,value_date,amount,currency,category,certainty,probability,counterparty_id,"
      "counterparty_name,reference,invoice_number,due_date,source_erp\n";
  const std::string generated = to_iso8601(feed.generated_at);
  for (const auto& f : feed.flows) {
    const std::string fields[] = {feed.feed_id,
                                  generated,
                                  f.entity,
                                  f.account_id,
                                  f.value_date.to_string(),
                                  f.amount.to_string(),
                                  std::string(f.amount.currency().code()),
                                  f.category,
                                  f.certainty,
                                  probability_text(f.probability_percent),
                                  f.counterparty_id,
                                  f.counterparty_name,
                                  f.reference,
                                  f.invoice_number,
                                  f.due_date.to_string(),
                                  f.source_erp};
    bool first = true;
    for (const auto& v : fields) {
      if (!first) out += ',';
      out += csv_field(v);
      first = false;
    }
    out += '\n';
  }
  return out;
}

namespace {

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

}  // namespace

std::string feed_file(const Feed& feed, FileLayout layout) {
  if (layout == FileLayout::arcd) return feed_csv(feed);
  std::string out;
  if (layout == FileLayout::coupa) {
    out = "AccountID,Amount,Value Date,Booking Date,Payment Reference,Project,Portfolio,Counterparty,Cash Flow GL number,CategoryID,"
          "Cash Flow category,Comment\n";
    for (const auto& f : feed.flows)
      out += csv_line({f.account_id, f.amount.to_string(), f.value_date.to_string(), "", f.reference, "", "", f.counterparty_name, "",
                       f.category, "", coupa_comment(f)});
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
