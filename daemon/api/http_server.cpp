#include "api/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <mutex>
#include <set>

#include "arcd/error.hpp"

namespace arcd::api {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

HttpRequest to_request(const http::request<http::string_body>& req, const std::string& remote, bool trust_proxy, bool tls) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  const auto q = r.target.find('?');
  r.path = percent_decode(std::string_view(r.target).substr(0, q), false);
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(r.target).substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      auto pair = rest.substr(0, amp);
      auto eq = pair.find('=');
      r.query[percent_decode(pair.substr(0, eq), true)] =
          eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = req.body();
  r.remote = remote;
  r.secure = tls;
  if (trust_proxy) {
    const std::string forwarded = r.header("x-forwarded-for");
    if (!forwarded.empty()) {
      auto last = forwarded.substr(forwarded.rfind(',') == std::string::npos ? 0 : forwarded.rfind(',') + 1);
      last.erase(0, last.find_first_not_of(' '));
      if (!last.empty()) r.remote = last;
    }
    r.secure = tls || r.header("x-forwarded-proto") == "https";
  }
  return r;
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor io;
  PostBlocking post_blocking;
  std::shared_ptr<const Router> router;
  std::mutex router_mutex;
  Metrics& metrics;
  HttpServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  Gate gate;
  tcp::acceptor acceptor;
  std::unique_ptr<asio::ssl::context> tls;  // set when http.tls_cert_file is configured
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::set<std::shared_ptr<beast::tcp_stream>> sessions;  // the TCP layer of every connection, to cancel on stop

  Impl(asio::any_io_executor e, PostBlocking p, std::shared_ptr<const Router> r, Metrics& m, HttpServerOptions o,
       std::shared_ptr<spdlog::logger> l, Gate g)
      : io(e), post_blocking(std::move(p)), router(std::move(r)), metrics(m), options(std::move(o)), log(std::move(l)), gate(std::move(g)), acceptor(e) {}

  std::shared_ptr<const Router> current_router() {
    std::lock_guard lock(router_mutex);
    return router;
  }

  HttpResponse call_handler(const Route& route, HttpRequest& req) {
    try {
      if (route.access.is_public) return route.handler(req);
      if (!gate) return problem(401, "unauthenticated", "this server has no way to check tokens");
      return gate(route, req);
    } catch (const std::exception& e) {
      log->error("HTTP_HANDLER_FAILED method={} route={} error={}", req.method, route.pattern, e.what());
      return problem(500, "internal_error", "the server failed to handle the request; see the log");
    }
  }

  // A request travelling to the blocking pool and back.
  struct BlockingCall {
    std::shared_ptr<Impl> self;
    const Route* route;
    HttpRequest req;
    std::shared_ptr<const Router> keep;  // the routing table the route belongs to
  };

  // The initiation of on_workers as a named functor holding only a shared_ptr: GCC 12
  // mishandles lambdas with init-captures handed to asio's coroutine initiation.
  struct StartBlockingCall {
    std::shared_ptr<BlockingCall> call;
    template <class Handler>
    void operator()(Handler handler) const {
      auto h = std::make_shared<Handler>(std::move(handler));
      auto c = call;
      auto answer = std::make_shared<HttpResponse>();
      const bool accepted = c->self->post_blocking([c, answer] { *answer = c->self->call_handler(*c->route, c->req); },
                                                   // after the slot is free: a client's next request finds room
                                                   [h, answer] {
                                                     auto ex = asio::get_associated_executor(*h);
                                                     asio::post(ex, [h, answer] { (*h)(std::move(*answer)); });
                                                   });
      if (!accepted) {
        c->self->log->warn("HTTP_OVERLOADED route={} worker queue full", c->route->pattern);
        auto ex = asio::get_associated_executor(*h);
        asio::post(ex, [h] {
          auto resp = problem(503, "overloaded", "the server is busy; retry shortly");
          resp.headers.emplace_back("Retry-After", "1");
          (*h)(std::move(resp));
        });
      }
    }
  };

