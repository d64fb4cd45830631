// Work handed to the write-behind thread runs in order, once; sync() waits for all of it and
// brings back the first failure, after which nothing more of that batch of work runs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cashapp/write_behind.hpp"

using arcd::cashapp::WriteBehind;

TEST(WriteBehind, RunsEverythingInOrderBySync) {
  WriteBehind writer;
  std::vector<int> done;  // the worker's until sync() returns
  for (int i = 0; i < 1000; ++i) writer.post([&done, i] { done.push_back(i); });
  writer.sync();
  ASSERT_EQ(done.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(done[static_cast<std::size_t>(i)], i);
  writer.post([&done] { done.push_back(1000); });  // usable again after a sync
  writer.sync();
  EXPECT_EQ(done.size(), 1001u);
}

TEST(WriteBehind, SubmitStartsWorkWithoutWaiting) {
  WriteBehind writer;
  std::atomic<bool> ran{false};
  writer.post([&ran] { ran = true; });
  writer.submit();
  for (int i = 0; i < 500 && !ran; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_TRUE(ran);  // no sync: the thread took it on its own
  writer.sync();
}

TEST(WriteBehind, TheFirstFailureComesBackAndLaterWorkIsDropped) {
  WriteBehind writer;
  std::vector<int> done;
  writer.post([&done] { done.push_back(1); });
  writer.post([] { throw std::runtime_error("CASH_OVERAPPLIED"); });
  writer.post([&done] { done.push_back(3); });
  try {
    writer.sync();
    FAIL() << "sync() did not rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "CASH_OVERAPPLIED");
  }
  EXPECT_EQ(done, std::vector<int>{1});
  writer.sync();  // the failure was reported once
  writer.post([&done] { done.push_back(4); });
  writer.sync();
  EXPECT_EQ(done, (std::vector<int>{1, 4}));
}

TEST(WriteBehind, DestroyingWithoutSyncStopsTheThread) {
  std::atomic<int> ran{0};
  {
    WriteBehind writer;
    for (int i = 0; i < 10; ++i) writer.post([&ran] { ++ran; });
  }  // never handed over: dropped, and the thread is gone
  EXPECT_EQ(ran.load(), 0);
}
