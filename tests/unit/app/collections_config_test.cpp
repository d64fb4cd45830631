#include <gtest/gtest.h>

#include "app/config.hpp"
#include "arcd/error.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

std::pair<std::string, std::string> policy_failure(const std::string& text) {
  try {
    app::read_policies(text, "dunning.toml");
  } catch (const Error& e) {
    return {e.code(), e.detail()};
  }
  ADD_FAILURE() << "expected the policies to be rejected:\n" << text;
  return {};
}

const char* kOneStage = R"(
[policies.standard]
[[policies.standard.stages]]
name = "notice"
offset_days = 1
action = "email"
template = "overdue_notice"
)";

}  // namespace

TEST(CollectionsConfig, TheShippedPolicyFollowsCommonPractice) {
  const auto set = app::default_policies();
  ASSERT_TRUE(set.policies.count("standard"));
  const auto& p = set.policies.at("standard");
  std::vector<std::pair<std::string, int>> got;
  for (const auto& s : p.stages) got.emplace_back(s.name, s.offset_days);
  EXPECT_EQ(got.front(), (std::pair<std::string, int>{"courtesy", -4}));
  EXPECT_EQ(p.stages[1].offset_days, 1);
  EXPECT_EQ(p.stages[p.index_of("agency_90")].action.kind, collections::ActionKind::agency);
  EXPECT_EQ(p.stages[p.index_of("final_demand_60")].action.template_name, "final_demand");
  EXPECT_EQ(set.assignments.front().policy, "key_accounts");
}

TEST(CollectionsConfig, PoliciesAreReadStrictly) {
  EXPECT_NO_THROW(app::read_policies(kOneStage, "dunning.toml"));
  auto [code, msg] = policy_failure(std::string(kOneStage) + "colour = \"red\"\n");
  EXPECT_EQ(code, "CFG_UNKNOWN_KEY");
  EXPECT_NE(msg.find("dunning.toml:8: policies.standard.stages[0].colour"), std::string::npos) << msg;
  auto [code2, msg2] = policy_failure(std::string(kOneStage) + "when = { min_open = \"1.2.3\" }\n");
  EXPECT_EQ(code2, "CFG_RANGE");
  EXPECT_NE(msg2.find("min_open"), std::string::npos) << msg2;
  auto [code3, msg3] = policy_failure(std::string(kOneStage) + "action2 = 1\n[[policies.standard.stages]]\nname = \"x\"\noffset_days = 0\naction = \"fax\"\n");
  EXPECT_EQ(code3, "CFG_UNKNOWN_KEY");
  auto [code4, msg4] = policy_failure(R"(
[policies.standard]
[[policies.standard.stages]]
name = "a"
offset_days = 5
action = "task"
[[policies.standard.stages]]
name = "b"
offset_days = 1
action = "task"
)");
  EXPECT_EQ(code4, "CFG_RANGE");
  EXPECT_NE(msg4.find("order of offset_days"), std::string::npos) << msg4;
  auto [code5, msg5] = policy_failure(std::string(kOneStage) + "[[assign]]\npolicy = \"nope\"\n");
  EXPECT_EQ(code5, "CFG_RANGE");
  EXPECT_NE(msg5.find("no policy named 'nope'"), std::string::npos) << msg5;
}

TEST(CollectionsConfig, ASectionWithAPoliciesFileAndMissingTemplatesIsRefused) {
  test::TempDir dir;
  test::write_file(dir / "dunning.toml", std::string(kOneStage));
  test::write_file(dir / "arcd.toml", "[collections]\npolicies_file = \"dunning.toml\"\nmanagers = [\"bob\"]\n\n[mail]\ntransport = \"smtp\"\nurl = \"smtp://mail.example:587\"\n");
  const auto c = app::load_config(dir / "arcd.toml", {});
  EXPECT_EQ(c.collections.policies.policies.size(), 1u);
  EXPECT_TRUE(c.collections.is_manager("cli:bob"));
  EXPECT_FALSE(c.collections.is_manager("cli:alice"));
  EXPECT_EQ(c.mail.smtp.tls, "starttls");
  test::write_file(dir / "dunning.toml", std::string(kOneStage).replace(std::string(kOneStage).find("overdue_notice"), 14, "no_such_letter"));
  try {
    app::load_config(dir / "arcd.toml", {});
    ADD_FAILURE() << "a stage without its template must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.detail()).find("no template 'no_such_letter'"), std::string::npos) << e.detail();
  }
  test::write_file(dir / "arcd.toml", "[mail]\ntransport = \"smtp\"\n");
  EXPECT_THROW(app::load_config(dir / "arcd.toml", {}), Error);
}
