#include "app/daemon.hpp"

#include <boost/asio.hpp>
#include <curl/curl.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "api/ar_routes.hpp"
#include "api/forecast_routes.hpp"
#include "api/gate.hpp"
#include "api/http_server.hpp"
#include "api/openapi_roles.hpp"
#include "web/dashboard_routes.hpp"
#include "api/cash_routes.hpp"
#include "api/outbox_routes.hpp"
#include "api/collections_routes.hpp"
#include "api/statement_routes.hpp"
#include "app/cashapp_service.hpp"
#include "app/collections_service.hpp"
#include "api/system_routes.hpp"
#include "app/connector_jobs.hpp"
#include "app/outbox_service.hpp"
#include "app/logging.hpp"
#include "app/sd_notify.hpp"
#include "app/timers.hpp"
#include "app/worker_pool.hpp"
#include "arcd/error.hpp"
#include "arcd/version.hpp"

namespace arcd::app {
namespace asio = boost::asio;

namespace {

// What a stop or reload request asks the main thread to do.
class Requests {
 public:
  void stop() { set([this] { stop_ = true; }); }
  void reload() { set([this] { ++reloads_; }); }
  // Waits for a request; true for stop, false for a reload.
  bool wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return stop_ || reloads_ > 0; });
    if (stop_) return true;
    --reloads_;
    return false;
  }

 private:
  template <class F>
  void set(F f) {
    std::lock_guard lock(mutex_);
    f();
    cv_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  int reloads_ = 0;
};

void watch_signals(asio::signal_set& signals, Requests& requests) {
  signals.async_wait([&signals, &requests](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) requests.reload();
    else requests.stop();
    watch_signals(signals, requests);
  });
}

// Warns when the io_context takes more than 100 ms to run a posted probe: something blocks.
void probe_io(asio::steady_timer& timer, asio::io_context& io, spdlog::logger& log) {
  timer.expires_after(std::chrono::seconds(1));
  timer.async_wait([&timer, &io, &log](const boost::system::error_code& ec) {
    if (ec) return;
    const auto sent = std::chrono::steady_clock::now();
    asio::post(io, [sent, &log] {
      const auto lag = std::chrono::steady_clock::now() - sent;
      if (lag > std::chrono::milliseconds(100)) {
        log.warn("IO_STALL lag_ms={}", std::chrono::duration_cast<std::chrono::milliseconds>(lag).count());
      }
    });
    probe_io(timer, io, log);
  });
}

void keep_watchdog(asio::steady_timer& timer, std::chrono::microseconds interval, spdlog::logger& log) {
  timer.expires_after(interval / 2);
  timer.async_wait([&timer, interval, &log](const boost::system::error_code& ec) {
    if (ec) return;
    if (!sd_notify("WATCHDOG=1")) log.warn("SD_NOTIFY_FAILED state=WATCHDOG=1");
    keep_watchdog(timer, interval, log);
  });
}

}  // namespace

