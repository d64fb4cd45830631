#include "app/worker_pool.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace arcd::app {

WorkerPool::WorkerPool(int threads, int queue_limit)
    : pool_(std::make_unique<boost::asio::thread_pool>(static_cast<std::size_t>(threads))),
      limit_(static_cast<std::size_t>(queue_limit)) {}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_post(std::function<void()> job, std::function<void()> done) {
  if (stopped_) return false;
  std::size_t n = in_flight_.load();
  do {
    if (n >= limit_) return false;
  } while (!in_flight_.compare_exchange_weak(n, n + 1));
  boost::asio::post(*pool_, [this, job = std::move(job), done = std::move(done)] {
    try {
      job();
    } catch (...) {
      // Jobs log their own failures; nothing may escape into the pool's thread.
    }
    if (in_flight_.fetch_sub(1) == 1) {
      std::lock_guard lock(mutex_);
      idle_.notify_all();
    }
    if (done) done();
  });
  return true;
}

bool WorkerPool::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return in_flight_.load() == 0; });
}

void WorkerPool::stop() {
  stopped_ = true;
  if (pool_) pool_->join();
}

boost::asio::any_io_executor WorkerPool::executor() { return pool_->get_executor(); }

}  // namespace arcd::app
