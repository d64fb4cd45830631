#pragma once
// An injectable clock: every date rule takes one, so tests move time by hand.

#include <chrono>
#include <memory>

#include "arcd/date.hpp"

namespace arcd {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
  Date today() const { return utc_date(now()); }
};

// The system's real-time clock. Thread-safe.
std::shared_ptr<const Clock> make_system_clock();

}  // namespace arcd
