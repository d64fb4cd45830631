#include "smtp_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace arcd::test {

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

SmtpServer::SmtpServer() : port_(free_port()) {
  const std::string script =
      std::string(ARCD_SOURCE_DIR) + "/tests/support/smtp_server.py";
  const std::string port = std::to_string(port_), dir = dir_.path().string();
  std::vector<std::string> args = {
      "/usr/bin/python3", script, port, dir, "arcd", "s3cret"};
  std::vector<char *> argv;
  for (auto &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start smtp_server.py");
  for (int i = 0; i < 200 && !std::filesystem::exists(dir_ / "ready"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!std::filesystem::exists(dir_ / "ready"))
    throw std::runtime_error(
        "smtp_server.py did not start (is python3-aiosmtpd installed?)");
}
SmtpServer::~SmtpServer() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}
connectors::SmtpSettings SmtpServer::settings() const {
  connectors::SmtpSettings s;
  s.url = "smtp://127.0.0.1:" + std::to_string(port_);
  s.tls = "none"; // loopback test server without a certificate
  s.username = "arcd";
  s.password = "s3cret";
  s.timeout_seconds = 10;
  return s;
}
std::vector<boost::json::object> SmtpServer::received() const {
  std::vector<std::filesystem::path> files;
  for (const auto &e : std::filesystem::directory_iterator(dir_.path()))
    if (e.path().extension() == ".json")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<boost::json::object> out;
  for (const auto &f : files)
    out.push_back(boost::json::parse(test::read_file(f)).as_object());
  return out;
}

} // namespace arcd::test
