// The arcd inflow feed against the documented examples in ../shared/fixtures/erp/tms: the
// CSV byte for byte, the JSON value for value.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "arcd/error.hpp"
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

namespace {

std::string expected_file(const std::string& name) {
  return test::read_file(std::filesystem::path(ARCD_SOURCE_DIR) / "tests/unit/mapping/expected" / name);
}

std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

mapping::tms::Receipt receipt() {
  mapping::tms::Receipt r;
  r.reference = "arcd:odoo:41";
  r.application_id = 17;
  r.entity = "odoo";
  r.account_id = "DE-OPER-EUR-01";
  r.value_date = Date(2024, 5, 9);
  r.amount = Money(-12050, Currency::of("EUR"));  // an application undone
  r.counterparty_id = "9";
  r.counterparty_name = "Deco Addict";
  r.invoice_number = "INV/2024/00006";
  return r;
}

}  // namespace

TEST(InflowFeed, KyribaLayoutByteForByteAndFieldForFieldWithItsCashFlowObject) {
  const std::string csv = mapping::tms::feed_file(example(), mapping::tms::FileLayout::kyriba);
  EXPECT_EQ(csv, expected_file("kyriba_cash_flows.csv"));
  // The first row carries the values of Kyriba's own cash-flow object for that flow.
  const auto object = boost::json::parse(fixture("kyriba_cash_flow_detail.response.json")).as_object();
  const auto row = csv_cells(csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1));
  ASSERT_EQ(row.size(), 10u);
  EXPECT_EQ(row[0], object.at("account").at("code").as_string());
  EXPECT_EQ(row[1], object.at("flowCode").at("code").as_string());
  EXPECT_EQ(row[2], object.at("budgetCode").at("code").as_string());
  EXPECT_EQ(row[3], object.at("date").at("transactionDate").as_string());
  EXPECT_EQ(row[4], object.at("date").at("valueDate").as_string());
  EXPECT_EQ(Money::parse(row[5], Currency::of("EUR")).minor(), 65000);
  EXPECT_EQ(object.at("flowAmount").at("amount").as_double(), 650.0);
  EXPECT_EQ(row[6], object.at("flowAmount").at("currency").at("code").as_string());
  EXPECT_EQ(row[7], object.at("status").as_string());
  EXPECT_EQ(row[8], object.at("reference").as_string());
  EXPECT_EQ(row[9], object.at("description").as_string());
}

TEST(InflowFeed, JsonReadsBackToTheSameFeedWithVersionAndReceipts) {
  auto f = example();
  f.version = 7;
  f.removed_references = {"arcd:odoo:40", "arcd:odoo:41"};
  f.receipts.push_back(receipt());
  const std::string text = mapping::tms::feed_json(f);
  const auto doc = boost::json::parse(text).as_object();
  EXPECT_EQ(doc.at("version").as_int64(), 7);
  EXPECT_EQ(doc.at("receipts").as_array().at(0).at("amount").as_string(), "-120.50");
  const auto back = mapping::tms::parse_feed_json(text);
  EXPECT_EQ(mapping::tms::feed_json(back), text);
  EXPECT_EQ(back.flows[0].ptp_id, 0);  // the fixture's references carry no ":ptp:" part
  EXPECT_EQ(back.flows[1].probability_percent, 80);
  EXPECT_EQ(back.receipts.at(0).amount.minor(), -12050);
}

TEST(InflowFeed, ReceiptsGoIntoTheArcdCsvAsActualsAndNeverIntoVendorLayouts) {
  auto f = example();
  f.receipts.push_back(receipt());
  const auto csv = mapping::tms::feed_csv(f);
  EXPECT_NE(csv.find(",ACTUAL,1.00,9,Deco Addict,arcd:odoo:41:receipt:17,INV/2024/00006,,odoo\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",2024-05-09,-120.50,EUR,"), std::string::npos) << csv;
  EXPECT_EQ(mapping::tms::feed_file(f, mapping::tms::FileLayout::coupa), fixture("coupa_treasury_cash_flow_import.csv"));
  EXPECT_EQ(mapping::tms::feed_file(f, mapping::tms::FileLayout::kyriba), expected_file("kyriba_cash_flows.csv"));
}

TEST(InflowFeed, AFeedThatIsNotWhatArcdWroteIsRefusedNamingTheField) {
  auto expect_error = [](const std::string& text, const std::string& where) {
    try {
      (void)mapping::tms::parse_feed_json(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "FEED_PARSE");
      EXPECT_NE(e.detail().find(where), std::string::npos) << e.detail();
    }
  };
  std::string good = mapping::tms::feed_json(example());
  expect_error("[1]", "not a JSON object");
  expect_error("{", "not JSON");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  expect_error(with("\"amount\":\"650.00\"", "\"amount\":\"6.5.0\""), "flows[0].amount");
  expect_error(with("\"currency\":\"EUR\"", "\"currency\":\"XXQ\""), "flows[0].currency");
  expect_error(with("\"value_date\":\"2024-05-22\"", "\"value_date\":\"22.05.2024\""), "flows[1].value_date");
  {
    std::string s = good;
    const auto at = s.find("\"probability\":") + 14;
    s.replace(at, s.find(',', at) - at, "7");
    expect_error(s, "flows[0].probability");
  }
  expect_error(with("\"feed_id\":\"ARCD-FC-20240510-0001\",", ""), "feed_id: missing");
}
