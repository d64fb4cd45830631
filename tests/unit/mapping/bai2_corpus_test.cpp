// Every BAI2 file in the shared corpus: parses with the credit and debit counts and sums of
// EXPECTED.md, or is rejected with the control total, count or structure problem it has.
#include <gtest/gtest.h>

#include <sstream>

#include "corpus_expectations.hpp"
#include "mapping/bai2.hpp"
#include "test_support.hpp"

using namespace arcd;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> bai2_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / "bai2")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class Bai2Corpus : public ::testing::TestWithParam<fs::path> {};

}  // namespace

TEST_P(Bai2Corpus, MatchesExpected) {
  static const auto expected = test::read_expected(test::shared_dir() / "corpus" / "EXPECTED.md");
  const std::string name = GetParam().filename().string();
  const std::string bytes = test::read_file(GetParam());
  static const auto expected_all = test::read_expected(test::shared_dir() / "corpus" / "EXPECTED.md");
  // Files the corpus keeps as valid although a trailer disagrees (hand-edited samples) stand
  // for banks known to send such files: the per-source setting accepts them with a warning.
  // (A blank trailer total states nothing, so it cannot disagree.)
  bool known_bad_trailers = false;
  if (!name.starts_with("malformed_")) {
    std::istringstream lines(expected_all.at("bai2/" + name).raw);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("MISMATCH") != std::string::npos && line.find("stated=None") == std::string::npos) known_bad_trailers = true;
    }
  }
  mapping::StatementParseOptions options;
  options.accept_bad_control_totals = known_bad_trailers;
  mapping::CollectingSink sink;
  auto r = mapping::parse_bai2(bytes, name, sink, options);
  if (known_bad_trailers && r) {
    EXPECT_FALSE(r.value().warnings.empty()) << name;
    mapping::CollectingSink strict_sink;
    EXPECT_FALSE(mapping::parse_bai2(bytes, name, strict_sink)) << name << " must be rejected by default";
  }
  if (name.starts_with("malformed_")) {
    ASSERT_FALSE(r) << name << " must be rejected";
    EXPECT_NE(r.problem().where.find(name + ":"), std::string::npos) << r.problem().to_string();
    return;
  }
  ASSERT_TRUE(r) << r.problem().to_string();
  const auto& ex = expected.at("bai2/" + name);
  int credits = 0, debits = 0;
  std::int64_t credit_sum = 0, debit_sum = 0;
  for (const auto& s : sink.statements) {
    for (const auto& e : s.entries) {
      (e.direction == Direction::credit ? credits : debits) += 1;
      (e.direction == Direction::credit ? credit_sum : debit_sum) += e.amount.minor();
    }
  }
  EXPECT_EQ(credits, ex.detail_credits) << ex.raw;
  EXPECT_EQ(debits, ex.detail_debits) << ex.raw;
  EXPECT_EQ(credit_sum, std::stoll(ex.detail_credit_sum)) << ex.raw;
  EXPECT_EQ(debit_sum, std::stoll(ex.detail_debit_sum)) << ex.raw;
}

TEST(Bai2, BadControlTotalsCanBeAcceptedWithAWarningPerSource) {
  const auto file = test::shared_dir() / "corpus" / "bai2" / "malformed_vh_invalid_control_total.bai2";
  mapping::CollectingSink strict_sink;
  auto strict = mapping::parse_bai2(test::read_file(file), "f.bai2", strict_sink);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.problem().code, "BAI2_CONTROL_TOTAL");
  EXPECT_NE(strict.problem().what.find("8325983"), std::string::npos);
  EXPECT_NE(strict.problem().what.find("8325982"), std::string::npos);
  mapping::StatementParseOptions lenient;
  lenient.accept_bad_control_totals = true;
  mapping::CollectingSink sink;
  auto r = mapping::parse_bai2(test::read_file(file), "f.bai2", sink, lenient);
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_FALSE(r.value().warnings.empty());
}

TEST(Bai2, FieldsOfADetailRecord) {
  const std::string file =
      "01,SENDER,RECEIVER,231031,1200,42,,,2/\n"
      "02,RECEIVER,BANK,1,231030,,EUR,2/\n"
      "03,DE89370400440532013000,,010,100000,,,015,150000,,/\n"
      "16,195,50000,V,231101,,BANKREF1,CUSTREF1,INV-1001, INV/1002 paid/\n"
      "88,by ACME GMBH\n"
      "49,300000,4/\n"
      "98,300000,1,6/\n"
      "99,300000,1,8/\n";
  mapping::CollectingSink sink;
  auto r = mapping::parse_bai2(file, "t.bai2", sink);
  ASSERT_TRUE(r) << r.problem().to_string();
  ASSERT_EQ(sink.statements.size(), 1u);
  const auto& s = sink.statements[0];
  EXPECT_EQ(s.statement.account, "DE89370400440532013000");
  ASSERT_EQ(s.statement.balances.size(), 2u);
  EXPECT_EQ(s.statement.balances[0].type, "010");
  EXPECT_EQ(s.statement.balances[1].amount, Money(150000, Currency::of("EUR")));
  ASSERT_EQ(s.entries.size(), 1u);
  const auto& e = s.entries[0];
  EXPECT_EQ(e.amount, Money(50000, Currency::of("EUR")));
  EXPECT_EQ(e.direction, Direction::credit);
  EXPECT_EQ(e.value_date, Date(2023, 11, 1));
  EXPECT_EQ(e.booking_date, Date(2023, 10, 30));
  EXPECT_EQ(e.bank_reference, "BANKREF1");
  EXPECT_EQ(e.end_to_end_id, "CUSTREF1");
  EXPECT_EQ(e.remittance, "INV-1001, INV/1002 paid by ACME GMBH");
}

INSTANTIATE_TEST_SUITE_P(Corpus, Bai2Corpus, ::testing::ValuesIn(bai2_files()), [](const auto& param_info) {
  std::string n = param_info.param.filename().stem().string();
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});
