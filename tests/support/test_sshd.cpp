#include "test_sshd.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <stdexcept>
#include <thread>

namespace arcd::test {
namespace fs = std::filesystem;

namespace {

void sh(const std::string& cmd) {
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string TestSshd::user() const { return getpwuid(getuid())->pw_name; }

TestSshd::TestSshd() : dir_(tmp_.path()) {
  fs::create_directories(dir_ / "remote");
  for (const char* key : {"host_key", "user_key", "other_key", "other_host_key"}) {
    sh("ssh-keygen -q -t ecdsa -b 256 -N '' -f " + (dir_ / key).string() + " >/dev/null");
  }
  fs::copy_file(dir_ / "user_key.pub", dir_ / "authorized_keys");
  if (getuid() == 0) fs::create_directories("/run/sshd");  // privilege separation directory
  std::mt19937 rng(std::random_device{}());
  for (int attempt = 0; attempt < 10 && pid_ < 0; ++attempt) {
    port_ = 30000 + static_cast<int>(rng() % 20000);
    write_file(dir_ / "sshd_config", "Port " + std::to_string(port_) + "\nListenAddress 127.0.0.1\nHostKey " +
                                         (dir_ / "host_key").string() + "\nPidFile " + (dir_ / "sshd.pid").string() +
                                         "\nAuthorizedKeysFile " + (dir_ / "authorized_keys").string() +
                                         "\nPermitRootLogin prohibit-password\nStrictModes no\nPasswordAuthentication no\n"
                                         "KbdInteractiveAuthentication no\nUsePAM no\nSubsystem sftp internal-sftp\nLogLevel ERROR\n");
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string log = (dir_ / "sshd.log").string();
      freopen(log.c_str(), "a", stdout);
      freopen(log.c_str(), "a", stderr);
      execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", (dir_ / "sshd_config").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      if (accepts(port_)) {
        pid_ = pid;
        break;
      }
      int st;
      if (waitpid(pid, &st, WNOHANG) == pid) break;  // port taken or bad config: try another
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (pid_ < 0) {
      ::kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  if (pid_ < 0) throw std::runtime_error("sshd did not start: " + read_file(dir_ / "sshd.log"));
  const auto host_pub = read_file(dir_ / "host_key.pub");
  const auto other_pub = read_file(dir_ / "other_host_key.pub");
  const std::string name = "[127.0.0.1]:" + std::to_string(port_) + " ";
  write_file(dir_ / "known_hosts", name + host_pub.substr(0, host_pub.rfind(' ')) + "\n");
  write_file(dir_ / "wrong_known_hosts", name + other_pub.substr(0, other_pub.rfind(' ')) + "\n");
}

TestSshd::~TestSshd() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

}  // namespace arcd::test