namespace {
// The periodic cash-application run (it also expires promises to pay). The first comes a
// minute after start, so a restart does not wait a whole period.
void schedule_outbox(TimerRegistry& timers, OutboxService& outbox) {
  if (!outbox.enabled()) return;
  // At once on start: what a previous process left undelivered goes first.
  timers.add("outbox", std::chrono::seconds(outbox.poll_seconds()), std::chrono::seconds(1), [&outbox] { outbox.request(); });
}

// Each treasury system's snapshot on its schedule, the first just after start (a restart
// tells treasury at once where things stand).
void schedule_feeds(TimerRegistry& timers, OutboxService& outbox) {
  if (!outbox.enabled()) return;
  for (const auto& t : outbox.tms_targets()) {
    timers.add("tms-" + t.name, std::chrono::minutes(t.every_minutes), std::chrono::seconds(10),
               [&outbox, name = t.name] { outbox.publish_feed(name); }, std::chrono::seconds(5));
  }
  // Snapshots every treasury system has moved past are dropped (each holds every flow).
  timers.add("tms-housekeeping", std::chrono::hours(1), std::chrono::minutes(1), [&outbox] { outbox.prune_feeds(); },
             std::chrono::minutes(10));
}

void schedule_cashapp(TimerRegistry& timers, CashAppService& cashapp) {
  if (!cashapp.enabled()) return;
  timers.add("cashapp", std::chrono::minutes(cashapp.run_every_minutes()), std::chrono::seconds(30),
             [&cashapp] { cashapp.request("system:cashapp"); }, std::chrono::minutes(1));
}

// Idempotency-Key answers are kept a day: long enough for any client's retries.
void schedule_api_housekeeping(TimerRegistry& timers, Store& store, std::shared_ptr<const Clock> clock,
                               std::shared_ptr<spdlog::logger> log) {
  timers.add("api-housekeeping", std::chrono::hours(1), std::chrono::minutes(1), [&store, clock, log] {
    auto tx = store.begin();
    const auto purged = tx->access().purge_idempotency_keys(clock->now() - std::chrono::hours(24));
    tx->commit();
    if (purged > 0) log->info("API_IDEMPOTENCY_PURGED keys={}", purged);
  }, std::chrono::minutes(5));
}

// The daily collections check: every ten minutes, the first a minute after start (a run that
// a crash interrupted is finished then).
void schedule_collections(TimerRegistry& timers, CollectionsService& collections, OutboxService& outbox) {
  if (!collections.enabled()) return;
  timers.add("collections", std::chrono::minutes(10), std::chrono::seconds(30),
             [&collections, &outbox] {
               if (collections.tick()) outbox.request();
             },
             std::chrono::minutes(1));
}

// libcurl's process-wide set-up, done once before any thread uses it, undone at exit.
struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};
}  // namespace

