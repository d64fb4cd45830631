#pragma once
// Work run on a thread of its own, in the order it was handed over, while the caller goes on.
// A run's writes go through one: cash application spent half its time in SQLite writing
// applications, outbox events and invoice totals, and the other half matching, on one core
// of two. Whoever reads through that transaction calls sync() first, so the connection is
// never used by two threads at once and every read sees every earlier write. The run's
// invariant checks go through another (batch_check.hpp).

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace arcd::cashapp {

class WriteBehind {
 public:
  WriteBehind();
  ~WriteBehind();  // drops what was not run; call sync() first to keep it
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Queues `work`; it runs after everything posted before it. Handed to the thread a few
  // hundred at a time (a hand-over per write cost more than the write).
  void post(std::function<void()> work);
  // Hands what was posted to the thread now, without waiting for it.
  void submit();
  // Returns once everything posted has run; rethrows the first failure (the work posted after
  // a failure is dropped: its transaction is lost anyway).
  void sync();

 private:
  void loop();

  std::vector<std::function<void()>> collecting_;  // the caller's, not yet handed over
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::function<void()>> queue_;
  bool busy_ = false, closing_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace arcd::cashapp
