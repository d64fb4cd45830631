#include "connectors/http_lanes.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <boost/fiber/all.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>

#include "arcd/error.hpp"
#include "connectors/http_transfer.hpp"

namespace arcd::connectors {
namespace {

// A lane's stack: guarded, and large enough for JSON parsing and logging; pages are touched
// only as used, so the size costs address space, not memory.
constexpr std::size_t kLaneStack = 1024 * 1024;
// How long the driver waits for the network at most when libcurl has no timer sooner.
constexpr int kPollMillis = 1000;

struct Transfer {
  boost::fibers::promise<CURLcode> done;
};

}  // namespace

struct HttpLanes::Impl {
  CURLM* multi = nullptr;
  int epoll_fd = -1;
  // When libcurl wants to be called for its own timers (connect and request timeouts, a
  // transfer just added); none while it has no timer set.
  std::optional<std::chrono::steady_clock::time_point> timer_due;
  boost::fibers::fiber::id driver;
  int in_flight = 0;
  int peak = 0;

  CURLcode perform(CURL* easy) {
    Transfer t;
    auto result = t.done.get_future();
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &t);
    if (const CURLMcode mc = curl_multi_add_handle(multi, easy); mc != CURLM_OK) {
      throw Error("HTTP_MULTI", std::string("libcurl refused a transfer: ") + curl_multi_strerror(mc));
    }
    peak = std::max(peak, ++in_flight);
    return result.get();  // suspends this lane until the driver has seen the transfer end
  }

  // libcurl says which sockets to watch for what (the multi socket interface): only the
  // transfers whose socket is ready are then touched, not every transfer on every wake-up.
  static int on_socket(CURL*, curl_socket_t s, int what, void* self_ptr, void*) {
    const int fd = static_cast<Impl*>(self_ptr)->epoll_fd;
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(fd, EPOLL_CTL_DEL, s, nullptr);  // may already be gone with a closed socket
      return 0;
    }
    epoll_event ev{};
    ev.data.fd = s;
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    if (epoll_ctl(fd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT) epoll_ctl(fd, EPOLL_CTL_ADD, s, &ev);
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* self_ptr) {
    auto* self = static_cast<Impl*>(self_ptr);
    if (timeout_ms < 0) {
      self->timer_due.reset();
    } else {
      self->timer_due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
  }

  void run_timers_if_due() {
    if (!timer_due || *timer_due > std::chrono::steady_clock::now()) return;
    timer_due.reset();
    int running = 0;
    curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
  }

  // Hands every finished transfer back to its lane; says whether there was one.
  bool finish_done() {
    bool any = false;
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      CURL* easy = m->easy_handle;
      const CURLcode rc = m->data.result;
      Transfer* t = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
      // Off the multi handle before its lane goes on: the lane reuses the easy handle.
      curl_multi_remove_handle(multi, easy);
      --in_flight;
      t->done.set_value(rc);
      any = true;
    }
    return any;
  }

  // Moves the transfers forward until one has finished or the network was waited for once.
  void step() {
    run_timers_if_due();
    if (finish_done() || in_flight == 0) return;
    int wait_ms = kPollMillis;
    if (timer_due) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*timer_due - std::chrono::steady_clock::now()).count();
      wait_ms = static_cast<int>(std::clamp<long long>(left, 0, kPollMillis));
    }
    std::array<epoll_event, 64> ready{};
    const int n = epoll_wait(epoll_fd, ready.data(), static_cast<int>(ready.size()), wait_ms);
    for (int i = 0; i < n; ++i) {
      const auto e = ready[static_cast<std::size_t>(i)].events;
      const int flags = ((e & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((e & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
                        ((e & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
      int running = 0;
      curl_multi_socket_action(multi, ready[static_cast<std::size_t>(i)].data.fd, flags, &running);
    }
    run_timers_if_due();
    finish_done();
  }
};

namespace {
thread_local HttpLanes::Impl* running_lanes = nullptr;
}  // namespace

CURLcode perform_transfer(CURL* easy) {
  HttpLanes::Impl* lanes = running_lanes;
  if (lanes && boost::this_fiber::get_id() != lanes->driver) return lanes->perform(easy);
  return curl_easy_perform(easy);
}

HttpLanes::HttpLanes() : impl_(std::make_unique<Impl>()) {
  impl_->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (impl_->epoll_fd < 0) throw Error("HTTP_INIT", std::string("epoll_create1: ") + std::strerror(errno));
  impl_->multi = curl_multi_init();
  if (!impl_->multi) {
    close(impl_->epoll_fd);
    throw Error("HTTP_INIT", "libcurl could not create a multi handle");
  }
  curl_multi_setopt(impl_->multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
  curl_multi_setopt(impl_->multi, CURLMOPT_SOCKETDATA, impl_.get());
  curl_multi_setopt(impl_->multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
  curl_multi_setopt(impl_->multi, CURLMOPT_TIMERDATA, impl_.get());
  // Idle connections kept for the next run: enough for every lane of a busy target.
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, 128L);
}

HttpLanes::~HttpLanes() {
  curl_multi_cleanup(impl_->multi);
  close(impl_->epoll_fd);
}

int HttpLanes::peak_in_flight() const { return impl_->peak; }

void HttpLanes::run(std::vector<std::function<void()>> jobs) {
  if (running_lanes) throw Error("HTTP_LANES", "lanes cannot run inside lanes");
  struct Running {
    explicit Running(Impl* impl) { running_lanes = impl; }
    ~Running() { running_lanes = nullptr; }
  } running(impl_.get());
  impl_->driver = boost::this_fiber::get_id();
  impl_->peak = 0;
  int alive = 0;
  std::exception_ptr first_error;
  std::vector<boost::fibers::fiber> fibers;
  fibers.reserve(jobs.size());
  try {
    for (auto& job : jobs) {
      fibers.emplace_back(std::allocator_arg, boost::fibers::protected_fixedsize_stack(kLaneStack), [&alive, &first_error, &job] {
        try {
          job();
        } catch (...) {
          if (!first_error) first_error = std::current_exception();
        }
        --alive;
      });
      ++alive;
    }
  } catch (...) {
    // No stack for another lane: the ones started still finish, then the failure is reported.
    first_error = std::current_exception();
  }
  // The lanes and this driver share the thread under Boost.Fiber's round-robin scheduler:
  // yielding lets every ready lane run until it waits on a transfer (or ends), so when the
  // driver is back all the work there is sits on the multi handle.
  while (alive > 0) {
    boost::this_fiber::yield();
    if (alive > 0) impl_->step();
  }
  for (auto& f : fibers) f.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace arcd::connectors
