#pragma once
// A small HTTP/1.1 server on 127.0.0.1 (port 0: the OS picks) for the fake ERPs: Beast, one
// thread per connection, keep-alive. Faults are injected per request on demand: an HTTP error
// status, 429 with Retry-After, a slow answer, the connection reset before or after the
// handler ran (the ERP committed, the client never heard), or a body that is not JSON.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace arcd::fakes {

struct Request {
  std::string method;
  std::string target;  // path and query, as sent
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& name) const;
  std::string path() const;                    // target without the query
  std::string query(const std::string& name) const;  // percent-decoded, "" when absent
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
};

enum class FaultKind { status, rate_limit, slow, reset_before, reset_after, malformed };

struct Fault {
  FaultKind kind = FaultKind::status;
  int status = 503;                 // for `status`
  int retry_after_seconds = 1;      // for `rate_limit`
  std::chrono::milliseconds delay{0};  // for `slow`
  std::string match;                // only requests whose target or body contains this ("" = any)
  int times = 1;                    // how many requests it hits
};

class FakeHttpServer {
 public:
  using Handler = std::function<Response(const Request&)>;
  explicit FakeHttpServer(Handler handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string base_url() const;  // "http://127.0.0.1:<port>"
  unsigned short port() const { return port_; }
  void inject(const Fault& f);
  void clear_faults();
  int requests_served() const { return served_.load(); }
  int max_concurrent() const { return max_concurrent_.load(); }
  // The time requests spent being answered (read to answer), summed over all requests: over a
  // stretch of wall time, how many the fake was serving on average.
  std::chrono::nanoseconds service_time() const { return std::chrono::nanoseconds(service_ns_.load()); }

 private:
  struct Impl;
  void serve(const std::shared_ptr<boost::asio::ip::tcp::socket>& socket);
  std::optional<Fault> take_fault(const Request& r);
  Handler handler_;
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
  std::mutex faults_mutex_;
  std::vector<Fault> faults_;
  std::atomic<int> served_{0}, in_flight_{0}, max_concurrent_{0};
  std::atomic<std::int64_t> service_ns_{0};
};

}  // namespace arcd::fakes
