// Every MT940/MT942 file in the shared corpus, against EXPECTED.md; and the :86: forms.
#include <gtest/gtest.h>

#include "corpus_expectations.hpp"
#include "mapping/mt940.hpp"
#include "test_support.hpp"

using namespace arcd;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> mt940_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / "mt940")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class Mt940Corpus : public ::testing::TestWithParam<fs::path> {};

}  // namespace

TEST_P(Mt940Corpus, MatchesExpected) {
  static const auto expected = test::read_expected(test::shared_dir() / "corpus" / "EXPECTED.md");
  const std::string name = GetParam().filename().string();
  mapping::CollectingSink sink;
  auto r = mapping::parse_mt940(test::read_file(GetParam()), name, sink);
  if (name.starts_with("malformed_")) {
    ASSERT_FALSE(r) << name << " must be rejected";
    return;
  }
  ASSERT_TRUE(r) << r.problem().to_string();
  const auto& ex = expected.at("mt940/" + name);
  EXPECT_EQ(static_cast<int>(sink.statements.size()), ex.statements) << ex.raw;
  int credits = 0, debits = 0, total = 0;
  std::map<std::string, std::int64_t> credit_sum, debit_sum;  // per currency, as decimals
  Money credit_total = Money::zero(Currency::of("EUR")), debit_total = Money::zero(Currency::of("EUR"));
  bool first = true;
  for (const auto& s : sink.statements) {
    for (const auto& e : s.entries) {
      ++total;
      if (first) {
        credit_total = debit_total = Money::zero(e.amount.currency());
        first = false;
      }
      if (e.direction == Direction::credit) {
        ++credits;
        if (e.amount.currency() == credit_total.currency()) credit_total += e.amount;
      } else {
        ++debits;
        if (e.amount.currency() == debit_total.currency()) debit_total += e.amount;
      }
    }
  }
  EXPECT_EQ(total, ex.transactions) << ex.raw;
  EXPECT_EQ(credits, ex.detail_credits) << ex.raw;
  EXPECT_EQ(debits, ex.detail_debits) << ex.raw;
  // File totals mix currencies only in cmxl's DEM+EUR file; compare where there is one currency.
  bool one_currency = true;
  for (const auto& s : sink.statements) one_currency &= s.statement.currency == sink.statements.front().statement.currency;
  if (one_currency && !first) {
    EXPECT_EQ(credit_total, Money::parse(ex.detail_credit_sum, credit_total.currency())) << ex.raw;
    EXPECT_EQ(debit_total, Money::parse(ex.detail_debit_sum, debit_total.currency())) << ex.raw;
  }
  // The balance check flags exactly the statements EXPECTED.md finds out of balance.
  int mismatches = 0;
  for (const auto& s : sink.statements) mismatches += s.statement.warnings.find("BALANCE_MISMATCH") != std::string::npos;
  int expected_mismatches = 0;
  for (std::size_t at = ex.raw.find("-> MISMATCH"); at != std::string::npos; at = ex.raw.find("-> MISMATCH", at + 1)) ++expected_mismatches;
  EXPECT_EQ(mismatches, expected_mismatches) << ex.raw;
}

TEST(Mt940, GermanStructured86WithSepaKeywords) {
  const std::string file =
      ":20:STARTUMS\n:25:10020030/1234567\n:28C:5/1\n:60F:C231101EUR1000,00\n"
      ":61:2311021102CR250,50NTRFNONREF//BANKREF77\n"
      ":86:166?00SEPA-GUTSCHRIFT?109310?20EREF+E2E-4711?21SVWZ+RE 2023-0815 Kd 42?22 danke?30COBADEFFXXX?31DE89370400440532013000?32ACME TRADING?33 GMBH\n"
      ":62F:C231102EUR1250,50\n-\n";
  mapping::CollectingSink sink;
  auto r = mapping::parse_mt940(file, "de.sta", sink);
  ASSERT_TRUE(r) << r.problem().to_string();
  ASSERT_EQ(sink.statements.size(), 1u);
  ASSERT_EQ(sink.statements[0].entries.size(), 1u);
  const auto& e = sink.statements[0].entries[0];
  EXPECT_EQ(e.amount, Money(25050, Currency::of("EUR")));
  EXPECT_EQ(e.direction, Direction::credit);
  EXPECT_FALSE(e.reversal);
  EXPECT_EQ(e.booking_date, Date(2023, 11, 2));
  EXPECT_EQ(e.bank_reference, "BANKREF77");
  EXPECT_EQ(e.end_to_end_id, "E2E-4711");
  EXPECT_EQ(e.remittance, "RE 2023-0815 Kd 42 danke");
  EXPECT_EQ(e.payer_name, "ACME TRADING GMBH");
  EXPECT_EQ(e.payer_account, "DE89370400440532013000");
  EXPECT_EQ(e.bank_transaction_code, "NTRF/166");
  EXPECT_TRUE(sink.statements[0].statement.warnings.empty());
}

TEST(Mt940, DutchSlashTagsAndReversalMarks) {
  const std::string file =
      ":20:NL\n:25:NL91ABNA0417164300\n:28C:1\n:60F:C231101EUR100,00\n"
      ":61:231102RD20,00NTRFNONREF\n:86:/TRTP/SEPA OVERBOEKING/IBAN/NL20INGB0001234567/BIC/INGBNL2A/NAME/J. JANSEN/REMI/USTD//INV 2023-77/EREF/E2E-9\n"
      ":61:231102RC5,00NTRFNONREF\n:86:/RTRN/MD06/REMI/STRD/CUR/RF18539007547034/\n"
      ":62F:C231102EUR115,00\n-\n";
  mapping::CollectingSink sink;
  auto r = mapping::parse_mt940(file, "nl.sta", sink);
  ASSERT_TRUE(r) << r.problem().to_string();
  const auto& entries = sink.statements.at(0).entries;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].direction, Direction::credit);  // RD: reversal of a debit
  EXPECT_TRUE(entries[0].reversal);
  EXPECT_EQ(entries[0].payer_name, "J. JANSEN");
  EXPECT_EQ(entries[0].payer_account, "NL20INGB0001234567");
  EXPECT_EQ(entries[0].remittance, "INV 2023-77");
  EXPECT_EQ(entries[0].end_to_end_id, "E2E-9");
  EXPECT_EQ(entries[1].direction, Direction::debit);  // RC: reversal of a credit
  EXPECT_EQ(entries[1].details.return_reason, "MD06");
  EXPECT_EQ(entries[1].structured_reference, "RF18539007547034");
  EXPECT_TRUE(sink.statements[0].statement.warnings.empty()) << sink.statements[0].statement.warnings;
}

TEST(Mt940, BadInputNamesTheLine) {
  mapping::CollectingSink sink;
  auto r = mapping::parse_mt940(":20:X\n:25:ACC\n:60F:C231101EUR1,00\n:61:231102X5,00NTRF\n-\n", "bad.sta", sink);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "MT940_FIELD");
  EXPECT_EQ(r.problem().where, "bad.sta:4");
  auto amount = mapping::parse_mt940(":20:X\n:25:ACC\n:60F:C231101EUR1,001\n-\n", "bad.sta", sink);
  ASSERT_FALSE(amount);
  EXPECT_EQ(amount.problem().where, "bad.sta:3");
}

INSTANTIATE_TEST_SUITE_P(Corpus, Mt940Corpus, ::testing::ValuesIn(mt940_files()), [](const auto& param_info) {
  std::string n = param_info.param.filename().stem().string();
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});
