// Cash application end to end: invoices and a bank statement dropped into the daemon's
// folders are matched without anyone asking; the exception queue and promises to pay are
// worked over HTTP and with arcctl.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include <boost/json.hpp>

#include "process_util.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

const std::string kInvoices =
    "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
    "customer_iban,customer_email\n"
    "2026-0001,C1,Acme GmbH,EUR,100.00,100.00,2026-10-01,2026-10-31,RF18539007547034,DE89370400440532013000,\n"
    "2026-0002,C1,Acme GmbH,EUR,250.00,250.00,2026-10-05,2026-11-04,,,\n"
    "2026-0003,C2,Beta Ltd,EUR,40.00,40.00,2026-10-05,2026-11-04,,,\n";

std::string credit(const std::string& ref, const std::string& amount, const std::string& ustrd, const std::string& strd,
                   const std::string& name) {
  return "<Ntry><NtryRef>" + ref + "</NtryRef><Amt Ccy=\"EUR\">" + amount +
         "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt>"
         "<ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>" + ref + "</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E-" + ref +
         "</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>" + name + "</Nm></Pty></Dbtr></RltdPties><RmtInf>" +
         (ustrd.empty() ? "" : "<Ustrd>" + ustrd + "</Ustrd>") +
         (strd.empty() ? "" : "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>" + strd + "</Ref></CdtrRefInf></Strd>") +
         "</RmtInf></TxDtls></NtryDtls></Ntry>";
}

std::string statement() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
         "<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-20T18:00:00Z</CreDtTm></GrpHdr><Stmt><Id>S1</Id>"
         "<Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>" +
         credit("A1", "100.00", "", "RF18539007547034", "Acme GmbH") + credit("A2", "250.00", "thanks", "", "Unknown Payer") +
         "</Stmt></BkToCstmrStmt></Document>";
}

struct Daemon : test::RunningDaemon {
  std::string db = sqlite_url();
  Daemon() {
    auto folder = [&](const std::string& key, const std::string& name) { return key + " = \"" + (dir / name).string() + "\"\n"; };
    test::write_file(config, "[database]\nurl = \"" + db + "\"\n[http]\nport = 0\n" +
                                 "[connectors.erp]\ntype = \"csv\"\n" + folder("inbox", "inv-in") + folder("archive", "inv-archive") +
                                 folder("quarantine", "inv-quarantine") + "poll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n" +
                                 "[statements.bank]\ntype = \"inbox\"\n" + folder("inbox", "stmt-in") + folder("archive", "stmt-archive") +
                                 folder("quarantine", "stmt-quarantine") + "poll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n");
  }
};

}  // namespace

