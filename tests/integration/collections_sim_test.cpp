// 150 simulated days of collections for a portfolio of customers, checked day by day: exactly
// which messages and tasks each run produces under the default policy, with disputes,
// promises kept and broken, holds, payments, a customer first seen long overdue, two
// currencies, stale bank data, a bounced email and write-off approval. Runs on both backends.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "app/collections_config.hpp"
#include "cashapp/ptp.hpp"
#include "collections/cases.hpp"
#include "collections/run.hpp"
#include "outbox/mail_dispatcher.hpp"
#include "test_support.hpp"

#include <spdlog/spdlog.h>

namespace arcd {
namespace {

using collections::RunOptions;
using Action = std::tuple<int, std::string, std::string, std::string, std::string>;  // day, customer, kind, stage, currency

const Date kDay0(2026, 1, 1);
Date day(int d) { return kDay0.plus_days(d); }
Instant at(int d, int hour) { return std::chrono::sys_days(day(d).days()) + std::chrono::hours(hour); }

// A mail server that refuses addresses with "bounce" in them at RCPT, as a real one does.
class RecordingTransport final : public MailTransport {
 public:
  MailResult send(const MailMessage& m) override {
    for (const auto& to : m.to)
      if (to.find("bounce") != std::string::npos) return {MailOutcome::rejected, 550, "RCPT failed: 550", true};
    sent.push_back(m);
    return {MailOutcome::sent, 250, ""};
  }
  std::vector<MailMessage> sent;
};

class CollectionsSim : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam());
    clock_ = std::make_shared<test::ManualClock>(at(0, 8));
    store_ = open_store({db_->url(), 2, 5000}, clock_);
    store_->migrate();
    settings_.policies = app::default_policies();
    settings_.default_collector = "carl";
    settings_.max_statement_age_hours = 48;
    settings_.batch_customers = 3;
    templates_ = collections::TemplateSet::load("");
  }

  CustomerId customer(const std::string& ext, const std::string& email = "") {
    auto tx = store_->begin();
    Customer c;
    c.source = "erp";
    c.external_id = ext;
    c.name = ext + " GmbH";
    c.email = email.empty() ? ext + "@example.com" : email;
    const auto id = tx->customers().insert(c);
    tx->contacts().add({0, id, "billing", "", c.email, ""});
    tx->commit();
    return id;
  }

  InvoiceId invoice(CustomerId c, const std::string& number, int due_day, const std::string& amount, const char* currency = "EUR") {
    auto tx = store_->begin();
    Invoice i;
    i.source = "erp";
    i.number = number;
    i.customer_id = c;
    i.issue_date = day(due_day - 30);
    i.due_date = day(due_day);
    i.amount_total = Money::parse(amount, Currency::of(currency));
    i.amount_open = i.amount_total;
    i.payment_reference = "REF-" + number;
    const auto id = tx->invoices().insert(i);
    tx->commit();
    return id;
  }

  void pay(InvoiceId id, const std::string& amount) {
    auto tx = store_->begin();
    const auto inv = tx->invoices().get(id);
    tx->cash().add_to_invoice(id, Money::parse(amount, inv->amount_open.currency()).minor(), 0);
    tx->commit();
  }

  void statement_arrives() {
    auto tx = store_->begin();
    const std::string sha = "sha-" + to_iso8601(clock_->now());
    tx->statements().store_raw_file(sha, "s.xml", "x");
    Statement s;
    s.format = "camt.053.001.08";
    s.file_sha256 = sha;
    s.account = "DE00";
    tx->statements().insert(s);
    tx->commit();
  }

  std::unique_ptr<test::TestDatabase> db_;
  std::shared_ptr<test::ManualClock> clock_;
  std::unique_ptr<Store> store_;
  collections::CollectionsSettings settings_;
  collections::TemplateSet templates_;
};

// The default policy's actions for an invoice due on `due` that nothing interrupts.
void standard(std::set<Action>& out, const std::string& c, int due, const std::string& cur = "EUR", bool escalate = true,
              bool agency = true, int until = 150) {
  const std::vector<std::tuple<int, const char*, const char*>> steps = {
      {-4, "email", "courtesy"},         {1, "email", "notice"},           {7, "email", "follow_up_7"},
      {14, "email", "follow_up_14"},     {21, "task", "call_21"},          {30, "escalate", "escalation_30"},
      {60, "email", "final_demand_60"},  {61, "credit_hold", "credit_hold_60"}, {90, "agency", "agency_90"}};
  for (const auto& [offset, kind, stage] : steps) {
    if (!escalate && std::string(stage) == "escalation_30") continue;
    if (!agency && std::string(stage) == "agency_90") continue;
    if (due + offset <= until) out.insert({due + offset, c, kind, stage, cur});
  }
}

