// The daemon beside a fake Odoo: invoices pulled, a camt.053 dropped into the inbox, cash
// applied, payments registered in Odoo and the invoices paid there, without anyone asking;
// then the daemon killed with SIGKILL at random points while it delivers, again and again,
// and still exactly one Odoo payment per application once it is left to finish.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <iostream>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "arcd/digest.hpp"
#include "fake_erpnext.hpp"
#include "fake_http_server.hpp"
#include "fake_odoo.hpp"
#include "process_util.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string credit(const std::string& ref, const std::string& amount, const std::string& ustrd) {
  return "<Ntry><NtryRef>" + ref + "</NtryRef><Amt Ccy=\"EUR\">" + amount +
         "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt>"
         "<ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>" + ref + "</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E-" + ref +
         "</EndToEndId></Refs><RmtInf><Ustrd>" + ustrd + "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>";
}

std::string statement(const std::string& id, const std::string& entries) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
         "<BkToCstmrStmt><GrpHdr><MsgId>" + id + "</MsgId><CreDtTm>2026-11-20T18:00:00Z</CreDtTm></GrpHdr><Stmt><Id>" + id +
         "</Id><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>" + entries + "</Stmt></BkToCstmrStmt></Document>";
}

struct OdooDaemon : test::RunningDaemon {
  explicit OdooDaemon(const std::string& odoo_url) {
    auto folder = [&](const std::string& key, const std::string& name) { return key + " = \"" + (dir / name).string() + "\"\n"; };
    test::write_file(config, "[database]\nurl = \"" + sqlite_url() + "\"\n[http]\nport = 0\n"
                             "[connectors.odoo-eu]\ntype = \"odoo\"\nurl = \"" + odoo_url + "\"\n"
                             "database = \"arcd_demo\"\nlogin = \"arcd-bot\"\napi_key = { env = \"ODOO_KEY\" }\njournal_id = 7\n"
                             "poll_seconds = 1\njitter_seconds = 0\ntimeout_seconds = 5\n"
                             "[statements.bank]\ntype = \"inbox\"\n" + folder("inbox", "stmt-in") + folder("archive", "stmt-archive") +
                             folder("quarantine", "stmt-quarantine") + "poll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n"
                             "[outbox]\npoll_seconds = 1\nbase_backoff_seconds = 0\nlease_seconds = 10\nin_flight = 4\n");
  }
  void start_with_key(const std::string& log = "arcd.log") { start({}, {"ODOO_KEY=" + std::string(fakes::FakeOdoo::kApiKey)}, log); }
};

bool eventually(const std::function<bool()>& f, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (f()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return f();
}

int posted(const fakes::FakeOdoo& odoo) {
  int n = 0;
  for (const auto& p : odoo.payments()) n += p.state == "posted";
  return n;
}

}  // namespace

TEST(ErpE2E, OdooInvoicesArePaidInOdooAfterTheStatementArrives) {
  fakes::FakeOdoo odoo(17);
  odoo.load_fixture_dataset();
  OdooDaemon d(odoo.url());
  d.start_with_key();
  ASSERT_TRUE(d.process->wait_for_log("ERP_PULLED connector=odoo-eu full sweep", 15s)) << d.process->log();
  test::deliver_file(d.dir / "stmt-in" / "day.xml",
                     statement("S1", credit("A1", "650.00", "INV/2024/00007") + credit("A2", "2300.00", "Rechnung INV 2024 00008")));
  ASSERT_TRUE(eventually([&] { return posted(odoo) == 2; }, 30s)) << d.process->log();
  EXPECT_EQ(odoo.residual_of(42), "0.00");
  EXPECT_EQ(odoo.residual_of(43), "0.00");
  ASSERT_TRUE(eventually([&] { return test::http_get(d.port, "/metrics").body.find("arcd_outbox_pending_events 0") != std::string::npos; }, 15s));

  const auto outbox = json::parse(test::http_get(d.port, "/api/v1/outbox?status=delivered").body).as_object();
  ASSERT_EQ(outbox.at("items").as_array().size(), 2u);
  EXPECT_EQ(outbox.at("items").as_array()[0].as_object().at("kind").as_string(), "payment.applied");
  EXPECT_EQ(test::http_get(d.port, "/api/v1/outbox?status=nonsense").status, 400);
  EXPECT_EQ(test::http_post(d.port, "/api/v1/outbox/999/retry", "").status, 404);
  // The invoices come back paid in the next pull; arcd does not count the payments twice.
  ASSERT_TRUE(d.process->wait_for_log("ERP_PULLED connector=odoo-eu incremental", 15s));
  const auto listed_invoices = test::run({ARCCTL_BIN, "--database", d.sqlite_url(), "--format", "json", "invoices", "list"});
  ASSERT_EQ(listed_invoices.code, 0) << listed_invoices.output;
  const auto invoices = json::parse(listed_invoices.output).as_array();
  ASSERT_EQ(invoices.size(), 2u);
  for (const auto& i : invoices) EXPECT_EQ(i.as_object().at("amount_open").as_string(), "0.00") << json::serialize(i);
  const auto run = test::http_post(d.port, "/api/v1/cashapp/run", "");
  EXPECT_TRUE(json::parse(run.body).as_object().at("invariant_ok").as_bool()) << run.body;

  // arcctl sees the same outbox.
  const auto listed = test::run({ARCCTL_BIN, "--database", d.sqlite_url(), "--format", "json", "outbox", "list"});
  EXPECT_EQ(listed.code, 0) << listed.output;
  EXPECT_NE(listed.output.find("payment.applied"), std::string::npos);
  // The key never reaches the log.
  d.stop();
  EXPECT_EQ(d.process->log().find(fakes::FakeOdoo::kApiKey), std::string::npos);
}

