// The flat key index against a plain multimap: the same ids for every key, through growth,
// duplicate keys, keys that share a prefix and keys whose hashes collide in the table.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "cashapp/key_index.hpp"

using arcd::cashapp::KeyIndex;

namespace {

std::vector<std::int64_t> ids_in(const std::multimap<std::string, std::int64_t>& m, const std::string& key) {
  std::vector<std::int64_t> out;
  auto [a, b] = m.equal_range(key);
  for (auto it = a; it != b; ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(KeyIndex, EmptyFindsNothing) {
  KeyIndex index;
  EXPECT_TRUE(index.empty());
  EXPECT_TRUE(index.find("2026-123").empty());
  EXPECT_TRUE(index.find("").empty());
}

TEST(KeyIndex, SeveralIdsUnderOneKeyComeBackInOrder) {
  KeyIndex index;
  index.add("2026-123", 9);
  index.add("2026-123", 4);
  index.add("202600123", 4);
  index.add("2026-12", 7);  // a prefix of another key is a key of its own
  EXPECT_EQ(index.find("2026-123"), (std::vector<std::int64_t>{4, 9}));
  EXPECT_EQ(index.find("202600123"), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(index.find("2026-12"), (std::vector<std::int64_t>{7}));
  EXPECT_TRUE(index.find("2026-1234").empty());
  EXPECT_EQ(index.key_count(), 3u);
}

TEST(KeyIndex, AgreesWithAMultimapThroughGrowth) {
  std::mt19937_64 rng(11);
  KeyIndex index;
  std::multimap<std::string, std::int64_t> expected;
  for (std::int64_t id = 1; id <= 50000; ++id) {
    // Few distinct keys early (many ids per key), many later (the table grows several times).
    const auto range = static_cast<unsigned long long>(id < 5000 ? 300 : 80000);
    const std::string key = "K" + std::to_string(rng() % range);
    index.add(key, id);
    expected.emplace(key, id);
  }
  for (int k = 0; k < 80000; k += 7) {
    const std::string key = "K" + std::to_string(k);
    ASSERT_EQ(index.find(key), ids_in(expected, key)) << key;
  }
  EXPECT_TRUE(index.find("K80000").empty());
}
