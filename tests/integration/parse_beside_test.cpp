// The import's parser thread: what it delivers arrives in order and whole, a problem in the
// file comes back as the same problem, and a sink that fails stops the parser (no hang, the
// exception comes out).
#include <gtest/gtest.h>

#include <sstream>

#include "mapping/statement_format.hpp"
#include "statement_writers.hpp"
#include "statements/parse_beside.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

std::string camt_with(int entries) {
  std::mt19937_64 rng(7);
  std::ostringstream out;
  test::write_camt053(out, test::random_statement(rng, entries, 3, Currency::of("EUR")));
  return out.str();
}

// Records the order of calls as well as what came.
class RecordingSink final : public mapping::StatementSink {
 public:
  void begin_statement(const Statement& s) override { calls += "B" + s.bank_statement_id + ";"; }
  void entry(const Entry& e) override { calls += e.entry_key + "|" + e.amount.to_string() + ";"; }
  void end_statement(const Statement& s) override { calls += "E" + std::to_string(s.balances.size()) + s.warnings + ";"; }
  std::string calls;
};

TEST(ParseBeside, DeliversWhatTheParserDeliversInOrder) {
  for (const std::string& file : {camt_with(1000), test::read_file(test::shared_dir() / "corpus" / "camt052" / "hbci4j_v02_two_entries.xml")}) {
    RecordingSink direct, beside;
    auto a = mapping::parse_statement_file(file, "f.xml", direct, {});
    auto b = statements::parse_beside(file, "f.xml", beside, {});
    ASSERT_TRUE(a) << a.problem().to_string();
    ASSERT_TRUE(b) << b.problem().to_string();
    EXPECT_EQ(a.value().entries, b.value().entries);
    EXPECT_EQ(a.value().format, b.value().format);
    EXPECT_FALSE(direct.calls.empty());
    EXPECT_EQ(direct.calls, beside.calls);
  }
}

// The writer gives each batch back and the parser fills its entries again: whether a sink
// copied an entry or took its contents, every field of the next entry is that entry's own,
// nothing left over from the one the slot held before.
TEST(ParseBeside, EntriesFilledIntoReusedBatchesAreWhole) {
  class Taking final : public mapping::StatementSink {
   public:
    explicit Taking(bool take) : take_(take) {}
    void begin_statement(const Statement& s) override { calls += "B" + s.bank_statement_id + ";"; }
    void entry(const Entry& e) override { record(e); }
    void take_entry(Entry&& e) override {
      if (!take_) return record(e);
      const Entry mine = std::move(e);
      record(mine);
    }
    void end_statement(const Statement&) override { calls += "E;"; }
    std::string calls;

   private:
    void record(const Entry& e) {
      calls += e.entry_key + "|" + e.amount.to_string() + "|" + e.payer_name + "|" + e.payer_account + "|" + e.remittance + "|" +
               e.end_to_end_id + "|" + e.structured_reference + "|" + e.batch_key + "|" + std::to_string(e.detail_index) + "/" +
               std::to_string(e.detail_count) + "|" + e.details.ultimate_debtor + "|" +
               std::to_string(e.details.creditor_references.size()) + "|" + std::to_string(e.details.referred_documents.size()) + ";";
    }
    bool take_;
  };
  std::mt19937_64 rng(11);
  std::ostringstream out;
  test::write_camt053(out, test::random_statement(rng, 3000, 3, Currency::of("EUR")));
  const std::string file = out.str();
  Taking direct(false);
  ASSERT_TRUE(mapping::parse_statement_file(file, "f.xml", direct, {}));
  for (const bool take : {false, true}) {
    Taking beside(take);
    auto r = statements::parse_beside(file, "f.xml", beside, {});
    ASSERT_TRUE(r) << r.problem().to_string();
    EXPECT_TRUE(beside.calls == direct.calls) << (take ? "taking" : "copying") << " sink: the entries differ";
  }
}

TEST(ParseBeside, AProblemInTheFileComesBack) {
  std::string file = camt_with(2000);
  file.resize(file.size() * 2 / 3);  // cut inside an entry, thousands of entries in
  RecordingSink sink;
  auto r = statements::parse_beside(file, "cut.xml", sink, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "XML_MALFORMED");
  EXPECT_NE(r.problem().where.find("cut.xml:"), std::string::npos);
}

TEST(ParseBeside, ASinkThatFailsStopsTheParser) {
  class Failing final : public mapping::StatementSink {
   public:
    void begin_statement(const Statement&) override {}
    void entry(const Entry&) override {
      if (++seen == 300) throw Error("DB_QUERY", "disk full");
    }
    void end_statement(const Statement&) override {}
    int seen = 0;
  } sink;
  const std::string file = camt_with(5000);
  try {
    (void)statements::parse_beside(file, "f.xml", sink, {});
    FAIL() << "the sink's failure did not come out";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "DB_QUERY");
  }
  EXPECT_EQ(sink.seen, 300);
}

}  // namespace
