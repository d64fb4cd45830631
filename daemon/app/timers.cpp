#include "app/timers.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <random>

#include "arcd/error.hpp"

namespace arcd::app {

struct TimerRegistry::Timer {
  std::string name;
  std::chrono::milliseconds period;
  std::chrono::milliseconds jitter;
  std::function<void()> job;
  boost::asio::steady_timer timer;
  std::atomic<bool> running{false};
  std::atomic<bool> cancelled{false};
  std::atomic<std::uint64_t> runs{0};
  Timer(boost::asio::any_io_executor io) : timer(io) {}
};

TimerRegistry::TimerRegistry(boost::asio::any_io_executor io, WorkerPool& workers, std::shared_ptr<spdlog::logger> log)
    : io_(std::move(io)), workers_(workers), log_(std::move(log)) {}

TimerRegistry::~TimerRegistry() { cancel_all(); }

void TimerRegistry::add(const std::string& name, std::chrono::milliseconds period, std::chrono::milliseconds jitter,
                        std::function<void()> job, std::chrono::milliseconds first_delay) {
  auto t = std::make_shared<Timer>(io_);
  t->name = name;
  t->period = period;
  t->jitter = jitter;
  t->job = std::move(job);
  {
    std::lock_guard lock(mutex_);
    if (!timers_.emplace(name, t).second) throw Error("TIMER_EXISTS", "a timer named " + name + " already exists");
  }
  arm(t, first_delay);
}

void TimerRegistry::arm(const std::shared_ptr<Timer>& t, std::chrono::milliseconds delay) {
  if (t->cancelled) return;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  if (t->jitter.count() > 0) delay += std::chrono::milliseconds(std::uniform_int_distribution<long long>(0, t->jitter.count())(rng));
  t->timer.expires_after(delay);
  t->timer.async_wait([this, t](const boost::system::error_code& ec) {
    if (ec || t->cancelled) return;
    if (t->running.exchange(true)) {
      log_->warn("TIMER_JOB_OVERRUN timer={} previous run still busy, tick skipped", t->name);
    } else {
      const bool posted = workers_.try_post([this, t] {
        try {
          t->job();
        } catch (const std::exception& e) {
          log_->error("TIMER_JOB_FAILED timer={} error={}", t->name, e.what());
        }
        ++t->runs;
        t->running = false;
      });
      if (!posted) {
        t->running = false;
        log_->warn("WORKER_QUEUE_FULL timer={} tick skipped", t->name);
      }
    }
    arm(t, t->period);
  });
}

void TimerRegistry::cancel_all() {
  std::map<std::string, std::shared_ptr<Timer>> timers;
  {
    std::lock_guard lock(mutex_);
    timers.swap(timers_);
  }
  for (auto& [name, t] : timers) {
    t->cancelled = true;
    // The timer belongs to the io executor; cancel there to avoid racing its handler.
    boost::asio::post(io_, [t] { t->timer.cancel(); });
  }
}

std::vector<std::string> TimerRegistry::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [n, t] : timers_) out.push_back(n);
  return out;
}

std::uint64_t TimerRegistry::runs(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = timers_.find(name);
  return it == timers_.end() ? 0 : it->second->runs.load();
}

}  // namespace arcd::app