TEST_P(CollectionsSim, OneHundredFiftyDaysDayByDay) {
  const auto alpha = customer("alpha");
  const auto a1 = invoice(alpha, "A-1", 10, "1000.00");
  const auto beta = customer("beta");
  const auto b1 = invoice(beta, "B-1", 10, "1000.00");
  const auto gamma = customer("gamma");
  const auto g1 = invoice(gamma, "G-1", 10, "800.00");
  const auto delta = customer("delta");
  const auto d1 = invoice(delta, "D-1", 10, "800.00");
  const auto epsilon = customer("epsilon");
  invoice(epsilon, "E-1", 10, "600.00");
  const auto zeta = customer("zeta");
  const auto z1 = invoice(zeta, "Z-1", 10, "300.00");
  const auto eta = customer("eta");
  const auto h1 = invoice(eta, "H-1", 10, "1000.00");
  const auto theta = customer("theta");
  const auto iota = customer("iota");
  invoice(iota, "I-EUR", 10, "500.00", "EUR");
  invoice(iota, "I-USD", 10, "700.00", "USD");
  const auto kappa = customer("kappa");
  invoice(kappa, "K-1", 10, "200.00");
  invoice(kappa, "K-2", 10, "200.00");
  const auto lambda = customer("lambda");
  invoice(lambda, "L-1", 115, "400.00");
  const auto mu = customer("mu", "bounce@mu.example");
  invoice(mu, "M-1", 10, "150.00");

  RecordingTransport* transport = nullptr;
  auto owned = std::make_unique<RecordingTransport>();
  transport = owned.get();
  outbox::MailDispatcher mail(*store_, clock_, std::move(owned), {}, "sim", spdlog::default_logger());

  std::set<Action> actual;
  std::map<int, std::vector<std::string>> housekeeping;  // day -> task kinds made outside the stages
  std::map<int, collections::RunReport> reports;
  for (int d = 0; d <= 150; ++d) {
    clock_->set(at(d, 8));
    if (d < 120 || d > 124) statement_arrives();  // the bank goes quiet for five days
    clock_->set(at(d, 9));
    auto tx = store_->begin();
    if (d == 10) {  // first seen 75 days overdue
      tx->commit();
      invoice(theta, "T-1", 10 - 75, "900.00");
      tx = store_->begin();
    }
    if (d == 12) {
      for (auto [c, inv] : {std::pair{gamma, g1}, std::pair{delta, d1}}) {
        cashapp::PtpRequest p{c, {inv}, Money::parse("800.00", Currency::of("EUR")), day(20), "call", 3};
        ASSERT_TRUE(cashapp::add_ptp(*tx, p, day(d), "carl"));
      }
    }
    if (d == 15) {
      collections::HoldRequest too_long{epsilon, std::nullopt, "negotiating", day(15 + 30), std::nullopt};
      auto refused = collections::add_hold(*tx, settings_, too_long, day(d), "anna");
      ASSERT_FALSE(refused);
      EXPECT_EQ(refused.problem().code, "HOLD_TOO_LONG");
      collections::HoldRequest max{epsilon, std::nullopt, "negotiating", day(15 + 29), std::nullopt};
      ASSERT_TRUE(collections::add_hold(*tx, settings_, max, day(d), "anna"));
    }
    if (d == 20) {
      auto id = collections::open_dispute(*tx, settings_, {b1, std::nullopt, "pricing", "dora", "price list mismatch"}, "dora");
      ASSERT_TRUE(id);
    }
    if (d == 40) {
      const auto open = tx->disputes().list({true, std::nullopt, b1}, Page{0, 10});
      ASSERT_EQ(open.size(), 1u);
      ASSERT_TRUE(collections::resolve_dispute(*tx, open.front().id, "customer_pays", "credit refused", "dora"));
    }
    tx->commit();
    if (d == 16) {
      pay(z1, "300.00");  // paid in full: nothing more
      pay(h1, "950.00");  // partial: 50.00 stays open
    }
    if (d == 19) pay(g1, "800.00");  // the promise is kept
    (void)a1;
    (void)alpha;

    const auto tasks_before = [&] {
      std::set<std::int64_t> ids;
      auto t = store_->begin();
      for (const auto& task : t->activities().open_tasks(std::nullopt)) ids.insert(task.id.value());
      return ids;
    }();
    const auto report = collections::run_collections(*store_, *clock_, settings_, templates_, RunOptions{day(d), false, "system:collections"},
                                                     nullptr);
    for (const auto& a : report.actions) actual.insert({d, a.customer, a.kind, a.stage, a.currency});
    {
      auto t = store_->begin();
      for (const auto& task : t->activities().open_tasks(std::nullopt))
        if (!tasks_before.count(task.id.value()) && task.source_key.rfind("stage:", 0) != 0) housekeeping[d].push_back(task.kind);
    }
    reports[d] = report;
    mail.drain(std::chrono::seconds(30));
  }

  std::set<Action> expected;
  standard(expected, "alpha", 10);
  // Beta: disputed from day 20 to 40; back on day 40 where escalation_30 is due (the stages it
  // missed are skipped).
  for (const auto& a : {Action{6, "beta", "email", "courtesy", "EUR"}, Action{11, "beta", "email", "notice", "EUR"},
                        Action{17, "beta", "email", "follow_up_7", "EUR"}, Action{40, "beta", "escalate", "escalation_30", "EUR"},
                        Action{70, "beta", "email", "final_demand_60", "EUR"}, Action{71, "beta", "credit_hold", "credit_hold_60", "EUR"},
                        Action{100, "beta", "agency", "agency_90", "EUR"}})
    expected.insert(a);
  // Gamma kept its promise; Zeta paid on day 16.
  expected.insert({6, "gamma", "email", "courtesy", "EUR"});
  expected.insert({11, "gamma", "email", "notice", "EUR"});
  expected.insert({6, "zeta", "email", "courtesy", "EUR"});
  expected.insert({11, "zeta", "email", "notice", "EUR"});
  // Delta broke its promise (day 20 + 3 grace): on day 24 the sequence resumes at follow_up_14.
  expected.insert({6, "delta", "email", "courtesy", "EUR"});
  expected.insert({11, "delta", "email", "notice", "EUR"});
  std::set<Action> delta_rest;
  standard(delta_rest, "delta", 10);
  for (const auto& a : delta_rest)
    if (std::get<0>(a) >= 24) expected.insert(a);
  // Epsilon was held for the maximum 30 days (15..44): on day 45 it resumes at escalation_30.
  expected.insert({6, "epsilon", "email", "courtesy", "EUR"});
  expected.insert({11, "epsilon", "email", "notice", "EUR"});
  expected.insert({45, "epsilon", "escalate", "escalation_30", "EUR"});
  std::set<Action> epsilon_rest;
  standard(epsilon_rest, "epsilon", 10);
  for (const auto& a : epsilon_rest)
    if (std::get<0>(a) > 45) expected.insert(a);
  // Eta paid all but 50.00 on day 16: too little for escalation and the agency.
  standard(expected, "eta", 10, "EUR", false, false);
  // Theta, first seen on day 10 already 75 days overdue, starts at the final demand.
  expected.insert({10, "theta", "email", "final_demand_60", "EUR"});
  expected.insert({11, "theta", "credit_hold", "credit_hold_60", "EUR"});
  expected.insert({25, "theta", "agency", "agency_90", "EUR"});
  // Iota: two currencies, two sequences.
  standard(expected, "iota", 10, "EUR");
  standard(expected, "iota", 10, "USD");
  // Kappa: two invoices of 200.00: one message a day for both, no agency (each below 250.00).
  standard(expected, "kappa", 10, "EUR", true, false);
  // Lambda: its follow_up_7 (day 122) waits while the bank is silent (days 121-124).
  std::set<Action> lambda_all;
  standard(lambda_all, "lambda", 115);
  for (auto a : lambda_all) {
    if (std::get<0>(a) == 122) std::get<0>(a) = 125;
    expected.insert(a);
  }
  // Mu's messages bounce; the stages still happen (and each asks for the contact to be fixed).
  standard(expected, "mu", 10, "EUR", true, false);

  std::vector<Action> missing, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  auto show = [](const std::vector<Action>& v) {
    std::string s;
    for (const auto& [d, c, k, st, cur] : v) s += "  day " + std::to_string(d) + " " + c + " " + k + " " + st + " " + cur + "\n";
    return s;
  };
  EXPECT_TRUE(missing.empty()) << "expected but not done:\n" << show(missing);
  EXPECT_TRUE(extra.empty()) << "done but not expected:\n" << show(extra);

  // Housekeeping tasks: the broken promise on day 24, the hold's end on day 45.
  EXPECT_NE(std::find(housekeeping[24].begin(), housekeeping[24].end(), "ptp_broken"), housekeeping[24].end());
  EXPECT_NE(std::find(housekeeping[45].begin(), housekeeping[45].end(), "hold_ended"), housekeeping[45].end());
  // Stale bank data is reported on the days it held reminders back.
  EXPECT_TRUE(reports[122].cash_stale);
  EXPECT_EQ(reports[122].blocked_stale_cash, 1);
  EXPECT_FALSE(reports[125].cash_stale);

  auto tx = store_->begin();
  // Kappa's notice named both invoices; Iota's went out once per currency.
  const auto kappa_comms = tx->dunning().communications(kappa, Page{0, 100});
  ASSERT_FALSE(kappa_comms.empty());
  for (const auto& c : kappa_comms) EXPECT_EQ(c.invoices.size(), 2u) << c.stage;
  // Every message that went out carries the invoices and amounts, in both parts.
  bool saw_alpha_notice = false;
  for (const auto& m : transport->sent) {
    if (m.to.front() == "alpha@example.com" && m.subject.find("Payment overdue") != std::string::npos) {
      saw_alpha_notice = true;
      EXPECT_NE(m.text.find("A-1"), std::string::npos);
      EXPECT_NE(m.text.find("1000.00"), std::string::npos);
      EXPECT_NE(m.html.find("<td>A-1</td>"), std::string::npos);
      EXPECT_NE(m.text.find("RF"), std::string::npos) << "the reminder's payment reference";
    }
  }
  EXPECT_TRUE(saw_alpha_notice);
  // Mu bounced: the contact is invalid, a task asks to fix it, the communication says so.
  const auto mu_contacts = tx->contacts().of(mu);
  ASSERT_EQ(mu_contacts.size(), 1u);
  EXPECT_FALSE(mu_contacts[0].invalid_reason.empty());
  const auto mu_tasks = tx->activities().tasks(mu);
  EXPECT_TRUE(std::any_of(mu_tasks.begin(), mu_tasks.end(), [](const Task& t) { return t.kind == "fix_contact"; }));
  const auto mu_comms = tx->dunning().communications(mu, Page{0, 100});
  ASSERT_GE(mu_comms.size(), 2u);
  EXPECT_EQ(mu_comms[0].status, "bounced");
  EXPECT_EQ(mu_comms[1].status, "failed");  // no valid contact left
  // No message went to anyone twice on one day, and nothing was sent to a paid customer late.
  std::set<std::string> ids;
  for (const auto& m : transport->sent) EXPECT_TRUE(ids.insert(m.message_id).second) << m.message_id;
  // Disputed invoices stayed in AR: still open with their amount.
  EXPECT_EQ(tx->invoices().get(b1)->amount_open.minor(), 100000);
}

