// The raw-file pass of an import: hashes and compresses a file on its own thread, never far
// ahead of the parser, and tells the owner only what both have read.
#include "statements/raw_file_pass.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "arcd/digest.hpp"
#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "store/zstd_frames.hpp"

using namespace arcd;
using statements::RawFilePass;

namespace {

std::string random_text(std::size_t size) {
  std::mt19937_64 rng(5);
  std::string s(size, ' ');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

struct Released {
  std::mutex m;
  std::vector<std::size_t> offsets;
  void operator()(std::size_t at) {
    std::lock_guard lock(m);
    offsets.push_back(at);
  }
};

}  // namespace

// One writer, one zstd context for every frame: each frame still stands alone, whatever came
// before it (a large one, an empty one).
TEST(ZstdFrameWriter, EveryFrameOfOneWriterDecodesOnItsOwn) {
  const std::string large = random_text(kRawFileChunkBytes);
  const std::string small = "<Ntry><Amt Ccy=\"EUR\">12.50</Amt></Ntry>";
  store::ZstdFrameWriter writer;
  const std::vector<std::string> inputs = {large, small, "", small + small, large.substr(0, 1 << 20)};
  std::vector<std::string> frames;
  for (const auto& in : inputs) frames.push_back(writer.frame(in));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string back;
    store::append_unzstd(frames[i], back);
    EXPECT_TRUE(back == inputs[i]) << "frame " << i << ": " << back.size() << " bytes back of " << inputs[i].size();
  }
  EXPECT_LT(frames[0].size(), large.size());  // 26 letters fit in 5 bits of 8
}

TEST(RawFilePass, FramesHoldTheFileAndTheHashIsItsSha256) {
  const std::string bytes = random_text(2 * kRawFileChunkBytes + 12345);
  RawFilePass pass(bytes, {});
  for (std::size_t at = 0; at < bytes.size(); at += 1 << 20) pass.parser_at(at);
  auto out = pass.finish();
  EXPECT_EQ(out.sha256, sha256_hex(bytes));
  ASSERT_EQ(out.frames.size(), 3u);
  std::string back;
  for (std::size_t i = 0; i < out.frames.size(); ++i) store::append_unzstd(out.frames.frame(i), back);
  EXPECT_TRUE(back == bytes);
}

TEST(RawFilePass, FramesBeyondTheSpoolsBudgetWaitOnDiskAndComeBackInOrder) {
  const std::string bytes = random_text(3 * kRawFileChunkBytes + 999);
  // A budget of one frame: the first stays in memory, the other three are spooled.
  RawFilePass pass(bytes, {}, {}, statements::FrameSpool(store::ZstdFrameWriter().frame(std::string_view(bytes).substr(0, kRawFileChunkBytes)).size()));
  pass.parser_at(bytes.size());
  auto out = pass.finish();
  ASSERT_EQ(out.frames.size(), 4u);
  EXPECT_EQ(out.frames.frames_spooled(), 3u);
  std::string back;
  for (std::size_t i = 0; i < out.frames.size(); ++i) store::append_unzstd(out.frames.frame(i), back);
  EXPECT_TRUE(back == bytes);
}

TEST(RawFilePass, AHashTheCallerHasIsTakenAsIs) {
  const std::string bytes = random_text(1000);
  const std::string hash = "the caller's";  // not the bytes' hash: shows it was not made again
  RawFilePass pass(bytes, {}, hash);
  auto out = pass.finish();
  EXPECT_EQ(out.sha256, hash);
  ASSERT_EQ(out.frames.size(), 1u);
  std::string back;
  store::append_unzstd(out.frames.frame(0), back);
  EXPECT_TRUE(back == bytes);
}

TEST(RawFilePass, AnEmptyFileIsOneEmptyFrame) {
  RawFilePass pass("", {});
  auto out = pass.finish();
  EXPECT_EQ(out.sha256, sha256_hex(""));
  ASSERT_EQ(out.frames.size(), 1u);
  std::string back;
  store::append_unzstd(out.frames.frame(0), back);
  EXPECT_TRUE(back.empty());
}

TEST(RawFilePass, WaitsForTheParserAndReleasesOnlyWhatBothRead) {
  const std::string bytes = random_text(RawFilePass::kLeadBytes + 3 * kRawFileChunkBytes);
  Released released;
  RawFilePass pass(bytes, [&](std::size_t at) { released(at); });
  // The parser has not moved: the pass may read its lead (plus the chunk that crossed it), no more.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  {
    std::lock_guard lock(released.m);
    EXPECT_TRUE(released.offsets.empty()) << "nothing is released while the parser is at 0";
  }
  pass.parser_at(kRawFileChunkBytes / 2);
  pass.parser_at(kRawFileChunkBytes / 4);  // going back changes nothing
  const auto out = pass.finish();
  EXPECT_EQ(out.sha256, sha256_hex(bytes));
  std::lock_guard lock(released.m);
  ASSERT_FALSE(released.offsets.empty());
  EXPECT_EQ(released.offsets.front(), kRawFileChunkBytes / 2);
  for (std::size_t i = 1; i < released.offsets.size(); ++i) EXPECT_LT(released.offsets[i - 1], released.offsets[i]);
  EXPECT_EQ(released.offsets.back(), bytes.size());
}

// The pass runs at a lower priority and may fall behind; a parser that gets kLagBytes ahead
// waits for it, so the mapped pages both still need stay few.
TEST(RawFilePass, AParserFarAheadWaitsForThePassToCatchUp) {
  const std::string bytes = random_text(RawFilePass::kLagBytes + RawFilePass::kLeadBytes + 2 * kRawFileChunkBytes);
  Released released;
  RawFilePass pass(bytes, [&](std::size_t at) { released(at); });
  // Until now the pass could read no further than its lead ahead of 0 (and the chunk crossing it).
  const std::size_t far = bytes.size() - 1;
  pass.parser_at(far);
  {
    std::lock_guard lock(released.m);
    ASSERT_FALSE(released.offsets.empty());
    EXPECT_GE(released.offsets.back() + RawFilePass::kLagBytes, far) << "parser_at() returned with the pass too far behind";
  }
  EXPECT_EQ(pass.finish().sha256, sha256_hex(bytes));
}

TEST(RawFilePass, LeftUnfinishedItStopsAndReleasesOnlyWhatTheParserRead) {
  const std::string bytes = random_text(RawFilePass::kLeadBytes + 4 * kRawFileChunkBytes);
  Released released;
  {
    RawFilePass pass(bytes, [&](std::size_t at) { released(at); });
    pass.parser_at(100);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }  // an import that failed: the destructor stops the thread while it waits for the parser
  std::lock_guard lock(released.m);
  ASSERT_FALSE(released.offsets.empty());
  EXPECT_EQ(released.offsets.back(), 100u);
}

// Frames that cannot be spooled fail the import: the parser learns it at its next step instead
// of reading the rest of a file that cannot be stored, and finish() says the same.
TEST(RawFilePass, AFailedSpoolStopsTheParserAtItsNextStep) {
  const std::string bytes = random_text(2 * kRawFileChunkBytes);
  RawFilePass pass(bytes, {}, {}, statements::FrameSpool(0, "/nonexistent/arcd-spool"));
  std::string code;
  for (int i = 0; i < 500 && code.empty(); ++i) {
    try {
      pass.parser_at(static_cast<std::size_t>(i) * 1024);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } catch (const Error& e) {
      code = e.code();
    }
  }
  EXPECT_EQ(code, "RAW_FILE_SPOOL");
  try {
    pass.finish();
    FAIL() << "finish() must report the failure too";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "RAW_FILE_SPOOL");
  }
}
