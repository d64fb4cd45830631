// Reminder mail through a real SMTP server (Debian's aiosmtpd, started by the test on a
// loopback port): the transport's outcomes, and a collections run whose reminders arrive with
// their recipients, subject, both parts and the amounts; a refused address becomes an invalid
// contact and a task.
#include <gtest/gtest.h>


#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/collections_config.hpp"
#include "collections/run.hpp"
#include "connectors/smtp/smtp_transport.hpp"
#include "outbox/mail_dispatcher.hpp"
#include "smtp_server.hpp"
#include "test_support.hpp"


namespace arcd {
namespace {

std::string str(const boost::json::object& o, const char* k) { return std::string(o.at(k).as_string()); }

MailMessage message(std::vector<std::string> to) {
  return {"Accounts Receivable <ar@example.com>", "", std::move(to), "Zahlung überfällig: 1 190,00 EUR",
          "Rechnung RE-1: 1190.00 EUR offen\n", "<p>Rechnung <b>RE-1</b>: 1190.00 EUR offen</p>", "<test-1@arcd.invalid>"};
}

TEST(SmtpTransport, DeliversMultipartMailWithAuthAndAnEncodedSubject) {
  test::SmtpServer server;
  connectors::SmtpTransport t(server.settings());
  const auto r = t.send(message({"billing@customer.example"}));
  ASSERT_EQ(r.outcome, MailOutcome::sent) << r.detail;
  const auto got = server.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].at("rcpt_tos").as_array().size(), 1u);
  EXPECT_EQ(got[0].at("rcpt_tos").as_array()[0].as_string(), "billing@customer.example");
  EXPECT_EQ(got[0].at("mail_from").as_string(), "ar@example.com");
  EXPECT_EQ(str(got[0], "subject"), "Zahlung überfällig: 1 190,00 EUR");
  EXPECT_EQ(str(got[0], "message_id"), "<test-1@arcd.invalid>");
  EXPECT_NE(str(got[0], "text").find("1190.00 EUR offen"), std::string::npos);
  EXPECT_NE(str(got[0], "html").find("<b>RE-1</b>"), std::string::npos);
  EXPECT_TRUE(got[0].at("authenticated").as_bool());
}

TEST(SmtpTransport, ClassifiesRefusalsTemporaryFailuresAndAnAbsentServer) {
  test::SmtpServer server;
  connectors::SmtpTransport t(server.settings());
  const auto refused = t.send(message({"bounce@customer.example"}));
  EXPECT_EQ(refused.outcome, MailOutcome::rejected);
  EXPECT_TRUE(refused.recipient_refused);
  EXPECT_EQ(refused.smtp_code, 550);
  const auto later = t.send(message({"tempfail@customer.example"}));
  EXPECT_EQ(later.outcome, MailOutcome::transient);
  EXPECT_EQ(later.smtp_code, 451);
  auto absent = server.settings();
  absent.url = "smtp://127.0.0.1:" + std::to_string(test::free_port());
  EXPECT_EQ(connectors::SmtpTransport(absent).send(message({"x@customer.example"})).outcome, MailOutcome::transient);
  EXPECT_TRUE(server.received().empty());
}

TEST(SmtpReminders, ACollectionsRunsRemindersArriveAndABounceMarksTheContact) {
  test::SmtpServer server;
  test::TempDir dir;
  auto clock = std::make_shared<test::ManualClock>(std::chrono::sys_days(Date(2026, 3, 11).days()) + std::chrono::hours(9));
  auto store = open_store({"sqlite://" + (dir / "a.db").string(), 1, 5000}, clock);
  store->migrate();
  {
    auto tx = store->begin();
    Customer good;
    good.source = "erp";
    good.external_id = "C1";
    good.name = "Müller Handel GmbH";
    good.email = "ap@mueller.example";
    good.language = "de";
    const auto c1 = tx->customers().insert(good);
    Customer bad = good;
    bad.external_id = "C2";
    bad.name = "Gone Ltd";
    bad.email = "bounce@gone.example";
    bad.language = "en";
    const auto c2 = tx->customers().insert(bad);
    tx->contacts().add({0, c2, "billing", "", "bounce@gone.example", ""});
    for (auto [c, number, amount] : {std::tuple{c1, "RE-1", "1190.00"}, std::tuple{c1, "RE-2", "59.50"}, std::tuple{c2, "GL-7", "10.00"}}) {
      Invoice i;
      i.source = "erp";
      i.number = number;
      i.customer_id = c;
      i.issue_date = Date(2026, 2, 8);
      i.due_date = Date(2026, 3, 10);
      i.amount_total = Money::parse(amount, Currency::of("EUR"));
      i.amount_open = i.amount_total;
      i.payment_reference = std::string("REF-") + number;
      tx->invoices().insert(i);
    }
    tx->commit();
  }
  collections::CollectionsSettings s;
  s.policies = app::default_policies();
  s.max_statement_age_hours = 0;
  s.company_name = "Beispiel AG";
  const auto templates = collections::TemplateSet::load("");
  const auto report = collections::run_collections(*store, *clock, s, templates, {Date(2026, 3, 11), false, "system:collections"}, nullptr);
  EXPECT_EQ(report.emails, 2);
  outbox::MailDispatcher mail(*store, clock, std::make_unique<connectors::SmtpTransport>(server.settings()), {}, "test",
                              spdlog::default_logger());
  const auto pass = mail.drain(std::chrono::seconds(30));
  EXPECT_EQ(pass.delivered, 1);
  EXPECT_EQ(pass.dead, 1);

  const auto got = server.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].at("rcpt_tos").as_array()[0].as_string(), "ap@mueller.example");
  EXPECT_EQ(str(got[0], "subject"), "Zahlung überfällig: 1249.50 EUR — Beispiel AG");  // German, both invoices
  for (const char* part : {"text", "html"}) {
    const std::string body = str(got[0], part);
    EXPECT_NE(body.find("RE-1"), std::string::npos) << part;
    EXPECT_NE(body.find("RE-2"), std::string::npos) << part;
    EXPECT_NE(body.find("1190.00"), std::string::npos) << part;
    EXPECT_NE(body.find("1249.50"), std::string::npos) << part;
    EXPECT_NE(body.find("REF-RE-1"), std::string::npos) << part;
  }
  // Sent once: another pass finds nothing to send.
  EXPECT_EQ(mail.drain(std::chrono::seconds(5)).claimed, 0);
  EXPECT_EQ(server.received().size(), 1u);
  auto tx = store->begin();
  const auto comms = tx->dunning().communications(std::nullopt, Page{0, 10});
  ASSERT_EQ(comms.size(), 2u);
  EXPECT_EQ(comms[0].status, "sent");
  EXPECT_EQ(str(got[0], "message_id"), comms[0].message_id);
  EXPECT_EQ(comms[1].status, "bounced");
  const auto contacts = tx->contacts().of(comms[1].customer_id);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_NE(contacts[0].invalid_reason.find("550"), std::string::npos);
  const auto tasks = tx->activities().tasks(comms[1].customer_id);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].kind, "fix_contact");
}

}  // namespace
}  // namespace arcd
