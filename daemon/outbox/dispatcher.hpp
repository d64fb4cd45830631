#pragma once
// Delivers outbox events to their destinations (ERP connector instances): claimed with a
// lease (several daemons may share one PostgreSQL outbox), in order per invoice, several in
// flight per target, each outcome recorded in the transaction that records its effect on the
// invoice (what the ERP acknowledged). Failures back off exponentially with jitter; a target
// that keeps failing trips its circuit breaker and is left alone for a while; an event that
// cannot succeed (the ERP refused it, its payload is broken, too many attempts, too old) goes
// dead for a person to retry or drop.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include <spdlog/logger.h>

#include "arcd/clock.hpp"
#include "arcd/erp_connector.hpp"
#include "arcd/store.hpp"

namespace arcd::connectors {
class HttpLanes;
}

namespace arcd::outbox {

struct DispatchSettings {
  int max_attempts = 12;                        // then dead
  std::chrono::seconds max_age{7 * 24 * 3600};  // an undelivered event older than this goes dead
  std::chrono::seconds base_backoff{2};         // the first retry waits about this, doubling each time
  std::chrono::seconds max_backoff{3600};
  std::chrono::seconds lease{300};              // a claim lapses after this (a dead daemon's events)
  int batch = 64;                               // events claimed at once per target
  int in_flight = 8;                            // events delivered at once per target
  int breaker_failures = 5;                     // consecutive failures that open a target's breaker
  std::chrono::seconds breaker_open{60};        // how long it stays open before one trial
};

// What one pass did.
struct DispatchPass {
  int claimed = 0, delivered = 0, retried = 0, dead = 0, lost_claims = 0;
};

// Totals since start, for /metrics.
struct DispatchCounters {
  std::atomic<std::int64_t> delivered{0}, retried{0}, dead{0}, passes{0};
};

class Dispatcher {
 public:
  using ConnectorFactory = std::function<std::unique_ptr<ErpConnector>()>;
  // `owner` names this daemon in claims ("host:pid:random").
  Dispatcher(Store& store, std::shared_ptr<const Clock> clock, DispatchSettings settings, std::string owner,
             std::shared_ptr<spdlog::logger> log);
  ~Dispatcher();
  void add_target(const std::string& destination, ConnectorFactory factory);

  // Delivers for every target whose breaker is closed (or due a trial): claims a batch, and
  // while its lanes deliver claims the next (up to 16 batches a pass) as lanes run dry.
  DispatchPass run_once();
  // run_once until a pass claims nothing, `stop` is set or `budget` is spent.
  DispatchPass drain(std::chrono::seconds budget, const std::atomic<bool>* stop = nullptr);

  bool breaker_open(const std::string& destination) const;
  const DispatchCounters& counters() const { return counters_; }
  // The most requests this dispatcher had in flight at once since it started.
  int peak_in_flight() const { return peak_in_flight_; }
  const std::string& owner() const { return owner_; }
  static std::string default_owner();

 private:
  struct Target;
  struct TargetRun;
  enum class Outcome { delivered, retried, dead, lost };
  // What a delivery attempt found, to be written with the rest of its batch.
  using Recorder = std::function<Outcome(Transaction&)>;
  Recorder deliver(Target& t, ErpConnector& erp, const OutboxEvent& e);
  // Writes the outcomes the target's lanes finished and claims its next events, in one
  // transaction (a claim then sees an invoice's earlier event recorded).
  void record_and_claim(TargetRun& r, DispatchPass& pass);
  void run_lane(TargetRun& r, ErpConnector& erp, DispatchPass& pass);
  Outcome record_success(Transaction& tx, const OutboxEvent& e, const std::string& kind, InvoiceId invoice,
                         const std::optional<Money>& amount, const std::string& key, const PushResult& r,
                         std::optional<std::int64_t> erp_open_now);
  Outcome record_failure(Transaction& tx, const std::string& target, const OutboxEvent& e, const std::string& error, bool permanent,
                         std::optional<std::chrono::seconds> retry_after);
  std::chrono::seconds backoff(int attempts);

  Store& store_;
  std::shared_ptr<const Clock> clock_;
  DispatchSettings s_;
  std::string owner_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, std::unique_ptr<Target>> targets_;
  std::unique_ptr<connectors::HttpLanes> lanes_;  // every target's requests in flight from this one thread
  int peak_in_flight_ = 0;
  std::mutex rng_mutex_;
  std::mt19937_64 rng_;
  DispatchCounters counters_;
};

}  // namespace arcd::outbox
