#include "cashapp/write_behind.hpp"

namespace arcd::cashapp {

namespace {
constexpr std::size_t kHandOver = 256;
}

WriteBehind::WriteBehind() : thread_([this] { loop(); }) { collecting_.reserve(kHandOver); }

WriteBehind::~WriteBehind() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  thread_.join();
}

void WriteBehind::post(std::function<void()> work) {
  collecting_.push_back(std::move(work));
  if (collecting_.size() >= kHandOver) submit();
}

void WriteBehind::submit() {
  if (collecting_.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      queue_.swap(collecting_);
    } else {
      for (auto& w : collecting_) queue_.push_back(std::move(w));
      collecting_.clear();
    }
  }
  changed_.notify_all();
  collecting_.reserve(kHandOver);
}

void WriteBehind::sync() {
  submit();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !busy_; });
  if (failure_) {
    auto f = failure_;
    failure_ = nullptr;
    std::rethrow_exception(f);
  }
}

void WriteBehind::loop() {
  std::vector<std::function<void()>> running;
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (closing_) return;
    running.swap(queue_);
    busy_ = true;
    const bool failed_before = failure_ != nullptr;
    lock.unlock();
    std::exception_ptr failed;
    if (!failed_before) {
      for (auto& work : running) {
        try {
          work();
        } catch (...) {
          failed = std::current_exception();
          break;
        }
      }
    }
    running.clear();
    lock.lock();
    if (failed && !failure_) failure_ = failed;
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace arcd::cashapp
