// API tokens, Idempotency-Key answers and the audit log's hash chain, on both backends.
#include <gtest/gtest.h>

#include "arcd/audit_chain.hpp"
#include "arcd/digest.hpp"
#include "arcd/store.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

class AccessStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<test::TestDatabase>(GetParam());
    clock_ = std::make_shared<test::ManualClock>(*parse_iso8601("2026-11-24T10:00:00Z"));
    store_ = open_store({db_->url(), 2, 5000}, clock_);
    store_->migrate();
  }

  void append(const std::string& actor, const std::string& entity_id) {
    auto tx = store_->begin();
    tx->audit().append({{}, {}, actor, "invoice.updated", "invoice", entity_id, "why", R"({"x":1})"});
    tx->commit();
  }

  AuditVerification verify() {
    auto tx = store_->begin();
    const auto [head_id, head_hash] = tx->audit().chain_head();
    return verify_audit_chain([&](const auto& f) { tx->audit().for_each_chained(f); }, head_id, head_hash);
  }

  // Lets the test do what only someone with raw database access could.
  void without_append_only_guard(const std::string& statement) {
    if (GetParam() == "sqlite") {
      test::exec_raw_sql(db_->url(), "DROP TRIGGER IF EXISTS audit_log_no_update");
      test::exec_raw_sql(db_->url(), "DROP TRIGGER IF EXISTS audit_log_no_delete");
    } else {
      test::exec_raw_sql(db_->url(), "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    }
    test::exec_raw_sql(db_->url(), statement);
  }

  std::unique_ptr<test::TestDatabase> db_;
  std::shared_ptr<test::ManualClock> clock_;
  std::unique_ptr<Store> store_;
};

}  // namespace

TEST_P(AccessStore, AnUntouchedChainVerifiesAndItsHeadIsTheLastRecord) {
  for (int i = 0; i < 7; ++i) append("alice", std::to_string(i));
  {  // several records in one transaction chain in order too
    auto tx = store_->begin();
    tx->audit().append({{}, {}, "bob", "a", "invoice", "x", "", ""});
    tx->audit().append({{}, {}, "bob", "b", "invoice", "y", "", ""});
    tx->commit();
  }
  {  // a rolled back transaction leaves no record and no gap in the chain
    auto tx = store_->begin();
    tx->audit().append({{}, {}, "carol", "c", "invoice", "z", "", ""});
  }
  const auto v = verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.records, 9);
  EXPECT_EQ(v.chained, 9);
  EXPECT_EQ(v.before_chain, 0);
  EXPECT_EQ(v.head_hash.size(), 64u);
}

TEST_P(AccessStore, ChangingARecordIsFoundAtThatRecord) {
  for (int i = 0; i < 5; ++i) append("alice", std::to_string(i));
  without_append_only_guard("UPDATE audit_log SET actor = 'mallory' WHERE entity_id = '2'");
  const auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 3);
  EXPECT_NE(v.problem.find("changed"), std::string::npos) << v.problem;
}

TEST_P(AccessStore, RemovingARecordInTheMiddleOrAtTheEndIsFound) {
  for (int i = 0; i < 5; ++i) append("alice", std::to_string(i));
  without_append_only_guard("DELETE FROM audit_log WHERE entity_id = '4'");
  auto v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("cut off the end"), std::string::npos) << v.problem;
  without_append_only_guard("DELETE FROM audit_log WHERE entity_id = '1'");
  v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 3);
  EXPECT_NE(v.problem.find("does not follow"), std::string::npos) << v.problem;
}

TEST_P(AccessStore, TokensAreKeptAsHashesAndRevokedOnce) {
  auto tx = store_->begin();
  ApiToken t;
  t.user = "anna";
  t.role = Role::collector;
  t.token_hash = sha256_hex("secret-1");
  t.prefix = "arcd_abc";
  t.created_by = "cli:root";
  t.expires_at = *parse_iso8601("2027-01-01T00:00:00Z");
  const auto id = tx->access().add_token(t);
  const auto found = tx->access().token_by_hash(sha256_hex("secret-1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->user, "anna");
  EXPECT_EQ(found->role, Role::collector);
  EXPECT_FALSE(found->all_customers);
  EXPECT_EQ(found->expires_at, t.expires_at);
  EXPECT_FALSE(found->revoked_at);
  EXPECT_FALSE(tx->access().token_by_hash(sha256_hex("secret-2")));
  EXPECT_TRUE(tx->access().revoke_token(id, "cli:root"));
  EXPECT_FALSE(tx->access().revoke_token(id, "cli:root"));
  EXPECT_TRUE(tx->access().tokens(false).empty());
  ASSERT_EQ(tx->access().tokens(true).size(), 1u);
  EXPECT_TRUE(tx->access().token(id)->revoked_at);
  tx->commit();
}

TEST_P(AccessStore, AnIdempotencyKeyIsClaimedOnceThenAnswersWithWhatWasStored) {
  {
    auto tx = store_->begin();
    EXPECT_FALSE(tx->access().claim_idempotency_key("anna", "k1", "h1"));
    tx->commit();
  }
  {
    auto tx = store_->begin();
    auto again = tx->access().claim_idempotency_key("anna", "k1", "h1");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 0);  // still in progress
    EXPECT_FALSE(tx->access().claim_idempotency_key("bob", "k1", "h1"));  // keys are per user
    tx->access().finish_idempotency_key("anna", "k1", 201, "application/json", R"({"id":5})");
    tx->commit();
  }
  {
    auto tx = store_->begin();
    auto stored = tx->access().claim_idempotency_key("anna", "k1", "other");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->status, 201);
    EXPECT_EQ(stored->request_hash, "h1");
    EXPECT_EQ(stored->body, R"({"id":5})");
    tx->access().release_idempotency_key("bob", "k1");
    EXPECT_FALSE(tx->access().claim_idempotency_key("bob", "k1", "h2"));
    clock_->advance(std::chrono::hours(48));
    EXPECT_EQ(tx->access().purge_idempotency_keys(clock_->now() - std::chrono::hours(24)), 2);  // anna's and bob's
    tx->commit();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessStore, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& p) { return p.param; });
