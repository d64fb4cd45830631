// The frames an import holds until its commit: in memory up to a budget, then in an unlinked
// temporary file, and back in the order they came.
#include "statements/frame_spool.hpp"

#include <gtest/gtest.h>

#include "arcd/error.hpp"
#include "test_support.hpp"

using arcd::statements::FrameSpool;

namespace {

std::string frame_of(int i, std::size_t size) { return std::string(size, static_cast<char>('a' + i % 26)) + std::to_string(i); }

std::size_t files_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

}  // namespace

TEST(FrameSpool, FramesWithinTheBudgetStayInMemory) {
  arcd::test::TempDir dir;
  FrameSpool spool(1000, dir.path());
  for (int i = 0; i < 4; ++i) spool.add(frame_of(i, 200));
  EXPECT_EQ(spool.size(), 4u);
  EXPECT_EQ(spool.frames_spooled(), 0u);
  EXPECT_EQ(files_in(dir.path()), 0u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(spool.frame(static_cast<std::size_t>(i)), frame_of(i, 200));
}

TEST(FrameSpool, BeyondTheBudgetFramesGoToAFileNoOneCanSeeAndComeBackInOrder) {
  arcd::test::TempDir dir;
  FrameSpool spool(1000, dir.path());
  for (int i = 0; i < 50; ++i) spool.add(frame_of(i, 300 + static_cast<std::size_t>(i)));
  EXPECT_EQ(spool.size(), 50u);
  EXPECT_EQ(spool.frames_spooled(), 47u);  // three fit in 1000 bytes
  EXPECT_LE(spool.bytes_in_memory(), 1000u);
  EXPECT_EQ(files_in(dir.path()), 0u) << "the spool file is unlinked as soon as it is made";
  for (int i = 49; i >= 0; --i) {  // any order: each frame is read where it was written
    EXPECT_EQ(spool.frame(static_cast<std::size_t>(i)), frame_of(i, 300 + static_cast<std::size_t>(i))) << i;
  }
}

TEST(FrameSpool, OnceFramesSpillASmallOneAfterwardsStillKeepsItsPlace) {
  arcd::test::TempDir dir;
  FrameSpool spool(100, dir.path());
  spool.add(frame_of(0, 80));
  spool.add(frame_of(1, 80));  // over the budget: spooled
  spool.add(frame_of(2, 5));   // would fit in memory, but frames stay in file order
  EXPECT_EQ(spool.frames_spooled(), 2u);
  EXPECT_EQ(spool.frame(2), frame_of(2, 5));
  EXPECT_EQ(spool.frame(1), frame_of(1, 80));
}

TEST(FrameSpool, AMovedSpoolKeepsItsFramesAndItsFile) {
  arcd::test::TempDir dir;
  FrameSpool a(10, dir.path());
  a.add(frame_of(0, 50));
  a.add(frame_of(1, 50));
  FrameSpool b(std::move(a));
  FrameSpool c;
  c = std::move(b);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.frame(0), frame_of(0, 50));
  EXPECT_EQ(c.frame(1), frame_of(1, 50));
}

TEST(FrameSpool, AFolderThatCannotHoldTheFileIsAClearError) {
  FrameSpool spool(10, "/nonexistent/arcd-spool");
  try {
    spool.add(frame_of(0, 50));
    FAIL() << "spooling into a missing folder must fail";
  } catch (const arcd::Error& e) {
    EXPECT_EQ(e.code(), "RAW_FILE_SPOOL");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/arcd-spool"), std::string::npos) << e.what();
  }
}
