#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "app/timers.hpp"
#include "app/worker_pool.hpp"

using namespace std::chrono_literals;

namespace {

struct Rig {
  std::ostringstream log_text;
  std::shared_ptr<spdlog::logger> log =
      std::make_shared<spdlog::logger>("timers", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
  boost::asio::io_context io;
  arcd::app::WorkerPool workers{2, 16};
  std::unique_ptr<arcd::app::TimerRegistry> timers = std::make_unique<arcd::app::TimerRegistry>(io.get_executor(), workers, log);
  void run_for(std::chrono::milliseconds d) {
    io.restart();
    io.run_for(d);
  }
};

}  // namespace

TEST(Timers, RunOnTheWorkerPoolRepeatedly) {
  Rig r;
  std::atomic<int> runs{0};
  std::thread::id io_thread = std::this_thread::get_id();
  std::atomic<bool> ran_on_io{false};
  r.timers->add("erp.test", 20ms, 0ms, [&] {
    if (std::this_thread::get_id() == io_thread) ran_on_io = true;
    ++runs;
  });
  r.run_for(600ms);  // ~30 ticks; generous so a loaded CI machine still sees several
  r.workers.drain(1s);
  EXPECT_GE(runs.load(), 3);
  EXPECT_FALSE(ran_on_io.load());
  EXPECT_GE(r.timers->runs("erp.test"), 3u);
}

TEST(Timers, NamesAreUniqueAndCancelStopsEverything) {
  Rig r;
  std::atomic<int> runs{0};
  r.timers->add("a", 10ms, 0ms, [&] { ++runs; });
  EXPECT_THROW(r.timers->add("a", 10ms, 0ms, [] {}), std::exception);
  r.run_for(60ms);
  r.timers->cancel_all();
  r.run_for(10ms);
  r.workers.drain(1s);
  const int after_cancel = runs.load();
  r.run_for(80ms);
  r.workers.drain(1s);
  EXPECT_EQ(runs.load(), after_cancel);
  EXPECT_TRUE(r.timers->names().empty());
}

TEST(Timers, ASlowJobSkipsTicksInsteadOfPilingUp) {
  Rig r;
  std::atomic<int> running{0}, max_running{0};
  r.timers->add("slow", 10ms, 0ms, [&] {
    const int now = ++running;
    max_running = std::max(max_running.load(), now);
    std::this_thread::sleep_for(60ms);
    --running;
  });
  r.run_for(200ms);
  r.timers->cancel_all();
  r.workers.drain(2s);
  EXPECT_EQ(max_running.load(), 1);
  EXPECT_NE(r.log_text.str().find("TIMER_JOB_OVERRUN"), std::string::npos);
}

TEST(Timers, AJobThatThrowsIsLoggedAndRunsAgain) {
  Rig r;
  std::atomic<int> runs{0};
  r.timers->add("boom", 15ms, 0ms, [&] {
    ++runs;
    throw std::runtime_error("kaput");
  });
  r.run_for(300ms);
  r.timers->cancel_all();
  r.workers.drain(1s);
  EXPECT_GE(runs.load(), 2);
  EXPECT_NE(r.log_text.str().find("TIMER_JOB_FAILED timer=boom error=kaput"), std::string::npos);
}

TEST(WorkerPool, RefusesBeyondItsLimit) {
  arcd::app::WorkerPool pool(1, 2);
  std::atomic<bool> release{false};
  auto block = [&] {
    while (!release) std::this_thread::sleep_for(1ms);
  };
  EXPECT_TRUE(pool.try_post(block));
  EXPECT_TRUE(pool.try_post(block));
  EXPECT_FALSE(pool.try_post(block));
  release = true;
  EXPECT_TRUE(pool.drain(2s));
  EXPECT_TRUE(pool.try_post([] {}));
  pool.stop();
  EXPECT_FALSE(pool.try_post([] {}));
}
