#pragma once
// The systemd notify protocol (sd_notify(3)): datagrams to $NOTIFY_SOCKET. Without the
// variable (not under systemd) every call is a no-op that reports success.

#include <chrono>
#include <optional>
#include <string_view>

namespace arcd::app {

// Sends "READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=..." etc. False when the socket refused.
bool sd_notify(std::string_view state) noexcept;
// The watchdog interval systemd expects keep-alives within ($WATCHDOG_USEC for this pid).
std::optional<std::chrono::microseconds> sd_watchdog_interval() noexcept;

}  // namespace arcd::app
