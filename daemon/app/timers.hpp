#pragma once
// Named periodic timers (ERP polling, statement pickup, dunning run, treasury push): each tick
// runs its job on the worker pool, never on an io thread; a job still running at its next tick
// skips that tick; each period gets a random jitter so several daemons do not fire in step.
// cancel_all() stops every timer as a unit (reload, stop).

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "app/worker_pool.hpp"

namespace arcd::app {

class TimerRegistry {
 public:
  TimerRegistry(boost::asio::any_io_executor io, WorkerPool& workers, std::shared_ptr<spdlog::logger> log);
  ~TimerRegistry();

  // Starts a timer whose first tick comes after `first_delay`. Throws arcd::Error TIMER_EXISTS
  // when the name is taken.
  void add(const std::string& name, std::chrono::milliseconds period, std::chrono::milliseconds jitter,
           std::function<void()> job, std::chrono::milliseconds first_delay = std::chrono::milliseconds(0));
  void cancel_all();
  std::vector<std::string> names() const;
  // How often a timer's job has completed (for tests and metrics).
  std::uint64_t runs(const std::string& name) const;

 private:
  struct Timer;
  void arm(const std::shared_ptr<Timer>& t, std::chrono::milliseconds delay);
  boost::asio::any_io_executor io_;
  WorkerPool& workers_;
  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Timer>> timers_;
};

}  // namespace arcd::app
