#include <curl/curl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/asio.hpp>

#include <atomic>
#include <sstream>
#include <thread>

#include "api/http_server.hpp"
#include "app/worker_pool.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;

namespace {

struct Reply {
  long status = 0;
  std::string body;
  std::string headers;
};

size_t collect(char* p, size_t s, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, s * n);
  return s * n;
}

Reply request(unsigned short port, const std::string& method, const std::string& path, const std::string& body = "",
              std::vector<std::string> extra_headers = {}) {
  Reply r;
  CURL* c = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (!body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_slist* hs = nullptr;
  for (const auto& h : extra_headers) hs = curl_slist_append(hs, h.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  return r;
}

struct Server {
  std::ostringstream log_text;
  boost::asio::io_context io;
  app::WorkerPool workers{1, 1};
  api::Metrics metrics;
  std::unique_ptr<api::HttpServer> server;
  std::vector<std::thread> threads;
  std::atomic<bool> release{false};
  std::atomic<int> worker_calls{0};

  explicit Server(std::function<void(api::HttpServerOptions&)> tweak = {}) {
    auto router = std::make_shared<api::Router>();
    router->add("GET", "/io", api::RunOn::io, [](api::HttpRequest& r) {
      return api::json_response(200, "{\"q\":\"" + r.query["q"] + "\"}");
    });
    router->add("GET", "/items/{id}", api::RunOn::worker, [this](api::HttpRequest& r) {
      ++worker_calls;
      return api::json_response(200, "{\"id\":\"" + r.params["id"] + "\"}");
    });
    router->add("POST", "/echo", api::RunOn::worker, [](api::HttpRequest& r) { return api::json_response(201, r.body); });
    router->add("GET", "/boom", api::RunOn::worker, [](api::HttpRequest&) -> api::HttpResponse { throw std::runtime_error("kaput"); });
    router->add("GET", "/block", api::RunOn::worker, [this](api::HttpRequest&) {
      while (!release) std::this_thread::sleep_for(1ms);
      return api::json_response(200, "{}");
    });
    router->add("GET", "/private", api::RunOn::worker, [](api::HttpRequest&) { return api::json_response(200, "{}"); });
    // Everything but /private is public here: the gate has tests of its own.
    for (const auto& r : router->routes())
      if (r.pattern != "/private") router->set_access(r.method, r.pattern, {true, Role::viewer});
    api::HttpServerOptions o;
    o.port = 0;
    o.body_limit_bytes = 1024;
    o.header_limit_bytes = 2048;
    if (tweak) tweak(o);
    auto log = std::make_shared<spdlog::logger>("api", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
    server = std::make_unique<api::HttpServer>(
        io.get_executor(), [this](std::function<void()> j, std::function<void()> d) { return workers.try_post(std::move(j), std::move(d)); }, router, metrics, o, log);
    server->start();
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~Server() {
    release = true;
    server->stop();
    workers.drain(2s);
    io.stop();
    for (auto& t : threads) t.join();
  }
  unsigned short port() const { return server->port(); }
};

}  // namespace

TEST(HttpServer, RoutesOnIoAndWorkerThreads) {
  Server s;
  auto r = request(s.port(), "GET", "/io?q=a%20b+c");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"q":"a b c"})");
  r = request(s.port(), "GET", "/items/42");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"id":"42"})");
  r = request(s.port(), "POST", "/echo", R"({"x":1})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"({"x":1})");
}

TEST(HttpServer, ProblemDetailsForUnknownPathsMethodsAndFailures) {
  Server s;
  auto r = request(s.port(), "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.headers.find("application/problem+json"), std::string::npos);
  EXPECT_NE(r.body.find("\"code\":\"not_found\""), std::string::npos);
  EXPECT_EQ(request(s.port(), "DELETE", "/io").status, 405);
  r = request(s.port(), "GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("kaput"), std::string::npos);  // internals stay in the log
  EXPECT_NE(s.log_text.str().find("HTTP_HANDLER_FAILED"), std::string::npos);
  EXPECT_EQ(request(s.port(), "GET", "/io").status, 200);  // still serving
}

TEST(HttpServer, LimitsOnBodyAndHeaders) {
  Server s;
  auto r = request(s.port(), "POST", "/echo", std::string(5000, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("body_too_large"), std::string::npos);
  r = request(s.port(), "GET", "/io", "", {"X-Big: " + std::string(4000, 'y')});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(request(s.port(), "GET", "/io").status, 200);
}

TEST(HttpServer, HeadHasNoBody) {
  Server s;
  auto r = request(s.port(), "HEAD", "/io");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_NE(r.headers.find("Content-Length: 8"), std::string::npos) << r.headers;
}

TEST(HttpServer, FullWorkerQueueAnswers503WithRetryAfter) {
  Server s;  // one worker, queue limit one
  std::thread blocker([&] { request(s.port(), "GET", "/block"); });
  while (s.workers.in_flight() == 0) std::this_thread::sleep_for(1ms);
  auto r = request(s.port(), "GET", "/items/1");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.headers.find("Retry-After: 1"), std::string::npos);
  s.release = true;
  blocker.join();
  EXPECT_EQ(request(s.port(), "GET", "/items/1").status, 200);
}

TEST(HttpServer, ServesHttpsWithTheConfiguredCertificate) {
  test::TempDir dir;
  const auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
                           key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(make.c_str()), 0);
  Server s([&](api::HttpServerOptions& o) {
    o.tls_cert_file = cert;
    o.tls_key_file = key;
  });
  Reply r;
  CURL* c = curl_easy_init();
  const std::string url = "https://127.0.0.1:" + std::to_string(s.port()) + "/items/7";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CAINFO, cert.c_str());  // verified against the certificate, not skipped
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  ASSERT_EQ(curl_easy_perform(c), CURLE_OK);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(c);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"id":"7"})");
  // Plain HTTP on the TLS port gets no answer.
  EXPECT_NE(request(s.port(), "GET", "/items/7").status, 200);
  EXPECT_NE(s.log_text.str().find("tls=on"), std::string::npos);
}

TEST(HttpServer, ANonPublicRouteWithoutAGateIsRefused) {
  Server s;
  auto r = request(s.port(), "GET", "/private");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("unauthenticated"), std::string::npos);
}

TEST(HttpServer, MalformedRequestGets400) {
  Server s;
  // A raw socket: libcurl will not send garbage.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
  const std::string garbage = "NOT HTTP AT ALL\r\n\r\n";
  boost::asio::write(sock, boost::asio::buffer(garbage));
  std::string reply(512, '\0');
  boost::system::error_code ec;
  const auto n = sock.read_some(boost::asio::buffer(reply), ec);
  reply.resize(n);
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
}

TEST(HttpServer, CountsRequestsPerRouteInMetrics) {
  Server s;
  request(s.port(), "GET", "/items/1");
  request(s.port(), "GET", "/items/2");
  request(s.port(), "GET", "/nope");
  const auto text = s.metrics.render();
  EXPECT_NE(text.find("arcd_http_requests_total{method=\"GET\",route=\"/items/{id}\",status=\"200\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("status=\"404\"} 1"), std::string::npos);
}
