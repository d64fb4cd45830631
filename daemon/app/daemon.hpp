#pragma once
// The composition root. Builds, in this order: loggers, store (migrated), worker pool,
// io_context and its threads, metrics and routes, HTTP listener, connector timers, signal
// handling, systemd notification. Tears down in reverse. No singletons: every object gets what
// it needs through its constructor.

#include <filesystem>

#include "app/config.hpp"

namespace arcd::app {

struct DaemonArgs {
  std::filesystem::path config_path;  // re-read on SIGHUP
  Overrides overrides;
};

// Runs until SIGTERM/SIGINT. Returns the process exit code: 0 after a clean stop, 1 when
// start-up failed or the stop timed out.
int run_daemon(const DaemonArgs& args);

}  // namespace arcd::app
