#pragma once
// Prometheus text exposition (version 0.0.4): HTTP request counters and durations per route,
// process metrics read from /proc, and gauges that other parts register.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace arcd::api {

class Metrics {
 public:
  Metrics();
  // route is the pattern, never the raw path, so label cardinality stays bounded.
  void observe_request(const std::string& method, const std::string& route, int status, std::chrono::microseconds duration);
  // A gauge computed on each scrape (queue depths, last sync age...). Name must be unique.
  void add_gauge(std::string name, std::string help, std::function<double()> read);
  std::string render() const;

 private:
  struct Series {
    std::uint64_t count = 0;
    double seconds_sum = 0;
    std::vector<std::uint64_t> buckets;
  };
  std::chrono::system_clock::time_point started_;
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Series> durations_;
  std::vector<std::tuple<std::string, std::string, std::function<double()>>> gauges_;
};

}  // namespace arcd::api
