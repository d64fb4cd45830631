// HttpLanes: many blocking-looking HttpClient conversations in flight from one thread over one
// libcurl multi handle, against the fake ERPs' HTTP server with its faults.

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "connectors/http_client.hpp"
#include "connectors/http_lanes.hpp"
#include "fake_http_server.hpp"

namespace arcd {
namespace {

using connectors::HttpClient;
using connectors::HttpLanes;
using connectors::HttpSettings;
using fakes::FakeHttpServer;
using fakes::Fault;
using fakes::FaultKind;

// Echoes the request body, so each answer can be matched to its question.
fakes::Response echo(const fakes::Request& r) { return {200, "{\"echo\":\"" + r.body + "\"}"}; }

HttpSettings settings_for(const FakeHttpServer& server, std::chrono::seconds timeout = std::chrono::seconds(30)) {
  HttpSettings s;
  s.base_url = server.base_url();
  s.timeout = timeout;
  return s;
}

std::string answer(HttpClient& c, const std::string& body, bool repeatable = true) {
  return c.send("POST", "/echo", body, {"Content-Type: application/json"}, repeatable).body;
}

TEST(HttpLanes, EveryLaneIsInFlightAtOnceFromOneThread) {
  FakeHttpServer server(echo);
  // Slow answers keep each request open long enough for all lanes to overlap.
  server.inject({.kind = FaultKind::slow, .delay = std::chrono::milliseconds(100), .times = 1000});
  constexpr int kLanes = 32, kRequests = 3;
  HttpLanes lanes;
  std::vector<std::unique_ptr<HttpClient>> clients;
  std::vector<std::vector<std::string>> answers(kLanes);
  std::vector<std::function<void()>> jobs;
  const auto caller = std::this_thread::get_id();
  std::atomic<int> other_threads{0};
  for (int l = 0; l < kLanes; ++l) {
    clients.push_back(std::make_unique<HttpClient>(settings_for(server)));
    jobs.emplace_back([&, l] {
      for (int i = 0; i < kRequests; ++i) {
        if (std::this_thread::get_id() != caller) ++other_threads;
        // Alternate fresh connections (writes) and reused ones (reads).
        answers[l].push_back(answer(*clients[l], std::to_string(l) + "-" + std::to_string(i), i % 2 == 0));
      }
    });
  }
  lanes.run(std::move(jobs));
  EXPECT_EQ(other_threads.load(), 0);
  EXPECT_EQ(server.max_concurrent(), kLanes);
  EXPECT_EQ(lanes.peak_in_flight(), kLanes);
  for (int l = 0; l < kLanes; ++l) {
    ASSERT_EQ(answers[l].size(), static_cast<std::size_t>(kRequests));
    for (int i = 0; i < kRequests; ++i) EXPECT_EQ(answers[l][i], "{\"echo\":\"" + std::to_string(l) + "-" + std::to_string(i) + "\"}");
  }
}

TEST(HttpLanes, TransportFailuresReachTheirLaneAsTransientErrors) {
  FakeHttpServer server(echo);
  server.inject({.kind = FaultKind::reset_before, .match = "reset"});
  server.inject({.kind = FaultKind::status, .status = 503, .match = "busy"});
  server.inject({.kind = FaultKind::slow, .delay = std::chrono::milliseconds(1500), .match = "late"});
  HttpClient reset(settings_for(server)), busy(settings_for(server)), late(settings_for(server, std::chrono::seconds(1))),
      fine(settings_for(server));
  HttpSettings nowhere;
  nowhere.base_url = "http://127.0.0.1:1";  // nothing listens there
  HttpClient refused(nowhere);
  std::vector<std::string> errors(3);
  long busy_status = 0;
  std::string fine_answer;
  HttpLanes lanes;
  auto failing = [&errors](int slot, HttpClient& c, const std::string& body) {
    return [&errors, slot, &c, body] {
      try {
        answer(c, body, false);
      } catch (const ErpError& e) {
        if (e.kind() == ErpFailure::transient) errors[static_cast<std::size_t>(slot)] = e.what();
      }
    };
  };
  lanes.run({failing(0, reset, "reset"), failing(1, late, "late"), failing(2, refused, "x"),
             [&] { busy_status = busy.send("POST", "/echo", "busy", {}, false).status; },
             [&] { fine_answer = answer(fine, "fine"); }});
  EXPECT_NE(errors[0].find("/echo"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("imeout"), std::string::npos) << errors[1];  // libcurl's timer fired inside the run
  EXPECT_NE(errors[2].find("127.0.0.1:1"), std::string::npos) << errors[2];
  EXPECT_EQ(busy_status, 503);
  EXPECT_EQ(fine_answer, "{\"echo\":\"fine\"}");
}

TEST(HttpLanes, AFailingJobIsReportedAfterTheOthersFinish) {
  FakeHttpServer server(echo);
  server.inject({.kind = FaultKind::slow, .delay = std::chrono::milliseconds(200), .match = "slow"});
  HttpClient a(settings_for(server)), b(settings_for(server));
  std::string slow_answer;
  HttpLanes lanes;
  EXPECT_THROW(lanes.run({[&] {
                            answer(a, "quick");
                            throw std::runtime_error("lane gave up");
                          },
                          [&] { slow_answer = answer(b, "slow"); }}),
               std::runtime_error);
  EXPECT_EQ(slow_answer, "{\"echo\":\"slow\"}");
  // The lanes can run again, and a client used outside any run blocks as before.
  std::string again;
  lanes.run({[&] { again = answer(a, "again"); }});
  EXPECT_EQ(again, "{\"echo\":\"again\"}");
  EXPECT_EQ(answer(b, "outside"), "{\"echo\":\"outside\"}");
}

}  // namespace
}  // namespace arcd