  // Runs a handler on the blocking pool and resumes the coroutine on its own strand.
  asio::awaitable<HttpResponse> on_workers(const Route& route, HttpRequest req, std::shared_ptr<const Router> keep) {
    auto call = std::make_shared<BlockingCall>(BlockingCall{shared_from_this(), &route, std::move(req), std::move(keep)});
    return asio::async_initiate<decltype(asio::use_awaitable), void(HttpResponse)>(StartBlockingCall{std::move(call)},
                                                                                    asio::use_awaitable);
  }

  asio::awaitable<std::pair<HttpResponse, std::string>> dispatch(HttpRequest req) {
    auto r = current_router();
    auto m = r->match(req);
    if (!m.route) {
      if (m.path_known) co_return std::pair{problem(405, "method_not_allowed", req.method + " is not allowed on " + req.path), std::string("unmatched")};
      co_return std::pair{problem(404, "not_found", "no resource at " + req.path), std::string("unmatched")};
    }
    const Route& route = *m.route;
    if (route.run_on == RunOn::io) co_return std::pair{call_handler(route, req), route.pattern};
    // GCC 12 miscompiles co_await inside braced initializers: keep it a statement of its own.
    HttpResponse resp = co_await on_workers(route, std::move(req), r);
    co_return std::pair{std::move(resp), route.pattern};
  }

  template <class Stream>
  asio::awaitable<void> write(Stream& stream, const HttpResponse& resp, unsigned version, bool keep_alive, bool head) {
    http::response<http::string_body> res{static_cast<http::status>(resp.status), version};
    res.set(http::field::server, "arcd");
    res.set(http::field::content_type, resp.content_type);
    res.set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : resp.headers) res.set(k, v);
    res.keep_alive(keep_alive);
    res.body() = resp.body;
    res.prepare_payload();
    if (head) res.body().clear();  // Content-Length stays that of the GET
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(options.write_timeout_seconds));
    http::response_serializer<http::string_body> sr{res};
    if (head) {
      co_await http::async_write_header(stream, sr, use_tuple);
    } else {
      co_await http::async_write(stream, res, use_tuple);
    }
  }

  // One connection: plain TCP (beast::tcp_stream) or TLS (beast::ssl_stream over one).
  template <class Stream>
  asio::awaitable<void> session(std::shared_ptr<Stream> stream, std::shared_ptr<beast::tcp_stream> tcp_layer) {
    auto self = shared_from_this();  // outlive the server object while the connection lasts
    constexpr bool over_tls = !std::is_same_v<Stream, beast::tcp_stream>;
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = tcp_layer->socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    if constexpr (over_tls) {
      tcp_layer->expires_after(std::chrono::seconds(options.read_timeout_seconds));
      auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::server, use_tuple);
      if (ec) {
        log->debug("HTTP_TLS_HANDSHAKE_FAILED remote={} error={}", remote, ec.message());
        std::lock_guard lock(sessions_mutex);
        sessions.erase(tcp_layer);
        co_return;
      }
    }
    beast::flat_buffer buffer;
    for (int served = 0; served < options.max_requests_per_connection && !stopping; ++served) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit_bytes));
      parser.body_limit(options.body_limit_bytes);
      tcp_layer->expires_after(std::chrono::seconds(served == 0 ? options.read_timeout_seconds : options.idle_timeout_seconds));
      auto [ec, n] = co_await http::async_read(*stream, buffer, parser, use_tuple);
      (void)n;
      if (ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof) {
          break;
        }
        // Malformed or over-limit requests get an answer, then the connection closes.
        HttpResponse resp = ec == http::error::body_limit
                                ? problem(413, "body_too_large", "the request body is over " + std::to_string(options.body_limit_bytes) + " bytes")
                            : ec == http::error::header_limit
                                ? problem(431, "headers_too_large", "the request headers are over " + std::to_string(options.header_limit_bytes) + " bytes")
                                : problem(400, "bad_request", "malformed HTTP request: " + ec.message());
        metrics.observe_request("?", "unparsed", resp.status, std::chrono::microseconds(0));
        co_await write(*stream, resp, 11, false, false);
        break;
      }
      const auto started = std::chrono::steady_clock::now();
      auto req = parser.release();
      const bool keep_alive = req.keep_alive() && served + 1 < options.max_requests_per_connection && !stopping;
      const bool head = req.method() == http::verb::head;
      auto dispatched = co_await dispatch(to_request(req, remote, options.trust_proxy, over_tls));
      auto& [resp, route] = dispatched;
      // Counted before the write, so a client that has its answer also sees it in /metrics.
      metrics.observe_request(std::string(req.method_string()), route, resp.status,
                              std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
      co_await write(*stream, resp, req.version(), keep_alive, head);
      if (!keep_alive) break;
    }
    if constexpr (over_tls) {
      tcp_layer->expires_after(std::chrono::seconds(5));
      co_await stream->async_shutdown(use_tuple);  // close_notify; a peer that is gone is fine
    }
    boost::system::error_code ignored;
    tcp_layer->socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::lock_guard lock(sessions_mutex);
    sessions.erase(tcp_layer);
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || stopping) break;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      auto executor = socket.get_executor();
      std::shared_ptr<beast::tcp_stream> tcp_layer;
      if (tls) {
        auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), *tls);
        tcp_layer = std::shared_ptr<beast::tcp_stream>(stream, &beast::get_lowest_layer(*stream));  // shares the owner
        {
          std::lock_guard lock(sessions_mutex);
          sessions.insert(tcp_layer);
        }
        asio::co_spawn(executor, session(stream, tcp_layer), asio::detached);
      } else {
        auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
        {
          std::lock_guard lock(sessions_mutex);
          sessions.insert(stream);
        }
        asio::co_spawn(executor, session(stream, stream), asio::detached);
      }
    }
  }
};