TEST_P(CollectionsSim, WriteOffNeedsAManagerOtherThanTheProposer) {
  const auto c = customer("omega");
  const auto inv = invoice(c, "W-1", 10, "120.00");
  auto tx = store_->begin();
  auto id = collections::propose_writeoff(*tx, inv, std::nullopt, "customer insolvent", "alice");
  ASSERT_TRUE(id);
  auto own = collections::decide_writeoff(*tx, id.value(), true, "alice", true);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.problem().code, "WRITEOFF_FORBIDDEN");
  auto not_manager = collections::decide_writeoff(*tx, id.value(), true, "carol", false);
  ASSERT_FALSE(not_manager);
  EXPECT_EQ(not_manager.problem().code, "WRITEOFF_FORBIDDEN");
  ASSERT_TRUE(collections::decide_writeoff(*tx, id.value(), true, "bob", true));
  tx->commit();
  auto check = store_->begin();
  const auto after = check->invoices().get(inv);
  EXPECT_EQ(after->amount_open.minor(), 0);
  EXPECT_EQ(after->status, InvoiceStatus::paid);
  EXPECT_EQ(check->writeoffs().get(id.value())->state, WriteoffState::approved);
  EXPECT_EQ(check->writeoffs().get(id.value())->decided_by, "bob");
}

