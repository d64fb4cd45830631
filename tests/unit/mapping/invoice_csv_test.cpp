#include <gtest/gtest.h>

#include "mapping/invoice_csv.hpp"

using namespace arcd;
using mapping::InvoiceCsvOptions;
using mapping::parse_invoice_csv;

namespace {

const std::string kHeader =
    "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
    "customer_iban,customer_email\n";

Problem problem_of(const std::string& text, const InvoiceCsvOptions& o = {}) {
  auto r = parse_invoice_csv(text, "inv.csv", o);
  EXPECT_FALSE(r) << "expected a problem";
  return r ? Problem{} : r.problem();
}

}  // namespace

TEST(InvoiceCsv, ParsesEveryColumn) {
  auto r = parse_invoice_csv(kHeader +
                                 "INV-1,C1,\"Acme, Inc\",EUR,1000.00,250.5,2026-10-01,2026-10-31,RF18539007547034,"
                                 "de89 3704 0044 0532 0130 00,ap@acme.example\n"
                                 "INV-2,C1,\"Acme, Inc\",JPY,1500,1500,2026-10-02,2026-11-01,,,\n",
                             "inv.csv", {});
  ASSERT_TRUE(r) << r.problem().to_string();
  const auto& recs = r.value().records;
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].invoice_number, "INV-1");
  EXPECT_EQ(recs[0].customer_name, "Acme, Inc");
  EXPECT_EQ(recs[0].amount_total, Money(100000, Currency::of("EUR")));
  EXPECT_EQ(recs[0].amount_open, Money(25050, Currency::of("EUR")));
  EXPECT_EQ(recs[0].due_date, Date(2026, 10, 31));
  EXPECT_EQ(recs[0].customer_iban, "DE89370400440532013000");
  EXPECT_EQ(recs[0].line, 2);
  EXPECT_EQ(recs[1].amount_open.minor(), 1500);
  EXPECT_EQ(recs[1].customer_iban, "");
}

TEST(InvoiceCsv, ColumnOrderIsFreeAndOptionalColumnsMayBeAbsent) {
  auto r = parse_invoice_csv(
      "due_date,issue_date,amount_open,amount_total,currency,customer_name,customer_id,invoice_number,extra\n"
      "2026-10-31,2026-10-01,10,10,EUR,Acme,C1,INV-1,ignored\n",
      "inv.csv", {});
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_EQ(r.value().records[0].amount_total.minor(), 1000);
}

TEST(InvoiceCsv, ConfiguredColumnNamesAndNumberFormat) {
  InvoiceCsvOptions o;
  o.delimiter = ';';
  o.amount_format = {',', '.'};
  o.column_names = {{"invoice_number", "Rechnungsnr"}, {"amount_open", "Offen"}};
  auto r = parse_invoice_csv(
      "Rechnungsnr;customer_id;customer_name;currency;amount_total;Offen;issue_date;due_date\n"
      "R-7;K1;Müller GmbH;EUR;1.234,50;1.000,00;2026-10-01;2026-10-31\n",
      "inv.csv", o);
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_EQ(r.value().records[0].amount_total.minor(), 123450);
  EXPECT_EQ(r.value().records[0].amount_open.minor(), 100000);
}

TEST(InvoiceCsv, EachBadRowNamesLineAndColumn) {
  const std::string ok = "INV-1,C1,Acme,EUR,10.00,10.00,2026-10-01,2026-10-31,,,\n";
  struct Case {
    std::string row;
    std::string code;
    std::string where;
  } cases[] = {
      {"INV-2,C1,Acme,EUR,10.005,10.00,2026-10-01,2026-10-31,,,\n", "CSV_BAD_AMOUNT", "inv.csv:3 column amount_total"},
      {"INV-2,C1,Acme,EUR,10.00,ten,2026-10-01,2026-10-31,,,\n", "CSV_BAD_AMOUNT", "inv.csv:3 column amount_open"},
      {"INV-2,C1,Acme,EURO,10.00,10.00,2026-10-01,2026-10-31,,,\n", "CSV_BAD_CURRENCY", "inv.csv:3 column currency"},
      {"INV-2,C1,Acme,EUR,10.00,10.00,2026-02-30,2026-10-31,,,\n", "CSV_BAD_DATE", "inv.csv:3 column issue_date"},
      {"INV-2,C1,Acme,EUR,10.00,10.00,2026-10-01,31.10.2026,,,\n", "CSV_BAD_DATE", "inv.csv:3 column due_date"},
      {"INV-2,,Acme,EUR,10.00,10.00,2026-10-01,2026-10-31,,,\n", "CSV_REQUIRED_EMPTY", "inv.csv:3 column customer_id"},
      {"INV-2,C1,Acme,EUR,10.00,11.00,2026-10-01,2026-10-31,,,\n", "CSV_OPEN_EXCEEDS_TOTAL", "inv.csv:3 column amount_open"},
      {"INV-2,C1,Acme,EUR,-10.00,5.00,2026-10-01,2026-10-31,,,\n", "CSV_OPEN_EXCEEDS_TOTAL", "inv.csv:3 column amount_open"},
      {"INV-2,C1,Acme,EUR,10.00,10.00,2026-10-01,2026-10-31,,DE88370400440532013000,\n", "CSV_BAD_IBAN", "inv.csv:3 column customer_iban"},
      {"INV-1,C1,Acme,EUR,10.00,10.00,2026-10-01,2026-10-31,,,\n", "CSV_DUPLICATE_INVOICE", "inv.csv:3 column invoice_number"},
      {"INV-2,C1,Other Name,EUR,10.00,10.00,2026-10-01,2026-10-31,,,\n", "CSV_CUSTOMER_CONFLICT", "inv.csv:3 column customer_name"},
      {"INV-2,C1,Acme,EUR,10.00\n", "CSV_FIELD_COUNT", "inv.csv:3"},
  };
  for (const auto& c : cases) {
    const auto p = problem_of(kHeader + ok + c.row);
    EXPECT_EQ(p.code, c.code) << c.row;
    EXPECT_EQ(p.where, c.where) << c.row;
    EXPECT_FALSE(p.what.empty());
  }
}

TEST(InvoiceCsv, HeaderProblems) {
  EXPECT_EQ(problem_of("").code, "CSV_EMPTY");
  EXPECT_EQ(problem_of("invoice_number,customer_id\n").code, "CSV_MISSING_COLUMN");
  EXPECT_EQ(problem_of(kHeader.substr(0, kHeader.size() - 1) + ",currency\n").code, "CSV_DUPLICATE_COLUMN");
}

TEST(InvoiceCsv, CreditNotesAreNegative) {
  auto r = parse_invoice_csv(kHeader + "CN-1,C1,Acme,EUR,-50.00,-20.00,2026-10-01,2026-10-31,,,\n", "inv.csv", {});
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_EQ(r.value().records[0].amount_open.minor(), -2000);
}