HttpServer::HttpServer(asio::any_io_executor io, PostBlocking post_blocking, std::shared_ptr<const Router> router,
                       Metrics& metrics, HttpServerOptions options, std::shared_ptr<spdlog::logger> log, Gate gate)
    : impl_(std::make_shared<Impl>(io, std::move(post_blocking), std::move(router), metrics, std::move(options), std::move(log),
                                   std::move(gate))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  auto& o = impl_->options;
  boost::system::error_code ec;
  if (!o.tls_cert_file.empty()) {
    // TLS 1.2 and later only; the key file may be a systemd credential.
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                     asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    ctx->use_certificate_chain_file(o.tls_cert_file, ec);
    if (ec) throw Error("HTTP_TLS", "cannot read the certificate chain " + o.tls_cert_file + ": " + ec.message());
    ctx->use_private_key_file(o.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) throw Error("HTTP_TLS", "cannot read the private key " + o.tls_key_file + ": " + ec.message());
    impl_->tls = std::move(ctx);
  }
  auto address = asio::ip::make_address(o.listen_address, ec);
  if (ec) throw Error("HTTP_BIND", "'" + o.listen_address + "' is not an IP address");
  tcp::endpoint ep{address, static_cast<unsigned short>(o.port)};
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw Error("HTTP_BIND", "cannot listen on " + o.listen_address + ":" + std::to_string(o.port) + ": " + ec.message());
  impl_->log->info("HTTP_LISTENING address={} port={} tls={}", o.listen_address, port(), impl_->tls ? "on" : "off");
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(), asio::detached);
}

unsigned short HttpServer::port() const {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::stop() {
  if (impl_->stopping.exchange(true)) return;
  auto impl = impl_;
  asio::post(impl->acceptor.get_executor(), [impl] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
  });
  std::lock_guard lock(impl->sessions_mutex);
  for (const auto& s : impl->sessions) {
    asio::post(s->get_executor(), [s] { s->cancel(); });
  }
}

void HttpServer::set_router(std::shared_ptr<const Router> router) {
  std::lock_guard lock(impl_->router_mutex);
  impl_->router = std::move(router);
}

}  // namespace arcd::api
