#pragma once
// The raw-file side of an import, on a thread of its own: hashes the file (SHA-256) and cuts it
// into the compressed frames the store keeps (kRawFileChunkBytes each, store::ZstdFrameWriter),
// while the parser and the writer work through the same bytes. Before, the writer hashed the
// file before parsing and compressed it after, both on the import's one busy path.
//
// The pass stays at most kLeadBytes ahead of the parser, and the parser waits when it gets
// kLagBytes ahead of the pass (whose thread runs at a lower priority, and falls behind on a
// busy machine), so the pages of a mapped file that both still need stay few:
// `release_before` is told how far BOTH have read. The frames wait for
// the writer in a FrameSpool: in memory up to its budget, beyond it in a temporary file.

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "statements/frame_spool.hpp"

namespace arcd::statements {

class RawFilePass {
 public:
  static constexpr std::size_t kLeadBytes = std::size_t(32) << 20;
  static constexpr std::size_t kLagBytes = std::size_t(64) << 20;

  // `release_before` may be empty; it is called from either thread, one call at a time, with
  // offsets that only grow. A `known_sha256` (the caller hashed the file already) is taken as
  // the file's hash instead of hashing it again.
  RawFilePass(std::string_view bytes, std::function<void(std::size_t)> release_before, std::string known_sha256 = {},
              FrameSpool spool = FrameSpool());
  ~RawFilePass();  // stops the thread when finish() was not reached (an import that failed)
  RawFilePass(const RawFilePass&) = delete;
  RawFilePass& operator=(const RawFilePass&) = delete;

  // The parser got to `offset`; bytes.size() once it is done or gave up. Waits while the pass
  // is more than kLagBytes behind. Rethrows what failed
  // on the pass's thread (a spool that cannot be written), so that the parse stops there
  // instead of reading the rest of a file that cannot be stored.
  void parser_at(std::size_t offset);

  struct Output {
    std::string sha256;               // lower-case hex
    FrameSpool frames;   // in file order; an empty file has one (empty) frame
  };
  // Lets the pass run to the end and waits for it; rethrows what failed on its thread.
  Output finish();

 private:
  void run();
  void advance_parser(std::size_t offset);
  void report_progress(std::unique_lock<std::mutex>& lock);

  std::string_view bytes_;
  std::function<void(std::size_t)> release_before_;
  std::string known_sha256_;
  std::mutex m_;
  std::condition_variable cv_;
  std::size_t parser_at_ = 0, pass_at_ = 0, released_ = 0;
  bool stop_ = false;
  Output out_;
  std::exception_ptr failed_;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace arcd::statements
