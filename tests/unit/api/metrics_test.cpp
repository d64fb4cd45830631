#include <gtest/gtest.h>

#include "api/metrics.hpp"

TEST(Metrics, PrometheusTextFormat) {
  arcd::api::Metrics m;
  m.observe_request("GET", "/healthz", 200, std::chrono::microseconds(1500));
  m.add_gauge("arcd_test_gauge", "A test gauge.", [] { return 7.0; });
  const auto text = m.render();
  for (const char* needle :
       {"# TYPE process_cpu_seconds_total counter", "# TYPE process_resident_memory_bytes gauge", "process_start_time_seconds ",
        "process_open_fds ", "# TYPE arcd_http_requests_total counter",
        "arcd_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1",
        "arcd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 1",
        "arcd_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.001\"} 0",
        "arcd_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 1", "arcd_test_gauge 7"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  }
  // Every sample line is "name{labels} value" or "name value": no blank or partial lines.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    ASSERT_FALSE(line.empty());
    if (line[0] != '#') {
      EXPECT_NE(line.find(' '), std::string::npos) << line;
    }
  }
}
