// Every camt file in the shared corpus: parses (or is rejected when the corpus says it must be),
// with the statements, entries, credit and debit counts and sums that EXPECTED.md gives.
#include <gtest/gtest.h>

#include "arcd/error.hpp"
#include "corpus_expectations.hpp"
#include "mapping/camt.hpp"
#include "test_support.hpp"

using namespace arcd;
namespace fs = std::filesystem;

namespace {

struct Totals {
  int credits = 0, debits = 0;
  std::int64_t credit_sum = 0, debit_sum = 0;
};

std::vector<fs::path> camt_files() {
  std::vector<fs::path> out;
  for (const char* dir : {"camt052", "camt053", "camt054"}) {
    for (const auto& e : fs::directory_iterator(test::shared_dir() / "corpus" / dir)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t minor(const std::string& decimal, Currency c) {
  return Money::parse(decimal, c).minor();
}

class CamtCorpus : public ::testing::TestWithParam<fs::path> {};

}  // namespace

TEST_P(CamtCorpus, MatchesExpected) {
  static const auto expected = test::read_expected(test::shared_dir() / "corpus" / "EXPECTED.md");
  const fs::path file = GetParam();
  const std::string name = file.filename().string();
  const std::string bytes = test::read_file(file);
  mapping::CollectingSink sink;
  mapping::StatementParseOptions options;
  if (name.find("xxx_currency") != std::string::npos) options.fallback_currency = "CHF";
  auto r = mapping::parse_camt(bytes, name, sink, options);

  if (name.starts_with("malformed_")) {
    ASSERT_FALSE(r) << name << " must be rejected";
    EXPECT_FALSE(r.problem().where.empty());
    EXPECT_FALSE(r.problem().what.empty());
    return;
  }
  ASSERT_TRUE(r) << name << ": " << r.problem().to_string();
  auto it = expected.find(file.parent_path().filename().string() + "/" + name);
  ASSERT_NE(it, expected.end()) << name << " has no section in EXPECTED.md";
  const auto& ex = it->second;
  EXPECT_EQ(r.value().format, ex.format);
  ASSERT_EQ(static_cast<int>(sink.statements.size()), ex.records) << ex.raw;

  int ntry = 0;
  for (const auto& s : sink.statements)
    for (const auto& e : s.entries) ntry += e.detail_index == 0;
  EXPECT_EQ(ntry, ex.entries) << ex.raw;

  for (std::size_t i = 0; i < ex.records_detail.size() && i < sink.statements.size(); ++i) {
    const auto& want = ex.records_detail[i];
    const auto& got = sink.statements[i];
    EXPECT_EQ(got.statement.bank_statement_id, want.id) << name << " record " << i + 1;
    EXPECT_EQ(got.statement.account, want.account) << name << " record " << i + 1;
    Totals t;
    for (const auto& e : got.entries) {
      if (e.detail_index != 0) continue;
      if (e.direction == Direction::credit) {
        ++t.credits;
        t.credit_sum += e.entry_amount.minor();
      } else {
        ++t.debits;
        t.debit_sum += e.entry_amount.minor();
      }
    }
    const Currency c = got.entries.empty() ? got.statement.currency : got.entries.front().entry_amount.currency();
    EXPECT_EQ(t.credits, want.credits) << name << " record " << i + 1;
    EXPECT_EQ(t.debits, want.debits) << name << " record " << i + 1;
    EXPECT_EQ(t.credit_sum, minor(want.credit_sum, c)) << name << " record " << i + 1;
    EXPECT_EQ(t.debit_sum, minor(want.debit_sum, c)) << name << " record " << i + 1;

    // Balances, in order. A balance the parser left out with a warning (more decimals than the
    // currency has, or a currency that is not one) is skipped here and must be in the warnings.
    std::size_t k = 0;
    for (const auto& wb : want.balances) {
      // "XXX" (no currency) is read in the configured fallback currency.
      const auto cur = wb.currency == "XXX" && !options.fallback_currency.empty() ? Currency::find(options.fallback_currency)
                                                                                 : Currency::find(wb.currency);
      bool representable = cur.has_value();
      if (representable) {
        try {
          Money::parse(wb.amount, *cur);
        } catch (const Error&) {
          representable = false;
        }
      }
      if (!representable) {
        EXPECT_NE(got.statement.warnings.find("balance " + wb.type + " left out"), std::string::npos) << name << " " << wb.type;
        continue;
      }
      ASSERT_LT(k, got.statement.balances.size()) << name << " record " << i + 1 << ": missing balance " << wb.type;
      const auto& gb = got.statement.balances[k++];
      EXPECT_EQ(gb.type, wb.type) << name << " record " << i + 1;
      EXPECT_EQ(gb.amount, Money::parse(wb.amount, *cur)) << name << " record " << i + 1 << " " << wb.type;
      EXPECT_EQ(gb.date ? gb.date->to_string() : "", wb.date) << name << " record " << i + 1 << " " << wb.type;
    }
    EXPECT_EQ(k, got.statement.balances.size()) << name << " record " << i + 1 << ": more balances than expected";
  }

  // Every entry keeps its money exact and has a stable identity.
  std::set<std::string> keys;
  for (const auto& s : sink.statements) {
    for (const auto& e : s.entries) {
      EXPECT_FALSE(e.amount.is_negative());
      EXPECT_TRUE(keys.insert(e.entry_key).second) << name << ": duplicate key " << e.entry_key;
    }
  }
  if (name.starts_with("invalid_")) {
    EXPECT_NE(sink.statements.front().statement.warnings.find("BALANCE_MISMATCH"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CamtCorpus, ::testing::ValuesIn(camt_files()), [](const auto& param_info) {
  std::string n = param_info.param.parent_path().filename().string() + "_" + param_info.param.filename().stem().string();
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});