TEST(CashE2E, MatchedOnArrivalThenWorkedOverHttp) {
  Daemon d;
  d.start();
  test::deliver_file(d.dir / "inv-in" / "invoices.csv", kInvoices);
  ASSERT_TRUE(d.process->wait_for_log("CSV_FILE_IMPORTED", 15s)) << d.process->log();
  test::deliver_file(d.dir / "stmt-in" / "day.xml", statement());
  ASSERT_TRUE(d.process->wait_for_log("STMT_FILE_IMPORTED", 15s)) << d.process->log();
  // Cash application runs on its own after the import.
  ASSERT_TRUE(d.process->wait_for_log("applied=1 queued=1", 15s)) << d.process->log();

  auto apps = json::parse(test::http_get(d.port, "/api/v1/applications").body).as_object().at("items").as_array();
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].as_object().at("rule").as_string(), "structured_reference");
  auto queue = json::parse(test::http_get(d.port, "/api/v1/exceptions").body).as_object().at("items").as_array();
  ASSERT_EQ(queue.size(), 1u);
  const auto entry = queue[0].as_object().at("entry_id").as_int64();
  EXPECT_EQ(queue[0].as_object().at("amount").as_string(), "250.00");
  EXPECT_EQ(queue[0].as_object().at("entry").as_object().at("payer_name").as_string(), "Unknown Payer");
  EXPECT_EQ(queue[0].as_object().at("entry").as_object().at("remittance").as_string(), "thanks");

  // A person applies the queued payment, then reverses it.
  const std::string apply = "/api/v1/exceptions/" + std::to_string(entry) + "/apply";
  EXPECT_EQ(test::http_post(d.port, apply, "{\"invoices\": [{\"number\": \"2026-0002\", \"amount\": \"999.00\"}]}").status, 409);
  EXPECT_EQ(test::http_post(d.port, apply, "not json").status, 400);
  EXPECT_EQ(test::http_post(d.port, apply, "{\"on_account\": \"C1\", \"not_customer\": \"x\"}").status, 400);
  auto applied = test::http_post(d.port, apply, "{\"invoices\": [{\"number\": \"2026-0002\"}]}");
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_TRUE(json::parse(test::http_get(d.port, "/api/v1/exceptions").body).as_object().at("items").as_array().empty());
  apps = json::parse(test::http_get(d.port, "/api/v1/applications").body).as_object().at("items").as_array();
  ASSERT_EQ(apps.size(), 2u);
  const auto manual = apps[1].as_object().at("id").as_int64();
  EXPECT_EQ(apps[1].as_object().at("rule").as_string(), "manual");
  EXPECT_EQ(test::http_post(d.port, "/api/v1/applications/" + std::to_string(manual) + "/reverse", "{}").status, 409);  // no reason
  auto reversed = test::http_post(d.port, "/api/v1/applications/" + std::to_string(manual) + "/reverse", "{\"reason\": \"wrong invoice\"}");
  ASSERT_EQ(reversed.status, 200) << reversed.body;
  queue = json::parse(test::http_get(d.port, "/api/v1/exceptions").body).as_object().at("items").as_array();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].as_object().at("reason").as_string(), "unapplied");
  EXPECT_EQ(test::http_post(d.port, "/api/v1/applications/999/reverse", "{\"reason\": \"x\"}").status, 404);

  // A promise to pay, listed and counted.
  auto ptp = test::http_post(d.port, "/api/v1/ptps",
                             "{\"customer\": \"C2\", \"invoices\": [\"2026-0003\"], \"amount\": \"40.00\", \"currency\": \"EUR\", "
                             "\"promised_date\": \"2099-01-15\", \"channel\": \"call\"}");
  ASSERT_EQ(ptp.status, 200) << ptp.body;
  EXPECT_EQ(test::http_post(d.port, "/api/v1/ptps", "{\"customer\": \"C2\"}").status, 400);
  auto ptps = json::parse(test::http_get(d.port, "/api/v1/ptps?state=open").body).as_object().at("items").as_array();
  ASSERT_EQ(ptps.size(), 1u);
  EXPECT_EQ(ptps[0].as_object().at("state").as_string(), "open");
  EXPECT_EQ(test::http_get(d.port, "/api/v1/ptps?state=nonsense").status, 400);
  EXPECT_EQ(test::http_get(d.port, "/api/v1/ptps/kept-rate").status, 200);

  auto run = test::http_post(d.port, "/api/v1/cashapp/run", "");
  ASSERT_EQ(run.status, 200) << run.body;
  EXPECT_TRUE(json::parse(run.body).as_object().at("invariant_ok").as_bool());
  const auto metrics = test::http_get(d.port, "/metrics").body;
  EXPECT_NE(metrics.find("arcd_cash_queue_entries 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("arcd_cashapp_invariant_ok 1"), std::string::npos) << metrics;
  d.stop();
}

TEST(CashE2E, ArcctlWorksTheQueue) {
  test::TempDir dir;
  const std::string db = "sqlite://" + (dir / "arcd.db").string();
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {ARCCTL_BIN, "--database", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run(argv);
  };
  ASSERT_EQ(cli({"db", "migrate"}).code, 0);
  test::write_file(dir / "inv.csv", kInvoices);
  ASSERT_EQ(cli({"invoices", "import", (dir / "inv.csv").string()}).code, 0);
  test::write_file(dir / "day.xml", statement());
  ASSERT_EQ(cli({"statements", "import", (dir / "day.xml").string()}).code, 0);

  auto run = cli({"cashapp", "run", "--format", "json"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(json::parse(run.output).as_object().at("applied").as_int64(), 1);

  auto queue = cli({"exceptions", "list", "--format", "json"});
  ASSERT_EQ(queue.code, 0) << queue.output;
  const auto items = json::parse(queue.output).as_array();
  ASSERT_EQ(items.size(), 1u);
  const std::string entry = std::to_string(items[0].as_object().at("entry_id").as_int64());
  EXPECT_EQ(cli({"exceptions", "apply", entry}).code, 2);  // nothing said
  auto over = cli({"exceptions", "apply", entry, "--invoice", "2026-0002=300.00"});
  EXPECT_EQ(over.code, 1);
  EXPECT_NE(over.output.find("CASH_OVERAPPLIED"), std::string::npos) << over.output;
  auto split = cli({"exceptions", "apply", entry, "--invoice", "2026-0002=200.00", "--invoice", "2026-0003=40.00"});
  ASSERT_EQ(split.code, 0) << split.output;
  EXPECT_NE(split.output.find("10.00"), std::string::npos) << split.output;  // what stays queued
  auto rest = cli({"exceptions", "apply", entry, "--on-account", "C1"});
  ASSERT_EQ(rest.code, 0) << rest.output;
  auto shown = cli({"customers", "show", "C1", "--source", "csv", "--format", "json"});
  ASSERT_EQ(shown.code, 0) << shown.output;
  const auto credit = json::parse(shown.output).as_object().at("on_account").as_array();
  ASSERT_EQ(credit.size(), 1u) << shown.output;
  EXPECT_EQ(credit[0].as_object().at("amount").as_string(), "10.00");

  auto apps = cli({"applications", "list", "--format", "json"});
  const auto list = json::parse(apps.output).as_array();
  ASSERT_EQ(list.size(), 4u);
  const std::string first = std::to_string(list[0].as_object().at("id").as_int64());
  EXPECT_EQ(cli({"applications", "reverse", first}).code, 2);  // --reason is required
  ASSERT_EQ(cli({"applications", "reverse", first, "--reason", "bank error"}).code, 0);

  auto ptp = cli({"ptp", "add", "--customer", "C1", "--amount", "100.00", "--currency", "EUR", "--date", "2099-12-31", "--invoice",
                  "2026-0001", "--channel", "email"});
  ASSERT_EQ(ptp.code, 0) << ptp.output;
  auto ptps = cli({"ptp", "list", "--format", "json"});
  ASSERT_EQ(json::parse(ptps.output).as_array().size(), 1u);
  EXPECT_EQ(cli({"ptp", "cancel", "1", "--reason", "customer disputes"}).code, 0);
  EXPECT_EQ(cli({"ptp", "cancel", "1", "--reason", "again"}).code, 1);
  auto again = cli({"cashapp", "run"});
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("every cent accounted for"), std::string::npos) << again.output;
}

// kill -9 in the middle of a cash-application run: the committed batches stay, the rest is
// done by the next run, and every invoice is paid exactly once with every cent accounted for.
TEST(CashE2E, Kill9DuringARunThenTheNextRunFinishes) {
  test::TempDir dir;
  const std::string db = "sqlite://" + (dir / "arcd.db").string();
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {ARCCTL_BIN, "--database", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run(argv);
  };
  constexpr int kInvoices = 30000;
  std::string csv =
      "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
      "customer_iban,customer_email\n";
  std::string camt = "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
                     "<GrpHdr><MsgId>K</MsgId></GrpHdr><Stmt><Id>K1</Id><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id>"
                     "<Ccy>EUR</Ccy></Acct>";
  for (int i = 1; i <= kInvoices; ++i) {
    const std::string number = "K-2026-" + std::to_string(100000 + i);
    const std::string amount = std::to_string(10 + i % 900) + "." + std::to_string(10 + i % 90);
    csv += number + ",C" + std::to_string(i % 3000) + ",Customer " + std::to_string(i % 3000) + ",EUR," + amount + "," + amount +
           ",2026-10-01,2026-10-31,,,\n";
    camt += credit("K" + std::to_string(i), amount, "Rechnung " + number, "", "Customer " + std::to_string(i % 3000));
  }
  camt += "</Stmt></BkToCstmrStmt></Document>";
  test::write_file(dir / "inv.csv", csv);
  test::write_file(dir / "day.xml", camt);
  ASSERT_EQ(cli({"db", "migrate"}).code, 0);
  ASSERT_EQ(cli({"invoices", "import", (dir / "inv.csv").string()}).code, 0);
  ASSERT_EQ(cli({"statements", "import", (dir / "day.xml").string()}).code, 0);

  int killed = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    test::Process p({ARCCTL_BIN, "--database", db, "--set", "cashapp.batch_size=500", "cashapp", "run"}, {}, dir / "run.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(400 + 300 * attempt));
    p.signal(SIGKILL);
    const auto code = p.wait(10s);
    ASSERT_TRUE(code);
    if (*code == 128 + SIGKILL) ++killed;
    if (*code == 0) break;
  }
  EXPECT_GT(killed, 0) << "the run always finished before the kill; the test proved nothing";
  auto finish = cli({"cashapp", "run"});
  ASSERT_EQ(finish.code, 0) << finish.output;
  EXPECT_NE(finish.output.find("every cent accounted for"), std::string::npos) << finish.output;
  auto open = cli({"invoices", "list", "--status", "open", "--format", "json"});
  EXPECT_EQ(json::parse(open.output).as_array().size(), 0u) << open.output.substr(0, 500);
  auto apps = cli({"applications", "list", "--limit", "1000", "--after", std::to_string(kInvoices - 500), "--format", "json"});
  EXPECT_EQ(json::parse(apps.output).as_array().size(), 500u);  // exactly one application per invoice
  auto beyond = cli({"applications", "list", "--after", std::to_string(kInvoices), "--format", "json"});
  EXPECT_EQ(json::parse(beyond.output).as_array().size(), 0u);
}
