#include "store/log_checkpointer.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>

namespace arcd::store {

LogCheckpointer::~LogCheckpointer() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LogCheckpointer::request() {
  std::lock_guard lock(m_);
  wanted_ = true;
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  cv_.notify_all();
}

void LogCheckpointer::wait_until_idle() {
  std::unique_lock lock(m_);
  cv_.wait(lock, [&] { return (!wanted_ && !running_) || stopping_; });
}

int LogCheckpointer::completed() const {
  std::lock_guard lock(m_);
  return completed_;
}

int LogCheckpointer::failed() const {
  std::lock_guard lock(m_);
  return failed_;
}

void LogCheckpointer::loop() {
  std::unique_ptr<soci::session> sql;
  for (;;) {
    {
      std::unique_lock lock(m_);
      cv_.wait(lock, [&] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
      running_ = true;
    }
    try {
      if (!sql) sql = std::make_unique<soci::session>(soci::sqlite3, "db=\"" + path_ + "\"");
      *sql << "PRAGMA wal_checkpoint(PASSIVE)";
      std::lock_guard lock(m_);
      ++completed_;
    } catch (const std::exception& e) {
      // The file unreachable, a disk error: nothing is lost, the log stays as it is and the
      // next checkpoint (this one's or a commit's) copies it. But a log that keeps growing
      // is worth a line in the log. (A passive checkpoint that meets a busy database does not
      // fail: it copies what it can.)
      sql.reset();
      {
        std::lock_guard lock(m_);
        ++failed_;
      }
      if (warn_) warn_(std::string("STORE_CHECKPOINT_FAILED checkpoint of ") + path_ + " failed: " + e.what());
    }
    {
      std::lock_guard lock(m_);
      running_ = false;
    }
    cv_.notify_all();
  }
}

}  // namespace arcd::store
