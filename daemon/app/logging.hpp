#pragma once
// Named spdlog loggers, one per subsystem, sharing one stdout sink. Plain lines (without
// timestamps under systemd, whose journal stamps them) or JSON lines. Not registered in
// spdlog's global registry: each object gets its logger through its constructor.

#include <spdlog/logger.h>

#include <map>
#include <mutex>
#include <memory>
#include <string>

namespace arcd::app {

class Loggers {
 public:
  Loggers(const std::string& level, const std::string& format);
  // The logger for a subsystem ("app", "api", "db", "erp.<name>", ...), created on first use.
  std::shared_ptr<spdlog::logger> get(const std::string& name);
  // Applies a new level and format to every logger (SIGHUP).
  void reconfigure(const std::string& level, const std::string& format);

 private:
  void apply(spdlog::logger& l) const;
  std::shared_ptr<spdlog::sinks::sink> sink_;
  spdlog::level::level_enum level_;
  std::string format_;
  std::map<std::string, std::shared_ptr<spdlog::logger>> loggers_;
  std::mutex mutex_;
};

}  // namespace arcd::app
