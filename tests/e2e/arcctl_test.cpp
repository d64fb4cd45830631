// arcctl as users and scripts call it: the command names, options and output formats.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "process_util.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

struct Cli {
  test::TempDir dir;
  std::string db = "sqlite://" + (dir / "arcd.db").string();
  test::RunResult operator()(std::vector<std::string> args) {
    std::vector<std::string> argv = {ARCCTL_BIN, "--database", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run(argv);
  }
};

const std::string kCsv =
    "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
    "customer_iban,customer_email\n"
    "INV-1,C1,Acme GmbH,EUR,100.00,100.00,2026-01-01,2026-01-31,,DE89370400440532013000,ap@acme.example\n"
    "INV-2,C1,Acme GmbH,EUR,50.00,50.00,2026-09-01,2026-10-15,,,\n"
    "INV-3,C1,Acme GmbH,JPY,5000,5000,2026-11-01,2026-12-01,,,\n"
    "INV-4,C2,Beta Ltd,GBP,75.25,0,2026-10-05,2026-11-04,,,\n";

}  // namespace

TEST(Arcctl, MigrateImportListShow) {
  Cli cli;
  EXPECT_EQ(cli({"db", "status"}).code, 3);  // pending
  auto listed_early = cli({"invoices", "list"});
  EXPECT_EQ(listed_early.code, 1);
  EXPECT_NE(listed_early.output.find("DB_SCHEMA_PENDING"), std::string::npos);
  ASSERT_EQ(cli({"db", "migrate"}).code, 0);
  EXPECT_EQ(cli({"db", "status", "--format", "json"}).code, 0);

  test::write_file(cli.dir / "inv.csv", kCsv);
  auto imported = cli({"invoices", "import", (cli.dir / "inv.csv").string(), "--format", "json"});
  ASSERT_EQ(imported.code, 0) << imported.output;
  auto summary = boost::json::parse(imported.output).as_object();
  EXPECT_EQ(summary.at("invoices_created").as_int64(), 4);

  auto list = cli({"invoices", "list", "--format", "json", "--status", "open"});
  ASSERT_EQ(list.code, 0) << list.output;
  auto rows = boost::json::parse(list.output).as_array();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].as_object().at("amount_open").as_string(), "100.00");
  EXPECT_EQ(rows[0].as_object().at("number").as_string(), "INV-1");

  auto csv = cli({"customers", "list", "--format", "csv"});
  EXPECT_EQ(csv.output.rfind("id,source,external_id,name,email\r\n", 0), 0u) << csv.output;

  auto show = cli({"customers", "show", "C1", "--as-of", "2026-11-23", "--format", "json"});
  ASSERT_EQ(show.code, 0) << show.output;
  auto c = boost::json::parse(show.output).as_object();
  EXPECT_EQ(c.at("name").as_string(), "Acme GmbH");
  auto balances = c.at("balances").as_array();
  ASSERT_EQ(balances.size(), 2u);
  const auto& eur = balances[0].as_object();
  EXPECT_EQ(eur.at("currency").as_string(), "EUR");
  EXPECT_EQ(eur.at("open").as_string(), "150.00");
  EXPECT_EQ(eur.at("31-60").as_string(), "50.00");  // due 2026-10-15: 39 days late
  EXPECT_EQ(eur.at("120+").as_string(), "100.00");  // due 2026-01-31
  EXPECT_EQ(balances[1].as_object().at("not_due").as_string(), "5000");

  auto table = cli({"customers", "show", "1", "--as-of", "2026-11-23"});
  EXPECT_NE(table.output.find("DE89370400440532013000"), std::string::npos) << table.output;
}

TEST(Arcctl, BadInputGetsAPreciseErrorAndChangesNothing) {
  Cli cli;
  ASSERT_EQ(cli({"db", "migrate"}).code, 0);
  test::write_file(cli.dir / "bad.csv", kCsv + "INV-5,C3,Gamma,EUR,1.001,1,2026-01-01,2026-01-31,,,\n");
  auto r = cli({"invoices", "import", (cli.dir / "bad.csv").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("CSV_BAD_AMOUNT"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.csv:6 column amount_total"), std::string::npos) << r.output;
  EXPECT_EQ(cli({"invoices", "list", "--format", "csv"}).output, "id,source,number,customer_id,issue_date,due_date,currency,"
                                                                 "amount_total,amount_open,status,payment_reference\r\n");
  EXPECT_EQ(cli({"no", "such"}).code, 2);
  EXPECT_EQ(cli({"invoices", "list", "--format", "xml"}).code, 2);
  EXPECT_EQ(cli({"customers", "show", "nobody"}).code, 1);
  auto cfg = test::run({ARCCTL_BIN, "--set", "http.port=99999", "config", "check"});
  EXPECT_EQ(cfg.code, 1);
  EXPECT_NE(cfg.output.find("CFG_RANGE"), std::string::npos) << cfg.output;
}

TEST(Arcctl, ForecastShowFeedAndBacktest) {
  Cli cli;
  ASSERT_EQ(cli({"db", "migrate"}).code, 0);
  test::write_file(cli.dir / "inv.csv", kCsv);
  ASSERT_EQ(cli({"invoices", "import", (cli.dir / "inv.csv").string()}).code, 0);

  auto by_account = cli({"forecast", "show", "--by", "account", "--as-of", "2026-11-23", "--format", "json"});
  ASSERT_EQ(by_account.code, 0) << by_account.output;
  const auto buckets = boost::json::parse(by_account.output);  // kept: iterating a temporary's array dangles
  ASSERT_FALSE(buckets.as_array().empty());
  for (const auto& b : buckets.as_array()) EXPECT_EQ(b.at("group").as_string(), "");  // nobody paid yet: no account
  auto bad_by = cli({"forecast", "show", "--by", "colour"});
  EXPECT_EQ(bad_by.code, 2);
  EXPECT_NE(bad_by.output.find("--by is currency, entity or account"), std::string::npos) << bad_by.output;

  auto kyriba = cli({"forecast", "feed", "--layout", "kyriba", "--horizon", "400"});
  ASSERT_EQ(kyriba.code, 0) << kyriba.output;
  EXPECT_EQ(kyriba.output.rfind("Account Code,Flow Code,Budget Code,Transaction Date,Value Date,Amount,Currency,Status,Reference,Description\n", 0), 0u)
      << kyriba.output;
  auto json_feed = cli({"forecast", "feed"});
  ASSERT_EQ(json_feed.code, 0) << json_feed.output;
  EXPECT_EQ(boost::json::parse(json_feed.output).at("version").as_int64(), 2);

  auto backtest = cli({"forecast", "backtest", "--from", "2026-01-01", "--to", "2026-03-01", "--format", "json"});
  ASSERT_EQ(backtest.code, 0) << backtest.output;
  EXPECT_TRUE(boost::json::parse(backtest.output).is_array());
  auto no_range = cli({"forecast", "backtest", "--from", "2026-01-01"});
  EXPECT_EQ(no_range.code, 2);
  EXPECT_NE(no_range.output.find("--to"), std::string::npos) << no_range.output;
  auto future = cli({"forecast", "backtest", "--from", "2026-01-01", "--to", "2099-01-01"});
  EXPECT_EQ(future.code, 2);
  EXPECT_NE(future.output.find("before today"), std::string::npos) << future.output;
  auto bad_step = cli({"forecast", "backtest", "--from", "2026-01-01", "--to", "2026-02-01", "--step", "7x"});
  EXPECT_EQ(bad_step.code, 2);
  EXPECT_NE(bad_step.output.find("--step is a number of days"), std::string::npos) << bad_step.output;
}
