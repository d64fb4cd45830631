#pragma once
// A thread that copies SQLite's committed log back into the database file when asked, on a
// connection of its own, while whoever asked goes on. A large commit otherwise does that copy
// inline: for a 200k-entry statement import, about a third of its commit. A passive checkpoint
// waits for no reader or writer; what it cannot copy yet the next one does. The store makes a
// writer wait for it (wait_until_idle) once the log is long, so that SQLite can start it over.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace arcd::store {

class LogCheckpointer {
 public:
  // `warn`, when given, is told of each checkpoint that failed (on this class's thread).
  explicit LogCheckpointer(std::string path, std::function<void(const std::string&)> warn = {})
      : path_(std::move(path)), warn_(std::move(warn)) {}
  ~LogCheckpointer();  // finishes a checkpoint under way, drops one only asked for
  LogCheckpointer(const LogCheckpointer&) = delete;
  LogCheckpointer& operator=(const LogCheckpointer&) = delete;

  // Returns at once; asks made while a checkpoint runs are one more checkpoint after it.
  void request();
  // Returns when no checkpoint is asked for or running.
  void wait_until_idle();
  // How many checkpoints ran to the end, and how many failed (for tests).
  int completed() const;
  int failed() const;

 private:
  void loop();

  std::string path_;
  std::function<void(const std::string&)> warn_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  bool wanted_ = false, running_ = false, stopping_ = false;
  int completed_ = 0, failed_ = 0;
  std::thread thread_;  // started on the first request
};

}  // namespace arcd::store
