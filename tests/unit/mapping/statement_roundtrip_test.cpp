// Property tests: random statements written as camt.053.001.08, BAI2 and MT940 parse back to
// the same statements, to the cent.
#include <gtest/gtest.h>

#include <sstream>

#include "mapping/bai2.hpp"
#include "mapping/camt.hpp"
#include "mapping/mt940.hpp"
#include "statement_writers.hpp"

using namespace arcd;

namespace {

constexpr int kRounds = 150;

Currency pick_currency(std::mt19937_64& rng) {
  static const char* codes[] = {"EUR", "USD", "JPY", "BHD", "GBP", "CHF"};
  return Currency::of(codes[rng() % std::size(codes)]);
}

void expect_balances(const Statement& got, const test::GeneratedStatement& want, int round) {
  ASSERT_GE(got.balances.size(), 2u) << round;
  EXPECT_EQ(got.balances[0].amount, want.opening) << round;
  EXPECT_EQ(got.balances[1].amount, want.closing) << round;
  EXPECT_EQ(got.warnings, "") << round;  // the generated statements balance
}

}  // namespace

TEST(StatementRoundTrip, Camt053) {
  std::mt19937_64 rng(20261124);
  for (int round = 0; round < kRounds; ++round) {
    const auto g = test::random_statement(rng, 1 + static_cast<int>(rng() % 12), 4, pick_currency(rng));
    std::ostringstream file;
    test::write_camt053(file, g);
    mapping::CollectingSink sink;
    auto r = mapping::parse_camt(file.str(), "gen.xml", sink);
    ASSERT_TRUE(r) << r.problem().to_string() << "\n" << file.str();
    ASSERT_EQ(sink.statements.size(), 1u);
    const auto& got = sink.statements[0];
    EXPECT_EQ(got.statement.account, g.statement.account);
    EXPECT_EQ(got.statement.bank_statement_id, g.statement.bank_statement_id);
    expect_balances(got.statement, g, round);
    std::size_t k = 0;
    for (const auto& ge : g.entries) {
      for (std::size_t i = 0; i < ge.details.size(); ++i, ++k) {
        ASSERT_LT(k, got.entries.size());
        const auto& e = got.entries[k];
        const auto& want = ge.details[i];
        EXPECT_EQ(e.amount, want.amount) << round;
        EXPECT_EQ(e.entry_amount, ge.entry.amount) << round;
        EXPECT_EQ(e.direction, ge.entry.direction) << round;
        EXPECT_EQ(e.booking_date, ge.entry.booking_date) << round;
        EXPECT_EQ(e.value_date, ge.entry.value_date) << round;
        EXPECT_EQ(e.bank_reference, ge.entry.bank_reference) << round;
        EXPECT_EQ(e.end_to_end_id, want.end_to_end_id) << round;
        EXPECT_EQ(e.payer_name, want.payer_name) << round;
        EXPECT_EQ(e.payer_account, want.payer_account) << round;
        EXPECT_EQ(e.remittance, want.remittance) << round;
        EXPECT_EQ(e.structured_reference, want.structured_reference) << round;
        EXPECT_EQ(e.detail_index, static_cast<int>(i));
        EXPECT_EQ(e.detail_count, static_cast<int>(ge.details.size()));
      }
    }
    EXPECT_EQ(k, got.entries.size());
  }
}

TEST(StatementRoundTrip, Bai2) {
  std::mt19937_64 rng(424242);
  for (int round = 0; round < kRounds; ++round) {
    const auto g = test::random_statement(rng, 1 + static_cast<int>(rng() % 12), 3, pick_currency(rng));
    std::ostringstream file;
    test::write_bai2(file, g);
    mapping::CollectingSink sink;
    auto r = mapping::parse_bai2(file.str(), "gen.bai2", sink);
    ASSERT_TRUE(r) << r.problem().to_string() << "\n" << file.str();
    ASSERT_EQ(sink.statements.size(), 1u);
    const auto& got = sink.statements[0];
    EXPECT_EQ(got.statement.account, g.statement.account);
    EXPECT_EQ(got.statement.balances.at(0).amount, g.opening);
    EXPECT_EQ(got.statement.balances.at(1).amount, g.closing);
    std::size_t k = 0;
    for (const auto& ge : g.entries) {
      for (const auto& want : ge.details) {
        ASSERT_LT(k, got.entries.size());
        const auto& e = got.entries[k++];
        EXPECT_EQ(e.amount, want.amount) << round;
        EXPECT_EQ(e.direction, ge.entry.direction) << round;
        EXPECT_EQ(e.bank_reference, ge.entry.bank_reference) << round;
        EXPECT_EQ(e.end_to_end_id, want.end_to_end_id) << round;
        const std::string text = want.structured_reference.empty() ? want.remittance : want.structured_reference;
        EXPECT_EQ(e.remittance, want.payer_name + " " + text) << round << "\n" << file.str();
      }
    }
    EXPECT_EQ(k, got.entries.size());
  }
}

TEST(StatementRoundTrip, Mt940) {
  std::mt19937_64 rng(940940);
  for (int round = 0; round < kRounds; ++round) {
    const auto g = test::random_statement(rng, 1 + static_cast<int>(rng() % 12), 3, pick_currency(rng));
    std::ostringstream file;
    test::write_mt940(file, g);
    mapping::CollectingSink sink;
    auto r = mapping::parse_mt940(file.str(), "gen.sta", sink);
    ASSERT_TRUE(r) << r.problem().to_string() << "\n" << file.str();
    ASSERT_EQ(sink.statements.size(), 1u);
    const auto& got = sink.statements[0];
    EXPECT_EQ(got.statement.account, g.statement.account);
    expect_balances(got.statement, g, round);
    std::size_t k = 0;
    for (const auto& ge : g.entries) {
      for (const auto& want : ge.details) {
        ASSERT_LT(k, got.entries.size());
        const auto& e = got.entries[k++];
        EXPECT_EQ(e.amount, want.amount) << round;
        EXPECT_EQ(e.direction, ge.entry.direction) << round;
        EXPECT_EQ(e.value_date, ge.entry.value_date) << round;
        EXPECT_EQ(e.booking_date, ge.entry.booking_date) << round;
        EXPECT_EQ(e.bank_reference, ge.entry.bank_reference) << round;
        EXPECT_EQ(e.end_to_end_id, want.end_to_end_id) << round;
        EXPECT_EQ(e.payer_name, want.payer_name) << round;
        EXPECT_EQ(e.payer_account, want.payer_account) << round;
        if (want.structured_reference.empty()) EXPECT_EQ(e.remittance, want.remittance) << round;
        else EXPECT_EQ(e.structured_reference, want.structured_reference) << round;
      }
    }
    EXPECT_EQ(k, got.entries.size());
  }
}
