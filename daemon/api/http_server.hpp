#pragma once
// The HTTP/1.1 server (Boost.Beast, C++20 coroutines). Every connection has a strand, a
// timeout on each read and write, header and body limits, and a cap on requests per
// connection. Handlers marked RunOn::worker run on the blocking pool, never on an io thread.

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace arcd::api {

struct HttpServerOptions {
  bool enabled = true;
  std::string listen_address = "127.0.0.1";
  int port = 8470;  // 0: any free port (tests)
  std::size_t body_limit_bytes = 10u << 20;
  std::size_t header_limit_bytes = 16u << 10;
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int max_requests_per_connection = 1000;
  // Behind a reverse proxy on this host: the client address is the last X-Forwarded-For
  // entry and X-Forwarded-Proto: https marks the request secure (cookies get Secure).
  bool trust_proxy = false;
  // HTTPS on the listening port: a PEM certificate chain and its private key. Empty: plain
  // HTTP (on loopback, or behind a reverse proxy that terminates TLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  // How long a token's check is remembered (api/authenticator.hpp): a revoked token stops
  // working within this many seconds.
  int token_cache_seconds = 5;
  // How long a GET's answer is reused (api/response_cache.hpp); 0 turns the cache off.
  int response_cache_ms = 1000;
};

// Runs a non-public route's handler: authentication, roles, CSRF, idempotency, audit
// (api/gate.hpp). Without one, non-public routes answer 401.
using Gate = std::function<HttpResponse(const Route&, HttpRequest&)>;

// Runs `job` on the blocking pool, then `done` once the job's slot is free again; false when
// the pool refuses it (full or stopping).
using PostBlocking = std::function<bool(std::function<void()> job, std::function<void()> done)>;

class HttpServer {
 public:
  HttpServer(boost::asio::any_io_executor io, PostBlocking post_blocking, std::shared_ptr<const Router> router,
             Metrics& metrics, HttpServerOptions options, std::shared_ptr<spdlog::logger> log, Gate gate = {});
  ~HttpServer();
  // Binds and starts accepting. Throws arcd::Error HTTP_BIND naming the address.
  void start();
  unsigned short port() const;
  // Stops accepting and closes every open connection.
  void stop();
  // Swaps the routing table (SIGHUP); requests in flight keep the old one.
  void set_router(std::shared_ptr<const Router> router);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace arcd::api