TEST(ErpE2E, KilledAtRandomPointsWhileDeliveringStillPaysEachApplicationOnce) {
  fakes::FakeOdoo odoo(17);
  odoo.add_partner(9, "Deco Addict", "deco@example.com");
  const int invoices = 40;
  std::string entries;
  for (int i = 0; i < invoices; ++i) {
    const std::string number = "INV/2026/" + std::to_string(10000 + i);
    odoo.add_invoice({2000 + i, number, 9, "2026-10-01", "2026-10-31", "10.00", "10.00", "EUR", "", "posted", "2026-11-20 08:00:00"});
    entries += credit("K" + std::to_string(i), "10.00", number);
  }
  // Every Odoo write takes a little while, so kills land inside deliveries.
  odoo.server().inject({.kind = fakes::FaultKind::slow, .delay = 15ms, .match = "execute_kw", .times = 1000000});
  OdooDaemon d(odoo.url());
  d.start_with_key();
  ASSERT_TRUE(d.process->wait_for_log("ERP_PULLED connector=odoo-eu", 15s)) << d.process->log();
  test::deliver_file(d.dir / "stmt-in" / "day.xml", statement("S2", entries));
  ASSERT_TRUE(d.process->wait_for_log("STMT_FILE_IMPORTED", 15s)) << d.process->log();

  std::mt19937 rng(20261124);
  const char* env_trials = std::getenv("ARCD_KILL_TRIALS");
  const int trials = env_trials ? std::atoi(env_trials) : 50;
  for (int t = 0; t < trials; ++t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 400)(rng)));
    d.process->signal(SIGKILL);
    d.process->wait(5s);
    d.start_with_key("arcd-" + std::to_string(t) + ".log");
  }
  // The kills landed while payments were going out, not before the first one.
  const int during_trials = posted(odoo);
  EXPECT_GT(during_trials, 0);
  std::cout << "payments posted while being killed: " << during_trials << " of " << invoices << "\n";
  ASSERT_TRUE(eventually([&] { return posted(odoo) >= invoices; }, 90s)) << "posted " << posted(odoo) << "\n" << d.process->log();
  ASSERT_TRUE(eventually([&] { return test::http_get(d.port, "/metrics").body.find("arcd_outbox_pending_events 0") != std::string::npos; },
                         60s));
  std::map<std::string, int> per_memo;
  for (const auto& p : odoo.payments()) per_memo[p.memo] += p.state == "posted";
  EXPECT_EQ(per_memo.size(), static_cast<std::size_t>(invoices));
  for (const auto& [memo, count] : per_memo) EXPECT_EQ(count, 1) << memo;
  for (int i = 0; i < invoices; ++i) EXPECT_EQ(odoo.residual_of(2000 + i), "0.00") << i;
  const auto run = test::http_post(d.port, "/api/v1/cashapp/run", "");
  EXPECT_TRUE(json::parse(run.body).as_object().at("invariant_ok").as_bool()) << run.body;
  d.stop();
}

