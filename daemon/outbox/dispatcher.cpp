#include "outbox/dispatcher.hpp"

#include <unistd.h>

#include <deque>

#include <vector>

#include "connectors/http_lanes.hpp"
#include "outbox/erp_events.hpp"

namespace arcd::outbox {
namespace {

// Claims per target in one pass: enough that lanes seldom wait for a pass to end, few enough
// that drain() looks at its stop flag and budget every few seconds.
constexpr int kClaimsPerPass = 16;

}  // namespace

// A destination: its connectors (one per lane: a connector holds one conversation at a time)
// and its breaker.
struct Dispatcher::Target {
  std::string name;
  ConnectorFactory factory;
  std::vector<std::unique_ptr<ErpConnector>> lanes;
  mutable std::mutex mutex;
  int consecutive_failures = 0;
  std::optional<Instant> open_until;  // breaker open until then; after it, one trial event
};

Dispatcher::Dispatcher(Store& store, std::shared_ptr<const Clock> clock, DispatchSettings settings, std::string owner,
                       std::shared_ptr<spdlog::logger> log)
    : store_(store), clock_(std::move(clock)), s_(settings), owner_(std::move(owner)), log_(std::move(log)),
      lanes_(std::make_unique<connectors::HttpLanes>()), rng_(std::random_device{}()) {}

Dispatcher::~Dispatcher() = default;

std::string Dispatcher::default_owner() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(rd() % 100000);
}

void Dispatcher::add_target(const std::string& destination, ConnectorFactory factory) {
  auto t = std::make_unique<Target>();
  t->name = destination;
  t->factory = std::move(factory);
  targets_[destination] = std::move(t);
}

bool Dispatcher::breaker_open(const std::string& destination) const {
  auto it = targets_.find(destination);
  if (it == targets_.end()) return false;
  std::lock_guard lock(it->second->mutex);
  return it->second->open_until && *it->second->open_until > clock_->now();
}

std::chrono::seconds Dispatcher::backoff(int attempts) {
  // Exponential with "equal jitter": half fixed, half random, so retries of many events spread.
  const auto capped = std::min<std::int64_t>(s_.max_backoff.count(), s_.base_backoff.count() << std::min(attempts, 20));
  std::lock_guard lock(rng_mutex_);
  const std::int64_t half = capped / 2;
  return std::chrono::seconds(half + (capped - half > 0 ? static_cast<std::int64_t>(rng_() % (capped - half + 1)) : 0));
}

Dispatcher::Outcome Dispatcher::record_success(Transaction& tx, const OutboxEvent& e, const std::string& kind, InvoiceId invoice,
                                               const std::optional<Money>& amount, const std::string& key, const PushResult& r,
                                               std::optional<std::int64_t> erp_open_now) {
  if (r.already_there) {
    // An earlier attempt reached the ERP but its outcome was never recorded (a timeout, a
    // reset, a killed daemon): found by its key, not created again.
    log_->info("OUTBOX_FOUND_IN_ERP destination={} event={} kind={} key={} remote_id={}", e.destination, e.id.to_string(), e.kind, key,
               r.remote_id);
  }
  if (!tx.outbox().mark_delivered(e.id, owner_, r.remote_id)) return Outcome::lost;  // changed nothing
  const Instant now = clock_->now();
  if (kind == kPaymentApplied && amount) {
    tx.invoices().acknowledge_push(invoice, amount->minor(), now, erp_open_now);
  } else if (kind == kPaymentCancelled && amount) {
    // Only a payment the ERP had acknowledged comes off what it acknowledged.
    const auto created = tx.outbox().find(std::string(kPaymentApplied) + ":" + key);
    const bool was_acknowledged = created && created->status == OutboxStatus::delivered;
    if (was_acknowledged || erp_open_now) tx.invoices().acknowledge_push(invoice, was_acknowledged ? -amount->minor() : 0, now, erp_open_now);
  }
  return Outcome::delivered;
}

