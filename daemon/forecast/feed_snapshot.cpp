#include "forecast/feed_snapshot.hpp"

#include <cstdio>
#include <set>
#include <unordered_map>

namespace arcd::forecast {

namespace {

std::string certainty_of(Basis b) {
  switch (b) {
    case Basis::ptp: return "PROMISED";
    case Basis::behaviour: return "PREDICTED";
    case Basis::due_date: return "CONTRACTUAL";
  }
  return "PREDICTED";
}

// The class as a number treasury systems take; documented in the README.
int percent_of(const ExpectedInflow& e) {
  if (e.probability == Probability::low) return 30;
  if (e.basis == Basis::ptp) return e.probability == Probability::high ? 95 : 75;
  return e.probability == Probability::high ? 80 : 60;
}

// "" (never paid) stays "".
std::string account_code(const ForecastSettings& s, const std::string& account) {
  const auto it = s.account_codes.find(account);
  return it == s.account_codes.end() ? account : it->second;
}

}  // namespace

FeedSnapshot next_feed_snapshot(Transaction& tx, const Forecast& f, Instant now, const ForecastSettings& settings) {
  FeedSnapshot s;
  const auto previous = tx.feeds().latest_version();
  s.version = previous ? previous->first + 1 : 1;
  s.receipts_through = tx.feeds().last_application_id();
  auto& feed = s.feed;
  char id[64];
  std::snprintf(id, sizeof id, "ARCD-FC-%s-%06lld", utc_date(now).to_string().c_str(), static_cast<long long>(s.version));
  feed.feed_id = id;
  feed.version = s.version;
  feed.generated_at = now;
  feed.from = f.as_of;
  feed.to = f.as_of.plus_days(settings.feed_horizon_days);
  // The invoice's facts came with the forecast; the customers' names in one bulk read.
  std::unordered_map<std::int64_t, std::pair<std::string, std::string>> customers;  // id -> (external id, name)
  tx.cash().for_each_customer([&](const Customer& c) { customers[c.id.value()] = {c.external_id, c.name}; });
  std::vector<std::string> references;
  for (const auto& e : f.flows) {
    if (e.expected > feed.to) continue;
    const auto cust = customers.find(e.customer.value());
    if (cust == customers.end()) continue;
    mapping::tms::FeedFlow flow;
    flow.entity = e.entity;
    flow.account_id = account_code(settings, e.account);
    flow.value_date = e.expected;
    flow.amount = e.amount;
    flow.certainty = certainty_of(e.basis);
    flow.probability_percent = percent_of(e);
    flow.counterparty_id = cust->second.first;
    flow.counterparty_name = cust->second.second;
    const auto ptp = e.key.find(":ptp:");
    flow.reference = "arcd:" + e.entity + ":" + std::to_string(e.invoice.value()) + (ptp == std::string::npos ? "" : e.key.substr(ptp));
    if (ptp != std::string::npos) flow.ptp_id = std::stoll(e.key.substr(ptp + 5));
    flow.invoice_number = e.invoice_number;
    flow.due_date = e.due_date;
    flow.source_erp = e.entity;
    references.push_back(flow.reference);
    feed.flows.push_back(std::move(flow));
  }
  tx.feeds().record(s.version, feed.feed_id, now, references, s.receipts_through, mapping::tms::feed_json(feed));
  return s;
}

mapping::tms::Feed feed_since(Transaction& tx, const FeedSnapshot& snapshot, const std::optional<ForecastFeedRepository::Snapshot>& since,
                              const ForecastSettings& settings) {
  mapping::tms::Feed feed = snapshot.feed;
  feed.removed_references.clear();
  feed.receipts.clear();
  if (!since) return feed;  // a first feed: the snapshot is everything
  std::set<std::string> present;
  for (const auto& f : feed.flows) present.insert(f.reference);
  for (const auto& r : since->references)
    if (!present.count(r)) feed.removed_references.push_back(r);
  for (const auto& r : tx.feeds().receipts(since->receipts_through, snapshot.receipts_through)) {
    mapping::tms::Receipt x;
    x.reference = "arcd:" + r.source + ":" + std::to_string(r.invoice.value());
    x.application_id = r.application_id;
    x.entity = r.source;
    x.account_id = account_code(settings, r.account);
    x.value_date = r.value_date;
    x.amount = r.amount;
    x.counterparty_id = r.customer_external_id;
    x.counterparty_name = r.customer_name;
    x.invoice_number = r.invoice_number;
    feed.receipts.push_back(std::move(x));
  }
  return feed;
}

}  // namespace arcd::forecast