TEST(ErpE2E, ErpNextInvoicesArePaidInErpNextAfterTheStatementArrives) {
  fakes::FakeErpNext erpnext;
  erpnext.load_fixture_dataset();
  test::RunningDaemon d;
  auto folder = [&](const std::string& key, const std::string& name) { return key + " = \"" + (d.dir / name).string() + "\"\n"; };
  test::write_file(d.config, "[database]\nurl = \"" + d.sqlite_url() + "\"\n[http]\nport = 0\n"
                             "[connectors.erpnext]\ntype = \"erpnext\"\nurl = \"" + erpnext.url() + "\"\n"
                             "api_key = \"" + fakes::FakeErpNext::kKey + "\"\napi_secret = { env = \"ERPNEXT_SECRET\" }\n"
                             "company = \"Acme Corp\"\npaid_to = \"Bank Account - AC\"\npoll_seconds = 1\njitter_seconds = 0\n"
                             "[statements.bank]\ntype = \"inbox\"\n" + folder("inbox", "stmt-in") + folder("archive", "stmt-archive") +
                             folder("quarantine", "stmt-quarantine") + "poll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n"
                             "[outbox]\npoll_seconds = 1\nbase_backoff_seconds = 0\n");
  d.start({}, {"ERPNEXT_SECRET=" + std::string(fakes::FakeErpNext::kSecret)});
  ASSERT_TRUE(d.process->wait_for_log("ERP_PULLED connector=erpnext full sweep", 15s)) << d.process->log();
  test::deliver_file(d.dir / "stmt-in" / "day.xml", statement("S3", credit("B1", "650.00", "ACC-SINV-2024-00007") +
                                                                        credit("B2", "2000.00", "part of ACC-SINV-2024-00008")));
  ASSERT_TRUE(eventually([&] { return erpnext.submitted_payments_with("ARCD-APP-1") + erpnext.submitted_payments_with("ARCD-APP-2") == 2; },
                         30s))
      << d.process->log();
  EXPECT_EQ(erpnext.outstanding_of("ACC-SINV-2024-00007"), "0.00");
  EXPECT_EQ(erpnext.outstanding_of("ACC-SINV-2024-00008"), "300.00");
  ASSERT_TRUE(d.process->wait_for_log("ERP_PULLED connector=erpnext incremental", 15s));
  const auto listed = test::run({ARCCTL_BIN, "--database", d.sqlite_url(), "--format", "json", "invoices", "list"});
  ASSERT_EQ(listed.code, 0) << listed.output;
  const auto parsed = json::parse(listed.output);
  for (const auto& i : parsed.as_array()) {
    const auto& o = i.as_object();
    EXPECT_EQ(o.at("amount_open").as_string(), o.at("number") == "ACC-SINV-2024-00008" ? "300.00" : "0.00") << json::serialize(i);
  }
  d.stop();
  EXPECT_EQ(d.process->log().find(fakes::FakeErpNext::kSecret), std::string::npos);
}

// Two daemons share one PostgreSQL database and its outbox: both deliver, neither delivers an
// event the other did, and Odoo ends with exactly one payment per application.
TEST(ErpE2E, TwoDaemonsOnOnePostgresqlOutboxNeverDeliverTwice) {
  test::TestDatabase db("postgresql");
  fakes::FakeOdoo odoo(17);
  odoo.add_partner(9, "Deco Addict", "deco@example.com");
  const int invoices = 60;
  std::string entries;
  for (int i = 0; i < invoices; ++i) {
    const std::string number = "INV/2026/" + std::to_string(20000 + i);
    odoo.add_invoice({3000 + i, number, 9, "2026-10-01", "2026-10-31", "10.00", "10.00", "EUR", "", "posted", "2026-11-20 08:00:00"});
    entries += credit("P" + std::to_string(i), "10.00", number);
  }
  // Slow enough that one daemon alone needs seconds for all of them: the other joins in.
  odoo.server().inject({.kind = fakes::FaultKind::slow, .delay = 50ms, .match = "execute_kw", .times = 1000000});
  auto config = [&](test::RunningDaemon& d, bool with_inbox) {
    auto folder = [&](const std::string& key, const std::string& name) { return key + " = \"" + (d.dir / name).string() + "\"\n"; };
    test::write_file(d.config, "[database]\nurl = \"" + db.url() + "\"\n[http]\nport = 0\n"
                               "[connectors.odoo-eu]\ntype = \"odoo\"\nurl = \"" + odoo.url() + "\"\n"
                               "database = \"arcd_demo\"\nlogin = \"arcd-bot\"\napi_key = { env = \"ODOO_KEY\" }\n"
                               "poll_seconds = 1\njitter_seconds = 0\n" +
                               (with_inbox ? "[statements.bank]\ntype = \"inbox\"\n" + folder("inbox", "stmt-in") + folder("archive", "stmt-archive") +
                                                 folder("quarantine", "stmt-quarantine") + "poll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n"
                                           : std::string()) +
                               "[outbox]\npoll_seconds = 1\nbase_backoff_seconds = 0\nin_flight = 4\nbatch = 8\n");
  };
  test::RunningDaemon a, b;
  config(a, true);
  config(b, false);
  const std::string key = "ODOO_KEY=" + std::string(fakes::FakeOdoo::kApiKey);
  a.start({}, {key});
  ASSERT_TRUE(a.process->wait_for_log("ERP_PULLED connector=odoo-eu", 15s)) << a.process->log();
  b.start({}, {key});
  test::deliver_file(a.dir / "stmt-in" / "day.xml", statement("S4", entries));
  ASSERT_TRUE(eventually([&] { return posted(odoo) >= invoices; }, 60s)) << a.process->log() << b.process->log();
  std::this_thread::sleep_for(2s);  // anything delivered twice would show now
  std::map<std::string, int> per_memo;
  for (const auto& p : odoo.payments()) per_memo[p.memo] += p.state == "posted";
  EXPECT_EQ(per_memo.size(), static_cast<std::size_t>(invoices));
  for (const auto& [memo, count] : per_memo) EXPECT_EQ(count, 1) << memo;
  // Both took part.
  auto delivered_by = [](const std::string& log) {
    int n = 0;
    for (std::size_t at = 0; (at = log.find("OUTBOX_PASS", at)) != std::string::npos; ++at) ++n;
    return n;
  };
  EXPECT_GT(delivered_by(a.process->log()), 0);
  EXPECT_GT(delivered_by(b.process->log()), 0) << b.process->log();
  a.stop();
  b.stop();
}

