// Cash application as AR staff meet it, on both backends. Every run checks the invariant
// (CashStore::run): each credit's cents are applied, on account, marked or queued, exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "cash_fixture.hpp"
#include "cashapp/invariant.hpp"
#include "cashapp/manual.hpp"
#include "cashapp/ptp.hpp"

using namespace arcd;
using test::CreditSpec;
using test::InvoiceSpec;

namespace {

class CashApplication : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { cash = std::make_unique<test::CashStore>(GetParam()); }
  std::unique_ptr<test::CashStore> cash;

  std::int64_t applied_to(EntryId e, const std::string& kind = "apply") {
    std::int64_t sum = 0;
    for (const auto& a : cash->applications(e)) {
      if (to_string(a.kind) == kind) sum += a.amount.minor();
    }
    return sum;
  }
  Date today() { return cash->clock().today(); }
};

}  // namespace

TEST_P(CashApplication, ExactRfPayment) {
  cash->invoices({{"2026-0001", "C1", "100.00", "RF18539007547034"}});
  const auto e = cash->credit({.amount = "100.00", .reference = "RF18539007547034", .payer_name = "Someone Else"});
  const auto s = cash->run();
  EXPECT_EQ(s.applied, 1);
  EXPECT_EQ(cash->open_minor("2026-0001"), 0);
  EXPECT_EQ(cash->invoice("2026-0001").status, InvoiceStatus::paid);
  const auto apps = cash->applications(e);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].rule, "structured_reference");
  EXPECT_NE(apps[0].reason.find("RF18539007547034"), std::string::npos);  // the evidence is kept
}