TEST_P(CollectionsSim, HoldRenewalsBySamePersonAreLimited) {
  settings_.hold_max_renewals = 1;
  const auto c = customer("rho");
  auto tx = store_->begin();
  auto first = collections::add_hold(*tx, settings_, {c, std::nullopt, "talks", day(10), std::nullopt}, day(0), "anna");
  ASSERT_TRUE(first);
  auto renewed = collections::add_hold(*tx, settings_, {c, std::nullopt, "talks", day(20), first.value()}, day(5), "anna");
  ASSERT_TRUE(renewed);
  auto again = collections::add_hold(*tx, settings_, {c, std::nullopt, "talks", day(30), renewed.value()}, day(15), "anna");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.problem().code, "HOLD_RENEWAL_LIMIT");
  EXPECT_TRUE(collections::add_hold(*tx, settings_, {c, std::nullopt, "talks", day(30), renewed.value()}, day(15), "bert"));
}

// A run that dies part way (after its first batch) and is run again sends nothing twice.
TEST_P(CollectionsSim, ACrashedRunRerunSendsNoReminderTwice) {
  for (int i = 0; i < 7; ++i) invoice(customer("c" + std::to_string(i)), "N-" + std::to_string(i), 10, "100.00");
  clock_->set(at(11, 9));
  statement_arrives();
  settings_.batch_customers = 2;
  struct Crash {};
  EXPECT_THROW(collections::run_collections(*store_, *clock_, settings_, templates_, {day(11), false, "system:collections"}, nullptr,
                                            [](std::int64_t done, std::int64_t) {
                                              if (done >= 4) throw Crash{};
                                            }),
               Crash);
  const auto again = collections::run_collections(*store_, *clock_, settings_, templates_, {day(11), false, "system:collections"}, nullptr);
  EXPECT_EQ(again.emails, 3);  // the four before the crash are not sent again
  const auto third = collections::run_collections(*store_, *clock_, settings_, templates_, {day(11), false, "system:collections"}, nullptr);
  EXPECT_EQ(third.emails, 0);
  auto tx = store_->begin();
  EXPECT_EQ(tx->dunning().communications(std::nullopt, Page{0, 100}).size(), 7u);
  std::int64_t queued = 0;
  for (const auto& s : tx->outbox().stats()) queued += s.destination == "mail" ? s.count : 0;
  EXPECT_EQ(queued, 7);
}

