#pragma once
// Delivers inflow feed snapshots to one treasury system. The newest snapshot wins: a pass
// claims every due snapshot for the destination, sends only the newest (composed against what
// the destination acknowledged last, so the references that vanished and the receipts applied
// meanwhile reach it even when it missed snapshots), and marks the older ones delivered as
// superseded. A failure backs the newest off exponentially (the outbox's settings); the next
// snapshot supersedes it. Sending twice (a crash between sending and recording) repeats the
// same feed id, which a receiver upserts.

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "arcd/clock.hpp"
#include "arcd/store.hpp"
#include "connectors/tms/feed_sink.hpp"
#include "forecast/forecast.hpp"
#include "outbox/dispatcher.hpp"

namespace arcd::outbox {

class TmsDispatcher {
 public:
  TmsDispatcher(Store& store, std::shared_ptr<const Clock> clock, std::string destination, std::unique_ptr<connectors::FeedSink> sink,
                forecast::ForecastSettings forecast, DispatchSettings settings, std::string owner, std::shared_ptr<spdlog::logger> log);
  DispatchPass run_once();
  const std::string& destination() const { return destination_; }

 private:
  std::chrono::seconds backoff(int attempts) const;

  Store& store_;
  std::shared_ptr<const Clock> clock_;
  std::string destination_;
  std::unique_ptr<connectors::FeedSink> sink_;
  forecast::ForecastSettings forecast_;
  DispatchSettings s_;
  std::string owner_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace arcd::outbox
