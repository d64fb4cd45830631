// The arcd inflow feed against the documented examples in ../shared/fixtures/erp/tms: the
// CSV byte for byte, the JSON value for value.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "mapping/tms/inflow_feed.hpp"
#include "test_support.hpp"

using namespace arcd;
using mapping::tms::Feed;
using mapping::tms::FeedFlow;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(test::shared_dir() / "fixtures/erp/tms" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Feed example() {
  Feed f;
  f.feed_id = "ARCD-FC-20240510-0001";
  f.generated_at = *parse_iso8601("2024-05-10T12:10:00Z");
  f.from = Date(2024, 5, 10);
  f.to = Date(2024, 8, 8);
  const auto eur = Currency::of("EUR");
  f.flows.push_back({"ACME-DE", "DE-OPER-EUR-01", Date(2024, 5, 20), Money(65000, eur), "AR_COLLECTION", "PROMISED", 95, "9",
                     "Deco Addict", "arcd:odoo:42:1", "INV/2024/00007", Date(2024, 5, 2), "odoo", 31});
  f.flows.push_back({"ACME-DE", "DE-OPER-EUR-01", Date(2024, 5, 22), Money(230000, eur), "AR_COLLECTION", "PREDICTED", 80, "10",
                     "Gemini Furniture", "arcd:odoo:43:1", "INV/2024/00008", Date(2024, 5, 15), "odoo", 0});
  return f;
}

}  // namespace

TEST(InflowFeed, CsvIsTheDocumentedLayoutByteForByte) { EXPECT_EQ(mapping::tms::feed_csv(example()), fixture("arcd_inflow_feed.csv")); }

TEST(InflowFeed, CoupaAndTreasurySystemsLayoutsByteForByte) {
  EXPECT_EQ(mapping::tms::feed_file(example(), mapping::tms::FileLayout::coupa), fixture("coupa_treasury_cash_flow_import.csv"));
  EXPECT_EQ(mapping::tms::feed_file(example(), mapping::tms::FileLayout::treasury_systems), fixture("treasury_systems_forecast_import.csv"));
  EXPECT_EQ(mapping::tms::feed_file(example(), mapping::tms::FileLayout::arcd), fixture("arcd_inflow_feed.csv"));
}

TEST(InflowFeed, JsonHasTheDocumentedShapeAndValues) {
  EXPECT_EQ(boost::json::parse(mapping::tms::feed_json(example())), boost::json::parse(fixture("arcd_inflow_feed.json")));
}

TEST(InflowFeed, CsvQuotesNamesWithCommasAndQuotes) {
  auto f = example();
  f.flows.resize(1);
  f.flows[0].counterparty_name = "Smith, \"Jr\" & Co";
  const auto csv = mapping::tms::feed_csv(f);
  EXPECT_NE(csv.find(",\"Smith, \"\"Jr\"\" & Co\","), std::string::npos) << csv;
}

TEST(InflowFeed, TheSignatureIsAnHmacOfTimestampDotBodyThatAReceiverCanRecompute) {
  // Expected value computed independently (Python's hmac module) for this secret, time and body.
  const auto s = mapping::tms::sign_feed(R"({"feed_id":"x"})", "topsecret", *parse_iso8601("2024-05-10T12:10:00Z"));
  EXPECT_EQ(s.timestamp, "1715343000");
  EXPECT_EQ(s.signature, "sha256=5320d64f2c635a9387a0e7bf7059f19e11647258f723f54b2886e4ac3a7eab2b");
  EXPECT_NE(mapping::tms::sign_feed(R"({"feed_id":"y"})", "topsecret", *parse_iso8601("2024-05-10T12:10:00Z")).signature, s.signature);
}