TEST_P(CashApplication, RfWithWrongCheckDigitsIsNoEvidence) {
  cash->invoices({{"2026-0001", "C1", "100.00", "RF18539007547034"}});
  const auto e = cash->credit({.amount = "100.00", .remittance = "RF19 5390 0754 7034"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0001"), 10000);
  ASSERT_TRUE(cash->queued(e));
  EXPECT_EQ(cash->queued(e)->reason, "no_candidate");
}

TEST_P(CashApplication, SeveralInvoicesInOnePayment) {
  cash->invoices({{"2026-0001", "C1", "100.00"}, {"2026-0002", "C1", "50.25"}, {"2026-0003", "C1", "75.00"}});
  const auto e = cash->credit({.amount = "150.25", .remittance = "Rg. 2026-0001, 2026-0002"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0001"), 0);
  EXPECT_EQ(cash->open_minor("2026-0002"), 0);
  EXPECT_EQ(cash->open_minor("2026-0003"), 7500);
  EXPECT_EQ(applied_to(e), 15025);
}

TEST_P(CashApplication, InvoiceNumbersMangledFiveWays) {
  cash->invoices({{"INV-2026-00101", "C1", "10.00"},
                  {"INV-2026-00102", "C1", "20.00"},
                  {"INV-2026-00103", "C1", "30.00"},
                  {"INV-2026-00104", "C1", "40.00"},
                  {"INV-2026-00105", "C1", "50.00"}});
  const auto ids = cash->credits({{.amount = "10.00", .remittance = "inv 2026/101"},           // case, separator, zeros
                                  {.amount = "20.00", .remittance = "RE 202600102"},           // no separators, other prefix
                                  {.amount = "30.00", .remittance = "Rechnung INV-2026-00\n103"},  // broken over a line
                                  {.amount = "40.00", .remittance = "INV2026-104 vielen Dank"},    // glued prefix
                                  {.amount = "50.00", .remittance = "Zahlung fuer Rechnungsnr. 2026 00105"}});
  const auto s = cash->run();
  EXPECT_EQ(s.applied, 5);
  for (const char* n : {"INV-2026-00101", "INV-2026-00102", "INV-2026-00103", "INV-2026-00104", "INV-2026-00105"}) {
    EXPECT_EQ(cash->open_minor(n), 0) << n;
  }
  for (auto id : ids) EXPECT_EQ(cash->applications(id).front().rule, "invoice_number");
}

TEST_P(CashApplication, BankChargeShortPayInsideTolerance) {
  cash->invoices({{"2026-0007", "C1", "1000.00"}});
  const auto e = cash->credit({.amount = "985.00", .remittance = "2026-0007", .charges = "15.00"});
  cash->run();
  const auto inv = cash->invoice("2026-0007");
  EXPECT_EQ(inv.amount_open.minor(), 0);
  EXPECT_EQ(inv.status, InvoiceStatus::paid);
  EXPECT_EQ(inv.applied_minor, 98500);
  EXPECT_EQ(inv.adjusted_minor, 1500);
  EXPECT_NE(cash->applications(e).front().reason.find("bank-charges"), std::string::npos);
}

TEST_P(CashApplication, ShortPayOutsideToleranceLeavesTheRestOpen) {
  cash->invoices({{"2026-0008", "C1", "1000.00"}});
  cash->credit({.amount = "900.00", .remittance = "2026-0008"});
  cash->run();
  const auto inv = cash->invoice("2026-0008");
  EXPECT_EQ(inv.amount_open.minor(), 10000);
  EXPECT_EQ(inv.status, InvoiceStatus::open);
  EXPECT_EQ(inv.adjusted_minor, 0);
}

TEST_P(CashApplication, OverpaymentPutsTheRestOnAccount) {
  cash->invoices({{"2026-0009", "C1", "100.00"}});
  const auto e = cash->credit({.amount = "120.00", .remittance = "2026-0009"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0009"), 0);
  EXPECT_EQ(applied_to(e), 10000);
  EXPECT_EQ(applied_to(e, "on_account"), 2000);
  for (const auto& a : cash->applications(e)) {
    if (a.kind == ApplicationKind::on_account) {
      EXPECT_EQ(a.customer_id, cash->customer("C1"));
    }
  }
}

TEST_P(CashApplication, PaymentBeforeTheInvoiceExists) {
  const auto e = cash->credit({.amount = "250.00", .remittance = "Invoice 2026-0099"});
  cash->run();
  ASSERT_TRUE(cash->queued(e));
  EXPECT_EQ(cash->queued(e)->amount.minor(), 25000);
  cash->invoices({{"2026-0099", "C1", "250.00"}});
  cash->run();  // as after every invoice sync
  EXPECT_FALSE(cash->queued(e));
  EXPECT_EQ(cash->open_minor("2026-0099"), 0);
}

TEST_P(CashApplication, TwoCustomersWithTheSameNameIdentifyNobody) {
  cash->invoices({{"2026-0010", "C1", "100.00", "", "EUR", "Acme GmbH"}, {"2026-0011", "C2", "100.00", "", "EUR", "ACME GmbH"}});
  cash->settings.auto_apply_payer_amount = true;
  const auto e = cash->credit({.amount = "100.00", .payer_name = "ACME GMBH"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0010"), 10000);
  EXPECT_EQ(cash->open_minor("2026-0011"), 10000);
  ASSERT_TRUE(cash->queued(e));
  EXPECT_FALSE(cash->queued(e)->customer_id);
}

TEST_P(CashApplication, SameAmountOnTwoInvoicesWithoutReferenceIsNeverAutoApplied) {
  cash->invoices({{"2026-0012", "C1", "100.00", "", "EUR", "Kestrel BV", "NL91ABNA0417164300"},
                  {"2026-0013", "C1", "100.00", "", "EUR", "Kestrel BV", "NL91ABNA0417164300"}});
  cash->settings.auto_apply_payer_amount = true;  // even where payer-and-amount may apply
  const auto e = cash->credit({.amount = "100.00", .payer_name = "Kestrel", .payer_account = "NL91 ABNA 0417 1643 00"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0012"), 10000);
  EXPECT_EQ(cash->open_minor("2026-0013"), 10000);
  ASSERT_TRUE(cash->queued(e));
  EXPECT_EQ(cash->queued(e)->reason, "ambiguous");
  EXPECT_EQ(cash->queued(e)->customer_id, cash->customer("C1"));
  EXPECT_NE(cash->queued(e)->candidates.find("2026-0012"), std::string::npos);
  EXPECT_NE(cash->queued(e)->candidates.find("2026-0013"), std::string::npos);
}

TEST_P(CashApplication, PayerAndAmountAloneSuggestsButDoesNotApply) {
  cash->invoices({{"2026-0014", "C1", "100.00", "", "EUR", "Kestrel BV", "NL91ABNA0417164300"}});
  const auto e = cash->credit({.amount = "100.00", .payer_account = "NL91ABNA0417164300"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0014"), 10000);
  ASSERT_TRUE(cash->queued(e));
  EXPECT_EQ(cash->queued(e)->reason, "below_threshold");
  // Configured for that customer, the same payment applies.
  cash->settings.auto_apply_payer_amount_customers = {"C1"};
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0014"), 0);
  EXPECT_EQ(cash->applications(e).front().rule, "payer_amount");
}

TEST_P(CashApplication, PayerAndAmountFindsTheSmallestSetOfInvoices) {
  cash->invoices({{"2026-0020", "C1", "30.00", "", "EUR", "Kestrel BV", "NL91ABNA0417164300", "2026-09-01"},
                  {"2026-0021", "C1", "45.00", "", "EUR", "Kestrel BV", "", "2026-09-15"},
                  {"2026-0022", "C1", "25.00", "", "EUR", "Kestrel BV", "", "2026-10-01"},
                  {"2026-0023", "C1", "99.00", "", "EUR", "Kestrel BV", "", "2026-10-15"}});
  cash->settings.auto_apply_payer_amount_customers = {"C1"};
  const auto e = cash->credit({.amount = "75.00", .payer_account = "NL91ABNA0417164300"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0020"), 0);
  EXPECT_EQ(cash->open_minor("2026-0021"), 0);
  EXPECT_EQ(cash->open_minor("2026-0022"), 2500);
  EXPECT_EQ(applied_to(e), 7500);
}

TEST_P(CashApplication, BatchEntryOfFiftyPayments) {
  std::vector<InvoiceSpec> invoices;
  std::vector<CreditSpec> payments;
  for (int i = 0; i < 50; ++i) {
    const std::string number = "2026-1" + std::to_string(100 + i);
    const std::string amount = std::to_string(10 + i) + ".50";
    invoices.push_back({number, "C" + std::to_string(i % 7), amount});
    payments.push_back({.amount = amount, .remittance = number, .batch_key = "DE89|BATCH-1|0"});
  }
  cash->invoices(invoices);
  const auto ids = cash->credits(payments);
  const auto s = cash->run();
  EXPECT_EQ(s.applied, 50);
  for (const auto& i : invoices) EXPECT_EQ(cash->open_minor(i.number), 0) << i.number;
}

TEST_P(CashApplication, ForeignCurrencyWithTheBanksRate) {
  cash->invoices({{"US-2026-0042", "C9", "1000.00", "", "USD"}});
  const auto e = cash->credit({.amount = "923.40", .remittance = "US-2026-0042", .exchange_rate = "0.9234",
                               .source_currency = "USD", .target_currency = "EUR"});
  cash->run();
  EXPECT_EQ(cash->open_minor("US-2026-0042"), 0);
  const auto apps = cash->applications(e);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].amount, Money::parse("923.40", Currency::of("EUR")));
  ASSERT_TRUE(apps[0].invoice_amount);
  EXPECT_EQ(*apps[0].invoice_amount, Money::parse("1000.00", Currency::of("USD")));
}

TEST_P(CashApplication, ForeignCurrencyWithoutAnyRateIsQueued) {
  cash->invoices({{"US-2026-0043", "C9", "1000.00", "", "USD"}});
  const auto e = cash->credit({.amount = "923.40", .remittance = "US-2026-0043"});
  cash->run();
  EXPECT_EQ(cash->open_minor("US-2026-0043"), 100000);
  ASSERT_TRUE(cash->queued(e));
  EXPECT_EQ(cash->queued(e)->reason, "unknown_currency");
  // With a configured rate it applies on the next run.
  cash->settings.rates["USD/EUR"] = "0.9234";
  cash->run();
  EXPECT_EQ(cash->open_minor("US-2026-0043"), 0);
}

TEST_P(CashApplication, ReversalOfAMatchedPayment) {
  cash->invoices({{"2026-0030", "C1", "100.00", "RF18539007547034"}});
  const auto e = cash->credit({.amount = "100.00", .reference = "RF18539007547034", .payer_account = "DE02120300000000202051",
                               .end_to_end_id = "E2E-77"});
  cash->run();
  ASSERT_EQ(cash->open_minor("2026-0030"), 0);
  const auto r = cash->credit({.amount = "100.00", .payer_account = "DE02120300000000202051", .end_to_end_id = "E2E-77",
                               .reversal = true, .debit = true});
  const auto s = cash->run();
  EXPECT_EQ(s.reversals, 1);
  EXPECT_EQ(cash->open_minor("2026-0030"), 10000);
  EXPECT_EQ(cash->invoice("2026-0030").status, InvoiceStatus::open);
  EXPECT_EQ(applied_to(e, "unapply"), 10000);
  EXPECT_EQ(applied_to(e, "not_customer"), 10000);
  EXPECT_FALSE(cash->queued(r));
  // Nothing was deleted: the original application is still there.
  EXPECT_EQ(applied_to(e, "apply"), 10000);
}

TEST_P(CashApplication, ReversalInTheSameStatementAsItsCredit) {
  cash->invoices({{"2026-0032", "C1", "60.00"}});
  const auto ids = cash->credits({{.amount = "60.00", .remittance = "2026-0032", .end_to_end_id = "E2E-88"},
                                  {.amount = "60.00", .end_to_end_id = "E2E-88", .reversal = true, .debit = true}});
  const auto s = cash->run();
  EXPECT_EQ(s.reversals, 1);
  EXPECT_EQ(cash->open_minor("2026-0032"), 6000);
  EXPECT_EQ(applied_to(ids[0], "not_customer"), 6000);
}

TEST_P(CashApplication, ReturnedDirectDebit) {
  cash->invoices({{"2026-0031", "C1", "80.00"}});
  {
    const auto invoice = cash->invoice("2026-0031").id;
    auto tx = cash->store().begin();
    tx->cash().add_issued_reference("DD-2026-0031-1", invoice, std::nullopt, "direct_debit");
    tx->commit();
  }
  const auto e = cash->credit({.amount = "80.00", .payer_account = "DE02120300000000202051", .end_to_end_id = "DD-2026-0031-1"});
  cash->run();
  ASSERT_EQ(cash->open_minor("2026-0031"), 0);
  EXPECT_EQ(cash->applications(e).front().rule, "issued_reference");
  cash->credit({.amount = "80.00", .end_to_end_id = "DD-2026-0031-1", .return_reason = "MD06", .debit = true});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0031"), 8000);
  bool found = false;
  for (const auto& a : cash->applications(e)) found = found || a.reason.find("MD06") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST_P(CashApplication, ManualApplyTeachesThePayerAccount) {
  cash->invoices({{"2026-0040", "C5", "300.00", "", "EUR", "Falcon Ltd"}, {"2026-0041", "C5", "120.00", "", "EUR", "Falcon Ltd"}});
  cash->settings.auto_apply_payer_amount_customers = {"C5"};
  const auto first = cash->credit({.amount = "300.00", .payer_name = "F. Holdings", .payer_account = "GB29NWBK60161331926819"});
  cash->run();
  ASSERT_TRUE(cash->queued(first));
  {
    auto tx = cash->store().begin();
    auto r = cashapp::apply_entry(*tx, first, {{"2026-0040", std::nullopt}}, cash->settings, today(), "alice");
    ASSERT_TRUE(r) << r.problem().to_string();
    tx->commit();
  }
  EXPECT_EQ(cash->open_minor("2026-0040"), 0);
  EXPECT_FALSE(cash->queued(first));
  // The next payment from that account is recognised as Falcon's.
  const auto next = cash->credit({.amount = "120.00", .payer_name = "F. Holdings", .payer_account = "GB29 NWBK 6016 1331 9268 19"});
  cash->run();
  EXPECT_EQ(cash->open_minor("2026-0041"), 0);
  EXPECT_EQ(cash->applications(next).front().rule, "payer_amount");
  auto tx = cash->store().begin();
  bool audited = false;
  for (const auto& a : tx->audit().for_entity("entry", first.to_string())) audited = audited || a.actor == "alice";
  EXPECT_TRUE(audited);
}

TEST_P(CashApplication, ManualDecisionsAndUnapply) {
  cash->invoices({{"2026-0050", "C1", "100.00"}});
  const auto interest = cash->credit({.amount = "3.17", .remittance = "Habenzinsen", .payer_name = "Our Bank"});
  const auto unknown = cash->credit({.amount = "40.00", .payer_name = "Somebody"});
  const auto paid = cash->credit({.amount = "100.00", .remittance = "2026-0050"});
  cash->run();
  auto tx = cash->store().begin();
  ASSERT_TRUE(cashapp::mark_not_customer(*tx, interest, "interest", today(), "bob"));
  ASSERT_TRUE(cashapp::put_on_account(*tx, unknown, "C1", today(), "bob"));
  // Over-applying is refused with the numbers.
  auto over = cashapp::apply_entry(*tx, paid, {{"2026-0050", std::string("1.00")}}, cash->settings, today(), "bob");
  EXPECT_FALSE(over);
  const auto app = tx->applications().for_entry(paid).front();
  auto r = cashapp::reverse_application(*tx, app.id, "wrong customer", today(), "bob");
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_FALSE(cashapp::reverse_application(*tx, app.id, "again", today(), "bob"));  // already reversed
  tx->commit();
  EXPECT_EQ(cash->open_minor("2026-0050"), 10000);
  ASSERT_TRUE(cash->queued(paid));
  EXPECT_EQ(cash->queued(paid)->reason, "unapplied");
  EXPECT_FALSE(cash->queued(interest));
  EXPECT_FALSE(cash->queued(unknown));
  auto check = cash->store().begin();
  const auto report = cashapp::check_cash_invariant(*check);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

TEST_P(CashApplication, PromisesKeptPartiallyKeptAndBroken) {
  cash->invoices({{"2026-0060", "C1", "100.00"}, {"2026-0061", "C2", "200.00"}, {"2026-0062", "C3", "300.00"}});
  PtpId kept, partial, broken;
  {
    auto tx = cash->store().begin();
    auto add = [&](const char* number, const char* customer, const char* amount) {
      cashapp::PtpRequest r;
      r.customer = tx->customers().find_by_external_id("erp", customer)->id;
      r.invoices = {tx->invoices().find_by_number("erp", number)->id};
      r.amount = Money::parse(amount, Currency::of("EUR"));
      r.promised_date = today().plus_days(5);
      r.channel = "call";
      r.grace_days = 2;
      auto id = cashapp::add_ptp(*tx, r, today(), "carol");
      if (!id) throw std::runtime_error(id.problem().to_string());
      return id.value();
    };
    kept = add("2026-0060", "C1", "100.00");
    partial = add("2026-0061", "C2", "200.00");
    broken = add("2026-0062", "C3", "300.00");
    tx->commit();
  }
  cash->credits({{.amount = "100.00", .remittance = "2026-0060"}, {.amount = "50.00", .remittance = "2026-0061"}});
  cash->run();
  cash->clock().advance(std::chrono::hours(24 * 8));  // past date + grace
  cash->run();
  auto tx = cash->store().begin();
  EXPECT_EQ(tx->ptps().get(kept)->state, PtpState::kept);
  EXPECT_EQ(tx->ptps().get(partial)->state, PtpState::partially_kept);
  EXPECT_EQ(tx->ptps().get(partial)->paid.minor(), 5000);
  EXPECT_EQ(tx->ptps().get(broken)->state, PtpState::broken);
  // The kept event names the payment that kept it.
  const auto events = tx->ptps().events(kept);
  ASSERT_GE(events.size(), 2u);
  EXPECT_TRUE(events.back().application_id.has_value());
  // A broken promise gives the collector a task and shows in the customer's history.
  const auto c3 = tx->customers().find_by_external_id("erp", "C3")->id;
  ASSERT_EQ(tx->activities().tasks(c3).size(), 1u);
  bool history = false;
  for (const auto& a : tx->activities().activities(c3)) history = history || a.kind == "ptp_broken";
  EXPECT_TRUE(history);
  const auto rate = cashapp::ptp_kept_rate(*tx, std::nullopt);
  EXPECT_EQ(rate.kept, 1);
  EXPECT_EQ(rate.rate(), "33.3");
  EXPECT_EQ(cashapp::ptp_kept_rate(*tx, tx->customers().find_by_external_id("erp", "C1")->id).rate(), "100.0");
}

TEST_P(CashApplication, ARunTwiceChangesNothing) {
  cash->invoices({{"2026-0070", "C1", "100.00"}});
  cash->credits({{.amount = "100.00", .remittance = "2026-0070"}, {.amount = "7.00", .payer_name = "Nobody"}});
  cash->run();
  const auto second = cash->run();
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.applications, 0);
  EXPECT_EQ(second.entries, 1);  // only the queued one is looked at again
}

TEST_P(CashApplication, OneRunAtATimeOverTheWholeDatabase) {
  cash->invoices({{"2026-0080", "C1", "100.00"}});
  cash->credit({.amount = "100.00", .remittance = "2026-0080"});
  {
    // Another daemon holds the run (on PostgreSQL the lock spans processes and connections).
    const auto other = cash->store().try_exclusive("arcd.cashapp.run");
    ASSERT_TRUE(other);
    cashapp::RunOptions options;
    const auto s = cashapp::run_cash_application(cash->store(), cash->settings, cash->clock(), options);
    if (GetParam() == "postgresql") {
      EXPECT_TRUE(s.skipped);
      EXPECT_EQ(cash->open_minor("2026-0080"), 10000);
      EXPECT_FALSE(cash->store().try_exclusive("arcd.cashapp.run"));
    } else {
      EXPECT_FALSE(s.skipped);  // SQLite: one writer anyway; the store guards every invoice
    }
  }
  cash->run();  // released: the next run goes ahead
  EXPECT_EQ(cash->open_minor("2026-0080"), 0);
}

TEST_P(CashApplication, AWriteRefusedMidRunCommitsNothingOfItsBatchAndTheNextRunFinishes) {
  cash->invoices({{"2026-0001", "C1", "100.00"}, {"2026-0002", "C1", "200.00"}, {"2026-0003", "C1", "300.00"}});
  const auto ids = cash->credits({{.amount = "100.00", .remittance = "2026-0001"},
                                  {.amount = "200.00", .remittance = "2026-0002"},
                                  {.amount = "300.00", .remittance = "2026-0003"}});
  // The database refuses the second payment's application (as a full disk or a broken
  // constraint would): the write fails on the run's writer thread, after the run went on
  // deciding the third payment.
  const std::string entry = ids[1].to_string();
  if (GetParam() == "sqlite") {
    test::exec_raw_sql(cash->url(), "CREATE TRIGGER refuse BEFORE INSERT ON applications WHEN NEW.entry_id = " + entry +
                                        " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  } else {
    test::exec_raw_sql(cash->url(),
                       "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; "
                       "END $$; CREATE TRIGGER refuse BEFORE INSERT ON applications FOR EACH ROW WHEN (NEW.entry_id = " + entry +
                           ") EXECUTE FUNCTION refuse()");
  }
  EXPECT_ANY_THROW(cashapp::run_cash_application(cash->store(), cash->settings, cash->clock()));
  for (const auto* number : {"2026-0001", "2026-0002", "2026-0003"}) EXPECT_EQ(cash->invoice(number).status, InvoiceStatus::open) << number;
  for (const auto id : ids) EXPECT_TRUE(cash->applications(id).empty());
  {
    auto tx = cash->store().begin();
    EXPECT_TRUE(cashapp::check_cash_invariant(*tx).ok());
  }
  test::exec_raw_sql(cash->url(), GetParam() == "sqlite" ? "DROP TRIGGER refuse" : "DROP TRIGGER refuse ON applications");
  const auto s = cash->run();
  EXPECT_EQ(s.applied, 3);
  EXPECT_EQ(cash->open_minor("2026-0002"), 0);
}

// The invariant check is what vouches for every run: it must see a cent out of place, and name
// where, both over the whole database and over the ids a run touched.
TEST_P(CashApplication, TheInvariantCheckNamesACentOutOfPlace) {
  cash->invoices({{"2026-0090", "C1", "100.00"}, {"2026-0091", "C1", "200.00"}});
  const auto ids = cash->credits({{.amount = "100.00", .remittance = "2026-0090"},
                                  {.amount = "50.00", .remittance = "2026-0091"},
                                  {.amount = "7.00", .payer_name = "Nobody Known"}});
  const auto s = cash->run();
  ASSERT_TRUE(s.invariant_ok) << s.invariant;
  ASSERT_TRUE(cash->queued(ids[2]));
  const auto invoice = cash->invoice("2026-0091").id;
  const std::vector<InvoiceId> invoices{cash->invoice("2026-0090").id, invoice};
  test::exec_raw_sql(cash->url(), "UPDATE invoices SET amount_open = amount_open + 1 WHERE id = " + invoice.to_string());
  test::exec_raw_sql(cash->url(), "UPDATE cash_exceptions SET amount = amount + 1 WHERE entry_id = " + ids[2].to_string());
  auto tx = cash->store().begin();
  auto names_both = [&](const cashapp::InvariantReport& r) {
    ASSERT_EQ(r.violations.size(), 2u) << r.to_string();
    EXPECT_NE(r.to_string().find("invoice 2026-0091 (" + invoice.to_string() + "): open 15001"), std::string::npos) << r.to_string();
    EXPECT_NE(r.to_string().find("entry " + ids[2].to_string() + ": amount EUR 7.00 but placed EUR 0.00 + queued EUR 7.01"),
              std::string::npos)
        << r.to_string();
  };
  names_both(cashapp::check_cash_invariant(*tx));
  const std::vector<EntryId> entries(ids.begin(), ids.end());
  const auto touched = cashapp::check_cash_invariant(*tx, &entries, &invoices);
  EXPECT_EQ(touched.entries_checked, 3);
  EXPECT_EQ(touched.invoices_checked, 2);
  names_both(touched);
  // Ids that were not touched are not looked at.
  const std::vector<EntryId> first_entry{ids[0]};
  const std::vector<InvoiceId> first_invoice{invoices[0]};
  const auto others = cashapp::check_cash_invariant(*tx, &first_entry, &first_invoice);
  EXPECT_TRUE(others.ok()) << others.to_string();
  EXPECT_EQ(others.entries_checked + others.invoices_checked, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, CashApplication, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& p) { return p.param; });

// SQLite starts its log over only at a write transaction that begins with the log wholly copied
// back into the database, and a run's next batch begins before its checker has copied the last
// one; so the run waits for the checker every few batches. Measured by the log file's size,
// which is the furthest the log ever reached: 40 batches leave it a few batches long, not 40.
TEST(CashApplicationLog, ALongRunStartsSqlitesLogOver) {
  test::CashStore cash("sqlite");
  std::vector<InvoiceSpec> invoices;
  std::vector<CreditSpec> credits;
  for (int k = 1; k <= 400; ++k) {
    char number[16];
    std::snprintf(number, sizeof number, "L-%05d", k);
    const std::string amount = std::to_string(100 + k) + ".00";
    invoices.push_back({.number = number, .customer = "LC" + std::to_string(k % 20), .amount = amount});
    credits.push_back({.amount = amount, .remittance = number});
  }
  cash.invoices(invoices);
  cash.credits(credits);
  const std::string log = cash.url().substr(std::string("sqlite://").size()) + "-wal";
  test::exec_raw_sql(cash.url(), "PRAGMA wal_checkpoint(TRUNCATE)");  // so the first batch's log is one batch long
  ASSERT_EQ(std::filesystem::file_size(log), 0u);
  cash.settings.batch_size = 10;
  std::vector<std::uintmax_t> log_bytes;  // after each committed batch
  cashapp::RunOptions options;
  options.progress = [&](std::int64_t) { log_bytes.push_back(std::filesystem::file_size(log)); };
  const auto s = cashapp::run_cash_application(cash.store(), cash.settings, cash.clock(), options);
  EXPECT_TRUE(s.invariant_ok) << s.invariant;
  EXPECT_EQ(s.applied, 400);
  // The waits are counted, as part of the commits, and reported.
  EXPECT_GT(s.check_wait_seconds, 0.0);
  EXPECT_LE(s.check_wait_seconds, s.commit_seconds);
  EXPECT_NE(s.to_json().find("\"check_wait_seconds\""), std::string::npos);
  ASSERT_EQ(log_bytes.size(), 40u);
  ASSERT_GT(log_bytes.front(), 0u);
  EXPECT_LT(log_bytes.back(), 8 * log_bytes.front()) << "first batch " << log_bytes.front() << " bytes, after 40: " << log_bytes.back();
}
