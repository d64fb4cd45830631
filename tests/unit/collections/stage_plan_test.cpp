#include <gtest/gtest.h>

#include "collections/stage_plan.hpp"

using namespace arcd;
using namespace arcd::collections;

namespace {

Policy policy(CatchUp c) {
  Policy p;
  p.name = "p";
  p.catch_up = c;
  p.compress_gap_days = 2;
  for (auto [name, offset] : {std::pair{"courtesy", -3}, {"notice", 1}, {"follow_up", 7}, {"final", 30}}) {
    Stage s;
    s.name = name;
    s.offset_days = offset;
    p.stages.push_back(s);
  }
  return p;
}

struct Fixture {
  Invoice invoice;
  Customer customer;
  Fixture() {
    invoice.due_date = Date(2026, 1, 10);
    invoice.amount_open = Money(5000, Currency::of("EUR"));
  }
  InvoiceFacts facts(int stage = -1, std::optional<Date> fired = std::nullopt) { return {&invoice, &customer, 1, stage, fired}; }
};

}  // namespace

TEST(StagePlan, FiresEachStageOnItsDay) {
  Fixture f;
  const auto p = policy(CatchUp::skip);
  EXPECT_EQ(plan_stage(p, f.facts(), Date(2026, 1, 6), false).fire, -1);
  EXPECT_EQ(plan_stage(p, f.facts(), Date(2026, 1, 7), false).fire, 0);
  EXPECT_EQ(plan_stage(p, f.facts(0), Date(2026, 1, 10), false).fire, -1);
  EXPECT_EQ(plan_stage(p, f.facts(0), Date(2026, 1, 11), false).fire, 1);
}

TEST(StagePlan, SkipJumpsToTheLatestAndNeverSendsACourtesyReminderLate) {
  Fixture f;
  const auto plan = plan_stage(policy(CatchUp::skip), f.facts(), Date(2026, 2, 20), false);
  EXPECT_EQ(plan.fire, 3);
  EXPECT_EQ(plan.skip, (std::vector<int>{0, 1, 2}));
}

TEST(StagePlan, CompressGoesThroughTheStagesSpacedOut) {
  Fixture f;
  const auto p = policy(CatchUp::compress);
  auto first = plan_stage(p, f.facts(), Date(2026, 2, 20), false);
  EXPECT_EQ(first.fire, 1);  // courtesy is past: skipped, the notice comes first
  EXPECT_EQ(first.skip, (std::vector<int>{0}));
  EXPECT_EQ(plan_stage(p, f.facts(1, Date(2026, 2, 20)), Date(2026, 2, 21), false).fire, -1);  // the gap
  EXPECT_EQ(plan_stage(p, f.facts(1, Date(2026, 2, 20)), Date(2026, 2, 22), false).fire, 2);
}

TEST(StagePlan, StaleCashHoldsOverdueStagesButNotCourtesy) {
  Fixture f;
  const auto p = policy(CatchUp::skip);
  EXPECT_EQ(plan_stage(p, f.facts(), Date(2026, 1, 7), true).fire, 0);
  const auto held = plan_stage(p, f.facts(0), Date(2026, 1, 11), true);
  EXPECT_EQ(held.fire, -1);
  EXPECT_TRUE(held.blocked_by_stale_cash);
}

TEST(StagePlan, ConditionsCombineWithAnd) {
  Fixture f;
  auto p = policy(CatchUp::skip);
  p.stages[2].when.min_open_e4 = 1000000;  // 100.00 in ten-thousandths
  p.stages[2].when.tiers = {"gold"};
  f.customer.tier = "gold";
  EXPECT_EQ(plan_stage(p, f.facts(1), Date(2026, 1, 17), false).fire, -1);  // 50.00 open is below 100.00
  f.invoice.amount_open = Money(10000, Currency::of("EUR"));
  EXPECT_EQ(plan_stage(p, f.facts(1), Date(2026, 1, 17), false).fire, 2);
  f.customer.tier = "silver";
  EXPECT_EQ(plan_stage(p, f.facts(1), Date(2026, 1, 17), false).fire, -1);
  f.customer.tier = "gold";
  f.invoice.amount_open = Money(10000, Currency::of("JPY"));  // 10000 yen: above 100
  EXPECT_EQ(plan_stage(p, f.facts(1), Date(2026, 1, 17), false).fire, 2);
}
