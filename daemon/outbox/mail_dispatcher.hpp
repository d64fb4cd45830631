#pragma once
// Delivers reminder emails from the outbox, at most once. An event is claimed (committed)
// before the message goes to the server; a claim found lapsed means a daemon died while
// sending, so whether the customer got it is unknown: the event goes dead for a person to
// check and retry or drop, never resent on its own. What the server answered is recorded with
// the communication: sent (with the message id), bounced (the contact is marked invalid and
// the collector gets a task to fix it), failed after too many transient errors, or unknown.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "arcd/clock.hpp"
#include "arcd/mail.hpp"
#include "arcd/store.hpp"
#include "outbox/dispatcher.hpp"

namespace arcd::outbox {

struct MailDispatchSettings {
  int max_attempts = 8;
  std::chrono::seconds base_backoff{30};
  std::chrono::seconds max_backoff{3600};
  std::chrono::seconds lease{300};
  // Claimed at a time. One: a message is claimed right before it is sent, so a daemon that dies
  // leaves at most the one message it was sending in doubt (a claimed but unsent batch would
  // all count as "unknown" and never go out).
  int batch = 1;
  int per_pass = 200;             // messages sent per pass before other work gets a turn
  // Who gets a customer's fix-contact task (collections settings: its collector by rule).
  std::function<std::string(const Customer&)> collector_of;
};

class MailDispatcher {
 public:
  MailDispatcher(Store& store, std::shared_ptr<const Clock> clock, std::unique_ptr<MailTransport> transport,
                 MailDispatchSettings settings, std::string owner, std::shared_ptr<spdlog::logger> log);
  // Claims and sends one batch.
  DispatchPass run_once();
  // run_once until nothing is claimed or `budget` is spent.
  DispatchPass drain(std::chrono::seconds budget, const std::atomic<bool>* stop = nullptr);

 private:
  void deliver(const OutboxEvent& e, DispatchPass& pass);

  Store& store_;
  std::shared_ptr<const Clock> clock_;
  std::unique_ptr<MailTransport> transport_;
  MailDispatchSettings s_;
  std::string owner_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace arcd::outbox
