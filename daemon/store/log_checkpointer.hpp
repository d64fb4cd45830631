#pragma once
// A thread that copies SQLite's committed log back into the database file when asked, on a
// connection of its own, while whoever asked goes on. A large commit otherwise does that copy
// inline: for a 200k-entry statement import, about a third of its commit. A passive checkpoint
// waits for no reader or writer; what it cannot copy yet the next one does.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace arcd::store {

class LogCheckpointer {
 public:
  explicit LogCheckpointer(std::string path) : path_(std::move(path)) {}
  ~LogCheckpointer();  // finishes a checkpoint under way, drops one only asked for
  LogCheckpointer(const LogCheckpointer&) = delete;
  LogCheckpointer& operator=(const LogCheckpointer&) = delete;

  // Returns at once; asks made while a checkpoint runs are one more checkpoint after it.
  void request();
  // How many checkpoints ran to the end (for tests).
  int completed() const;

 private:
  void loop();

  std::string path_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  bool wanted_ = false, stopping_ = false;
  int completed_ = 0;
  std::thread thread_;  // started on the first request
};

}  // namespace arcd::store