int run_daemon(const DaemonArgs& args) {
  CurlGlobal curl;
  Config cfg;
  try {
    cfg = load_config(args.config_path, args.overrides);
  } catch (const Error& e) {
    Loggers("info", "plain").get("app")->error("DAEMON_START_FAILED {}", e.what());
    return 1;
  }
  Loggers loggers(cfg.daemon.log_level, cfg.daemon.log_format);
  auto log = loggers.get("app");
  auto clock = make_system_clock();

  std::unique_ptr<Store> store;
  try {
    loggers.get("db")->info("opening database {}", redact_database_url(cfg.database.url));
    StoreOptions store_options{cfg.database.url, cfg.database.pool_size, cfg.database.busy_timeout_ms};
    store_options.warn = [db_log = loggers.get("db")](const std::string& problem) { db_log->warn("{}", problem); };
    store = open_store(store_options, clock);
    const auto before = store->schema_status();
    const auto after = store->migrate();
    if (after.current_version != before.current_version) {
      loggers.get("db")->info("DB_MIGRATED from={} to={}", before.current_version, after.current_version);
    }
  } catch (const std::exception& e) {
    log->error("DAEMON_START_FAILED database: {}", e.what());
    return 1;
  }

  WorkerPool workers(cfg.daemon.worker_threads, cfg.daemon.worker_queue_limit);
  asio::io_context io(cfg.daemon.io_threads);
  auto work = asio::make_work_guard(io);

  api::Metrics metrics;
  metrics.add_gauge("arcd_worker_jobs_in_flight", "Blocking jobs queued or running.",
                    [&workers] { return static_cast<double>(workers.in_flight()); });
  Store& store_ref = *store;
  auto probe = [&store_ref] {
    api::Readiness r;
    r.database_reachable = store_ref.ping();
    if (r.database_reachable) {
      try {
        const auto st = store_ref.schema_status();
        r.schema_version = st.current_version;
        r.known_schema_version = st.known_version;
      } catch (const std::exception& e) {
        r.detail = e.what();
      }
    }
    return r;
  };
  auto router = std::make_shared<api::Router>();
  api::add_system_routes(*router, metrics, probe);
  // GET answers reused for a moment; changes through the API and imports clear it.
  auto response_cache = std::make_shared<api::ResponseCache>(std::chrono::milliseconds(cfg.http.response_cache_ms));
  // The collections workflow: the daily run, and what people do between runs. Its settings
  // also say which customers are a collector's segment.
  CollectionsService collections(*store, clock, loggers.get("collections"));
  const api::CollectorOf collector_of = [&collections](const Customer& c) { return collections.collector_of(c); };
  // Cash application: after every import and sync, on its timer, and on request.
  CashAppService cashapp(*store, clock, cfg.cashapp, loggers.get("cashapp"));
  auto cash_log = loggers.get("cashapp");
  api::add_cash_routes(*router, *store,
                       {[&cashapp](const Actor& actor) { return cashapp.run(actor); },
                        [&cashapp, cash_log](const api::CashActions::Action& action) {
                          return cashapp.exclusive([&](Store& s, const cashapp::MatchSettings& m, Date today) {
                            auto r = action(s, m, today);
                            if (r) cash_log->info("CASHAPP_MANUAL {}", r.value());
                            return r;
                          });
                        },
                        collector_of});
  // From the last run, not from the database: a scrape never waits for a run's write lock.
  auto last_run = [&cashapp](auto field) {
    return [&cashapp, field] {
      const auto s = cashapp.last();
      return s ? static_cast<double>(field(*s)) : 0.0;
    };
  };
  metrics.add_gauge("arcd_cashapp_runs_total", "Cash-application runs since start.",
                    [&cashapp] { return static_cast<double>(cashapp.runs()); });
  metrics.add_gauge("arcd_cash_queue_entries", "Entries in the exception queue after the last run.",
                    last_run([](const cashapp::RunSummary& s) { return s.queue_size; }));
  metrics.add_gauge("arcd_cash_inbox_entries", "Entries still waiting for cash application after the last run.",
                    last_run([](const cashapp::RunSummary& s) { return s.inbox_left; }));
  metrics.add_gauge("arcd_cashapp_last_run_applied", "Credits placed automatically by the last run.",
                    last_run([](const cashapp::RunSummary& s) { return s.applied; }));
  metrics.add_gauge("arcd_cashapp_last_run_seconds", "Duration of the last cash-application run.",
                    last_run([](const cashapp::RunSummary& s) { return s.seconds; }));
  metrics.add_gauge("arcd_cashapp_invariant_ok", "1 when the last run found every cent accounted for.",
                    last_run([](const cashapp::RunSummary& s) { return s.invariant_ok ? 1 : 0; }));
  // ERP connector types by name; instances come from the configuration.
  connectors::ErpRegistry erp_types;
  connectors::register_builtin_erp_connectors(erp_types);
  // What the ERPs must hear, delivered on its timer and after every cash-application run.
  OutboxService outbox(*store, clock, erp_types, loggers.get("outbox"));
  api::add_outbox_routes(*router, *store, clock);
  metrics.add_gauge("arcd_outbox_pending_events", "Outbox events waiting for delivery (after the last pass).",
                    [&outbox] { return static_cast<double>(outbox.snapshot().pending); });
  metrics.add_gauge("arcd_outbox_dead_events", "Outbox events given up on, waiting for a person (retry or drop).",
                    [&outbox] { return static_cast<double>(outbox.snapshot().dead); });
  metrics.add_gauge("arcd_outbox_oldest_pending_seconds", "Age of the oldest undelivered outbox event.",
                    [&outbox] { return outbox.snapshot().oldest_pending_seconds; });
  metrics.add_gauge("arcd_outbox_breakers_open", "ERP targets whose circuit breaker is open.",
                    [&outbox] { return static_cast<double>(outbox.snapshot().breakers_open); });
  metrics.add_gauge("arcd_outbox_delivered_total", "Outbox events delivered since start.",
                    [&outbox] { return static_cast<double>(outbox.delivered_total()); });
  metrics.add_gauge("arcd_outbox_retries_total", "Outbox delivery attempts that will be retried, since start.",
                    [&outbox] { return static_cast<double>(outbox.retried_total()); });
  metrics.add_gauge("arcd_outbox_dead_total", "Outbox events that went dead since start.",
                    [&outbox] { return static_cast<double>(outbox.dead_total()); });
  metrics.add_gauge("arcd_collections_last_run_emails", "Reminder emails queued by the last collections run.", [&collections] {
    const auto r = collections.last();
    return r ? static_cast<double>(r->emails) : 0.0;
  });
  metrics.add_gauge("arcd_collections_cash_stale", "1 when the last collections run held overdue reminders for stale bank data.",
                    [&collections] {
                      const auto r = collections.last();
                      return r && r->cash_stale ? 1.0 : 0.0;
                    });
  api::add_collections_routes(*router, *store,
                              {[&collections](const collections::RunOptions& o) { return collections.run(o); },
                               [&collections] { return collections.settings(); }, [clock] { return clock->today(); },
                               collector_of});
  api::add_ar_routes(*router, *store, {[clock] { return clock->today(); }, collector_of});
  api::add_forecast_routes(*router, *store, cfg.forecast, [clock] { return clock->today(); }, collector_of);
  // Queued rather than run in the importing job: an upload's response does not wait for it.
  auto after_import = [&cashapp, &outbox, &workers, response_cache] {
    response_cache->invalidate();
    workers.try_post(
        [&cashapp, &outbox, response_cache] {
          cashapp.request("system:cashapp");
          response_cache->invalidate();
          outbox.request();
        },
        {});
  };

  // Upload parse options come from the named statement source; read at start (a reload keeps them).
  const auto sources = cfg.statement_sources;
  api::add_statement_routes(
      *router, *store,
      [sources](const std::string& name) -> std::optional<mapping::StatementParseOptions> {
        if (name.empty()) return mapping::StatementParseOptions{};
        for (const auto& s : sources)
          if (s.name == name) return s.parse;
        return std::nullopt;
      },
      loggers.get("stmt"), after_import);

  // Who may call what: tokens checked by the gate, roles from the OpenAPI document.
  auto authenticator = std::make_shared<api::Authenticator>(*store, clock, std::chrono::seconds(cfg.http.token_cache_seconds));
  auto gate = std::make_shared<api::AccessGate>(*store, authenticator, response_cache, loggers.get("api"));
  metrics.add_gauge("arcd_http_cache_hits_total", "GET answers served from the response cache since start.",
                    [response_cache] { return static_cast<double>(response_cache->hits()); });
  metrics.add_gauge("arcd_http_cache_misses_total", "GET answers computed since start.",
                    [response_cache] { return static_cast<double>(response_cache->misses()); });
  api::add_openapi_route(*router);
  web::add_dashboard_routes(*router, *gate, authenticator);
  if (const auto problems = api::apply_openapi_roles(*router, api::openapi_document()); !problems.empty()) {
    for (const auto& p : problems) log->error("DAEMON_START_FAILED openapi: {}", p);
    return 1;
  }

  std::unique_ptr<api::HttpServer> http;
  TimerRegistry timers(io.get_executor(), workers, loggers.get("timers"));
  std::unique_ptr<ConnectorJobs> jobs;
  try {
    if (cfg.http.enabled) {
      http = std::make_unique<api::HttpServer>(
          io.get_executor(), [&workers](std::function<void()> job, std::function<void()> done) { return workers.try_post(std::move(job), std::move(done)); }, router,
          metrics, cfg.http, loggers.get("api"), api::make_gate(gate));
      http->start();
    }
    outbox.configure(cfg);
    collections.configure(cfg);
    jobs = std::make_unique<ConnectorJobs>(cfg, *store, clock, loggers, erp_types, after_import);
    jobs->schedule(timers);
    schedule_cashapp(timers, cashapp);
    schedule_outbox(timers, outbox);
    schedule_feeds(timers, outbox);
    schedule_collections(timers, collections, outbox);
    schedule_api_housekeeping(timers, *store, clock, loggers.get("api"));
  } catch (const std::exception& e) {
    log->error("DAEMON_START_FAILED {}", e.what());
    return 1;
  }

  Requests requests;
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  watch_signals(signals, requests);
  asio::steady_timer io_probe(io), watchdog(io);
  probe_io(io_probe, io, *log);
  if (auto interval = sd_watchdog_interval()) keep_watchdog(watchdog, *interval, *log);

  std::vector<std::thread> threads;
  for (int i = 0; i < cfg.daemon.io_threads; ++i) threads.emplace_back([&io] { io.run(); });

  log->info("DAEMON_STARTED version={} database={} http_port={} pid={}", kVersion, store->backend(),
            http ? http->port() : 0, ::getpid());
  if (!sd_notify("READY=1\nSTATUS=serving")) log->warn("SD_NOTIFY_FAILED state=READY=1");

  while (!requests.wait()) {
    // SIGHUP: build the new objects aside; swap only when everything built.
    try {
      Config next = load_config(args.config_path, args.overrides);
      auto next_jobs = std::make_unique<ConnectorJobs>(next, *store, clock, loggers, erp_types, after_import);
      if (next.database.url != cfg.database.url || next.database.pool_size != cfg.database.pool_size) {
        log->warn("CFG_RELOAD_NEEDS_RESTART section=database");
      }
      if (next.http.listen_address != cfg.http.listen_address || next.http.port != cfg.http.port ||
          next.http.enabled != cfg.http.enabled) {
        log->warn("CFG_RELOAD_NEEDS_RESTART section=http");
      }
      timers.cancel_all();
      workers.drain(std::chrono::seconds(cfg.daemon.shutdown_timeout_seconds));  // old jobs finish first
      jobs = std::move(next_jobs);
      jobs->schedule(timers);
      cashapp.reconfigure(next.cashapp);
      schedule_cashapp(timers, cashapp);
      outbox.configure(next);
      schedule_outbox(timers, outbox);
      schedule_feeds(timers, outbox);
      collections.configure(next);
      schedule_collections(timers, collections, outbox);
      schedule_api_housekeeping(timers, *store, clock, loggers.get("api"));
      loggers.reconfigure(next.daemon.log_level, next.daemon.log_format);
      cfg.daemon.log_level = next.daemon.log_level;
      cfg.daemon.log_format = next.daemon.log_format;
      cfg.csv_connectors = next.csv_connectors;
      cfg.statement_sources = next.statement_sources;
      log->info("CFG_RELOADED file={}", args.config_path.string());
    } catch (const std::exception& e) {
      log->error("CFG_RELOAD_FAILED keeping the running configuration: {}", e.what());
    }
  }

  sd_notify("STOPPING=1\nSTATUS=stopping");
  log->info("DAEMON_STOPPING");
  timers.cancel_all();
  cashapp.stop();
  outbox.stop();
  if (http) http->stop();
  const bool drained = workers.drain(std::chrono::seconds(cfg.daemon.shutdown_timeout_seconds));
  if (!drained) {
    log->error("DAEMON_STOP_TIMEOUT jobs_in_flight={}", workers.in_flight());
    // A job is stuck (a peer that never answers); the database rolls back what it had open.
    std::_Exit(1);
  }
  signals.cancel();
  io_probe.cancel();
  watchdog.cancel();
  work.reset();
  io.stop();
  for (auto& t : threads) t.join();
  workers.stop();
  log->info("DAEMON_STOPPED");
  return 0;
}

}  // namespace arcd::app
