#pragma once
// A real OpenSSH sshd for tests: loopback, a random port, a throwaway host key and user key,
// SFTP served by internal-sftp, logging in as the user running the tests.

#include <filesystem>
#include <memory>
#include <string>

#include "test_support.hpp"

namespace arcd::test {

class TestSshd {
 public:
  TestSshd();  // throws std::runtime_error when sshd cannot be started
  ~TestSshd();
  int port() const { return port_; }
  std::string user() const;
  std::filesystem::path user_key() const { return dir_ / "user_key"; }
  std::filesystem::path user_public_key() const { return dir_ / "user_key.pub"; }
  std::filesystem::path known_hosts() const { return dir_ / "known_hosts"; }
  // A known_hosts file that names this server with some other key.
  std::filesystem::path wrong_known_hosts() const { return dir_ / "wrong_known_hosts"; }
  std::filesystem::path other_user_key() const { return dir_ / "other_key"; }
  // A folder to serve files from (absolute path on the same machine).
  std::filesystem::path remote_dir() const { return dir_ / "remote"; }

 private:
  TempDir tmp_;
  std::filesystem::path dir_;
  int port_ = 0;
  int pid_ = -1;
};

}  // namespace arcd::test
