// ERP invoice sync (the csv connector's importer) on both backends: idempotent, audited,
// all or nothing.
#include <gtest/gtest.h>

#include "arcd/error.hpp"
#include "mapping/invoice_csv.hpp"
#include "sync/invoice_sync.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

const std::string kHeader =
    "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
    "customer_iban,customer_email\n";

InvoiceBatch parse(const std::string& rows) {
  auto r = mapping::parse_invoice_csv(kHeader + rows, "inv.csv", {});
  if (!r) throw std::runtime_error(r.problem().to_string());
  return r.value();
}

class InvoiceSync : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam());
    store_ = open_store({db_->url(), 2, 5000});
    store_->migrate();
  }
  std::unique_ptr<test::TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

const std::string kRows =
    "INV-1,C1,Acme GmbH,EUR,100.00,100.00,2026-10-01,2026-10-31,RF18539007547034,DE89370400440532013000,ap@acme.example\n"
    "INV-2,C1,Acme GmbH,EUR,50.00,0.00,2026-09-01,2026-09-30,,,\n"
    "INV-3,C2,Beta Ltd,GBP,75.25,75.25,2026-10-05,2026-11-04,,,\n";

}  // namespace

TEST_P(InvoiceSync, ImportsThenReimportChangesNothing) {
  auto first = sync::import_invoices(*store_, "csv", parse(kRows), "test");
  EXPECT_EQ(first.invoices_created, 3);
  EXPECT_EQ(first.customers_created, 2);
  auto second = sync::import_invoices(*store_, "csv", parse(kRows), "test");
  EXPECT_EQ(second.invoices_created, 0);
  EXPECT_EQ(second.invoices_updated, 0);
  EXPECT_EQ(second.invoices_unchanged, 3);
  EXPECT_EQ(second.customers_updated, 0);

  auto tx = store_->begin();
  EXPECT_EQ(tx->invoices().count({}), 3);
  EXPECT_EQ(tx->customers().count(), 2);
  EXPECT_EQ(tx->invoices().find_by_number("csv", "INV-2")->status, InvoiceStatus::paid);
  const auto acme = tx->customers().find_by_external_id("csv", "C1");
  ASSERT_TRUE(acme);
  EXPECT_EQ(acme->email, "ap@acme.example");
  ASSERT_EQ(tx->customers().accounts(acme->id).size(), 1u);
  EXPECT_EQ(tx->customers().accounts(acme->id)[0].origin, "master");
  EXPECT_EQ(tx->audit().list({0, 1000}).size(), 5u);  // 2 customers + 3 invoices created, nothing for the re-import
}

TEST_P(InvoiceSync, AChangedRowUpdatesTheInvoiceAndLeavesAnAuditRecord) {
  sync::import_invoices(*store_, "csv", parse(kRows), "test");
  const std::string changed =
      "INV-1,C1,Acme GmbH,EUR,100.00,40.00,2026-10-01,2026-11-15,RF18539007547034,DE89370400440532013000,ap@acme.example\n";
  auto s = sync::import_invoices(*store_, "csv", parse(changed), "system:erp.csv");
  EXPECT_EQ(s.invoices_updated, 1);
  auto tx = store_->begin();
  const auto inv = tx->invoices().find_by_number("csv", "INV-1");
  EXPECT_EQ(inv->amount_open.minor(), 4000);
  EXPECT_EQ(inv->due_date, Date(2026, 11, 15));
  EXPECT_EQ(inv->version, 2);
  const auto audit = tx->audit().for_entity("invoice", inv->id.to_string());
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action, "invoice.updated");
  EXPECT_EQ(audit[1].actor, "system:erp.csv");
  EXPECT_NE(audit[1].details.find(R"("amount_open":{"old":"EUR 100.00","new":"EUR 40.00"})"), std::string::npos) << audit[1].details;
  EXPECT_NE(audit[1].details.find("due_date"), std::string::npos);
  EXPECT_EQ(audit[1].details.find("amount_total"), std::string::npos);  // unchanged fields are not listed
}

TEST_P(InvoiceSync, SourcesAreSeparateNamespaces) {
  sync::import_invoices(*store_, "erp-eu", parse(kRows), "test");
  auto s = sync::import_invoices(*store_, "erp-us", parse(kRows), "test");
  EXPECT_EQ(s.invoices_created, 3);
  EXPECT_EQ(store_->begin()->invoices().count({}), 6);
}

TEST_P(InvoiceSync, AFailureMidBatchLeavesNothing) {
  sync::import_invoices(*store_, "csv", parse(kRows), "test");
  // Block one write: an invoice whose customer cannot be created (the name is reused by a
  // different customer id in the same batch is caught by mapping; here the store refuses).
  auto batch = parse("INV-10,C9,New Co,EUR,1.00,1.00,2026-10-01,2026-10-31,,,\nINV-11,C9,New Co,EUR,2.00,2.00,2026-10-01,2026-10-31,,,\n");
  batch.records[1].amount_open = Money(200, Currency::of("USD"));  // total EUR, open USD: the store refuses
  EXPECT_THROW(sync::import_invoices(*store_, "csv", batch, "test"), Error);
  auto tx = store_->begin();
  EXPECT_FALSE(tx->invoices().find_by_number("csv", "INV-10"));
  EXPECT_FALSE(tx->customers().find_by_external_id("csv", "C9"));
  EXPECT_EQ(tx->invoices().count({}), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, InvoiceSync, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& param_info) { return param_info.param; });