Dispatcher::Outcome Dispatcher::record_failure(Transaction& tx, const std::string& target, const OutboxEvent& e, const std::string& error,
                                               bool permanent, std::optional<std::chrono::seconds> retry_after) {
  const Instant now = clock_->now();
  const bool too_many = e.attempts + 1 >= s_.max_attempts;
  const bool too_old = now - e.created_at > s_.max_age;
  bool mine;
  Outcome outcome;
  if (permanent || too_many || too_old) {
    const std::string why = permanent ? error : too_many ? error + " (gave up after " + std::to_string(e.attempts + 1) + " attempts)"
                                                         : error + " (undelivered for too long)";
    mine = tx.outbox().mark_dead(e.id, owner_, why);
    outcome = Outcome::dead;
    if (mine) log_->error("OUTBOX_DEAD destination={} event={} kind={} key={} error={}", target, e.id.to_string(), e.kind,
                          e.idempotency_key, why);
  } else {
    const auto wait = retry_after ? *retry_after : backoff(e.attempts);
    mine = tx.outbox().mark_retry(e.id, owner_, error, now + wait);
    outcome = Outcome::retried;
    if (mine) log_->warn("OUTBOX_RETRY destination={} event={} kind={} attempt={} in_seconds={} error={}", target, e.id.to_string(),
                         e.kind, e.attempts + 1, wait.count(), error);
  }
  return mine ? outcome : Outcome::lost;
}

Dispatcher::Recorder Dispatcher::deliver(Target& t, ErpConnector& erp, const OutboxEvent& e) {
  ErpEvent ev;
  try {
    ev = parse_erp_event(e);
  } catch (const Error& err) {
    return [this, name = t.name, e, what = std::string(err.what())](Transaction& tx) {
      return record_failure(tx, name, e, what, true, std::nullopt);
    };
  }
  try {
    PushResult r;
    if (ev.kind == kPaymentApplied) {
      r = erp.push_payment({ev.key, ev.invoice_external_id, ev.invoice_number, "", *ev.amount, *ev.date});
    } else if (ev.kind == kPaymentCancelled) {
      r = erp.cancel_payment({ev.key, ev.invoice_external_id, ev.invoice_number});
    } else {
      r = erp.push_note({ev.key, ev.invoice_external_id, ev.invoice_number, ev.text});
    }
    // What the ERP says is open now that it has the payment: pulls read while the delivery was
    // in flight were not trusted, so this reading is what arcd goes on from.
    std::optional<std::int64_t> erp_open_now;
    if (ev.kind != kInvoiceNote && ev.amount) {
      try {
        if (auto now = erp.open_amount(ev.invoice_external_id); now && now->currency() == ev.amount->currency()) {
          erp_open_now = now->minor();
        }
      } catch (const std::exception& err) {
        log_->warn("OUTBOX_REREAD_FAILED destination={} invoice={} error={}", t.name, ev.invoice_number, err.what());
      }
    }
    {
      std::lock_guard lock(t.mutex);
      t.consecutive_failures = 0;
      t.open_until.reset();
    }
    return [this, e, ev, r, erp_open_now](Transaction& tx) {
      return record_success(tx, e, ev.kind, ev.invoice_id, ev.amount, ev.key, r, erp_open_now);
    };
  } catch (const ErpError& err) {
    // The ERP refused the content or the record is gone: retrying cannot help.
    const bool permanent = err.kind() == ErpFailure::rejected || err.kind() == ErpFailure::not_found;
    if (!permanent) {
      std::lock_guard lock(t.mutex);
      ++t.consecutive_failures;
      const bool trip = t.consecutive_failures >= s_.breaker_failures;
      if (err.kind() == ErpFailure::rate_limited && err.retry_after()) {
        t.open_until = clock_->now() + *err.retry_after();  // the ERP said when
      } else if (trip) {
        t.open_until = clock_->now() + s_.breaker_open;
        log_->error("OUTBOX_BREAKER_OPEN destination={} failures={} for_seconds={}", t.name, t.consecutive_failures,
                    s_.breaker_open.count());
      }
    }
    return [this, name = t.name, e, what = std::string(err.what()), permanent, after = err.retry_after()](Transaction& tx) {
      return record_failure(tx, name, e, what, permanent, after);
    };
  } catch (const std::exception& err) {
    return [this, name = t.name, e, what = std::string(err.what())](Transaction& tx) {
      return record_failure(tx, name, e, what, false, std::nullopt);
    };
  }
}

// One target's share of a pass: what its lanes deliver next, and what they delivered whose
// outcome is not written yet.
struct Dispatcher::TargetRun {
  TargetRun(Target& target, int per_claim, int claims) : t(target), limit(per_claim), claims_left(claims) {}
  Target& t;
  int limit;        // events per claim
  int claims_left;  // claims still allowed in this pass
  bool exhausted = false;
  std::deque<OutboxEvent> queue;
  std::vector<Recorder> finished;
};

