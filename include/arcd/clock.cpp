#include "arcd/clock.hpp"

namespace arcd {
namespace {

class SystemClock final : public Clock {
 public:
  Instant now() const override { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }
};

}  // namespace

std::shared_ptr<const Clock> make_system_clock() { return std::make_shared<SystemClock>(); }

}  // namespace arcd
