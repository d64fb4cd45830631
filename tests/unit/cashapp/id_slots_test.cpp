// The run's id -> place table and its address-keeping storage.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "cashapp/id_slots.hpp"

using arcd::cashapp::IdSlots;
using arcd::cashapp::StableVector;

TEST(IdSlots, FindsWhatWasAddedAndNothingElse) {
  IdSlots slots;
  EXPECT_FALSE(slots.find(1));
  std::map<std::int64_t, std::uint32_t> want;
  std::mt19937_64 rng(11);
  // Consecutive ids (as a database gives them), far-apart ones and negative ones, through many
  // growths of the table.
  for (std::uint32_t k = 0; k < 50000; ++k) {
    const std::int64_t id = k % 3 == 0 ? k : k % 3 == 1 ? static_cast<std::int64_t>(rng() >> 1) : -static_cast<std::int64_t>(k);
    if (want.count(id)) continue;
    ASSERT_EQ(slots.find_or_add(id, k), k) << id;
    want[id] = k;
  }
  EXPECT_EQ(slots.size(), want.size());
  for (const auto& [id, slot] : want) ASSERT_EQ(slots.find(id), slot) << id;
  EXPECT_FALSE(slots.find(1));  // 1 % 3 == 1: never added as such
  EXPECT_FALSE(slots.find(-3));
  EXPECT_FALSE(slots.find(INT64_MAX));
}

TEST(IdSlots, FindOrAddStoresOnlyTheFirstPlaceOfAnId) {
  IdSlots slots;
  std::map<std::int64_t, std::uint32_t> want;
  std::mt19937_64 rng(7);
  for (std::uint32_t k = 0; k < 30000; ++k) {
    const std::int64_t id = static_cast<std::int64_t>(rng() % 20000);  // about a third seen before
    const auto [it, fresh] = want.emplace(id, k);
    ASSERT_EQ(slots.find_or_add(id, k), it->second) << id;
    ASSERT_EQ(fresh, it->second == k);
  }
  EXPECT_EQ(slots.size(), want.size());
  for (const auto& [id, slot] : want) ASSERT_EQ(slots.find(id), slot) << id;
  EXPECT_FALSE(slots.find(20000));
}

TEST(StableVector, RecordsKeepTheirAddressAsMoreAreAdded) {
  StableVector<std::string> v;
  std::vector<const std::string*> addresses;
  for (int i = 0; i < 20000; ++i) {
    const auto at = v.push_back("record " + std::to_string(i));
    ASSERT_EQ(at, static_cast<std::uint32_t>(i));
    addresses.push_back(&v[at]);
  }
  ASSERT_EQ(v.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(addresses[static_cast<std::size_t>(i)], &v[static_cast<std::uint32_t>(i)]);
    ASSERT_EQ(v[static_cast<std::uint32_t>(i)], "record " + std::to_string(i));
  }
}
