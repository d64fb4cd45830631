#pragma once
// Starting the real binaries from tests: output to a log file, signals, exit status, and a
// notify socket standing in for systemd.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <memory>
#include <vector>

#include "test_support.hpp"

namespace arcd::test {

class Process {
 public:
  // Starts `argv` with extra environment entries ("K=V"); stdout and stderr go to `log`.
  Process(std::vector<std::string> argv, std::vector<std::string> env, std::filesystem::path log);
  ~Process();  // kills (SIGKILL) a process still running
  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Waits for exit at most `timeout`; the exit code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string log() const;
  // Waits until the log contains `text`; false on timeout or when the process died.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
};

// A unix datagram socket like systemd's NOTIFY_SOCKET.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path);
  ~NotifySocket();
  std::string env() const { return "NOTIFY_SOCKET=" + path_.string(); }
  // The next message, or nullopt after `timeout`.
  std::optional<std::string> receive(std::chrono::milliseconds timeout);
  // Receives until a message contains `text`.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// arcd started the way systemd starts it: a config file in a fresh folder, a notify socket,
// READY awaited, the HTTP port read from the log.
struct RunningDaemon {
  TempDir dir;
  std::filesystem::path config = dir / "arcd.toml";
  std::unique_ptr<NotifySocket> notify = std::make_unique<NotifySocket>(dir / "notify");
  std::unique_ptr<Process> process;
  unsigned short port = 0;
  std::string token;  // an admin API token made at start; http_get/http_post send it
  std::string sqlite_url() const { return "sqlite://" + (dir / "arcd.db").string(); }
  // Fails the calling test (gtest ASSERTs) when READY or the port does not come.
  void start(std::vector<std::string> extra_args = {}, std::vector<std::string> extra_env = {}, const std::string& log = "arcd.log");
  // SIGTERM and a clean exit within 5 s.
  void stop();
};

// Runs a command to completion; returns its exit code and output.
struct RunResult {
  int code;
  std::string output;
};
RunResult run(std::vector<std::string> argv, std::vector<std::string> env = {});

// HTTP GET on 127.0.0.1; status 0 when the connection failed.
struct HttpReply {
  long status = 0;
  std::string body;
};
// Both send "Authorization: Bearer <token>" with the token of the daemon started last (or
// the one set here; "" sends none).
void set_api_token(const std::string& token);
HttpReply http_get(unsigned short port, const std::string& path);
HttpReply http_post(unsigned short port, const std::string& path, const std::string& body);

// The port from the daemon's "HTTP_LISTENING address=... port=N" line, 0 when absent.
unsigned short listening_port(const std::string& log);

}  // namespace arcd::test
