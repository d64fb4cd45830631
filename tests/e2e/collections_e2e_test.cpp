// kill -9 during a collections run and during the sending of its reminders, then restart:
// every customer hears once, and no message reaches the mail server twice.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <thread>

#include "process_util.hpp"
#include "smtp_server.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;

namespace {

constexpr int kCustomers = 1500;

std::filesystem::path make_csv(const test::TempDir& dir) {
  const auto path = dir / "invoices.csv";
  std::ofstream out(path);
  out << "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,customer_iban,"
         "customer_email\n";
  // Due the day before yesterday: each customer is due its overdue notice today.
  const Date due = utc_date(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())).plus_days(-2);
  for (int i = 0; i < kCustomers * 2; ++i) {
    const int c = i % kCustomers;
    out << "INV-" << i << ",C" << c << ",Customer " << c << ",EUR," << (i + 100) << ".00," << (i + 100) << ".00,"
        << due.plus_days(-30).to_string() << "," << due.to_string() << ",REF-" << i << ",,ap" << c << "@c" << c << ".example\n";
  }
  return path;
}

int count_lines(const std::string& csv) {
  int n = 0;
  for (char ch : csv) n += ch == '\n';
  return n - 1;
}

}  // namespace

TEST(CollectionsCrash, Kill9DuringTheRunAndTheSendingSendsNoReminderTwice) {
  test::SmtpServer smtp;
  test::TempDir dir;
  const std::string db = "sqlite://" + (dir / "arcd.db").string();
  const auto config = dir / "arcd.toml";
  {
    std::ofstream out(config);
    out << "[database]\nurl = \"" << db << "\"\n[http]\nport = 0\n"
        << "[collections]\nmax_statement_age_hours = 0\nbatch_customers = 25\nrun_hour_utc = 23\n"
        << "[mail]\ntransport = \"smtp\"\nurl = \"smtp://127.0.0.1:" << smtp.port() << "\"\ntls = \"none\"\nusername = \"arcd\"\n"
        << "password = \"s3cret\"\npoll_seconds = 1\n"
        << "[outbox]\npoll_seconds = 1\nlease_seconds = 10\n";
  }
  const std::vector<std::string> base{ARCCTL_BIN, "--config", config.string()};
  auto with = [&](std::vector<std::string> args) {
    std::vector<std::string> v = base;
    v.insert(v.end(), args.begin(), args.end());
    return v;
  };
  ASSERT_EQ(test::run(with({"db", "migrate"})).code, 0);
  ASSERT_EQ(test::run(with({"invoices", "import", make_csv(dir).string()})).code, 0);

  // A run killed part way, then run again to the end.
  int killed_midway = 0;
  for (int attempt = 0; attempt < 4 && killed_midway == 0; ++attempt) {
    test::Process p(with({"collections", "run"}), {}, dir / "run.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 250 * attempt));
    p.signal(SIGKILL);
    const auto code = p.wait(10s);
    ASSERT_TRUE(code);
    if (*code == 128 + SIGKILL) ++killed_midway;
  }
  const auto rest = test::run(with({"collections", "run", "--format", "json"}));
  ASSERT_EQ(rest.code, 0) << rest.output;
  const auto queued = count_lines(test::run(with({"outbox", "list", "--source", "mail", "--format", "csv", "--limit", "100000"})).output);
  EXPECT_EQ(queued, kCustomers) << "one reminder per customer, whatever the kill interrupted";

  // The daemon sends them; killed while sending, then started again to finish.
  {
    test::RunningDaemon d;
    std::filesystem::copy_file(config, d.config);
    d.start();
    for (int i = 0; i < 200 && smtp.received().size() < 50; ++i) std::this_thread::sleep_for(20ms);
    d.process->signal(SIGKILL);
    d.process->wait(10s);
  }
  const auto before_restart = smtp.received().size();
  {
    test::RunningDaemon d;
    std::filesystem::copy_file(config, d.config);
    d.start();
    for (int i = 0; i < 300; ++i) {
      const auto pending =
          count_lines(test::run(with({"outbox", "list", "--source", "mail", "--status", "pending", "--format", "csv"})).output);
      if (pending == 0) break;
      std::this_thread::sleep_for(200ms);
    }
    d.stop();
  }
  const auto got = smtp.received();
  std::map<std::string, int> per_message;
  std::map<std::string, int> per_recipient;
  for (const auto& m : got) {
    ++per_message[std::string(m.at("message_id").as_string())];
    ++per_recipient[std::string(m.at("rcpt_tos").as_array()[0].as_string())];
  }
  for (const auto& [id, n] : per_message) EXPECT_EQ(n, 1) << id << " reached the server " << n << " times";
  for (const auto& [to, n] : per_recipient) EXPECT_EQ(n, 1) << to;
  const auto dead = count_lines(test::run(with({"outbox", "list", "--source", "mail", "--status", "dead", "--format", "csv"})).output);
  // Each customer got its reminder, except perhaps the one being sent at the kill: that one is
  // left "unknown" (dead in the outbox, for a person to check; the server may have taken it),
  // never sent twice.
  EXPECT_LE(static_cast<int>(got.size()), kCustomers);
  EXPECT_GE(static_cast<int>(got.size()) + dead, kCustomers) << "sent before the kill: " << before_restart;
  EXPECT_LE(dead, 1) << "at most the message being sent at the kill is in doubt";
  EXPECT_GT(killed_midway, 0) << "the run always finished before the kill; the test proved nothing";
}
