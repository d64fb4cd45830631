#pragma once
// Many HTTP conversations in flight from one thread. Each job (a "lane") runs as a fiber on the
// calling thread and talks to its ERP through an ordinary, blocking-looking HttpClient; while a
// lane is inside HttpClient::send its transfer sits on one shared libcurl multi handle and the
// lane is suspended, so the connectors stay straight-line code and still no thread is spent
// per request. Connections are kept in the multi handle's cache between runs.

#include <functional>
#include <memory>
#include <vector>

namespace arcd::connectors {

class HttpLanes {
 public:
  HttpLanes();
  ~HttpLanes();
  HttpLanes(const HttpLanes&) = delete;
  HttpLanes& operator=(const HttpLanes&) = delete;

  // Runs every job as a lane and returns when all have ended. The first exception a job let
  // out is rethrown then (after the others ended: none is abandoned mid-request).
  void run(std::vector<std::function<void()>> jobs);

  // The most transfers that were in flight at once during the last run.
  int peak_in_flight() const;

  struct Impl;  // public only so that HttpClient's transfers can find the running lanes

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace arcd::connectors