void Dispatcher::record_and_claim(TargetRun& r, DispatchPass& pass) {
  bool may_claim = !r.exhausted && r.claims_left > 0;
  if (may_claim) {
    std::lock_guard lock(r.t.mutex);
    if (r.t.open_until && *r.t.open_until > clock_->now()) may_claim = false;  // tripped during this pass
  }
  std::vector<Outcome> outcomes(r.finished.size(), Outcome::lost);
  std::vector<OutboxEvent> claimed;
  try {
    auto tx = store_.begin();
    for (std::size_t i = 0; i < r.finished.size(); ++i) outcomes[i] = r.finished[i](*tx);
    if (may_claim) {
      const Instant now = clock_->now();
      claimed = tx->outbox().claim(r.t.name, now, now + s_.lease, owner_, r.limit);
    }
    tx->commit();
  } catch (const std::exception& err) {
    // The claims lapse and the events are tried again: the ERP is asked for each key before
    // anything is created, so nothing is created twice.
    if (r.finished.empty()) {
      log_->error("OUTBOX_CLAIM_FAILED destination={} error={}", r.t.name, err.what());
    } else {
      log_->error("OUTBOX_RECORD_FAILED destination={} events={} error={}", r.t.name, r.finished.size(), err.what());
    }
    std::fill(outcomes.begin(), outcomes.end(), Outcome::lost);
    claimed.clear();
    may_claim = false;
  }
  r.finished.clear();
  for (auto o : outcomes) {
    if (o == Outcome::delivered) ++pass.delivered;
    else if (o == Outcome::retried) ++pass.retried;
    else if (o == Outcome::dead) ++pass.dead;
    else ++pass.lost_claims;
  }
  --r.claims_left;
  if (!may_claim || static_cast<int>(claimed.size()) < r.limit) r.exhausted = true;
  pass.claimed += static_cast<int>(claimed.size());
  for (auto& e : claimed) r.queue.push_back(std::move(e));
}

void Dispatcher::run_lane(TargetRun& r, ErpConnector& erp, DispatchPass& pass) {
  for (;;) {
    if (r.queue.empty()) {
      // The first lane to run dry writes what all lanes finished and claims more while the
      // others are still waiting on the ERP: no lane waits for the slowest of a batch.
      if (!r.exhausted) record_and_claim(r, pass);
      if (r.queue.empty()) return;
    }
    OutboxEvent e = std::move(r.queue.front());
    r.queue.pop_front();
    r.finished.push_back(deliver(r.t, erp, e));
  }
}

DispatchPass Dispatcher::run_once() {
  DispatchPass pass;
  ++counters_.passes;
  std::vector<std::unique_ptr<TargetRun>> runs;
  for (auto& [name, target] : targets_) {
    Target& t = *target;
    bool trial = false;
    {
      std::lock_guard lock(t.mutex);
      if (t.open_until) {
        if (*t.open_until > clock_->now()) continue;
        trial = true;  // half open: one event
      }
    }
    auto r = std::make_unique<TargetRun>(t, trial ? 1 : s_.batch, trial ? 1 : kClaimsPerPass);
    record_and_claim(*r, pass);
    if (!r->queue.empty()) runs.push_back(std::move(r));
  }
  // Every target's lanes run at once, each a fiber with its own connector; their requests
  // share one libcurl multi handle on this thread. Claimed events never share an invoice (an
  // event waits for the earlier ones of its invoice), so they may all be in flight together.
  std::vector<std::function<void()>> jobs;
  for (auto& r : runs) {
    const int lanes = std::max(1, std::min<int>(s_.in_flight, static_cast<int>(r->queue.size())));
    while (static_cast<int>(r->t.lanes.size()) < lanes) r->t.lanes.push_back(r->t.factory());
    for (int l = 0; l < lanes; ++l) {
      jobs.emplace_back([this, &pass, run = r.get(), erp = r->t.lanes[static_cast<std::size_t>(l)].get()] { run_lane(*run, *erp, pass); });
    }
  }
  if (!jobs.empty()) lanes_->run(std::move(jobs));
  peak_in_flight_ = std::max(peak_in_flight_, lanes_->peak_in_flight());
  for (auto& r : runs) {
    r->exhausted = true;  // the last outcomes only
    if (!r->finished.empty()) record_and_claim(*r, pass);
  }
  counters_.delivered += pass.delivered;
  counters_.retried += pass.retried;
  counters_.dead += pass.dead;
  return pass;
}

DispatchPass Dispatcher::drain(std::chrono::seconds budget, const std::atomic<bool>* stop) {
  DispatchPass total;
  const auto until = std::chrono::steady_clock::now() + budget;
  for (;;) {
    const DispatchPass p = run_once();
    total.claimed += p.claimed;
    total.delivered += p.delivered;
    total.retried += p.retried;
    total.dead += p.dead;
    total.lost_claims += p.lost_claims;
    if (p.claimed == 0 || (stop && stop->load()) || std::chrono::steady_clock::now() >= until) return total;
  }
}

}  // namespace arcd::outbox
