#include "fake_http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <optional>

namespace arcd::fakes {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string Request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string Request::path() const { return decode(target.substr(0, target.find('?'))); }

std::string Request::query(const std::string& name) const {
  const auto q = target.find('?');
  if (q == std::string::npos) return "";
  std::string_view rest(target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (decode(pair.substr(0, eq)) == name) return eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return "";
}

// Connections are served by a pool of threads that grows when all are busy and is reused
// after: a thread per connection made thread creation the fake's main cost under load.
struct FakeHttpServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread accept_thread;
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::shared_ptr<tcp::socket>> waiting;
  int idle = 0;
  std::vector<std::thread> workers;
  std::vector<std::weak_ptr<tcp::socket>> sockets;
  std::atomic<bool> stopping{false};
};

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)), impl_(std::make_unique<Impl>()) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([this] {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(impl_->io);
      beast::error_code ec;
      impl_->acceptor.accept(*socket, ec);
      if (ec || impl_->stopping) return;
      std::lock_guard lock(impl_->mutex);
      impl_->sockets.push_back(socket);
      impl_->waiting.push_back(socket);
      if (impl_->idle > 0) {
        impl_->ready.notify_one();
        continue;
      }
      impl_->workers.emplace_back([this] {
        for (;;) {
          std::shared_ptr<tcp::socket> next;
          {
            std::unique_lock wait_lock(impl_->mutex);
            ++impl_->idle;
            impl_->ready.wait(wait_lock, [&] { return impl_->stopping || !impl_->waiting.empty(); });
            --impl_->idle;
            if (impl_->waiting.empty()) return;
            next = std::move(impl_->waiting.front());
            impl_->waiting.pop_front();
          }
          serve(next);
        }
      });
    }
  });
}

void FakeHttpServer::serve(const std::shared_ptr<boost::asio::ip::tcp::socket>& socket) {
  {
      {
        beast::flat_buffer buffer;
        for (;;) {
          http::request<http::string_body> req;
          beast::error_code rec;
          http::read(*socket, buffer, req, rec);
          if (rec) break;
          Request r;
          r.method = std::string(req.method_string());
          r.target = std::string(req.target());
          r.body = req.body();
          for (const auto& f : req) {
            std::string name(f.name_string());
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            r.headers[name] = std::string(f.value());
          }
          const auto started = std::chrono::steady_clock::now();
          const int now = ++in_flight_;
          int seen = max_concurrent_.load();
          while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
          }
          auto fault = take_fault(r);
          Response resp;
          bool close_after = false;
          if (fault && fault->kind == FaultKind::reset_before) {
            --in_flight_;
            break;
          }
          if (fault && fault->kind == FaultKind::slow) std::this_thread::sleep_for(fault->delay);
          if (fault && fault->kind == FaultKind::status) {
            resp.status = fault->status;
            resp.content_type = "text/html";
            resp.body = "<html><body>" + std::to_string(fault->status) + " injected</body></html>";
          } else if (fault && fault->kind == FaultKind::rate_limit) {
            resp.status = 429;
            resp.content_type = "text/plain";
            resp.body = "Too Many Requests";
            resp.headers["Retry-After"] = std::to_string(fault->retry_after_seconds);
          } else {
            resp = handler_(r);
            if (fault && fault->kind == FaultKind::reset_after) close_after = true;
            if (fault && fault->kind == FaultKind::malformed) resp.body = "{\"jsonrpc\": \"2.0\", \"result\": [tru";
          }
          --in_flight_;
          ++served_;
          service_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
          if (close_after) break;  // the handler committed; the client never hears
          http::response<http::string_body> res{static_cast<http::status>(resp.status), req.version()};
          res.set(http::field::content_type, resp.content_type);
          for (const auto& [k, v] : resp.headers) res.set(k, v);
          res.keep_alive(req.keep_alive());
          res.body() = std::move(resp.body);
          res.prepare_payload();
          http::write(*socket, res, rec);
          if (rec || !req.keep_alive()) break;
        }
        beast::error_code ignored;
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
      }
  }
}

FakeHttpServer::~FakeHttpServer() {
  impl_->stopping = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
  // Wake the accept call.
  try {
    asio::io_context io;
    tcp::socket s(io);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  } catch (...) {
  }
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& weak : impl_->sockets) {
      if (auto s = weak.lock()) {
        s->shutdown(tcp::socket::shutdown_both, ec);
        s->close(ec);
      }
    }
    impl_->waiting.clear();
    workers = std::move(impl_->workers);
  }
  impl_->ready.notify_all();
  for (auto& t : workers) t.join();
}

std::string FakeHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeHttpServer::inject(const Fault& f) {
  std::lock_guard lock(faults_mutex_);
  faults_.push_back(f);
}

void FakeHttpServer::clear_faults() {
  std::lock_guard lock(faults_mutex_);
  faults_.clear();
}

std::optional<Fault> FakeHttpServer::take_fault(const Request& r) {
  std::lock_guard lock(faults_mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->match.empty() && r.target.find(it->match) == std::string::npos && r.body.find(it->match) == std::string::npos) continue;
    Fault f = *it;
    if (--it->times <= 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

}  // namespace arcd::fakes
