#pragma once
// The bounded pool for blocking work (database, parsing, matching): io threads never block.
// At most `queue_limit` jobs are queued or running; try_post refuses beyond that so callers
// can answer 503 or skip a tick instead of piling up.

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace boost::asio {
class thread_pool;
}

namespace arcd::app {

class WorkerPool {
 public:
  WorkerPool(int threads, int queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `job` on a worker, then `done` (if given) after the job's slot is released, so whoever
  // `done` notifies can post again at once. False (nothing runs) when the queue is full or the
  // pool stopped. A job that throws is caught; jobs report their own errors.
  bool try_post(std::function<void()> job, std::function<void()> done = {});
  std::size_t in_flight() const noexcept { return in_flight_.load(); }
  std::size_t limit() const noexcept { return limit_; }
  // Waits until no job is queued or running, at most `timeout`. True when idle.
  bool drain(std::chrono::milliseconds timeout);
  // Refuses new jobs and joins the threads (waits for running jobs).
  void stop();
  boost::asio::any_io_executor executor();

 private:
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::size_t limit_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::condition_variable idle_;
};

}  // namespace arcd::app
