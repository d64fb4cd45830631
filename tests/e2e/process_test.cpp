// The daemon as systemd runs it: READY over the notify socket, health and metrics over HTTP,
// SIGHUP with a broken config (keeps running), SIGTERM (clean exit within 5 s).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <sstream>

#include "process_util.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;

namespace {

std::string config_text(const test::TempDir& dir, const std::string& db_url, const std::string& level = "info") {
  return "[daemon]\nlog_level = \"" + level + "\"\nshutdown_timeout_seconds = 4\n[database]\nurl = \"" + db_url +
         "\"\n[http]\nport = 0\n[connectors.files]\ntype = \"csv\"\ninbox = \"" + (dir / "inbox").string() +
         "\"\narchive = \"" + (dir / "archive").string() + "\"\nquarantine = \"" + (dir / "quarantine").string() +
         "\"\npoll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n";
}

// A daemon with the csv connector watching <dir>/inbox.
struct Daemon : test::RunningDaemon {
  explicit Daemon(const std::string& db_url = "") {
    test::write_file(config, config_text(dir, db_url.empty() ? sqlite_url() : db_url));
  }
};

}  // namespace

TEST(Process, ReadyHealthMetricsReloadAndStop) {
  Daemon d;
  d.start();
  EXPECT_NE(d.process->log().find("DAEMON_STARTED"), std::string::npos);

  auto health = test::http_get(d.port, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  auto ready = test::http_get(d.port, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  auto version = test::http_get(d.port, "/api/v1/version");
  EXPECT_NE(version.body.find("\"name\":\"arcd\""), std::string::npos);
  auto metrics = test::http_get(d.port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_NE(metrics.body.find("arcd_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), std::string::npos)
      << metrics.body;

  // A broken config on SIGHUP: logged, refused, the daemon keeps serving.
  test::write_file(d.config, "[daemon]\nlog_levle = \"debug\"\n");
  d.process->signal(SIGHUP);
  ASSERT_TRUE(d.process->wait_for_log("CFG_RELOAD_FAILED", 10s)) << d.process->log();
  EXPECT_NE(d.process->log().find("daemon.log_levle"), std::string::npos);
  EXPECT_EQ(test::http_get(d.port, "/healthz").status, 200);

  // A valid one is taken.
  test::write_file(d.config, config_text(d.dir, "sqlite://" + (d.dir / "arcd.db").string(), "debug"));
  d.process->signal(SIGHUP);
  ASSERT_TRUE(d.process->wait_for_log("CFG_RELOADED", 10s)) << d.process->log();

  const auto t0 = std::chrono::steady_clock::now();
  d.process->signal(SIGTERM);
  auto code = d.process->wait(5s);
  ASSERT_TRUE(code) << "arcd did not stop within 5 s\n" << d.process->log();
  EXPECT_EQ(*code, 0) << d.process->log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_TRUE(d.notify->wait_for("STOPPING=1", 1s));
  EXPECT_NE(d.process->log().find("DAEMON_STOPPED"), std::string::npos);
}

TEST(Process, StartupFailuresExitNonZeroWithAReason) {
  test::TempDir dir;
  test::write_file(dir / "bad.toml", "[http]\nport = \"x\"\n");
  test::Process p({ARCD_BIN, "--config", (dir / "bad.toml").string()}, {}, dir / "log");
  auto code = p.wait(10s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1);
  EXPECT_NE(p.log().find("DAEMON_START_FAILED"), std::string::npos) << p.log();
  EXPECT_NE(p.log().find("bad.toml:2: http.port"), std::string::npos) << p.log();

  auto check = test::run({ARCD_BIN, "--check-config", (dir / "bad.toml").string()});
  EXPECT_EQ(check.code, 1);
  test::write_file(dir / "good.toml", "[http]\nport = 8080\n");
  EXPECT_EQ(test::run({ARCD_BIN, "--check-config", (dir / "good.toml").string()}).code, 0);
  EXPECT_EQ(test::run({ARCD_BIN, "--check-config", (std::filesystem::path(ARCD_SOURCE_DIR) / "config/arcd.toml").string()}).code, 0);
}

TEST(Process, ImportsInvoiceCsvDroppedIntoTheInbox) {
  Daemon d;
  d.start();
  test::deliver_file(d.dir / "inbox" / "erp-export.csv",
                   "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date\n"
                   "INV-1,C1,Acme,EUR,10.00,10.00,2026-10-01,2026-10-31\n");
  test::deliver_file(d.dir / "inbox" / "broken.csv", "invoice_number,customer_id\nX,1\n");
  ASSERT_TRUE(d.process->wait_for_log("CSV_FILE_IMPORTED", 15s)) << d.process->log();
  ASSERT_TRUE(d.process->wait_for_log("CSV_FILE_REJECTED", 15s)) << d.process->log();
  EXPECT_TRUE(std::filesystem::exists(d.dir / "quarantine" / "broken.csv.error.txt"));
  auto list = test::run({ARCCTL_BIN, "--config", d.config.string(), "invoices", "list", "--format", "csv"});
  EXPECT_EQ(list.code, 0) << list.output;
  EXPECT_NE(list.output.find("INV-1"), std::string::npos) << list.output;
  d.process->signal(SIGTERM);
  EXPECT_EQ(d.process->wait(5s), 0);
}

TEST(Process, RunsOnPostgreSQLWithoutLoggingThePassword) {
  test::TestDatabase db("postgresql");
  // The test cluster trusts local connections, so any password is accepted and must not leak.
  std::string url = db.url();
  url.insert(url.find('@'), ":pw-very-secret");
  Daemon d(url);
  d.start();
  auto ready = test::http_get(d.port, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_NE(d.process->log().find("database=postgresql"), std::string::npos);
  EXPECT_NE(d.process->log().find(":***@"), std::string::npos) << d.process->log();
  EXPECT_EQ(d.process->log().find("pw-very-secret"), std::string::npos) << d.process->log();
  d.process->signal(SIGTERM);
  EXPECT_EQ(d.process->wait(5s), 0) << d.process->log();
}

TEST(Process, WatchdogKeepAlivesAndJsonLogLines) {
  Daemon d;
  d.start({"--set", "daemon.log_format=json"}, {"WATCHDOG_USEC=400000"});
  EXPECT_TRUE(d.notify->wait_for("WATCHDOG=1", 3s));
  EXPECT_TRUE(d.notify->wait_for("WATCHDOG=1", 3s));
  d.process->signal(SIGTERM);
  ASSERT_EQ(d.process->wait(5s), 0);
  std::istringstream lines(d.process->log());
  int parsed = 0;
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << "not a JSON line: " << line;
    const auto& o = v.as_object();
    EXPECT_TRUE(o.contains("time") && o.contains("level") && o.contains("logger") && o.contains("msg")) << line;
    ++parsed;
  }
  EXPECT_GE(parsed, 4);
}
