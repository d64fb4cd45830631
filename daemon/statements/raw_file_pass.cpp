#include "statements/raw_file_pass.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "arcd/digest.hpp"
#include "arcd/store.hpp"
#include "store/zstd_frames.hpp"

namespace arcd::statements {
namespace {

// This thread has the least to do of an import's three (hashing and compressing run at over
// 1.5 GB/s) and any moment to do it in before the end. At equal priority it took its turns
// from the writer, which sets the pace: a 200k-entry camt import took 2.94-3.07 s so and
// 2.69-2.89 s with this thread ten steps nicer. Only ever lowered, so no privilege is needed;
// where that fails the thread simply keeps its priority.
void yield_to_the_parser_and_writer() {
  const auto self = static_cast<id_t>(gettid());
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, self);
  if (errno != 0) return;
  (void)setpriority(PRIO_PROCESS, self, std::min(now + 10, 19));
}

}  // namespace

RawFilePass::RawFilePass(std::string_view bytes, std::function<void(std::size_t)> release_before, std::string known_sha256,
                         FrameSpool spool)
    : bytes_(bytes),
      release_before_(std::move(release_before)),
      known_sha256_(std::move(known_sha256)),
      out_{{}, std::move(spool)},
      thread_([this] { run(); }) {}

RawFilePass::~RawFilePass() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RawFilePass::parser_at(std::size_t offset) {
  {
    std::lock_guard lock(m_);
    if (failed_) std::rethrow_exception(failed_);
  }
  advance_parser(offset);
  std::unique_lock lock(m_);
  cv_.wait(lock, [&] { return failed_ || stop_ || parser_at_ <= pass_at_ + kLagBytes; });
  if (failed_) std::rethrow_exception(failed_);
}

void RawFilePass::advance_parser(std::size_t offset) {
  std::unique_lock lock(m_);
  if (offset <= parser_at_) return;
  parser_at_ = std::min(offset, bytes_.size());
  report_progress(lock);
  cv_.notify_all();
}

// Tells the owner how far both readers are, under the lock so that calls never overlap and
// offsets never go back.
void RawFilePass::report_progress(std::unique_lock<std::mutex>&) {
  const std::size_t both = std::min(parser_at_, pass_at_);
  if (both <= released_) return;
  released_ = both;
  if (release_before_) release_before_(both);
}

void RawFilePass::run() {
  yield_to_the_parser_and_writer();
  try {
    Sha256 hash;
    store::ZstdFrameWriter zstd;
    std::size_t at = 0;
    do {
      {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return stop_ || at < parser_at_ + kLeadBytes || parser_at_ == bytes_.size(); });
        if (stop_) return;
      }
      const std::string_view piece = bytes_.substr(at, kRawFileChunkBytes);
      if (known_sha256_.empty()) hash.update(piece);
      // Only this thread touches the frames until finish() has joined it.
      out_.frames.add(zstd.frame(piece));
      at += piece.size();
      std::unique_lock lock(m_);
      pass_at_ = at;
      report_progress(lock);
      cv_.notify_all();  // a parser waiting for the pass to catch up
    } while (at < bytes_.size());
    std::lock_guard lock(m_);
    out_.sha256 = known_sha256_.empty() ? hash.hex() : known_sha256_;
  } catch (...) {
    std::lock_guard lock(m_);
    failed_ = std::current_exception();
    cv_.notify_all();
  }
}

RawFilePass::Output RawFilePass::finish() {
  advance_parser(bytes_.size());
  thread_.join();
  if (failed_) std::rethrow_exception(failed_);
  return std::move(out_);
}

}  // namespace arcd::statements