// Treasury hears from the daemon on its own: a snapshot just after start, then one after the
// statement's cash is applied that drops the paid invoices and books their receipts; every
// request signed under the shared secret with a fresh timestamp.
TEST(ErpE2E, TreasuryGetsTheInflowFeedAfterStartAndAfterCashApplication) {
  fakes::FakeOdoo odoo(17);
  odoo.load_fixture_dataset();
  const std::string secret = "e2e-treasury-secret-0123456789";
  struct Received {
    std::int64_t version;
    std::size_t flows, receipts;
    bool signed_ok;
  };
  std::mutex mutex;
  std::vector<Received> feeds;
  fakes::FakeHttpServer treasury([&](const fakes::Request& r) {
    const auto ts = r.header("x-arcd-timestamp");
    const bool ok = constant_time_equal(r.header("x-arcd-signature"), "sha256=" + hmac_sha256_hex(secret, ts + "." + r.body)) &&
                    std::llabs(std::time(nullptr) - std::stoll(ts.empty() ? "0" : ts)) < 300;
    const auto doc = json::parse(r.body).as_object();
    std::lock_guard lock(mutex);
    feeds.push_back({doc.at("version").as_int64(), doc.at("flows").as_array().size(),
                     doc.contains("receipts") ? doc.at("receipts").as_array().size() : 0, ok});
    fakes::Response answer;
    answer.status = ok ? 200 : 401;
    answer.body = "{}";
    return answer;
  });
  OdooDaemon d(odoo.url());
  test::write_file(d.config, test::read_file(d.config) + "[tms.treasury]\ntransport = \"https\"\nurl = \"" + treasury.base_url() +
                                 "/feed\"\nsecret = { env = \"TMS_SECRET\" }\nevery_minutes = 60\n");
  d.start({}, {"ODOO_KEY=" + std::string(fakes::FakeOdoo::kApiKey), "TMS_SECRET=" + secret});
  ASSERT_TRUE(d.process->wait_for_log("ERP_PULLED connector=odoo-eu full sweep", 15s)) << d.process->log();
  auto received = [&] {
    std::lock_guard lock(mutex);
    return feeds;
  };
  // The scheduled snapshot after start, with both open invoices.
  ASSERT_TRUE(eventually([&] { return !received().empty() && received().back().flows == 2; }, 30s)) << d.process->log();
  test::deliver_file(d.dir / "stmt-in" / "day.xml",
                     statement("S1", credit("A1", "650.00", "INV/2024/00007") + credit("A2", "2300.00", "Rechnung INV 2024 00008")));
  ASSERT_TRUE(eventually([&] { return received().back().receipts == 2; }, 30s)) << d.process->log();
  const auto all = received();
  for (const auto& f : all) EXPECT_TRUE(f.signed_ok);
  EXPECT_EQ(all.back().flows, 0u) << "the paid invoices left the forecast";
  EXPECT_GT(all.back().version, all.front().version);
  EXPECT_TRUE(d.process->log().find("TMS_FEED_DELIVERED destination=tms:treasury") != std::string::npos);
  EXPECT_EQ(d.process->log().find(secret), std::string::npos) << "the secret never appears in the log";
}