TEST_P(CollectionsSim, DryRunWritesNothingAndSaysWhy) {
  invoice(customer("sigma"), "S-1", 10, "100.00");
  clock_->set(at(11, 9));
  statement_arrives();
  const auto dry = collections::run_collections(*store_, *clock_, settings_, templates_, {day(11), true, "system:collections"}, nullptr);
  ASSERT_EQ(dry.actions.size(), 1u);
  EXPECT_EQ(dry.actions[0].stage, "notice");
  EXPECT_NE(dry.actions[0].why.find("S-1"), std::string::npos);
  EXPECT_NE(dry.actions[0].detail.find("sigma@example.com"), std::string::npos);
  auto tx = store_->begin();
  EXPECT_TRUE(tx->dunning().communications(std::nullopt, Page{0, 10}).empty());
}

// A run reads only the customers with something that may be due, and still sees an invoice
// whose due date the ERP moved.
TEST_P(CollectionsSim, IncrementalRunsReadOnlyWhatMayBeDueAndSeeMovedDueDates) {
  const auto tau = customer("tau");
  const auto x = invoice(tau, "X-1", 30, "500.00");
  for (int i = 0; i < 5; ++i) invoice(customer("far" + std::to_string(i)), "F-" + std::to_string(i), 100, "100.00");
  auto run = [&](int d) {
    clock_->set(at(d, 8));
    statement_arrives();
    clock_->set(at(d, 9));
    return collections::run_collections(*store_, *clock_, settings_, templates_, {day(d), false, "system:collections"}, nullptr);
  };
  const auto first = run(25);
  EXPECT_TRUE(first.full);
  EXPECT_EQ(first.customers, 6);
  EXPECT_TRUE(first.actions.empty());
  const auto courtesy = run(26);
  EXPECT_FALSE(courtesy.full);
  EXPECT_EQ(courtesy.customers, 1);  // tau, within the courtesy reminder's lead
  ASSERT_EQ(courtesy.actions.size(), 1u);
  EXPECT_EQ(courtesy.actions[0].stage, "courtesy");
  const auto quiet = run(27);
  EXPECT_FALSE(quiet.full);
  EXPECT_EQ(quiet.customers, 0) << "nothing can be due: nobody is read";
  {
    auto tx = store_->begin();
    auto inv = *tx->invoices().get(x);
    inv.due_date = day(20);  // the ERP moved the due date a week earlier
    tx->invoices().update(inv);
    tx->commit();
  }
  const auto moved = run(28);
  EXPECT_EQ(moved.customers, 1);
  ASSERT_EQ(moved.actions.size(), 1u);
  EXPECT_EQ(moved.actions[0].stage, "follow_up_7");  // eight days overdue now; the notice is skipped
  EXPECT_EQ(run(29).customers, 0);
  settings_.policies.fingerprint = "changed";
  EXPECT_TRUE(run(30).full) << "changed policies: everyone is looked at again";
}

INSTANTIATE_TEST_SUITE_P(Backends, CollectionsSim, ::testing::ValuesIn(test::store_backends()));

}  // namespace
}  // namespace arcd
