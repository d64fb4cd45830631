#include "process_util.hpp"

#include <gtest/gtest.h>

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <stdexcept>
#include <thread>

#include "test_support.hpp"

extern char** environ;

namespace arcd::test {
using namespace std::chrono;

namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::filesystem::path& log) {
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) envs.emplace_back(*e);
  for (const auto& kv : env) envs.push_back(kv);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : envs) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int decode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

Process::Process(std::vector<std::string> argv, std::vector<std::string> env, std::filesystem::path log) : log_(std::move(log)) {
  pid_ = spawn(argv, env, log_);
}

Process::~Process() {
  if (!status_) {
    ::kill(pid_, SIGKILL);
    int st;
    ::waitpid(pid_, &st, 0);
  }
}

void Process::signal(int sig) const { ::kill(pid_, sig); }

std::optional<int> Process::wait(milliseconds timeout) {
  if (status_) return status_;
  const auto end = steady_clock::now() + timeout;
  do {
    int st;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      status_ = decode(st);
      return status_;
    }
    std::this_thread::sleep_for(10ms);
  } while (steady_clock::now() < end);
  return std::nullopt;
}

std::string Process::log() const { return read_file(log_); }

bool Process::wait_for_log(const std::string& text, milliseconds timeout) {
  const auto end = steady_clock::now() + timeout;
  while (steady_clock::now() < end) {
    if (log().find(text) != std::string::npos) return true;
    if (wait(0ms)) return log().find(text) != std::string::npos;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

NotifySocket::NotifySocket(const std::filesystem::path& path) : path_(path) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) throw std::runtime_error("bind notify socket");
}

NotifySocket::~NotifySocket() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

std::optional<std::string> NotifySocket::receive(milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  char buf[4096];
  const auto n = ::recv(fd_, buf, sizeof buf, 0);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

bool NotifySocket::wait_for(const std::string& text, milliseconds timeout) {
  const auto end = steady_clock::now() + timeout;
  while (steady_clock::now() < end) {
    auto left = duration_cast<milliseconds>(end - steady_clock::now());
    auto msg = receive(left);
    if (msg && msg->find(text) != std::string::npos) return true;
  }
  return false;
}

void RunningDaemon::start(std::vector<std::string> extra_args, std::vector<std::string> extra_env, const std::string& log) {
  std::vector<std::string> argv{ARCD_BIN, "--config", config.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto arcctl_env = extra_env;  // the same secrets: arcctl reads the same config
  extra_env.push_back(notify->env());
  process = std::make_unique<Process>(argv, extra_env, dir / log);
  ASSERT_TRUE(notify->wait_for("READY=1", seconds(30))) << process->log();
  port = listening_port(process->log());
  ASSERT_NE(port, 0) << process->log();
  // Every API route but health and metrics wants a token: an admin one for the tests.
  auto made = run({ARCCTL_BIN, "--config", config.string(), "--format", "json", "tokens", "create", "--user", "e2e", "--role", "admin"},
                  arcctl_env);
  ASSERT_EQ(made.code, 0) << made.output;
  const auto at = made.output.find("\"token\":\"");
  ASSERT_NE(at, std::string::npos) << made.output;
  token = made.output.substr(at + 9, 69);
  set_api_token(token);
}

void RunningDaemon::stop() {
  process->signal(SIGTERM);
  const auto code = process->wait(seconds(5));
  ASSERT_TRUE(code) << "arcd did not stop within 5 s\n" << process->log();
  EXPECT_EQ(*code, 0) << process->log();
}

RunResult run(std::vector<std::string> argv, std::vector<std::string> env) {
  TempDir dir;
  const auto log = dir / "out";
  Process p(std::move(argv), std::move(env), log);
  auto code = p.wait(minutes(5));
  return {code.value_or(-1), p.log()};
}

namespace {
std::string& current_token() {
  static std::string token;
  return token;
}
curl_slist* with_token(curl_slist* headers) {
  if (current_token().empty()) return headers;
  return curl_slist_append(headers, ("Authorization: Bearer " + current_token()).c_str());
}
size_t collect(char* p, size_t s, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, s * n);
  return s * n;
}
}  // namespace

void set_api_token(const std::string& token) { current_token() = token; }

HttpReply http_get(unsigned short port, const std::string& path) {
  HttpReply r;
  CURL* c = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_slist* hs = with_token(nullptr);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  return r;
}

HttpReply http_post(unsigned short port, const std::string& path, const std::string& body) {
  HttpReply r;
  CURL* c = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_slist* hs = with_token(curl_slist_append(nullptr, "Content-Type: application/octet-stream"));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  return r;
}

unsigned short listening_port(const std::string& log) {
  std::smatch m;
  static const std::regex re("HTTP_LISTENING address=\\S+ port=(\\d+)");
  if (std::regex_search(log, m, re)) return static_cast<unsigned short>(std::stoi(m[1]));
  return 0;
}

}  // namespace arcd::test
